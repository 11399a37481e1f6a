#!/bin/sh
# demo.sh MIGDOCTOR - 'make demo': migdoctor check on the bundled recipe-1
# example (examples/recipe1: a dump, a LiteLLM start-up log and the
# migrations), then the repair script it writes.
set -u
md=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 1
out=$(dirname "$md")/demo
mkdir -p "$out"
rm -f "$out/repair.sql"
echo "\$ migdoctor check examples/recipe1 -o $out/repair.sql"
echo
"$md" check examples/recipe1 -o "$out/repair.sql"
rc=$?
echo
echo "(exit status $rc: 1 means findings at or above --fail-on)"
if [ -f "$out/repair.sql" ]; then
	echo
	echo "\$ cat $out/repair.sql"
	cat "$out/repair.sql"
fi
[ "$rc" -le 1 ]
