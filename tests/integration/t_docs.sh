#!/usr/bin/env bash
# The documentation matches the binary: the man page documents every option
# each `seccomp-profile CMD --help` prints (scripts/check-manpage), renders
# without warnings, and is installed by `make install`.
. "$(dirname "$0")/lib.sh"
# tcase passes functions, not variables, to each case.
docs_env() { ROOT=$(cd "$TESTS_DIR/.." && pwd); MAN=$ROOT/docs/seccomp-profile.1; }

t_man_sync() {
	docs_env
	# On failure each line says what to add, e.g.
	#   option --foo of 'record --help' is missing from docs/seccomp-profile.1: ...
	"$ROOT/scripts/check-manpage" "$SP" "$MAN"
}
tcase "man page documents every option of every --help" t_man_sync

# The checker itself must catch a missing option, a missing command, an
# option the binary does not have and a missing format, naming each.
t_man_sync_catches() {
	docs_env
	# Drop the .TP entry of the first option documented under '.SS formats'
	# or, as formats has none, under the first command that has one.
	python3 - "$MAN" "$T/missing.1" "$T/nocmd.1" "$T/extra.1" "$T/nofmt.1" <<'PY'
import re, sys
src = open(sys.argv[1]).read().split("\n")
# 1. remove the first .TP entry under .SS record (tag line + body until next macro block)
out, i, removed = [], 0, None
in_rec = False
while i < len(src):
    l = src[i]
    if l.startswith(".SS"):
        in_rec = l.split()[1] == "record"
    if in_rec and removed is None and l == ".TP":
        removed = src[i + 1]
        i += 2
        while i < len(src) and not src[i].startswith((".TP", ".SS", ".SH")):
            i += 1
        continue
    out.append(l)
    i += 1
open(sys.argv[2], "w").write("\n".join(out))
open("removed-tag", "w").write(removed)
# 2. no .SS merge
open(sys.argv[3], "w").write("\n".join(l if l != ".SS merge" else ".\\\" gone" for l in src))
# 3. an option the binary lacks, under .SS summary
out = []
for l in src:
    out.append(l)
    if l == ".SS summary":
        out += [".TP", ".B \\-\\-no\\-such\\-option", "Nothing."]
open(sys.argv[4], "w").write("\n".join(out))
# 4. the recording format gone from FORMATS
open(sys.argv[5], "w").write("\n".join(l if l != ".B recording" else ".B gone" for l in src))
PY
	local opt
	opt=$(sed -e 's/\\-/-/g' removed-tag | grep -oE -- '--?[A-Za-z][A-Za-z-]*' | head -1)
	[ -n "$opt" ] || fail "could not find the removed option in: $(cat removed-tag)"
	! "$ROOT/scripts/check-manpage" "$SP" "$T/missing.1" 2>e1 || fail "missing $opt not caught"
	assert_contains e1 "option $opt of 'record --help' is missing from"
	assert_contains e1 "add a '.TP' entry for it under '.SS record'"
	! "$ROOT/scripts/check-manpage" "$SP" "$T/nocmd.1" 2>e2 || fail "missing merge not caught"
	assert_contains e2 "command 'merge' (listed by 'seccomp-profile --help') has no subsection"
	! "$ROOT/scripts/check-manpage" "$SP" "$T/extra.1" 2>e3 || fail "extra option not caught"
	assert_contains e3 "documents option --no-such-option under '.SS summary', but 'summary --help' does not print it"
	! "$ROOT/scripts/check-manpage" "$SP" "$T/nofmt.1" 2>e4 || fail "missing format not caught"
	assert_contains e4 "format 'recording' (from 'seccomp-profile formats') is missing"
}
tcase "man page checker names what is missing" t_man_sync_catches

t_man_renders() {
	docs_env
	command -v groff >/dev/null || skip "groff not installed (Debian package groff-base)"
	groff -man -Tutf8 -ww -z "$MAN" 2>warn
	[ ! -s warn ] || { cat warn >&2; fail "groff -man -ww warns about docs/seccomp-profile.1"; }
	groff -man -Tutf8 "$MAN" >page 2>/dev/null
	assert_contains page "SECCOMP-PROFILE(1)"
	if command -v man >/dev/null; then
		MANPAGER=cat MANWIDTH=80 man --warnings -l "$MAN" >page2 2>warn2
		[ ! -s warn2 ] || { cat warn2 >&2; fail "man -l warns about docs/seccomp-profile.1"; }
		grep -q "EXIT STATUS" page2 || fail "man -l rendered no EXIT STATUS section"
	fi
}
tcase "man page renders without warnings (groff -ww, man -l)" t_man_renders

t_install() {
	docs_env
	local root=$T/root
	make -s -C "$ROOT" install DESTDIR="$root" PREFIX=/usr >log 2>&1 ||
		{ cat log >&2; fail "make install failed"; }
	[ -x "$root/usr/bin/seccomp-profile" ] || fail "make install did not install the binary"
	cmp "$MAN" "$root/usr/share/man/man1/seccomp-profile.1" || fail "make install did not install the man page"
	if [ -f "$ROOT/scripts/seccomp-profile.bash" ]; then
		cmp "$ROOT/scripts/seccomp-profile.bash" "$root/usr/share/bash-completion/completions/seccomp-profile" ||
			fail "make install did not install the bash completion"
	fi
	make -s -C "$ROOT" uninstall DESTDIR="$root" PREFIX=/usr >/dev/null
	[ ! -e "$root/usr/share/man/man1/seccomp-profile.1" ] || fail "make uninstall left the man page"
}
tcase "make install puts the man page and completion in place" t_install

t_doc_commands() {
	docs_env
	# Every "seccomp-profile CMD --option" shown in README.md and docs/ exists;
	# on failure each line names the file, line and option.
	"$ROOT/scripts/check-doc-commands" "$SP" 2>out || { cat out >&2; fail "the docs show options the binary does not have"; }
	cat >bad.md <<-'MD'
	Run `seccomp-profile merge --no-such-flag a.json` first.

	```sh
	$ seccomp-profile record -c -o x.json ./app --app-option | tee log
	$ seccomp-profile generate -f no-such-format -o p.json x.json
	```
	MD
	! "$ROOT/scripts/check-doc-commands" "$SP" bad.md 2>out || fail "bad.md passed"
	assert_contains out "bad.md:1: 'seccomp-profile merge ... --no-such-flag': option --no-such-flag is not printed by 'seccomp-profile merge --help'"
	assert_contains out "bad.md:5: 'seccomp-profile generate -f no-such-format': format no-such-format is not listed"
	assert_not_contains out "--app-option"
}
tcase "docs: command lines in README.md and docs/ use existing options" t_doc_commands

t_doc_links() {
	docs_env
	# Relative links in README.md and docs/*.md point to files that exist,
	# and #anchors to headings that exist (GitHub's slugs).
	python3 - "$ROOT" <<-'PY'
	import glob, os, re, sys
	root = sys.argv[1]
	def slugs(path):
	    out = set()
	    for line in open(path, encoding="utf-8"):
	        m = re.match(r"^#+\s+(.*)", line)
	        if m:
	            t = re.sub(r"[^\w\- ]", "", m.group(1).strip().lower())
	            out.add(t.replace(" ", "-"))
	    return out
	bad = []
	files = [os.path.join(root, "README.md")] + glob.glob(os.path.join(root, "docs", "**", "*.md"), recursive=True)
	for f in files:
	    text = open(f, encoding="utf-8").read()
	    text = re.sub(r"```.*?```", "", text, flags=re.S)
	    for target in re.findall(r"\]\(([^)\s]+)\)", text):
	        if re.match(r"^[a-z]+:", target):
	            continue
	        path, _, anchor = target.partition("#")
	        dest = os.path.normpath(os.path.join(os.path.dirname(f), path)) if path else f
	        rel = os.path.relpath(f, root)
	        if not os.path.exists(dest):
	            bad.append("%s: link to %s: no such file" % (rel, target))
	        elif anchor and dest.endswith(".md") and anchor not in slugs(dest):
	            bad.append("%s: link to %s: no heading with that anchor in %s" % (rel, target, os.path.relpath(dest, root)))
	for b in bad:
	    print(b, file=sys.stderr)
	sys.exit(1 if bad else 0)
	PY
}
tcase "docs: relative links and anchors resolve" t_doc_links
