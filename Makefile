# seccomp-profile: one GNU Makefile for the tool, its tests and benchmarks.
#
#   make                  build ./seccomp-profile
#   make deps             install build/test dependencies (Debian/Ubuntu, apt-get)
#   make deps-abis        also what check-abis needs (QEMU, cross compilers, arm64 -dev)
#   make check            unit tests (Check), then integration tests
#   make check-fresh      README's Quick start verbatim in a new Debian 12 root (root, mmdebstrap)
#   make bench            benchmarks against strace and native runs (BENCH_RUNS=N, ...)
#   make bench-quick      every benchmark once at reduced size (smoke test)
#   make check-abis       the ABI tests on real kernels in QEMU (i386, x32, aarch64, arm32)
#   make golden           regenerate tests/golden/ after an intended output change
#   make fuzz             libFuzzer (clang) on every tests/fuzz target, FUZZ_SECONDS each
#   make fuzz-replay      replay the committed fuzz corpora (part of check)
#   make install          PREFIX=/usr/local DESTDIR= (binary, man page, completion,
#                         Podman/CRI-O hook in HOOKSDIR)
#   make format           clang-format every C file
#
#   DEVELOPER=1           add -Werror (CI builds this way)
#   SANITIZE=address,undefined   sanitized tool and unit tests (victims never are)
#   V=1                   show the commands
#   CC=clang              any C11 compiler with GNU extensions

PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
# Where Podman and CRI-O look for hooks.d entries (their default; both also
# read /etc/containers/oci/hooks.d).
HOOKSDIR  ?= /usr/share/containers/oci/hooks.d
DESTDIR   ?=

CC        ?= cc
PKG_CONFIG ?= pkg-config
VERSION   := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
GIT_REV   := $(shell git describe --always --dirty 2>/dev/null)
ifneq ($(GIT_REV),)
FULL_VERSION := $(VERSION) ($(GIT_REV))
else
FULL_VERSION := $(VERSION)
endif

ifeq ($(V),1)
Q :=
say :=
else
Q := @
say = @printf '  %-8s %s\n' $(1) $(2);
endif

# ---- `make deps GOAL...` ----------------------------------------------------
# This Makefile asks pkg-config and the compiler what is installed while it
# is read, before any recipe runs, so `deps` on the same command line as a
# goal that builds would come too late.  Then deps runs first, alone, and
# the other goals run in a second make that reads this file again after
# the install (command-line variables and -j travel in MAKEFLAGS).
SP_AFTER_DEPS := $(filter-out deps,$(MAKECMDGOALS))
ifneq ($(and $(filter deps,$(MAKECMDGOALS)),$(SP_AFTER_DEPS)),)
.PHONY: deps $(SP_AFTER_DEPS)
deps:
	@scripts/install-deps
	@$(MAKE) --no-print-directory $(SP_AFTER_DEPS)
$(SP_AFTER_DEPS): deps
	@:
else

# ---- dependencies (pkg-config name : Debian package) ----------------------
DEP_PKGS := libseccomp:libseccomp-dev jansson:libjansson-dev libunwind-ptrace:libunwind-dev \
            libunwind-generic:libunwind-dev yaml-0.1:libyaml-dev libelf:libelf-dev capstone:libcapstone-dev
TEST_PKGS := check:check

# Missing dependencies stop the build with one line naming the package.
# Targets that need no compiler skip the probe.
NODEP_GOALS := deps deps-abis clean format uninstall help check-fresh
ifeq ($(filter-out $(NODEP_GOALS),$(or $(MAKECMDGOALS),all)),)
else
define need_pkg
$(if $(shell $(PKG_CONFIG) --exists $(word 1,$(subst :, ,$(1))) 2>/dev/null && echo ok),,\
  $(error missing dependency '$(word 1,$(subst :, ,$(1)))': install the Debian package '$(word 2,$(subst :, ,$(1)))' (or run 'make deps')))
endef
$(foreach p,$(DEP_PKGS),$(call need_pkg,$(p)))
endif

PKGS       := libseccomp jansson libunwind-ptrace libunwind-generic yaml-0.1 libelf capstone
DEP_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
# capstone is not linked into the dynamic tool but loaded by its soname when
# the analysis needs it (analysis/capstone.h: its relocations cost every
# command ~7 ms at start).  The static tool links it (STATIC_LIBS).
DEP_LIBS   := $(shell $(PKG_CONFIG) --libs $(filter-out capstone,$(PKGS)) 2>/dev/null)
CAPSTONE_SONAME := $(or $(shell objdump -p $$($(PKG_CONFIG) --variable=libdir capstone 2>/dev/null)/libcapstone.so 	2>/dev/null | awk '$$1 == "SONAME" { print $$2 }'),libcapstone.so)
CHECK_CFLAGS := $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell $(PKG_CONFIG) --libs check 2>/dev/null)

# ---- optional: the eBPF back-end of record (tracer/ebpf/) ------------------
# Built when libbpf (pkg-config), bpftool, clang and a BTF description of the
# target kernel are all there, on x86_64.  EBPF_BTF is that BTF: the running
# kernel's by default, or a pinned file for build machines without one
# (e.g. a copy of the target's /sys/kernel/btf/vmlinux).  EBPF=0 leaves the
# back-end out; without it `record --backend ebpf` says "not built".
EBPF      ?= auto
EBPF_BTF  ?= /sys/kernel/btf/vmlinux
BPFTOOL   ?= $(or $(shell command -v bpftool 2>/dev/null),$(wildcard /usr/sbin/bpftool /sbin/bpftool))
BPF_CLANG ?= clang
ifneq ($(EBPF),0)
HAVE_EBPF := $(shell [ "$$(uname -m)" = x86_64 ] && $(PKG_CONFIG) --exists libbpf 2>/dev/null && \
	[ -n "$(BPFTOOL)" ] && $(BPFTOOL) version >/dev/null 2>&1 && \
	command -v $(BPF_CLANG) >/dev/null 2>&1 && [ -r "$(EBPF_BTF)" ] && echo yes)
endif
ifeq ($(EBPF)$(HAVE_EBPF),1)
$(error EBPF=1 but the eBPF back-end cannot be built: it needs x86_64, libbpf-dev, bpftool, clang and a readable EBPF_BTF ($(EBPF_BTF)))
endif

WARNINGS := -Wno-unknown-warning-option -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
            -Wvla -Wpointer-arith -Wcast-qual -Wundef -Wno-missing-field-initializers -Wno-format-truncation
CFLAGS   ?= -O2 -g
ALL_CFLAGS := -std=gnu11 $(WARNINGS) $(CFLAGS) -I. -D_GNU_SOURCE \
              -DSP_VERSION='"$(FULL_VERSION)"' -fno-omit-frame-pointer $(DEP_CFLAGS)
ifeq ($(DEVELOPER),1)
ALL_CFLAGS += -Werror
endif
ALL_LDFLAGS := $(LDFLAGS)
ifeq ($(HAVE_EBPF),yes)
ALL_CFLAGS += -DSP_HAVE_EBPF
DEP_LIBS   += $(shell $(PKG_CONFIG) --libs libbpf 2>/dev/null)
endif

BUILD := build
ifneq ($(SANITIZE),)
BUILD := build/san
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-sanitize-recover=all
ALL_LDFLAGS += -fsanitize=$(SANITIZE)
endif

LIB_SRC  := $(sort $(filter-out %.bpf.c analysis/capstone_linked.c,\
	$(wildcard core/*.c tracer/*.c tracer/ebpf/*.c generator/*.c formats/*.c analysis/*.c)))
CLI_SRC  := $(sort $(wildcard cli/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_OBJ := $(UNIT_SRC:%.c=$(BUILD)/%.o)
LIB      := $(BUILD)/libseccomp-profile.a
ifeq ($(SANITIZE),)
BIN      := seccomp-profile
else
BIN      := $(BUILD)/seccomp-profile
endif
UNIT_BIN := $(BUILD)/tests/unit-tests

# Victim programs: never sanitized, built with frame pointers and unwind
# tables so call sites are reliable.  tests/helpers/NAME.c -> build/helpers/NAME;
# files that also need a 32-bit build list themselves in HELPERS_M32.
HELPER_SRC := $(sort $(wildcard tests/helpers/*.c))
HELPERS    := $(HELPER_SRC:tests/helpers/%.c=build/helpers/%)
HELPER_CFLAGS := -std=gnu11 -O1 -g -fno-omit-frame-pointer -funwind-tables -D_GNU_SOURCE -Wall
HELPERS_M32 := $(patsubst tests/helpers/%.c,build/helpers/%-m32,$(shell grep -l 'HELPER-M32' $(HELPER_SRC) /dev/null 2>/dev/null))
HAVE_M32 := $(shell printf 'int main(void){return 0;}' | $(CC) -m32 -x c - -o /dev/null 2>/dev/null && echo yes)
# LD_PRELOAD stand-ins for libraries: tests/helpers/preload/NAME.c ->
# build/helpers/NAME.so (t_run.sh: a libseccomp that never returns).
PRELOAD_SRC := $(sort $(wildcard tests/helpers/preload/*.c))
PRELOADS    := $(PRELOAD_SRC:tests/helpers/preload/%.c=build/helpers/%.so)

# The reproducers of tests/fuzz/libseccomp-hang.txt, libseccomp alone plus
# our BPF interpreter: tests/fuzz/libseccomp/NAME.c -> build/libseccomp-bugs/NAME,
# run by tests/integration/t_libseccomp.sh.  Never sanitized: two of them
# show libseccomp's own leaks.
LSBUG_SRC := $(sort $(wildcard tests/fuzz/libseccomp/*.c))
LSBUGS    := $(LSBUG_SRC:tests/fuzz/libseccomp/%.c=build/libseccomp-bugs/%)

# Fuzz targets: tests/fuzz/fuzz_NAME.c, each with a seed corpus in
# tests/fuzz/corpus/NAME/.  `make fuzz-replay` links each with
# replay_main.c (any compiler, any SANITIZE) and runs the corpus once;
# `make fuzz` rebuilds everything with clang's libFuzzer into build/fuzz
# and lets each target search for FUZZ_SECONDS.  New inputs go to
# build/fuzz/corpus/NAME, crashes to build/fuzz/artifacts/ (add a fixed
# crash to the committed corpus).  tests/fuzz/NAME.dict, when present, is
# libFuzzer's dictionary of the format's keywords.  Some targets only:
# make fuzz FUZZ_NAMES="compile bpf_emit" FUZZ_SECONDS=600.
FUZZ_SRC    := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_NAMES  := $(FUZZ_SRC:tests/fuzz/fuzz_%.c=%)
FUZZ_REPLAY := $(FUZZ_NAMES:%=$(BUILD)/fuzz/fuzz_%-replay)
FUZZ_OBJ    := $(FUZZ_SRC:%.c=$(BUILD)/%.o) $(BUILD)/tests/fuzz/replay_main.o
FUZZ_SECONDS ?= 60
FUZZ_CC     ?= clang
FUZZ_FLAGS  ?= -max_len=65536 -timeout=20 -rss_limit_mb=2048 -print_final_stats=1

.PHONY: all deps deps-abis check check-abis check-fresh abis-bins unit integration helpers bench bench-quick fuzz fuzz-replay fuzz-bins install uninstall clean format help
# The fuzz objects are reached only through pattern rules: keep them.
.SECONDARY: $(FUZZ_OBJ)
.DEFAULT_GOAL := all

all: $(BIN)

$(BUILD)/%.o: %.c
	$(call say,CC,$<)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

# The version string is compiled into cli/main.c only: rebuild it whenever
# the string changes (a new commit), not only when main.c does.
$(BUILD)/version.stamp: FORCE
	@mkdir -p $(@D)
	@echo '$(FULL_VERSION)' | cmp -s - $@ || echo '$(FULL_VERSION)' > $@
$(BUILD)/cli/main.o: $(BUILD)/version.stamp
.PHONY: FORCE
FORCE:

# The BPF object: vmlinux.h from the BTF (CO-RE: libbpf relocates field
# offsets against the running kernel at load time), clang -target bpf, and a
# libbpf skeleton that embeds the object in the loader (tracer/ebpf/ebpf.c).
EBPF_DIR := $(BUILD)/ebpf
ifeq ($(HAVE_EBPF),yes)
$(EBPF_DIR)/vmlinux.h: $(EBPF_BTF)
	$(call say,BTF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(BPFTOOL) btf dump file $< format c >$@.tmp && mv $@.tmp $@

$(EBPF_DIR)/recorder.bpf.o: tracer/ebpf/recorder.bpf.c tracer/ebpf/recorder.h $(EBPF_DIR)/vmlinux.h
	$(call say,BPF,$@)
	$(Q)$(BPF_CLANG) -target bpf -mcpu=v3 -g -O2 -D__TARGET_ARCH_x86 -I$(EBPF_DIR) -I. \
		$(shell $(PKG_CONFIG) --cflags libbpf 2>/dev/null) -c $< -o $@

# bpftool's static linker keeps what libbpf loads (programs, maps, BTF and
# its CO-RE relocations) and drops clang's DWARF: the object embedded in the
# tool is 74 KB instead of 715 KB, and every start hashes (minbtf.c) and
# parses less of it.
$(EBPF_DIR)/recorder.linked.o: $(EBPF_DIR)/recorder.bpf.o
	$(call say,BPFLINK,$@)
	$(Q)$(BPFTOOL) gen object $@ $<

$(EBPF_DIR)/recorder.skel.h: $(EBPF_DIR)/recorder.linked.o
	$(call say,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name recorder_bpf >$@.tmp && mv $@.tmp $@

$(BUILD)/tracer/ebpf/ebpf.o: $(EBPF_DIR)/recorder.skel.h
$(BUILD)/tracer/ebpf/ebpf.o: ALL_CFLAGS += -I$(EBPF_DIR)
endif

$(BUILD)/analysis/capstone.o: ALL_CFLAGS += -DSP_CAPSTONE_SONAME='"$(CAPSTONE_SONAME)"'

$(LIB): $(LIB_OBJ)
	$(call say,AR,$@)
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	$(call say,LINK,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(DEP_LIBS)

$(BUILD)/tests/unit/%.o: ALL_CFLAGS += $(CHECK_CFLAGS) -Wno-missing-prototypes -DSP_SRCDIR='"$(CURDIR)"'
$(UNIT_BIN): $(UNIT_OBJ) $(LIB)
	$(call say,LINK,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $(UNIT_OBJ) $(LIB) $(DEP_LIBS) $(CHECK_LIBS)

build/helpers/%: tests/helpers/%.c
	$(call say,VICTIM,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(HELPER_CFLAGS) $< -o $@ -lpthread

build/helpers/%.so: tests/helpers/preload/%.c
	$(call say,PRELOAD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(HELPER_CFLAGS) $(DEP_CFLAGS) -shared -fPIC $< -o $@

build/libseccomp-bugs/%: tests/fuzz/libseccomp/%.c tests/fuzz/libseccomp/repro.h generator/bpf_sim.c generator/bpf_sim.h
	$(call say,REPRO,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -std=gnu11 -O1 -g -D_GNU_SOURCE -I. $(WARNINGS) $(if $(filter 1,$(DEVELOPER)),-Werror) $(DEP_CFLAGS) \
		$< generator/bpf_sim.c -o $@ $(shell $(PKG_CONFIG) --libs libseccomp 2>/dev/null)

# The kernel's <asm/...> headers for -m32: Debian's gcc-multilib provides
# /usr/include/asm as a link to the biarch x86_64-linux-gnu/asm headers, but
# it conflicts with the cross compilers (gcc-aarch64-linux-gnu...) and apt
# removes it when one of them is installed.  Our own link does not depend
# on it.
M32_INC := build/helpers/m32-include
$(M32_INC)/asm:
	$(Q)mkdir -p $(@D)
	$(Q)ln -sfn /usr/include/$(shell $(CC) -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)/asm $@

build/helpers/%-m32: tests/helpers/%.c | $(M32_INC)/asm
	$(call say,VICTIM32,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) -m32 -idirafter $(M32_INC) $(HELPER_CFLAGS) $< -o $@ -lpthread

$(BUILD)/fuzz/fuzz_%-replay: $(BUILD)/tests/fuzz/fuzz_%.o $(BUILD)/tests/fuzz/replay_main.o $(LIB)
	$(call say,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(DEP_LIBS)

# libFuzzer binaries; only built from `make fuzz` (SANITIZE=fuzzer-no-link,...).
$(BUILD)/fuzz/fuzz_%: $(BUILD)/tests/fuzz/fuzz_%.o $(LIB)
	$(call say,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(DEP_LIBS)

fuzz-replay: $(FUZZ_REPLAY)
	$(Q)for n in $(FUZZ_NAMES); do \
		$(BUILD)/fuzz/fuzz_$$n-replay tests/fuzz/corpus/$$n || exit 1; done

fuzz-bins: $(FUZZ_NAMES:%=$(BUILD)/fuzz/fuzz_%)

fuzz:
	$(Q)$(MAKE) --no-print-directory CC=$(FUZZ_CC) BUILD=build/fuzz \
		SANITIZE=fuzzer-no-link,address,undefined fuzz-bins
	$(Q)for n in $(FUZZ_NAMES); do \
		mkdir -p build/fuzz/corpus/$$n build/fuzz/artifacts; \
		echo "== fuzz_$$n ($(FUZZ_SECONDS) s)"; \
		dict=; [ ! -f tests/fuzz/$$n.dict ] || dict=-dict=tests/fuzz/$$n.dict; \
		build/fuzz/fuzz/fuzz_$$n $(FUZZ_FLAGS) $$dict -max_total_time=$(FUZZ_SECONDS) \
			-artifact_prefix=build/fuzz/artifacts/$$n- \
			build/fuzz/corpus/$$n tests/fuzz/corpus/$$n >build/fuzz/$$n.log 2>&1; \
		rc=$$?; grep -E '^(Done|stat::number_of_executed_units)' build/fuzz/$$n.log | tail -1; \
		if [ $$rc -ne 0 ]; then tail -40 build/fuzz/$$n.log; \
			echo "fuzz_$$n: FAILED, see build/fuzz/$$n.log and build/fuzz/artifacts/"; exit 1; fi; \
	done

helpers: $(HELPERS) $(if $(HAVE_M32),$(HELPERS_M32)) $(PRELOADS) $(LSBUGS)

deps:
	@scripts/install-deps

deps-abis:
	@scripts/install-deps --abis

# The analysis suite reads a victim (tests/helpers/unseen_victim.c).
unit: $(UNIT_BIN) build/helpers/unseen_victim build/helpers/fault_many $(if $(HAVE_M32),build/helpers/unseen_victim-m32)
	$(Q)SP_HELPERS=$(abspath build/helpers) $(UNIT_BIN)

integration: $(BIN) helpers
	$(Q)SP_BIN=$(abspath $(BIN)) SP_BUILD=$(abspath build) tests/integration/run.sh

# Unit tests first: they are fast and pinpoint; the last line printed is
# the integration runner's "N passed, N failed" total.
check: unit fuzz-replay integration

# ---- every ABI on a real kernel (tests/abis/, docs/testing-abis.md) -------
# Static builds of the tool and of some victims for each emulated machine,
# and Debian's kernels, booted in QEMU by tests/abis/run.  x86_64 (with
# i386 and x32 victims) uses this build's objects; aarch64 (with arm32
# victims) is a second build of the whole tree with the cross compiler and
# the arm64 multiarch -dev packages, in build/abis/aarch64-obj.
ABIS_VICTIMS := rc_victim drift_victim rec_count rec_misc rec_exec fault_untraced fault_wait attack bpf_load args_victim
ABIS_CROSS   := aarch64-linux-gnu-
ABIS_ARM32   := arm-linux-gnueabihf-
ABIS_CROSS_PKG_CONFIG := env PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig $(PKG_CONFIG)
# libbpf first: it needs libelf and libz, which the others may also list.
STATIC_LIBS = $(shell $(PKG_CONFIG) --static --libs $(if $(filter yes,$(HAVE_EBPF)),libbpf) $(PKGS) 2>/dev/null)
ABIS_X86 := build/abis/x86_64
ABIS_ARM := build/abis/aarch64
ABIS_BINS := $(ABIS_X86)/seccomp-profile $(ABIS_ARM)/seccomp-profile \
	$(foreach v,$(ABIS_VICTIMS),$(ABIS_X86)/$(v) $(ABIS_X86)/$(v)-m32 $(ABIS_X86)/$(v)-x32 \
		$(ABIS_ARM)/$(v) $(ABIS_ARM)/$(v)-arm32)

# The static tool of whatever BUILD this make runs for.
$(BUILD)/seccomp-profile-static: $(CLI_OBJ) $(LIB) $(BUILD)/analysis/capstone_linked.o
	$(call say,LINK,$@)
	$(Q)$(CC) $(ALL_LDFLAGS) -static -o $@ $(CLI_OBJ) $(BUILD)/analysis/capstone_linked.o $(LIB) $(STATIC_LIBS)

$(ABIS_X86)/seccomp-profile: $(BUILD)/seccomp-profile-static
	$(Q)mkdir -p $(@D) && cp $< $@
$(ABIS_ARM)/seccomp-profile: FORCE
	$(Q)$(MAKE) --no-print-directory BUILD=build/abis/aarch64-obj CC=$(ABIS_CROSS)gcc \
		PKG_CONFIG='$(ABIS_CROSS_PKG_CONFIG)' SANITIZE= build/abis/aarch64-obj/seccomp-profile-static
	$(Q)mkdir -p $(@D) && cmp -s build/abis/aarch64-obj/seccomp-profile-static $@ || \
		cp build/abis/aarch64-obj/seccomp-profile-static $@

$(ABIS_X86)/%-m32: tests/helpers/%.c | $(M32_INC)/asm
	$(call say,VICTIM,$@)
	$(Q)mkdir -p $(@D) && $(CC) -m32 -static -idirafter $(M32_INC) $(HELPER_CFLAGS) $< -o $@ -lpthread
$(ABIS_X86)/%-x32: tests/helpers/%.c | $(M32_INC)/asm
	$(call say,VICTIM,$@)
	$(Q)mkdir -p $(@D) && $(CC) -mx32 -static -idirafter $(M32_INC) $(HELPER_CFLAGS) $< -o $@ -lpthread
$(ABIS_X86)/%: tests/helpers/%.c
	$(call say,VICTIM,$@)
	$(Q)mkdir -p $(@D) && $(CC) -static $(HELPER_CFLAGS) $< -o $@ -lpthread
$(ABIS_ARM)/%-arm32: tests/helpers/%.c
	$(call say,VICTIM,$@)
	$(Q)mkdir -p $(@D) && $(ABIS_ARM32)gcc -static $(HELPER_CFLAGS) $< -o $@ -lpthread
$(ABIS_ARM)/%: tests/helpers/%.c
	$(call say,VICTIM,$@)
	$(Q)mkdir -p $(@D) && $(ABIS_CROSS)gcc -static $(HELPER_CFLAGS) $< -o $@ -lpthread

abis-bins: $(ABIS_BINS)

check-abis: abis-bins
	$(Q)tests/abis/run
# The README's Quick start, verbatim, as root in a new Debian 12 root made
# by mmdebstrap from a clean clone of HEAD (scripts/check-fresh says how).
check-fresh:
	$(Q)scripts/check-fresh

# Regenerates the golden files of every writer (tests/golden/cases) after an
# intended output change; review the diff before committing.
.PHONY: golden
golden: $(BIN)
	$(Q)tests/golden/run $(abspath $(BIN)) --update

bench: $(BIN) helpers
	$(Q)SP_BIN=$(abspath $(BIN)) SP_BUILD=$(abspath build) bench/run

bench-quick: $(BIN) helpers
	$(Q)BENCH_QUICK=1 SP_BIN=$(abspath $(BIN)) SP_BUILD=$(abspath build) bench/run

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR)
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/seccomp-profile
	if [ -f docs/seccomp-profile.1 ]; then \
		install -d $(DESTDIR)$(MANDIR)/man1 && \
		install -m 0644 docs/seccomp-profile.1 $(DESTDIR)$(MANDIR)/man1/seccomp-profile.1; fi
	if [ -f scripts/seccomp-profile.bash ]; then \
		install -d $(DESTDIR)$(BASHCOMPDIR) && \
		install -m 0644 scripts/seccomp-profile.bash $(DESTDIR)$(BASHCOMPDIR)/seccomp-profile; fi
	install -d $(DESTDIR)$(HOOKSDIR)
	sed 's|@BINDIR@|$(BINDIR)|' scripts/oci-hook.json.in >$(DESTDIR)$(HOOKSDIR)/seccomp-profile.json
	chmod 0644 $(DESTDIR)$(HOOKSDIR)/seccomp-profile.json

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/seccomp-profile $(DESTDIR)$(MANDIR)/man1/seccomp-profile.1 \
	      $(DESTDIR)$(BASHCOMPDIR)/seccomp-profile $(DESTDIR)$(HOOKSDIR)/seccomp-profile.json

format:
	clang-format -i $(LIB_SRC) $(CLI_SRC) $(UNIT_SRC) $(HELPER_SRC) $(PRELOAD_SRC) $(LSBUG_SRC) \
		$(wildcard */*.h tests/*/*.h tests/*/*/*.h)

clean:
	rm -rf build seccomp-profile

help:
	@sed -n '2,/^$$/s/^# \{0,1\}//p' Makefile

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_OBJ:.o=.d) $(FUZZ_OBJ:.o=.d)

endif # make deps GOAL...
