/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the parsers of command-line and policy-file values.
 *
 * The input is one value (up to the first NUL) handed to every parser a
 * user-supplied string reaches: actions (--default-action, Docker's
 * SCMP_ACT_*), comparison operators, errno names, ABI names and syscall
 * names, numbers.  Oracles:
 *   - an action that parses prints (sp_action_str) to a spelling that
 *     parses back to the same action, and its SCMP name maps back too;
 *   - sp_parse_u64 agrees with an independent reference parser of its
 *     documented grammar (decimal or 0x-hex digits only, no sign, no
 *     spaces, no octal: a leading 0 before more digits is refused);
 *   - a syscall name that resolves on an ABI resolves back to itself.
 */
#include <ctype.h>
#include <errno.h>

#include "core/abi.h"
#include "core/policy.h"
#include "tests/fuzz/fuzz.h"

/* The documented grammar of sp_parse_u64, written independently. */
static bool ref_parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	unsigned base = 10;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	} else if (s[0] == '0' && s[1] != '\0') {
		return false;
	}
	if (!*s)
		return false;
	uint64_t v = 0;
	for (; *s; s++) {
		unsigned d;
		if (*s >= '0' && *s <= '9')
			d = (unsigned)(*s - '0');
		else if (base == 16 && isxdigit((unsigned char)*s))
			d = (unsigned)(tolower((unsigned char)*s) - 'a' + 10);
		else
			return false;
		if (v > (UINT64_MAX - d) / base)
			return false;
		v = v * base + d;
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

static void check_action(const char *s)
{
	struct sp_action a, b;
	struct sp_err err = {0};
	char buf[64];
	if (sp_action_parse(s, &a, &err) == 0) {
		const char *str = sp_action_str(a, buf, sizeof(buf));
		SP_FUZZ_CHECK(sp_action_parse(str, &b, &err) == 0, "'%s' -> '%s' does not parse: %s", s, str,
			      err.msg);
		SP_FUZZ_CHECK(sp_action_equal(a, b), "'%s' -> '%s' is another action", s, str);
		SP_FUZZ_CHECK(a.kind != SP_ACT_ERRNO || a.data <= 4095, "errno %u out of range", a.data);
		SP_FUZZ_CHECK(a.kind != SP_ACT_TRACE || a.data <= 0xffff, "trace %u out of range", a.data);
		const char *scmp = sp_action_scmp_name(a);
		SP_FUZZ_CHECK(sp_action_from_scmp(scmp, &b, &err) == 0 && b.kind == a.kind, "'%s' -> '%s'", s,
			      scmp);
	} else {
		SP_FUZZ_CHECK(err.code < 0 && err.msg[0], "rejected '%s' without a message", s);
	}
	err.code = 0;
	if (sp_action_from_scmp(s, &a, &err) < 0)
		SP_FUZZ_CHECK(err.code < 0 && err.msg[0], "rejected '%s' without a message", s);
	enum sp_cmp_op op;
	if (sp_cmp_from_scmp(s, &op) == 0)
		SP_FUZZ_CHECK(!strcmp(sp_cmp_scmp_name(op), s), "cmp '%s'", s);
}

static void check_numbers(const char *s)
{
	static const uint64_t maxes[] = {0, 255, 4095, 0xffff, UINT32_MAX, INT64_MAX, UINT64_MAX};
	for (size_t i = 0; i < SP_ARRAY_SIZE(maxes); i++) {
		uint64_t got = 0, want = 0;
		bool g = sp_parse_u64(s, maxes[i], &got);
		bool w = ref_parse_u64(s, maxes[i], &want);
		SP_FUZZ_CHECK(g == w && (!g || got == want),
			      "sp_parse_u64('%s', %llu) = %d/%llu, grammar says %d/%llu", s,
			      (unsigned long long)maxes[i], g, (unsigned long long)got, w,
			      (unsigned long long)want);
	}
	int e = sp_errno_from_name(s);
	if (e >= 0) {
		const char *n = sp_errno_name(e);
		SP_FUZZ_CHECK(n && !strcmp(n, s), "errno '%s' -> %d -> '%s'", s, e, n ? n : "(null)");
	}
}

static void check_names(const char *s, const char *num)
{
	enum sp_abi abi = sp_abi_from_name(s);
	SP_FUZZ_CHECK(abi == SP_ABI_UNKNOWN || sp_abi_get(abi), "abi %d", abi);
	abi = sp_abi_from_docker(s);
	if (abi != SP_ABI_UNKNOWN)
		SP_FUZZ_CHECK(!strcmp(sp_abi_get(abi)->docker, s), "docker arch '%s'", s);
	bool known = sp_abi_syscall_known(s);
	for (int i = 0; i < SP_ABI_COUNT; i++) {
		int64_t nr = sp_abi_syscall_nr((enum sp_abi)i, s);
		SP_FUZZ_CHECK(nr < 0 || known, "'%s' has a number on %s but is not known", s,
			      sp_abi_name((enum sp_abi)i));
		char *name = sp_abi_syscall_name((enum sp_abi)i, nr);
		if (name) /* a name that resolves to a number names it back */
			SP_FUZZ_CHECK(!strcmp(name, s), "'%s' on %s -> %lld -> '%s'", s,
				      sp_abi_name((enum sp_abi)i), (long long)nr, name);
		free(name);
		uint64_t n;
		if (num && sp_parse_u64(num, UINT64_MAX, &n)) {
			name = sp_abi_syscall_name((enum sp_abi)i, (int64_t)n);
			if (name)
				SP_FUZZ_CHECK(sp_abi_syscall_nr((enum sp_abi)i, name) == (int64_t)n,
					      "%s nr %llu -> '%s' -> other number", sp_abi_name((enum sp_abi)i),
					      (unsigned long long)n, name);
			free(name);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 4096) /* values are short; long ones only slow the search */
		return 0;
	_cleanup_free_ char *s = sp_fuzz_cstr(data, size);
	check_action(s);
	check_numbers(s);
	check_names(s, s);
	return 0;
}
