#!/bin/sh
# build-deb.sh STATIC VERSION ARCH MAINTAINER WORKDIR OUT - 'make deb'.
#
# Lays out WORKDIR/root by hand (no debhelper) and builds OUT with dpkg-deb:
# the static binary (stripped), the man page (gzip -9n), README.md, a
# copyright file that carries the copyright files of every library linked
# into the binary, the changelog, lintian overrides. VERSION comes from
# MD_VERSION (common.h); the man page and packaging/changelog must say the
# same, or the build stops. File times are the changelog's date, so the same
# inputs give the same .deb.
set -eu
[ $# -eq 6 ] || { echo "usage: $0 STATIC VERSION ARCH MAINTAINER WORKDIR OUT" >&2; exit 2; }
static=$1 version=$2 arch=$3 maintainer=$4 work=$5 out=$6
root=$(cd "$(dirname "$0")/.." && pwd)
pkg=$root/packaging

die() { echo "build-deb.sh: $*" >&2; exit 1; }
[ -n "$version" ] || die "no version (MD_VERSION in include/migdoctor/common.h)"
man_version=$(sed -n '1s/^\.TH .*"migdoctor \([^"]*\)".*/\1/p' "$root/doc/migdoctor.1")
[ "$man_version" = "$version" ] ||
	die "doc/migdoctor.1 says version '$man_version', common.h says '$version'"
cl_version=$(dpkg-parsechangelog -l "$pkg/changelog" -SVersion)
[ "$cl_version" = "$version" ] ||
	die "packaging/changelog's top entry is '$cl_version', common.h says '$version'"
SOURCE_DATE_EPOCH=$(dpkg-parsechangelog -l "$pkg/changelog" -STimestamp)
export SOURCE_DATE_EPOCH

rm -rf "$work"
d=$work/root
doc=$d/usr/share/doc/migdoctor
install -d -m 0755 "$d/DEBIAN" "$d/usr/bin" "$d/usr/share/man/man1" "$doc" \
	"$d/usr/share/lintian/overrides"
install -m 0755 "$static" "$d/usr/bin/migdoctor"
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$d/usr/bin/migdoctor"
gzip -9n <"$root/doc/migdoctor.1" >"$d/usr/share/man/man1/migdoctor.1.gz"
install -m 0644 "$root/README.md" "$doc/README.md"
gzip -9n <"$pkg/changelog" >"$doc/changelog.gz"
install -m 0644 "$pkg/lintian-overrides" "$d/usr/share/lintian/overrides/migdoctor"

# the libraries in the static link, by the -dev package that holds each .a
libs="libpg-query-dev libpcre2-dev libjansson-dev zlib1g-dev liblz4-dev libzstd-dev libssl-dev libc6-dev"
list="" built_using=""
for p in $libs; do
	src=$(dpkg-query -W -f='${source:Package} (= ${source:Version})' "$p") ||
		die "package $p is not installed (scripts/install-deps.sh build)"
	list="$list  $p: $src\n"
	built_using="${built_using:+$built_using, }$src"
done
gcc_version=$(dpkg-query -W -f='${source:Version}' "libgcc-$(gcc -dumpversion)-dev" 2>/dev/null) ||
	gcc_version=$(gcc -dumpversion)
{
	sed -e "s/@GCC_VERSION@/$(gcc -dumpversion), $gcc_version/" "$pkg/copyright" |
		awk -v l="$list" '$0 == "@LIBRARIES@" { printf "%s", l; next } { print }'
	for p in $libs; do
		printf '\n-------- %s: /usr/share/doc/%s/copyright --------\n\n' "$p" "$p"
		cat "/usr/share/doc/$p/copyright"
	done
} >"$doc/copyright"
chmod 0644 "$d/usr/share/man/man1/migdoctor.1.gz" "$doc"/* "$d/usr/share/lintian/overrides/migdoctor"

size=$(du -sk --exclude=DEBIAN "$d" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@MAINTAINER@/$maintainer/" \
	-e "s/@SIZE@/$size/" -e "s/@BUILT_USING@/$built_using/" \
	"$pkg/control.in" >"$d/DEBIAN/control"
(cd "$d" && find usr -type f | LC_ALL=C sort | xargs md5sum) >"$d/DEBIAN/md5sums"
chmod 0644 "$d/DEBIAN/control" "$d/DEBIAN/md5sums"
find "$d" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

rm -f "$out"
dpkg-deb --root-owner-group -Zxz --build "$d" "$out" >/dev/null
echo "$out"
