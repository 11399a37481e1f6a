# migdoctor - GNU make, no configure step.
#
#   make            build build/migdoctor
#   make check      install missing packages (as root), build with -Werror,
#                   run unit, golden and PostgreSQL integration tests
#   make asan       the same suite under AddressSanitizer + UBSan
#   make check-clang  the same, built with clang (build-clang/): both compilers stay clean
#   make valgrind   the suite with every migdoctor run under valgrind
#   make demo       run 'migdoctor check' on the bundled example
#   make bench      generate large inputs, time migdoctor beside grep & co
#   make fuzz       run every libFuzzer target for FUZZ_SECONDS each
#   make install    PREFIX=/usr/local DESTDIR= honoured
#   make static     build/migdoctor-static: static-pie, needs nothing on the host
#   make deb        build/migdoctor_VERSION_amd64.deb holding the static binary
#   make check-static  the golden suites run against build/migdoctor-static
#   make check-dist    the same, plus the .deb unpacked and tested (and lintian)

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

.PHONY: litellm-facts all check asan valgrind demo bench fuzz fuzz-smoke install uninstall clean deps test-deps tests
.PHONY: static deb check-static check-dist check-clang

# the one version: MD_VERSION in common.h (the man page is checked against it)
VERSION := $(shell sed -n '/define MD_VERSION /s/[^"]*"\([^"]*\)".*/\1/p' include/migdoctor/common.h)

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

tests: $(B)/migdoctor $(UNIT_BIN) $(B)/gen_litellm_facts

# LiteLLM's facts (src/analysis/litellm_facts.c) are generated from its
# migrations directory, which is not part of the project
LITELLM_MIGRATIONS ?= ../shared/litellm/migrations
$(B)/gen_litellm_facts: tools/gen_litellm_facts.c $(B)/libmigdoctor.a
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	$(Q)$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libmigdoctor.a $(LDLIBS)

litellm-facts: $(B)/gen_litellm_facts
	$(B)/gen_litellm_facts "$(LITELLM_MIGRATIONS)" >src/analysis/litellm_facts.c.tmp
	mv src/analysis/litellm_facts.c.tmp src/analysis/litellm_facts.c

check: test-deps
	@$(MAKE) --no-print-directory tests
	@MIGDOCTOR=$(abspath $(B))/migdoctor TESTBIN=$(abspath $(B))/tests \
		tests/run.sh

asan:
	@$(MAKE) --no-print-directory B=build-asan SANITIZE=1 check

# clang warns where gcc does not (-Wformat-nonliteral on v*printf wrappers,
# -Wcast-align on every target): -Werror keeps both compilers clean
check-clang:
	@$(MAKE) --no-print-directory CC=clang B=build-clang SANITIZE=1 check

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

# The static binary: the same objects, Debian's static libraries and glibc's
# libc.a. libcrypto.a's EVP code drags in socket and DSO code that would need
# NSS and ld.so at run time; --wrap sends those calls to stand-ins that fail
# (packaging/static-offline.c), and --fatal-warnings keeps glibc's "Using
# 'getaddrinfo' in statically linked applications" from coming back unseen.
# libpg_query.a carries its own protobuf-c. Debug info is stripped; the
# symbol table stays (tests/golden/static.sh reads it).
comma := ,
STATIC_WRAP = dlopen dlsym dlclose dlerror dladdr getaddrinfo freeaddrinfo gai_strerror \
	getnameinfo gethostbyname
STATIC_LDFLAGS = -static-pie -Wl,--gc-sections -Wl,--fatal-warnings \
	$(addprefix -Wl$(comma)--wrap=,$(STATIC_WRAP))

static: deps
	@$(MAKE) --no-print-directory $(B)/migdoctor-static

$(B)/obj/static-offline.o: packaging/static-offline.c
	@mkdir -p $(dir $@)
	@echo "  CC  $<"
	$(Q)$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) -c -o $@ $<

$(B)/migdoctor-static: $(B)/obj/main.o $(B)/libmigdoctor.a $(B)/obj/static-offline.o
	$(if $(SANITIZE),$(error make static: not with SANITIZE (the sanitizer runtimes are not static)))
	@echo "  LD  $@"
	$(Q)$(CC) $(STATIC_LDFLAGS) -o $@.tmp $^ $(LDLIBS)
	$(Q)objcopy --strip-debug $@.tmp
	$(Q)mv $@.tmp $@

# The .deb: laid out in $(B)/deb/root by hand (no debhelper), built with
# dpkg-deb. A native package: version = MD_VERSION, no Debian revision.
DEB_ARCH = amd64
DEB = $(B)/migdoctor_$(VERSION)_$(DEB_ARCH).deb
DEB_MAINTAINER ?= migdoctor maintainers <maintainers@migdoctor.invalid>

deb: deps
	@$(MAKE) --no-print-directory $(DEB)

$(DEB): $(B)/migdoctor-static doc/migdoctor.1 README.md packaging/copyright \
		packaging/changelog packaging/control.in packaging/lintian-overrides scripts/build-deb.sh
	@echo "  DEB $@"
	$(Q)scripts/build-deb.sh "$(B)/migdoctor-static" "$(VERSION)" "$(DEB_ARCH)" \
		"$(DEB_MAINTAINER)" "$(B)/deb" "$@"

# MD_TESTS=golden/: every golden suite, none of the unit or integration ones
check-static: test-deps
	@$(MAKE) --no-print-directory $(B)/migdoctor $(B)/migdoctor-static
	@MIGDOCTOR=$(abspath $(B))/migdoctor-static TESTBIN=$(abspath $(B))/tests \
		MD_DYNAMIC=$(abspath $(B))/migdoctor MD_STATIC=$(abspath $(B))/migdoctor-static \
		MD_TESTS=golden/ tests/run.sh

check-dist: test-deps
	@$(MAKE) --no-print-directory $(B)/migdoctor $(DEB)
	@MIGDOCTOR=$(abspath $(B))/migdoctor-static TESTBIN=$(abspath $(B))/tests \
		MD_DYNAMIC=$(abspath $(B))/migdoctor MD_STATIC=$(abspath $(B))/migdoctor-static \
		MD_DEB=$(abspath $(DEB)) MD_TESTS=golden/ tests/run.sh

clean:
	rm -rf build build-asan build-fuzz

-include $(OBJ:.o=.d) $(B)/obj/main.d
