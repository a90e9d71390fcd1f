#!/usr/bin/env bash
# docs/walkthrough-server.md works as written: its shell blocks are run in
# order (with the Redis ports moved to free ones), and what the page says
# they show is checked.
. "$(dirname "$0")/lib.sh"

t_walkthrough() {
	command -v redis-server >/dev/null && command -v redis-benchmark >/dev/null ||
		skip "redis-server/redis-tools not installed"
	need_cmd pgrep
	mkdir bin
	ln -s "$SP" bin/seccomp-profile
	export PATH=$T/bin:$PATH
	# Four free TCP ports in place of 6390-6393.
	local ports
	ports=$(python3 -c '
import socket
ss = [socket.socket() for _ in range(4)]
for s in ss: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))')
	python3 - "$TESTS_DIR/../docs/walkthrough-server.md" $ports <<-'PY'
	import re, sys
	text = open(sys.argv[1]).read()
	blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
	for i, b in enumerate(blocks):
	    for n, p in enumerate(sys.argv[2:]):
	        b = b.replace(str(6390 + n), p)
	    open("step%d.sh" % (i + 1), "w").write(b)
	print(len(blocks))
	PY
	# Whatever step fails, stop the servers it started (by port, never by name).
	# shellcheck disable=SC2064
	trap "for p in $ports; do redis-cli -p \$p shutdown nosave >/dev/null 2>&1 || true; done" EXIT
	# 1. launch, exercise, shut down
	bash -e step1.sh >out1 2>&1 || { cat out1 >&2; fail "step 1 failed"; }
	python3 -c 'import json,sys; d=json.load(open("redis-life.json")); assert d["meta"]["complete"] is True, d["meta"]' ||
		fail "redis-life.json is not complete"
	# 2. attach, exercise, detach: the server keeps running
	bash -e step2.sh >out2 2>&1 || { cat out2 >&2; fail "step 2 failed"; }
	assert_contains out2 PONG
	python3 -c 'import json; d=json.load(open("redis-live.json")); assert d["meta"]["complete"] is False and d["meta"]["incomplete_reason"], d["meta"]' ||
		fail "redis-live.json is not marked incomplete"
	redis-cli -p "$(echo $ports | cut -d' ' -f2)" shutdown nosave >/dev/null 2>&1 || true
	# 3. merge and summary
	bash -e step3.sh >out3 2>&1 || { cat out3 >&2; fail "step 3 failed"; }
	assert_contains out3 "calls"
	# 4. generate
	bash -e step4.sh || fail "step 4 failed"
	# 5. check: the same exercise stays inside the profile
	bash -e step5.sh >out5 2>&1 || { cat out5 >&2; fail "step 5 failed"; }
	assert_contains out5 "check exit status: 0"
}
tcase "walkthrough: profile a server (docs/walkthrough-server.md) as written" t_walkthrough
