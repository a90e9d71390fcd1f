/* SPDX-License-Identifier: MIT */
/* tracer/privexec: the security.capability xattr decoder. */
#include <string.h>

#include "core/caps.h"
#include "tests/unit/unit.h"
#include "tracer/privexec.h"

START_TEST(fcaps_revisions)
{
	/* setcap cap_net_raw+ep: revision 2, effective flag, permitted bit 13 */
	const unsigned char rev2[20] = {0x01, 0, 0, 0x02, 0x00, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
	ck_assert_uint_eq(sp_privexec_fcaps(rev2, sizeof(rev2)), 1ull << 13);
	ck_assert_str_eq(sp_cap_name(13), "CAP_NET_RAW");
	/* revision 3 (namespaced: + root uid) with a high capability (CAP_BPF 39) */
	unsigned char rev3[24] = {0, 0, 0, 0x03};
	rev3[12 + 0] = 0x80; /* permitted high word bit 7 = capability 39 */
	ck_assert_uint_eq(sp_privexec_fcaps(rev3, sizeof(rev3)), 1ull << 39);
	ck_assert_str_eq(sp_cap_name(39), "CAP_BPF");
	/* revision 1: 32 bits only */
	const unsigned char rev1[12] = {0, 0, 0, 0x01, 0x01, 0, 0, 0};
	ck_assert_uint_eq(sp_privexec_fcaps(rev1, sizeof(rev1)), 1);
	/* short, unknown revision, truncated revision 2 */
	ck_assert_uint_eq(sp_privexec_fcaps(rev2, 8), 0);
	const unsigned char rev9[20] = {0, 0, 0, 0x09, 0xff, 0xff, 0xff, 0xff};
	ck_assert_uint_eq(sp_privexec_fcaps(rev9, sizeof(rev9)), 0);
	ck_assert_uint_eq(sp_privexec_fcaps(rev2, 16), 0);
	ck_assert_int_eq(sp_cap_from_name("CAP_CHECKPOINT_RESTORE"), 40);
	ck_assert_int_eq(sp_cap_from_name("CAP_NOPE"), -1);
	ck_assert_ptr_null(sp_cap_name(64));
}
END_TEST

static Suite *privexec_suite(void)
{
	Suite *s = suite_create("privexec");
	TCase *tc = tcase_create("privexec");
	tcase_add_test(tc, fcaps_revisions);
	suite_add_tcase(s, tc);
	return s;
}
SP_SUITE(privexec_suite)
