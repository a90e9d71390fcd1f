/* SPDX-License-Identifier: MIT */
/* Fuzz target: the yaml policy reader (see tests/fuzz/fuzz_reader.h for what is checked). */
#include "tests/fuzz/fuzz_reader.h"

SP_FUZZ_READER("yaml")
