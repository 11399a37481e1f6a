# migdoctor - GNU make, no configure step.
#
#   make            build build/migdoctor
#   make check      install missing packages (as root), build with -Werror,
#                   run unit, golden and PostgreSQL integration tests
#   make asan       the same suite under AddressSanitizer + UBSan
#   make valgrind   the suite with every migdoctor run under valgrind
#   make demo       run 'migdoctor check' on the bundled example
#   make bench      generate large inputs, time migdoctor beside grep & co
#   make fuzz       run every libFuzzer target for FUZZ_SECONDS each
#   make install    PREFIX=/usr/local DESTDIR= honoured

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DESTDIR ?=

CC ?= cc
B ?= build
OPT ?= -O2
CFLAGS ?= $(OPT) -g
WARN = -std=gnu11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
       -Wpointer-arith -Wwrite-strings -Wformat=2 -Wformat-security -Wvla -Wundef \
       -Wcast-align -Wnull-dereference -fno-common -Werror
CPPFLAGS += -Iinclude -Isrc -D_GNU_SOURCE
LDLIBS = -lpg_query -ljansson -lpcre2-8 -lz -llz4 -lzstd -lcrypto -lm
TEST_LDLIBS = -lcmocka

ifdef SANITIZE
CFLAGS += -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
endif

SRC := $(sort $(wildcard src/*/*.c))
OBJ := $(SRC:src/%.c=$(B)/obj/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
TEST_SUPPORT := $(filter-out $(UNIT_SRC),$(wildcard tests/unit/*.c))

.PHONY: all check asan valgrind demo bench fuzz fuzz-smoke install uninstall clean deps test-deps tests

all: $(B)/migdoctor

deps:
	@scripts/install-deps.sh build

test-deps:
	@scripts/install-deps.sh test

Q = @
$(B)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	$(Q)$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) -MMD -MP -c -o $@ $<

$(B)/libmigdoctor.a: $(OBJ)
	@rm -f $@
	@echo "  AR  $@"
	$(Q)$(AR) rcs $@ $^

$(B)/obj/main.o: src/main.c
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	$(Q)$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) -MMD -MP -c -o $@ $<

$(B)/migdoctor: $(B)/obj/main.o $(B)/libmigdoctor.a
	@echo "  LD  $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/tests/%: tests/unit/%.c $(TEST_SUPPORT) $(B)/libmigdoctor.a
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	$(Q)$(CC) $(CPPFLAGS) -Itests/unit $(WARN) -Wno-missing-prototypes $(CFLAGS) $(LDFLAGS) \
		-o $@ $< $(TEST_SUPPORT) $(B)/libmigdoctor.a $(LDLIBS) $(TEST_LDLIBS)

tests: $(B)/migdoctor $(UNIT_BIN)

check: test-deps
	@$(MAKE) --no-print-directory tests
	@MIGDOCTOR=$(abspath $(B))/migdoctor TESTBIN=$(abspath $(B))/tests \
		tests/run.sh

asan:
	@$(MAKE) --no-print-directory B=build-asan SANITIZE=1 check

valgrind: test-deps
	@$(MAKE) --no-print-directory tests
	@MIGDOCTOR=$(abspath $(B))/migdoctor TESTBIN=$(abspath $(B))/tests \
		MD_VALGRIND=1 tests/run.sh

demo: deps
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh $(B)/migdoctor

bench: test-deps
	@$(MAKE) --no-print-directory all
	@bench/run.sh $(B)/migdoctor

FUZZ_SECONDS ?= 60
fuzz: test-deps
	@scripts/fuzz.sh $(FUZZ_SECONDS)

fuzz-smoke: test-deps
	@scripts/fuzz.sh 10

install: all
	install -d "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(MANDIR)/man1"
	install -m 0755 $(B)/migdoctor "$(DESTDIR)$(BINDIR)/migdoctor"
	install -m 0644 doc/migdoctor.1 "$(DESTDIR)$(MANDIR)/man1/migdoctor.1"

uninstall:
	rm -f "$(DESTDIR)$(BINDIR)/migdoctor" "$(DESTDIR)$(MANDIR)/man1/migdoctor.1"

clean:
	rm -rf build build-asan build-fuzz

-include $(OBJ:.o=.d) $(B)/obj/main.d
