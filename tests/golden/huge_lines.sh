#!/bin/bash
# huge_lines.sh - the bad-input corpus's giants, generated at run time (never
# committed): a 1 GB single-line "dump" and a log that is one 500 MB line.
# Each must end with a clear message, bounded memory, and no crash: the
# history readers stop at their 64 MiB line limit (exit 3); the log reader
# searches the first MiB of the line, warns, and goes on (exit 0).
# Under valgrind the sizes are cut to 100 MB / 80 MB (same limits hit).
source "$MD_ROOT/tests/lib/tap.sh"
big=1024 logmb=500
[ "${MD_VALGRIND:-}" = 1 ] && big=100 logmb=80
rss() { # max resident KB of a command, from /proc after it ran (GNU time when present)
	if [ -x /usr/bin/time ]; then /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1
	else "$@" >/dev/null 2>&1; echo 0; fi
}

# garbage is refused from its first bytes; a CSV whose second line never ends
# reaches the line limit
head -c $((big * 1024 * 1024)) /dev/zero | tr '\0' 'x' >"$WORK/one_line.sql"
expect_exit 3 "a ${big} MB single line of garbage: exit 3" "$MIGDOCTOR" history "$WORK/one_line.sql"
ok_if "... the message names the file and says what was expected" grep -q "one_line.sql:1: .*expected a pg_dump" "$WORK/.err"
{ printf 'id,checksum,finished_at,migration_name,logs,rolled_back_at,started_at,applied_steps_count\n'
  head -c $((big * 1024 * 1024)) /dev/zero | tr '\0' 'x'; } >"$WORK/one_line.csv"
rm -f "$WORK/one_line.sql"
expect_exit 3 "a CSV whose ${big} MB line never ends: exit 3" "$MIGDOCTOR" history "$WORK/one_line.csv"
ok_if "... the message names the file, the line and the limit" grep -q "one_line.csv:2.*64 MiB" "$WORK/.err"
expect_exit 3 "check on it: exit 3" "$MIGDOCTOR" check -H "$WORK/one_line.csv"
rm -f "$WORK/one_line.csv"

{
	printf '2026-02-17 11:31:29,822 - litellm_proxy_extras - INFO - Running prisma migrate deploy\n'
	head -c $((logmb * 1024 * 1024)) /dev/zero | tr '\0' 'y'
	printf '\n2026-02-17 11:31:31,000 - litellm_proxy_extras - INFO - prisma migrate deploy completed\n'
} >"$WORK/one_line.log"
expect_exit 0 "a log that is one ${logmb} MB line: read, exit 0" "$MIGDOCTOR" events "$WORK/one_line.log"
ok_if "... a warning names the file and the line" grep -q "one_line.log:2" "$WORK/.err"
ok_if "... the events around it are still found" grep -q "deploy_completed" "$WORK/.out"
if [ -x /usr/bin/time ] && [ "${MD_VALGRIND:-}" != 1 ]; then
	kb=$(rss "$MIGDOCTOR" events "$WORK/one_line.log")
	ok_if "... in bounded memory (${kb} KB peak, under 128 MB)" test "$kb" -lt 131072
fi
tap_done
