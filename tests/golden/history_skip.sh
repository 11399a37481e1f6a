#!/bin/bash
# history_skip.sh - a --inserts dump's runs of INSERTs into other tables are
# skipped without the lexer (plain.c, skip_inserts) where it is exact, and
# by the lexer where it is not: values that hide a _prisma_migrations
# INSERT in a literal (over lines, after ';', in E'' with \', under
# standard_conforming_strings off), comments and dollar signs outside
# literals, a statement longer than the read buffer, one at the end of the
# file. Each variant must read back as exactly the rows of the original,
# and the line numbers of messages after the run must stay exact.
source "$MD_ROOT/tests/lib/tap.sh"
F=$FIXTURES/history
SRC=$F/inserts.sql
T=public.'"LiteLLM_SpendLogs"'
FAKE="INSERT INTO public._prisma_migrations VALUES ('f0000000-0000-4000-8000-000000000000', 'ff', '2026-01-01 00:00:00+00', '20990101000000_FAKE', NULL, NULL, '2026-01-01 00:00:00+00', 1);"

rows() { # file -> the row objects, sorted
	"$MIGDOCTOR" history --format json "$1" 2>"$WORK/stderr" | sed -n 's/^    \({.*}\),\{0,1\}$/\1/p' | LC_ALL=C sort
}
# variant name: the fixture with the text of $WORK/block put after line 126
# (inside the run of SpendLogs INSERTs) and after line 242 (its end)
variant() {
	local name=$1
	{ sed -n '1,126p' "$SRC"; cat "$WORK/block"; sed -n '127,242p' "$SRC"; cat "$WORK/block"
	  sed -n '243,$p' "$SRC"; } >"$WORK/v.sql"
	rows "$WORK/v.sql" >"$WORK/got"
	golden "$name" "$F/expected.jsonl" "$WORK/got"
	sed 's/$/\r/' "$WORK/v.sql" >"$WORK/v_crlf.sql"
	rows "$WORK/v_crlf.sql" >"$WORK/got"
	golden "$name (CRLF)" "$F/expected.jsonl" "$WORK/got"
}
ins() { printf 'INSERT INTO %s VALUES (%s);\n' "$T" "$1"; }

# a literal over lines that holds ");" and a whole INSERT of ours
{ ins "'a', '2026-01-01', 1, 'x);
$FAKE
y'"; ins "'b', '2026-01-01', -1, 'z'"; } >"$WORK/block"
variant "an INSERT of _prisma_migrations inside another table's literal"

# as pg_dump writes such a value: the quotes of the hidden INSERT doubled
ESC=$(printf '%s' "$FAKE" | sed "s/'/''/g; s/public._prisma_migrations/\"_prisma_migrations\"/")
{ ins "'a', '2026-01-01', 1, 'x);
$ESC
$ESC'"; ins "'$ESC', '2026-01-01', 1, ');
$ESC'"; } >"$WORK/block"
variant "a whole INSERT INTO \"_prisma_migrations\" inside a literal, quotes doubled"

# the literal ends a line with ';' and '' quotes around it
{ ins "'it''s;
$FAKE'';
', '2026-01-01', 2, ''''
|| '
$FAKE
'''"; } >"$WORK/block"
variant "doubled quotes and ';' at line ends inside literals"

# E'' with \' (the lexer must read it), and the same at the start of a value
{ ins "E'a\\'b);
$FAKE
\\'', '2026-01-01', 3, 'c'"; ins "'d', e'\\';
$FAKE
', 4, 'e'"; } >"$WORK/block"
variant "E'' literals with backslash-quotes"

# comments, dollar signs and quoted identifiers outside literals, negative numbers
{ ins "'f', '2026-01-01', -5, 'g' /* a );
$FAKE
comment */"; ins "'h', -- a comment: '
'2026-01-01', 6, 'i'"; ins "\$q\$);
$FAKE
\$q\$, '2026-01-01', 7, 'j'"; ins "'k', '--', 8, '/*'"; ins "'l', '\$\$', 9, '\"'"
  printf 'INSERT INTO %s VALUES (%s);   \n' "$T" "'m', '2026-01-01', 10, 'trailing spaces'"; } >"$WORK/block"
variant "comments, dollar quotes, '--' and '\$\$' in literals, spaces after ';'"

# --rows-per-insert: one statement over lines, a literal hiding ours in a row
{ printf 'INSERT INTO %s VALUES\n\t(%s),\n\t(%s);\n' "$T" "'n', '2026-01-01', 11, 'o'" \
	"'p', '2026-01-01', 12, 'q);
$FAKE
'"; } >"$WORK/block"
variant "an INSERT of several rows over lines"

# standard_conforming_strings off for a while: '...' has backslash escapes
{ echo "SET standard_conforming_strings = off;"; ins "'r\\'s);
$FAKE
', '2026-01-01', 13, 's'"; echo "SET standard_conforming_strings = on;"; } >"$WORK/block"
variant "standard_conforming_strings = off: backslash-quotes in plain literals"

# a statement longer than the reader's buffer (1 MiB), hiding ours
{ printf 'INSERT INTO %s VALUES (%s' "$T" "'t', '2026-01-01', 14, '"
  head -c 3000000 /dev/zero | tr '\0' 'x'; printf ');\n%s\n' "$FAKE"
  head -c 10 /dev/zero | tr '\0' 'y'; printf "');\n"; } >"$WORK/block"
variant "a statement longer than the read buffer"

# messages after a skipped run name the right line
{ sed -n '1,126p' "$SRC"; ins "'u', '2026-01-01', 15, 'v
w'"; sed -n '127,242p' "$SRC"; ins "'x', '2026-01-01', 16, 'y
z'"; printf 'INSERT INTO public._prisma_migrations VALUES (1, 2);\n'; sed -n '243,$p' "$SRC"; } \
	>"$WORK/bad.sql"
want=$(grep -n '^INSERT INTO public._prisma_migrations VALUES (1, 2);' "$WORK/bad.sql" | cut -d: -f1)
expect_exit 3 "an error after skipped runs with lines inside literals: exit 3" \
	"$MIGDOCTOR" history "$WORK/bad.sql"
ok_if "... and it names line $want" grep -q "bad.sql:$want:" "$WORK/.err"

# the file ends inside a skipped INSERT's literal: truncated, at that INSERT's line
{ sed -n '1,126p' "$SRC"; printf "INSERT INTO %s VALUES ('a', '2026-01-01', 1, 'cut off\n\n" "$T"; } >"$WORK/cut.sql"
expect_exit 3 "a dump that ends inside a skipped INSERT: exit 3" "$MIGDOCTOR" history "$WORK/cut.sql"
ok_if "... the message names line 127 and says truncated" \
	grep -q "cut.sql:127.*truncated" "$WORK/.err"

tap_done
