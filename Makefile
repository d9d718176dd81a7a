# danesim - one non-recursive GNU Makefile.
#
#   make            build build/{danesim,fakedns,fakemx,refsut}
#   make check      unit tests, fuzz corpora and end-to-end tests under
#                   ASan + UBSan
#   make lint       clang-format check and warnings-as-errors build
#   make check-fuzz every fuzz corpus replayed under ASan + UBSan (no clang)
#   make fuzz       a libFuzzer campaign, one target at a time (clang;
#                   tests/fuzz/README.md)
#   make bench      benchmarks against the peer tools
#   make install    PREFIX=/usr/local DESTDIR=
#   V=1             show the commands
#
# Each component lists its sources in its own module.mk, included below;
# the rules are all here.

.DEFAULT_GOAL := all

PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
PKGS    := openssl ldns libpcap cunit jansson libxml-2.0

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN    := -Wall -Wextra -Werror -Wno-unused-parameter
CFLAGS  ?= -O2 -g
CFLAGS  += -std=gnu11 $(WARN) -D_GNU_SOURCE -Ilib -I. $(PKG_CFLAGS) -MMD -MP
LDLIBS  += $(PKG_LIBS) -lm

ifeq ($(V),1)
Q :=
else
Q := @
endif

# BUILD is the output folder; "make check" uses a sanitizer build in
# build/asan so a normal build and a checked one live side by side.
BUILD ?= build
ifeq ($(SAN),1)
CFLAGS  += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

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
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<

$(LIBA): $(LIB_OBJS)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(BUILD)/danesim: $(call obj,$(HARNESS_SRCS)) $(LIBA)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/fakedns: $(call obj,$(FAKEDNS_SRCS)) $(LIBA)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/fakemx: $(call obj,$(FAKEMX_SRCS)) $(LIBA)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/refsut: $(call obj,$(REFSUT_SRCS)) $(LIBA)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The unit-test runner links every component's code except the mains.
NOMAIN = $(filter-out %/main.c,$(1))
UNIT_OBJS := $(call obj,$(TEST_SRCS) $(call NOMAIN,$(HARNESS_SRCS) $(FAKEDNS_SRCS) $(FAKEMX_SRCS) $(REFSUT_SRCS)))
$(BUILD)/unittest: $(UNIT_OBJS) $(LIBA)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

unittest: $(BUILD)/unittest

# check: everything built with ASan + UBSan in build/asan, then the unit
# tests (CUnit) and the end-to-end tests (tests/e2e/run, needs root).
check:
	$(MAKE) SAN=1 BUILD=build/asan all unittest
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  build/asan/unittest
	$(MAKE) check-fuzz
	DANESIM_BIN=build/asan tests/e2e/run

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
	$(MAKE) BUILD=build/lint all unittest
	$(CLANG_FORMAT) --dry-run --Werror $(sort $(wildcard lib/*.[ch] fakedns/*.[ch] fakemx/*.[ch] harness/*.[ch] refsut/*.[ch] tests/unit/*.[ch] tests/fuzz/*.[ch]))

FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -std=gnu11 -D_GNU_SOURCE -Ilib -I. $(PKG_CFLAGS)
fuzz: $(FUZZ_TARGETS)
	tests/fuzz/run

bench: all
	bench/run

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/danesim
	install -m 0755 $(PROGS) $(DESTDIR)$(PREFIX)/bin/
	install -m 0644 docs/danesim.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -d $(DESTDIR)$(PREFIX)/share/danesim/docs
	cp -R scenarios harness/sut $(DESTDIR)$(PREFIX)/share/danesim/
	install -m 0644 docs/rfc7672-requirements.md $(DESTDIR)$(PREFIX)/share/danesim/docs/

clean:
	rm -rf build

.PHONY: all check check-unit check-fuzz replay lint fuzz bench install clean unittest

-include $(shell find build -name '*.d' 2>/dev/null)
