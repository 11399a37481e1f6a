#!/bin/bash
# static.sh - build/migdoctor-static (make static): no interpreter, no shared
# library, no path to NSS or dlopen, PCRE2 JIT at work, and with an empty
# environment the same output as the dynamic binary on logs, migrations and
# the demo bundle; strace (when present) shows it opens nothing of the host's
# but its inputs. MD_STATIC names the static binary, MD_DYNAMIC the dynamic
# one: 'make check-static' and 'make check-dist' set both; 'make check' does
# not build the static binary, and the suite skips.
source "$MD_ROOT/tests/lib/tap.sh"
cd "$MD_ROOT" || exit 1
[ -n "${MD_STATIC:-}" ] || skip_all "no MD_STATIC: 'make check-static' builds the static binary and runs this"
[ -x "$MD_STATIC" ] || skip_all "$MD_STATIC is missing: 'make static' builds it"
S=$MD_STATIC
D=${MD_DYNAMIC:?MD_DYNAMIC must name the dynamic binary to compare with}
version=$(sed -n '/define MD_VERSION /s/[^"]*"\([^"]*\)".*/\1/p' include/migdoctor/common.h)

# --- the ELF file: nothing for ld.so to do -----------------------------------
readelf -lW "$S" >"$WORK/phdr" 2>&1
readelf -dW "$S" >"$WORK/dyn" 2>&1
ok_if "static: readelf reads it" test -s "$WORK/phdr"
ok_if "static: no program interpreter (PT_INTERP)" bash -c '! grep -q INTERP "$1"' _ "$WORK/phdr"
ok_if "static: no NEEDED shared library" bash -c '! grep -q NEEDED "$1"' _ "$WORK/dyn"
ok_if "static: position-independent (static-pie, ASLR)" grep -q 'Type: *DYN' <(readelf -hW "$S")
# nothing to resolve at start-up: relocations are only base-relative, and
# the dynamic symbol table is empty (the .symtab keeps an UND __tls_get_addr
# whose calls ld relaxed away)
readelf -rW "$S" | awk '/R_X86_64_/ { print $3 }' | sort -u >"$WORK/relocs"
ok_if "static: relocations are only RELATIVE/IRELATIVE" \
	bash -c 's=$(grep -vxE "R_X86_64_(RELATIVE|IRELATIVE|NONE)" "$1"); [ -s "$1" ] && [ -z "$s" ]' _ "$WORK/relocs"
ok_if "static: no dynamic symbol" test "$(readelf --dyn-syms -W "$S" | grep -c ' UND [^ ]')" = 0
nm "$S" >"$WORK/syms" 2>&1
# the stand-ins of packaging/static-offline.c took the calls, glibc's NSS code is not in
ok_if "static: OpenSSL's dlopen and getaddrinfo calls go to the stand-ins" \
	grep -q ' T __wrap_dlopen$' "$WORK/syms"
for f in getaddrinfo getnameinfo gethostbyname getpwnam getpwuid __nss_database_get; do
	ok_if "static: no $f in the binary" bash -c '! grep -q " [TtWw] $1$" "$2"' _ "$f" "$WORK/syms"
done

# --- an empty environment ----------------------------------------------------
expect_exit 0 "static: --version with env -i" env -i "$S" --version
ok_if "static: --version says $version" test "$(cat "$WORK/.out")" = "migdoctor $version"
expect_exit 0 "static: --version --verbose with env -i" env -i "$S" --version --verbose
ok_if "static: PCRE2 JIT compiled every log pattern" grep -qx 'pcre2 jit: yes' "$WORK/.out"

# events: every fixture log, text and JSON, the same bytes as the dynamic binary
n=0 same=0
for log in fixtures/logs/*.log; do
	for fmt in text json; do
		n=$((n + 1))
		"$D" events --format $fmt "$log" >"$WORK/d.out" 2>&1
		env -i "$S" events --format $fmt "$log" >"$WORK/s.out" 2>&1
		if cmp -s "$WORK/d.out" "$WORK/s.out"; then same=$((same + 1))
		else echo "# differs: events --format $fmt $log"; fi
	done
done
ok_if "static: events on $n fixture logs (text and JSON) as the dynamic binary gives" \
	test "$n" -gt 0 -a "$same" -eq "$n"

"$D" touches fixtures/migrations >"$WORK/d.touches" 2>&1
env -i "$S" touches fixtures/migrations >"$WORK/s.touches" 2>&1
golden "static: touches fixtures/migrations as the dynamic binary" "$WORK/d.touches" "$WORK/s.touches"

# check on the demo bundle: report and repair script (it names the inputs' sha256)
check_demo() { # binary env... -> $WORK/repair.sql, report on stdout, exit status kept
	local bin=$1 rc; shift
	rm -f "$WORK/repair.sql"
	env -i "$@" "$bin" check examples/recipe1 -o "$WORK/repair.sql"
	rc=$?
	return $rc
}
check_demo "$D" >"$WORK/d.report" 2>&1
echo $? >"$WORK/d.rc"
mv "$WORK/repair.sql" "$WORK/d.sql" 2>/dev/null
check_demo "$S" >"$WORK/s.report" 2>&1
echo $? >"$WORK/s.rc"
ok_if "static: check examples/recipe1 with env -i exits 1 (findings)" test "$(cat "$WORK/s.rc")" = 1
golden "static: check report as the dynamic binary's" "$WORK/d.report" "$WORK/s.report"
golden "static: repair script as the dynamic binary's" "$WORK/d.sql" "$WORK/repair.sql"
ok_if "static: the repair script names the inputs' sha256" grep -Eq '[0-9a-f]{64}' "$WORK/repair.sql"

# the host's environment changes nothing: a locale, and an OpenSSL config that
# asks for a provider module (a static binary could not load one)
cat >"$WORK/openssl.cnf" <<'EOF'
openssl_conf = init
[init]
providers = prov
[prov]
legacy = legacy_sect
[legacy_sect]
module = /nonexistent/ossl-modules/legacy.so
activate = 1
EOF
check_demo "$S" LANG=de_DE.UTF-8 LC_ALL=de_DE.UTF-8 OPENSSL_CONF="$WORK/openssl.cnf" \
	>"$WORK/e.report" 2>&1
mv "$WORK/repair.sql" "$WORK/e.sql" 2>/dev/null
golden "static: a locale and OPENSSL_CONF change nothing (report)" "$WORK/s.report" "$WORK/e.report"
golden "static: a locale and OPENSSL_CONF change nothing (repair script)" "$WORK/d.sql" "$WORK/e.sql"

# --- what it opens: its inputs, /dev/urandom (jansson's hash seed), the
# output's folder (opened to fsync the rename that writes -o), nothing else
if command -v strace >/dev/null && strace -f -o /dev/null true 2>/dev/null; then
	env -i LANG=de_DE.UTF-8 OPENSSL_CONF="$WORK/openssl.cnf" \
		strace -f -qq -e trace=open,openat,execve -o "$WORK/trace" \
		"$S" check examples/recipe1 -o "$WORK/t.sql" >/dev/null 2>&1
	grep -E 'open(at)?\(' "$WORK/trace" | grep -o '"[^"]*"' | tr -d '"' |
		grep -vE '^(examples/recipe1|/dev/urandom$|'"$WORK"'/t\.sql|'"$WORK"'$)' >"$WORK/opened"
	ok_if "static: strace saw the run" grep -q 'examples/recipe1/dump.sql' "$WORK/trace"
	ok_if "static: opens no .so, NSS, locale, gconv, openssl.cnf or /etc file" \
		bash -c '! grep . "$1"' _ "$WORK/opened"
	tap_diag <"$WORK/opened"
	ok_if "static: executes nothing but itself" test "$(grep -c 'execve(' "$WORK/trace")" = 1
else
	tap_skip "static: strace" "no usable strace"
fi

tap_done
