# SPDX-License-Identifier: MIT
"""Benchmark workload: what a typical Python script does to the kernel.

    python3 pyscript.py [FILES]        default 3000

Imports a few modules, walks Python's own standard library in a fixed
order, stats every entry and reads up to FILES files, hashes them, counts
identifiers with a regular expression, and round-trips the result through
JSON in a temporary file.  The syscall mix (openat, newfstatat, getdents64,
read, lseek, close, mmap, brk, write, unlink) is what interpreters spend
their kernel time on.  Exit status 0.
"""
import hashlib
import json
import os
import re
import sys
import tempfile

limit = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
root = os.path.dirname(os.__file__)
word = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
digest = hashlib.sha256()
counts = {}
files = 0
for dirpath, dirnames, filenames in os.walk(root):
    dirnames.sort()
    for name in sorted(filenames):
        if files >= limit:
            break
        path = os.path.join(dirpath, name)
        try:
            st = os.stat(path)
            with open(path, "rb") as fh:
                data = fh.read(65536)
        except OSError:
            continue
        files += 1
        digest.update(data)
        digest.update(str(st.st_size).encode())
        for w in word.findall(data[:8192]):
            counts[w] = counts.get(w, 0) + 1
    if files >= limit:
        break

top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:200]
doc = {"files": files, "sha256": digest.hexdigest(),
       "top": [[k.decode(), v] for k, v in top]}
with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as out:
    json.dump(doc, out)
    tmp = out.name
with open(tmp) as fh:
    back = json.load(fh)
os.unlink(tmp)
sys.exit(0 if back == doc else 1)
