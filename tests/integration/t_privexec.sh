#!/usr/bin/env bash
# setuid, setgid and file-capability executables met while recording
# (issue 20): the kernel withholds their privileges from a traced exec
# unless the tracer holds CAP_SYS_PTRACE, and always under no_new_privs.
# record says so, names the executable in meta.unfaithful_execs, and
# generate repeats it; where the kernel honoured them, nothing is said.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rec_lib.sh"

# privexec_setup: $T readable by nobody, out/ writable by it, and copies of
# creds_victim: suid (setuid root), fcap (cap_net_raw+ep), suidnobody
# (setuid to nobody).  Skips where this cannot be arranged.
privexec_setup() {
	[ "$(id -u)" = 0 ] || skip "making setuid-root files needs root"
	need_cmd setpriv setcap
	! findmnt -no OPTIONS -T "$T" | grep -qw nosuid || skip "$T is on a nosuid mount"
	chmod 755 "$T"
	mkdir out
	chown 65534:65534 out
	local v
	for v in suid fcap suidnobody; do cp "$HELPERS/creds_victim" "$T/$v"; done
	chown root:root suid fcap
	chmod 4755 suid
	chown 65534 suidnobody
	chmod 4755 suidnobody
	setcap cap_net_raw+ep fcap || skip "setcap failed (file system without xattrs?)"
	# the kernel honours them in a plain run
	grep -q "^euid=0 " <(nobody "$T/suid") || fail "setuid root not honoured without the recorder: $(nobody "$T/suid")"
	grep -q "raw=ok" <(nobody "$T/fcap") || fail "cap_net_raw not honoured without the recorder: $(nobody "$T/fcap")"
}
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
unfaithful() { meta "$1" '"\n".join(e["path"] + " | " + e["reason"] for e in m.get("unfaithful_execs", []))'; }

t_unprivileged() {
	privexec_setup
	# seccomp mode: no_new_privs, and no CAP_SYS_PTRACE either
	nobody "$SP" record -o out/s.json -- "$T/suid" >s.out 2>s.err
	assert_contains s.out "euid=65534 "
	assert_contains s.err "warning: '$T/suid' ran without its privileges: setuid to uid 0 not applied (runs with euid 65534)"
	assert_contains s.err "record as root with --no-seccomp"
	unfaithful out/s.json >s.meta
	assert_contains s.meta "$T/suid | setuid to uid 0 not applied"
	# plain ptrace: the file capability is withheld all the same
	nobody "$SP" record --no-seccomp -o out/f.json -- "$T/fcap" >f.out 2>f.err
	assert_contains f.out "raw=EPERM"
	assert_contains f.err "warning: '$T/fcap' ran without its privileges: file capabilities not granted (CAP_NET_RAW)"
	assert_contains f.err "without CAP_SYS_PTRACE"
	unfaithful out/f.json >f.meta
	assert_contains f.meta "$T/fcap | file capabilities not granted (CAP_NET_RAW)"
	# generate repeats it; merge keeps it
	"$SP" generate -o p.json out/f.json 2>g.err
	assert_contains g.err "warning: '$T/fcap' ran without its privileges while recording: file capabilities not granted"
	"$SP" merge -o m.json out/s.json out/f.json
	[ "$(unfaithful m.json | wc -l)" = 2 ] || fail "merge: $(unfaithful m.json)"
	"$SP" generate -o p2.json m.json 2>g2.err
	assert_contains g2.err "'$T/suid' ran without its privileges while recording"
	# a program that is no setuid/fcap executable: nothing
	nobody "$SP" record -o out/t.json -- /bin/true 2>t.err
	assert_not_contains t.err "privileges"
	[ "$(meta out/t.json 'm.get("unfaithful_execs", [])')" = "[]" ] || fail "unfaithful_execs of /bin/true"
}
tcase "privileged executables recorded without privilege: warned, named in the recording, repeated by generate" t_unprivileged

t_ping() {
	privexec_setup
	local ping
	ping=$(command -v ping) || skip "ping is not installed (make deps installs iputils-ping)"
	getcap "$ping" | grep -q cap_net_raw || [ -u "$ping" ] || skip "$ping has neither cap_net_raw nor setuid"
	nobody ping -c1 -W5 127.0.0.1 >plain.out 2>&1 || skip "ping 127.0.0.1 fails without the recorder: $(cat plain.out)"
	nobody "$SP" record -o out/p.json -- ping -c1 -W5 127.0.0.1 >p.out 2>p.err || true
	assert_contains p.err "warning: '$(readlink -f "$ping")' ran without its privileges"
	unfaithful out/p.json | grep -q "$(readlink -f "$ping") | " || fail "meta: $(unfaithful out/p.json)"
}
tcase "ping recorded without privilege is flagged" t_ping

t_root() {
	privexec_setup
	# root: setuid root and file capabilities change nothing for it
	"$SP" record -o r1.json -- "$T/suid" >/dev/null 2>r1.err
	"$SP" record -o r2.json -- "$T/fcap" >/dev/null 2>r2.err
	assert_not_contains r1.err privileges
	assert_not_contains r2.err privileges
	# setuid to nobody: honoured when root traces without no_new_privs ...
	"$SP" record --no-seccomp -o r3.json -- "$T/suidnobody" >r3.out 2>r3.err
	assert_contains r3.out "euid=65534 "
	assert_not_contains r3.err privileges
	[ "$(meta r3.json 'm.get("unfaithful_execs", [])')" = "[]" ] || fail "r3: $(unfaithful r3.json)"
	# ... and not under record's seccomp mode, whose no_new_privs keeps euid 0
	"$SP" record -o r4.json -- "$T/suidnobody" >r4.out 2>r4.err
	assert_contains r4.out "euid=0 "
	assert_contains r4.err "setuid to uid 65534 not applied (runs with euid 0): record's seccomp mode sets no_new_privs"
	assert_contains r4.err "(--no-seccomp does not set it)"
}
tcase "as root: no warning where the kernel honours the privileges, one where no_new_privs drops them" t_root
