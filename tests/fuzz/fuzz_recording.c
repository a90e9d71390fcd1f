/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the native recording reader (sp_recording_parse).
 *
 * Beyond "does not crash or leak", it checks the reader against the writer:
 * whatever the reader accepts, the writer must turn into a file the reader
 * accepts again, and that second file must be written identically (a
 * recording survives any number of read/write cycles).  It also merges the
 * recording with its copy the way `merge` does (sp_merge_add), and checks
 * that the merged recording is still writable and readable.
 */
#include "core/recording.h"
#include "formats/format.h"
#include "generator/merge.h"
#include "tests/fuzz/fuzz.h"

static char *render(const struct sp_recording *rec)
{
	char *buf = NULL;
	size_t len = 0;
	struct sp_err err = {0};
	FILE *f = open_memstream(&buf, &len);
	int r = sp_recording_write(f, rec, &err);
	fclose(f);
	SP_FUZZ_CHECK(r == 0, "writer failed: %s", err.msg);
	return buf;
}

static struct sp_recording *reparse(const char *what, const char *text)
{
	struct sp_recording *rec = NULL;
	struct sp_err err = {0};
	int r = sp_recording_parse(what, text, strlen(text), &rec, &err);
	SP_FUZZ_CHECK(r == 0, "%s does not read back: %s\n--- text:\n%s", what, err.msg, text);
	return rec;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	_cleanup_free_ char *text = sp_fuzz_cstr(data, size);
	struct sp_recording *rec = NULL;
	struct sp_err err = {0};
	if (sp_recording_parse("fuzz.json", text, size, &rec, &err) < 0) {
		/* Every rejection names the file (the CLI prints it as is). */
		SP_FUZZ_CHECK(!strncmp(err.msg, "fuzz.json", 9) && err.code < 0, "bad error: %d %s", err.code,
			      err.msg);
		return 0;
	}
	SP_FUZZ_CHECK(rec != NULL, "success without a recording");

	/* Round trip: write, read, write again: same bytes. */
	_cleanup_free_ char *once = render(rec);
	struct sp_recording *again = reparse("written", once);
	_cleanup_free_ char *twice = render(again);
	SP_FUZZ_CHECK(!strcmp(once, twice), "round trip changed the file:\n--- once:\n%s\n--- twice:\n%s", once,
		      twice);
	SP_FUZZ_CHECK(again->count == rec->count, "entries %zu -> %zu", rec->count, again->count);

	/* Merge with its copy: counts double, the result must still be a
	 * valid file with the same entries. */
	struct sp_recording *m = sp_merge_new();
	sp_merge_add(m, rec, "a.json");
	sp_merge_add(m, again, "b.json");
	_cleanup_free_ char *merged = render(m);
	struct sp_recording *m2 = reparse("merged", merged);
	SP_FUZZ_CHECK(m2->count == rec->count, "merge changed the entry count");
	sp_recording_free(m);

	sp_recording_free(m2);
	sp_recording_free(again);
	sp_recording_free(rec);
	return 0;
}
