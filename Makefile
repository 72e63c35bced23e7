# cxpulse — survey and NPS analytics pipeline.  Plain make, no generator.
#   make            build ./cxpulse
#   make check      install missing deps, build, run unit and end-to-end tests, each on the
#                   plain and on the ASan/UBSan build (E2E_JOBS tests at a time, default 3)
#   make demo       install missing deps, build, run the whole pipeline on example data into out/demo/
#   make bench      benchmark (scripts/bench)
#   make bench-store  the two store backends side by side (scripts/bench-store)
#   make bench-spend  memory and time with customers and spend (scripts/bench-spend)
#   make install    install under PREFIX (default /usr/local)
#   V=1             show every command instead of one line per step

VERSION  = 0.1.0
PREFIX  ?= /usr/local
MANDIR  ?= $(PREFIX)/share/man
CC      ?= cc
CFLAGS  ?= -O2 -g
BUILD   ?= build
SAN     ?=
PKGS     = libcurl libcjson gsl sqlite3 libpq libcrypto
STD      = -std=c11 -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-format-nonliteral \
           -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DCX_VERSION='"$(VERSION)"'
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# SQLite from its static library when the system has one (Debian's
# libsqlite3-dev ships it): its calls to itself are then direct, not
# through the shared library's PLT, and a shuffled 10M import takes 0.92x
# the time (docs/performance.md, "Thirty-first round").  SQLITE_LINK=shared
# links the shared library instead, so that the system's SQLite updates
# reach cxpulse without a rebuild.
SQLITE_LINK ?= static
SQLITE_A   := $(if $(filter static,$(SQLITE_LINK)),$(wildcard $(shell pkg-config --variable=libdir sqlite3 2>/dev/null)/libsqlite3.a))
PKG_LIBS   := $(shell pkg-config --libs $(filter-out sqlite3,$(PKGS)) 2>/dev/null) \
              $(or $(SQLITE_A),$(shell pkg-config --libs sqlite3 2>/dev/null))
ALL_CFLAGS = $(STD) -I. $(PKG_CFLAGS) $(CFLAGS) $(SAN)
LDLIBS   = $(PKG_LIBS) -lstemmer -lm -lpthread

# One line per step ("  CC  core/csv.c"); V=1 shows the commands.
V ?= 0
ifeq ($(V),1)
Q    =
SAY  = @:
else
Q    = @
SAY  = @printf '  %-6s %s\n'
endif

LIB_SRC  = $(wildcard core/*.c core/store/*.c ingest/*.c stats/*.c stats/text/*.c run/*.c report/*.c)
LEXICONS = stats/text/lexicon_en.tsv stats/text/lexicon_es.tsv
LIB_OBJ  = $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/lexicon_data.o
CLI_SRC  = $(wildcard cli/*.c)
CLI_OBJ  = $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_SRC = $(wildcard tests/unit/test_*.c)
TEST_BIN = $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC = $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN = $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/tests/%)
TOOLS    = $(BUILD)/gen-sample

.PHONY: all deps check test test-build unit unit-build unit-asan e2e e2e-asan demo bench bench-store bench-spend install clean fuzz
all: cxpulse $(TOOLS)

cxpulse: $(BUILD)/cxpulse
	$(Q)cp $< $@.tmp && mv -f $@.tmp $@

$(BUILD)/cxpulse: $(CLI_OBJ) $(BUILD)/libcx.a
	$(SAY) LINK $@
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libcx.a $(LDLIBS)

$(BUILD)/libcx.a: $(LIB_OBJ)
	$(SAY) AR $@
	$(Q)rm -f $@
	$(Q)ar rcs $@ $^

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(SAY) CC $<
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# The lexicons are compiled in as C strings (stats/text/lexicon.c reads them).
$(BUILD)/gen/lexicon_data.c: $(LEXICONS) scripts/lexicon2c
	@mkdir -p $(dir $@)
	$(SAY) GEN $@
	$(Q)scripts/lexicon2c $(LEXICONS) > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/lexicon_data.o: $(BUILD)/gen/lexicon_data.c
	$(SAY) CC $<
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/gen-sample: $(wildcard scripts/gensample/*.c scripts/gensample/*.h)
	@mkdir -p $(dir $@)
	$(SAY) LINK $@
	$(Q)$(CC) $(STD) $(CFLAGS) -o $@ $(wildcard scripts/gensample/*.c) -lm

$(BUILD)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(BUILD)/libcx.a
	@mkdir -p $(dir $@)
	$(SAY) TEST $@
	$(Q)$(CC) $(ALL_CFLAGS) $$(pkg-config --cflags check) -o $@ $< $(BUILD)/libcx.a \
	    $$(pkg-config --libs check) $(LDLIBS)

# Fuzz targets built with the normal compiler replay their seeds and every
# input the fuzzer ever failed on (tests/fuzz/regress/).
$(BUILD)/tests/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(wildcard tests/fuzz/*.h) $(BUILD)/libcx.a
	@mkdir -p $(dir $@)
	$(SAY) FUZZ $@
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< tests/fuzz/replay.c $(BUILD)/libcx.a $(LDLIBS)

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)

deps:
	@scripts/install-deps

# Recursive so that pkg-config runs after deps are installed.
check: deps
	@$(MAKE) --no-print-directory -j$(NPROC) test-build
	@$(MAKE) --no-print-directory test

# Everything the tests run, both builds, compiled NPROC files at a time
# (make check; the tests themselves run after, never beside a compile).
test-build: all unit-build
	+@$(ASAN_MAKE) unit-build build-asan/cxpulse

test: unit unit-asan e2e e2e-asan

unit-build: $(TEST_BIN) $(FUZZ_BIN)

unit: unit-build
	@tests/run-unit $(TEST_BIN) $(FUZZ_BIN)

ASAN_MAKE = $(MAKE) --no-print-directory BUILD=build-asan CFLAGS='-O1 -g -fno-omit-frame-pointer' \
	    SAN='-fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all'
E2E_JOBS ?= 3
NPROC := $(shell nproc 2>/dev/null || echo 2)

unit-asan:
	@$(ASAN_MAKE) unit

e2e: all
	@E2E_JOBS=$(E2E_JOBS) tests/run-e2e

# The end-to-end suite again on the sanitizer build: any ASan or UBSan
# report fails the test that caused it (tests/run-e2e).
e2e-asan: all
	@$(ASAN_MAKE) build-asan/cxpulse
	@CXPULSE_BIN=build-asan/cxpulse E2E_SANITIZER=1 E2E_JOBS=$(E2E_JOBS) \
	    ASAN_OPTIONS=detect_leaks=0:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 tests/run-e2e

# The demo needs less than the tests: no PostgreSQL server, no Check.
demo:
	@scripts/install-deps demo
	@$(MAKE) --no-print-directory all
	@scripts/demo

bench: deps
	@$(MAKE) --no-print-directory all
	@scripts/bench

bench-store: deps
	@$(MAKE) --no-print-directory all
	@scripts/bench-store

bench-spend: deps
	@$(MAKE) --no-print-directory all
	@scripts/bench-spend

install: all
	$(SAY) INSTALL $(DESTDIR)$(PREFIX)/bin/cxpulse
	$(Q)install -d $(DESTDIR)$(PREFIX)/bin
	$(Q)install -m 755 cxpulse $(DESTDIR)$(PREFIX)/bin/cxpulse
	$(SAY) INSTALL $(DESTDIR)$(MANDIR)/man1/cxpulse.1
	$(Q)install -d $(DESTDIR)$(MANDIR)/man1
	$(Q)install -m 644 docs/cxpulse.1 $(DESTDIR)$(MANDIR)/man1/cxpulse.1

clean:
	rm -rf build build-asan build-fuzz cxpulse out

# Fuzzing (clang + libFuzzer): every target for FUZZ_SECONDS (default 60).
fuzz: deps
	@tests/fuzz/run
