#!/bin/sh
# install-deps.sh - install the Debian packages migdoctor needs, if missing.
#
#   scripts/install-deps.sh build    compiler and libraries (make all, demo, static, deb)
#   scripts/install-deps.sh test     the above plus PostgreSQL, valgrind, clang (make check),
#                                    strace and lintian (make check-static, check-dist)
#
# Run as root on a fresh Debian machine it installs what is missing with
# apt-get; otherwise it lists what to install and fails.
set -eu

build_pkgs="gcc make libc6-dev pkgconf libpg-query-dev libprotobuf-c-dev libpcre2-dev \
zlib1g-dev liblz4-dev libzstd-dev libssl-dev libjansson-dev binutils dpkg-dev"
test_pkgs="libcmocka-dev postgresql postgresql-client gzip tar lz4 zstd valgrind python3 time jq \
clang libclang-rt-14-dev strace lintian"

case "${1:-build}" in
build) want="$build_pkgs" ;;
test) want="$build_pkgs $test_pkgs" ;;
*) echo "usage: $0 build|test" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "migdoctor needs these Debian packages:$missing" >&2
	echo "install them with: sudo apt-get install$missing" >&2
	exit 1
fi
echo "installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
