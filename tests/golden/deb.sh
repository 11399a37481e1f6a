#!/bin/bash
# deb.sh - build/migdoctor_VERSION_amd64.deb (make deb): its control fields,
# its files unpacked with dpkg-deb -x, the packaged binary run with an empty
# environment, and lintian (when installed) with nothing left but the
# explained overrides. MD_DEB names the package ('make check-dist' sets it);
# 'make check' builds no package, and the suite skips.
source "$MD_ROOT/tests/lib/tap.sh"
cd "$MD_ROOT" || exit 1
[ -n "${MD_DEB:-}" ] || skip_all "no MD_DEB: 'make check-dist' builds the .deb and runs this"
[ -f "$MD_DEB" ] || skip_all "$MD_DEB is missing: 'make deb' builds it"
command -v dpkg-deb >/dev/null || skip_all "no dpkg-deb"
version=$(sed -n '/define MD_VERSION /s/[^"]*"\([^"]*\)".*/\1/p' include/migdoctor/common.h)
ok_if "deb: file is named after MD_VERSION $version" \
	test "$(basename "$MD_DEB")" = "migdoctor_${version}_amd64.deb"

# --- control fields ----------------------------------------------------------
field() { dpkg-deb -f "$MD_DEB" "$1"; }
ok_if "deb: Package: migdoctor" test "$(field Package)" = migdoctor
ok_if "deb: Version: $version" test "$(field Version)" = "$version"
ok_if "deb: Architecture: amd64" test "$(field Architecture)" = amd64
ok_if "deb: a Maintainer and a Description" test -n "$(field Maintainer)" -a -n "$(field Description)"
for f in Depends Pre-Depends Recommends; do
	ok_if "deb: no $f (installs offline)" test -z "$(field $f)"
done
ok_if "deb: Built-Using names OpenSSL and glibc" \
	bash -c 'b=$(dpkg-deb -f "$1" Built-Using); [[ $b == *"openssl (= "* && $b == *"glibc (= "* ]]' _ "$MD_DEB"
ok_if "deb: Installed-Size is about the binary's size" \
	bash -c '[ "$(dpkg-deb -f "$1" Installed-Size)" -ge 1000 ]' _ "$MD_DEB"
dpkg-deb -c "$MD_DEB" >"$WORK/contents"
ok_if "deb: every file is root:root" bash -c '! awk "\$2 != \"root/root\"" "$1" | grep .' _ "$WORK/contents"

# --- unpacked ----------------------------------------------------------------
X=$WORK/x
ok_if "deb: dpkg-deb -x unpacks it" dpkg-deb -x "$MD_DEB" "$X"
dpkg-deb -e "$MD_DEB" "$WORK/control"
ok_if "deb: md5sums match the unpacked files" bash -c 'cd "$1" && md5sum --quiet -c "$2"' _ "$X" "$WORK/control/md5sums"
ok_if "deb: md5sums lists every file" test "$(wc -l <"$WORK/control/md5sums")" = "$(cd "$X" && find . -type f | wc -l)"
bin=$X/usr/bin/migdoctor
ok_if "deb: /usr/bin/migdoctor is mode 0755" test "$(stat -c %a "$bin")" = 755
ok_if "deb: the binary needs no interpreter (static)" bash -c '! readelf -lW "$1" | grep -q INTERP' _ "$bin"
ok_if "deb: the binary is stripped" bash -c '! readelf -SW "$1" | grep -q "\.symtab"' _ "$bin"

expect_exit 0 "deb: env -i migdoctor --version" env -i "$bin" --version
ok_if "deb: it says migdoctor $version" test "$(cat "$WORK/.out")" = "migdoctor $version"
expect_exit 0 "deb: env -i migdoctor --version --verbose" env -i "$bin" --version --verbose
ok_if "deb: PCRE2 JIT in the packaged binary" grep -qx 'pcre2 jit: yes' "$WORK/.out"
expect_exit 0 "deb: env -i migdoctor touches fixtures/migrations" env -i "$bin" touches fixtures/migrations
golden "deb: touches output is the golden one" "$MD_TESTS_DIR/golden/touches/fixtures.txt" "$WORK/.out"
expect_exit 1 "deb: env -i migdoctor check examples/recipe1 (findings: exit 1)" \
	env -i "$bin" check examples/recipe1 -o "$WORK/repair.sql"
ok_if "deb: check finds the lost Proxy_DeletedTeamTable" grep -q 'Proxy_DeletedTeamTable' "$WORK/.out"
ok_if "deb: check wrote the repair script" grep -q '^-- migdoctor repair script (migdoctor '"$version"')' "$WORK/repair.sql"

# --- dpkg -i into an empty root: no other package, no libc, no /etc -------
if [ "$(id -u)" = 0 ] && command -v dpkg >/dev/null && [ -x /usr/sbin/chroot ]; then
	R=$WORK/root
	mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates" "$R/case"
	: >"$R/var/lib/dpkg/status"
	ok_if "deb: dpkg -i into an empty root (nothing else installed)" \
		dpkg --root="$R" --log=/dev/null -i "$MD_DEB"
	cp -RL examples/recipe1 "$R/case/recipe1"
	# chroot: the binary finds nothing of this host, not even a libc
	expect_exit 1 "deb: in that root alone, check on the demo bundle (exit 1)" \
		env -i /usr/sbin/chroot "$R" /usr/bin/migdoctor check /case/recipe1 -o /case/repair.sql
	sed 's#/case/recipe1#examples/recipe1#g' "$R/case/repair.sql" >"$WORK/chroot.sql" 2>/dev/null
	golden "deb: ... the same repair script as on the host" "$WORK/repair.sql" "$WORK/chroot.sql"
	ok_if "deb: dpkg -r removes every file" bash -c \
		'dpkg --root="$1" --log=/dev/null -r migdoctor >/dev/null && [ ! -e "$1/usr/bin" ] && [ ! -e "$1/usr/share" ]' _ "$R"
else
	tap_skip "deb: dpkg -i into an empty root" "needs root, dpkg and chroot"
fi

# --- man page and documentation ----------------------------------------------
man=$X/usr/share/man/man1/migdoctor.1.gz
ok_if "deb: man page is gzipped in /usr/share/man/man1" gzip -t "$man"
zcat "$man" >"$WORK/man.1" 2>/dev/null
golden "deb: man page is doc/migdoctor.1" doc/migdoctor.1 "$WORK/man.1"
ok_if "deb: man page names version $version" grep -q "^\.TH MIGDOCTOR 1 .*\"migdoctor $version\"" "$WORK/man.1"
doc=$X/usr/share/doc/migdoctor
golden "deb: README is README.md" README.md "$doc/README.md"
ok_if "deb: copyright says where the licence is" grep -qx 'License: see README. The repository holds no licence file, and none is' "$doc/copyright"
for p in libpg-query-dev libpcre2-dev libssl-dev libc6-dev; do
	ok_if "deb: copyright carries $p's copyright file" grep -q -- "-------- $p: /usr/share/doc/$p/copyright" "$doc/copyright"
done
ok_if "deb: changelog.gz names version $version" \
	bash -c 'zcat "$1" | head -n 1 | grep -q "^migdoctor ($2) "' _ "$doc/changelog.gz" "$version"

# --- lintian -----------------------------------------------------------------
if command -v lintian >/dev/null; then
	# a tag that is neither fixed nor overridden (with its reason) fails
	lintian -EiIL +pedantic --fail-on=error,warning,info,pedantic "$MD_DEB" >"$WORK/lintian" 2>&1
	echo $? >"$WORK/lintian.rc"
	grep -v 'running with root privileges' "$WORK/lintian" | tap_diag
	ok_if "deb: lintian is clean" test "$(cat "$WORK/lintian.rc")" = 0
	lintian --show-overrides "$MD_DEB" 2>/dev/null | grep '^O: ' | sed 's/^O: //' | LC_ALL=C sort >"$WORK/overridden"
	grep -v '^#' packaging/lintian-overrides | grep . | LC_ALL=C sort >"$WORK/overrides"
	golden "deb: every override is used" "$WORK/overrides" "$WORK/overridden"
else
	tap_skip "deb: lintian" "lintian not installed (scripts/install-deps.sh test installs it)"
fi

tap_done
