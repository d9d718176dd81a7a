# danesim - one non-recursive GNU Makefile.
#
#   make            build build/{danesim,fakedns,fakemx,refsut}
#   make check      unit tests, fuzz corpora and end-to-end tests under
#                   ASan + UBSan (the refsut switch matrix, 32 runs of the
#                   whole suite, on the release build: tests/e2e/
#                   refsut-matrix.test says why)
#   make lint       clang-format check, warnings-as-errors build and the
#                   include rules (scripts/check-layers)
#   make check-fuzz every fuzz corpus replayed under ASan + UBSan (no clang)
#   make fuzz       a libFuzzer campaign, one target at a time (clang;
#                   tests/fuzz/README.md)
#   make bench      benchmarks against the peer tools (BENCH=suite: only
#                   the 500-scenario runs; BENCH=sut-rate: scenarios per
#                   second per SUT, all at once vs one at a time)
#   make soak N=20  the suite N times against Postfix: differing verdicts
#   make install    PREFIX=/usr/local DESTDIR= (make uninstall: the same
#                   PREFIX and DESTDIR)
#   make deb        a Debian package in build/deb/ (dpkg-buildpackage)
#   V=1             show the commands
#   WERROR=1        warnings are errors (CI, development; make lint always)
#   CPPFLAGS, CFLAGS, LDFLAGS are the user's (dpkg-buildflags), added to
#   what the build needs.
#
# Each component lists its sources in its own module.mk, included below;
# the rules are all here.

.DEFAULT_GOAL := all

# Installation folders. The harness finds its suite, SUT profiles and
# catalogue in SHAREDIR and fakedns, fakemx, refsut in LIBEXECDIR (both
# compiled in, lib/share.c) when it does not run from a build folder.
PREFIX     ?= /usr/local
DESTDIR    ?=
BINDIR     ?= $(PREFIX)/bin
LIBEXECDIR ?= $(PREFIX)/libexec/danesim
SHAREDIR   ?= $(PREFIX)/share/danesim
DOCDIR     ?= $(PREFIX)/share/doc/danesim
MANDIR     ?= $(PREFIX)/share/man
CC         ?= cc
# The programs' libraries; CUnit only for the unit-test runner.
PKGS       := openssl ldns libpcap jansson libxml-2.0
TEST_PKGS  := cunit

# The Debian package that provides each pkg-config module, for the message
# when one is missing.
DEBPKG_openssl    := libssl-dev
DEBPKG_ldns       := libldns-dev
DEBPKG_libpcap    := libpcap-dev
DEBPKG_cunit      := libcunit1-dev
DEBPKG_jansson    := libjansson-dev
DEBPKG_libxml-2.0 := libxml2-dev

# Check the libraries up front (not for targets that build nothing), so a
# missing -dev package gives one message naming it, not a compiler error.
NOBUILD_GOALS := clean uninstall deb
TEST_GOALS    := check check-unit unittest lint
GOALS         := $(or $(MAKECMDGOALS),all)
ifneq ($(filter-out $(NOBUILD_GOALS),$(GOALS)),)
ifeq ($(shell command -v pkg-config 2>/dev/null),)
$(error pkg-config not found: apt-get install pkg-config (or scripts/install-deps))
endif
CHECK_PKGS  := $(PKGS) $(if $(filter $(TEST_GOALS),$(GOALS)),$(TEST_PKGS))
PKG_MISSING := $(strip $(foreach p,$(CHECK_PKGS),$(if $(shell pkg-config --exists $(p) && echo y),,$(p))))
ifneq ($(PKG_MISSING),)
$(error missing development package(s) $(foreach p,$(PKG_MISSING),$(DEBPKG_$(p))) (pkg-config: $(PKG_MISSING)): apt-get install $(foreach p,$(PKG_MISSING),$(DEBPKG_$(p))) (or scripts/install-deps$(if $(filter $(TEST_PKGS),$(PKG_MISSING)), --test)))
endif
endif

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
TEST_CFLAGS = $(shell pkg-config --cflags $(TEST_PKGS) 2>/dev/null)
TEST_LIBS   = $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null)

# CPPFLAGS, CFLAGS and LDFLAGS belong to the user (dpkg-buildflags passes
# them): what the build cannot do without lives in DSIM_* and comes first,
# so "make CFLAGS='-g -O2'" changes optimisation, not include paths.
# -Werror only with WERROR=1 (CI, make lint, development): a newer
# compiler's new warning must not break a user's build.
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Wno-unused-parameter
ifeq ($(WERROR),1)
WARN    += -Werror
endif
DSIM_CPPFLAGS := -D_GNU_SOURCE -Ilib -I. $(PKG_CFLAGS)
DSIM_CFLAGS   := -std=gnu11 $(WARN) -MMD -MP
LDLIBS  += $(PKG_LIBS) -lm

ifeq ($(V),1)
Q :=
else
Q := @
endif

# BUILD is the output folder; "make check" uses a sanitizer build in
# build/asan so a normal build and a checked one live side by side.
BUILD ?= build
SAN_FLAGS :=
ifeq ($(SAN),1)
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
endif
ALL_CFLAGS  = $(DSIM_CPPFLAGS) $(CPPFLAGS) $(DSIM_CFLAGS) $(CFLAGS) $(SAN_FLAGS)
ALL_LDFLAGS = $(CFLAGS) $(LDFLAGS) $(SAN_FLAGS)

LIB_SRCS       :=
FAKEDNS_SRCS   :=
FAKEMX_SRCS    :=
HARNESS_SRCS   :=
REFSUT_SRCS    :=
TEST_SRCS      :=
FUZZ_TARGETS   :=
REPLAY_TARGETS :=

include lib/module.mk
include fakedns/module.mk
include fakemx/module.mk
include harness/module.mk
include refsut/module.mk
include tests/module.mk
include tests/fuzz/module.mk

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

LIB_OBJS     := $(call obj,$(LIB_SRCS))
LIBA         := $(BUILD)/libdsim.a
PROGS        := $(BUILD)/danesim $(BUILD)/fakedns $(BUILD)/fakemx $(BUILD)/refsut

all: $(PROGS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIBA): $(LIB_OBJS)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/danesim: $(call obj,$(HARNESS_SRCS)) $(LIBA)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/fakedns: $(call obj,$(FAKEDNS_SRCS)) $(LIBA)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/fakemx: $(call obj,$(FAKEMX_SRCS)) $(LIBA)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/refsut: $(call obj,$(REFSUT_SRCS)) $(LIBA)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS)

# The unit-test runner links every component's code except the mains.
NOMAIN = $(filter-out %/main.c,$(1))
UNIT_OBJS := $(call obj,$(TEST_SRCS) $(call NOMAIN,$(HARNESS_SRCS) $(FAKEDNS_SRCS) $(FAKEMX_SRCS) $(REFSUT_SRCS)))
$(BUILD)/unittest: $(UNIT_OBJS) $(LIBA)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LDLIBS) $(TEST_LIBS)
$(call obj,$(TEST_SRCS)): DSIM_CPPFLAGS += $(TEST_CFLAGS)

# The installation folders are compiled into lib/share.o; the stamp
# changes (and share.o is rebuilt) only when they do.
PATHS_DEF := -DDANESIM_SHAREDIR='"$(SHAREDIR)"' -DDANESIM_LIBEXECDIR='"$(LIBEXECDIR)"'
$(BUILD)/paths.stamp: FORCE
	@mkdir -p $(BUILD)
	@echo '$(PATHS_DEF)' | cmp -s - $@ || echo '$(PATHS_DEF)' >$@
$(BUILD)/obj/lib/share.o: $(BUILD)/paths.stamp
$(BUILD)/obj/lib/share.o: DSIM_CPPFLAGS += $(PATHS_DEF)

unittest: $(BUILD)/unittest

# check: everything built with ASan + UBSan in build/asan, then the unit
# tests (CUnit) and the end-to-end tests (tests/e2e/run, needs root).
# CI and development add WERROR=1 (it reaches the inner make).
check:
	$(MAKE) SAN=1 BUILD=build/asan all unittest
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  build/asan/unittest
	$(MAKE) check-fuzz
	$(MAKE) BUILD=build all
	DANESIM_BIN=build/asan DANESIM_MATRIX_BIN=build tests/e2e/run

check-unit:
	$(MAKE) SAN=1 BUILD=build/asan all unittest
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 build/asan/unittest
	$(MAKE) check-fuzz

# check-fuzz: every fuzz target's corpus and crash reproducers replayed
# once under ASan + UBSan (no fuzzing engine; tests/fuzz/replay).
check-fuzz:
	$(MAKE) SAN=1 BUILD=build/asan replay
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  tests/fuzz/replay build/asan/replay

CLANG_FORMAT ?= clang-format
lint:
	$(MAKE) WERROR=1 BUILD=build/lint all unittest
	$(CLANG_FORMAT) --dry-run --Werror $(sort $(wildcard lib/*.[ch] fakedns/*.[ch] fakemx/*.[ch] harness/*/*.[ch] refsut/*.[ch] tests/unit/*.[ch] tests/fuzz/*.[ch]))
	scripts/check-layers

FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -std=gnu11 $(DSIM_CPPFLAGS)
fuzz: $(FUZZ_TARGETS)
	tests/fuzz/run

bench: all
	bench/run

soak: all
	DANESIM_BIN=$(BUILD) SOAK_N=$(if $(N),$(N),20) bench/soak

# install: the command in BINDIR, the helpers it starts in LIBEXECDIR,
# the suite, the SUT profiles, the conformance profiles and the catalogue
# in SHAREDIR, the documentation the man page names in DOCDIR.
SHARE_DATA := scenarios $(wildcard profiles)
DOCS := README.md $(wildcard docs/*.md) docs/report-schema.json
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBEXECDIR) \
	  $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(SHAREDIR)/docs $(DESTDIR)$(DOCDIR)
	install -m 0755 $(BUILD)/danesim $(DESTDIR)$(BINDIR)/
	install -m 0755 $(BUILD)/fakedns $(BUILD)/fakemx $(BUILD)/refsut $(DESTDIR)$(LIBEXECDIR)/
	install -m 0644 docs/danesim.1 $(DESTDIR)$(MANDIR)/man1/
	rm -rf $(addprefix $(DESTDIR)$(SHAREDIR)/,$(SHARE_DATA) sut)
	cp -R $(SHARE_DATA) $(DESTDIR)$(SHAREDIR)/
	cp -R harness/sut $(DESTDIR)$(SHAREDIR)/sut
	install -m 0644 docs/rfc7672-requirements.md $(DESTDIR)$(SHAREDIR)/docs/
	install -m 0644 $(DOCS) $(DESTDIR)$(DOCDIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/danesim $(DESTDIR)$(MANDIR)/man1/danesim.1
	rm -rf $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(SHAREDIR) $(DESTDIR)$(DOCDIR)

# deb: a Debian package built by dpkg-buildpackage (debian/) from a copy
# of the source in $(BUILD)/deb/src, so the package files land in
# $(BUILD)/deb/ and nothing is written beside the source folder.
# The package's build starts clean: none of this make's settings (which
# make exports to commands when given on its command line) reach it.
DEB_UNSET := MAKEFLAGS MFLAGS MAKELEVEL BUILD SAN WERROR V PREFIX DESTDIR \
	BINDIR LIBEXECDIR SHAREDIR DOCDIR MANDIR
deb:
	rm -rf $(BUILD)/deb
	mkdir -p $(BUILD)/deb/src
	tar -cf - --exclude=./build --exclude=./.git --exclude=./results . | \
	  tar -xf - -C $(BUILD)/deb/src
	cd $(BUILD)/deb/src && env $(addprefix -u ,$(DEB_UNSET)) \
	  dpkg-buildpackage -us -uc -b
	@ls $(BUILD)/deb/*.deb

clean:
	rm -rf build

.PHONY: all check check-unit check-fuzz replay lint fuzz bench soak install uninstall deb clean unittest FORCE

-include $(shell find build -path build/deb -prune -o -name '*.d' -print 2>/dev/null)
