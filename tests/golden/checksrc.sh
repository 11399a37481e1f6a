#!/bin/bash
# checksrc.sh - scripts/checksrc passes on this tree (built objects from
# TESTBIN's build), and fails on a small tree that breaks each rule.
source "$MD_ROOT/tests/lib/tap.sh"
CHECKSRC="$MD_ROOT/scripts/checksrc"
OBJ="$(dirname "$TESTBIN")/obj"

command -v python3 >/dev/null && command -v nm >/dev/null || skip_all "python3 or nm missing"

expect_exit 0 "the tree passes checksrc" "$CHECKSRC" --obj "$OBJ"
"$CHECKSRC" --obj "$OBJ" --tap >"$WORK/tap.txt" 2>&1
ok_if "its TAP form has seven checks, none failing" \
	bash -c "grep -c '^ok ' '$WORK/tap.txt' | grep -qx 7 && ! grep -q '^not ok' '$WORK/tap.txt'"
"$CHECKSRC" --obj "$OBJ" --graph src/history >"$WORK/graph.txt"
ok_if "src/history/rows.c calls no reader" \
	bash -c "grep '^src/history/rows.c ->' '$WORK/graph.txt' | grep -qv 'history/\(read\|plain\|csv\|copytext\|psql\|archive\|inserts\)'"
ok_if "src/input calls nothing in src/history" \
	bash -c "! '$CHECKSRC' --obj '$OBJ' --graph src/input | grep -q 'src/history/'"

# a tree that breaks every rule
T="$WORK/tree"
mkdir -p "$T/src/a" "$T/src/b" "$T/src/history" "$T/src/input" "$T/build/obj/a" "$T/build/obj/b" "$T/scripts"
cat >"$T/src/a/x.c" <<'C'
int y(void);
int x(void);
int x(void) { return y(); }
C
cat >"$T/src/a/y.c" <<'C'
int x(void);
int z(void);
int y(void) { return x() + z(); }
C
cat >"$T/src/b/z.c" <<'C'
int x(void);
int z(void);
int z(void) { return x(); } /* b calls a calls b */
C
printf '#include <pg_query.h>\n#include "pcre2.h"\n' >"$T/src/history/p.c"
printf '/* sprintf( in a comment */\nvoid f(char *b) { sprintf(b, "sscanf("); }\n' >"$T/src/input/s.c"
printf 'void g(char *b);\nvoid g(char *b) { (void)b; }\n' >"$T/src/b/ok.c"
# a long line, a const-dropping cast, a citation of a note outside the tree
{
	printf 'struct s { int v; };\n'
	printf 'int h(const struct s *p);\n'
	printf 'int h(const struct s *p) { struct s *q = (struct s *)p; return q->v; }%80s\n' "/* pad */"
	printf '/* see prisma.md section 3, or https://www.prisma.io/docs/orm/reference/x */\n'
	printf 'static const unsigned long n = sizeof(char *) + sizeof(((struct s *)0)->v);\n'
	printf 'static const char *k(const void *v) { return (const char *)v; }\n'
} >"$T/src/b/style.c"
for f in a/x a/y b/z b/ok; do cc -c -o "$T/build/obj/$f.o" "$T/src/$f.c"; done
: >"$T/scripts/checksrc.allow"

expect_exit 1 "a tree with cycles fails" "$CHECKSRC" --root "$T"
ok_if "the file cycle is named with its edges" \
	grep -q 'cycle of calls across files: src/a/x.c src/a/y.c src/b/z.c' "$WORK/.out"
ok_if "the folder cycle is named" grep -q 'cycle of calls across folders: src/a src/b' "$WORK/.out"
ok_if "pg_query.h outside src/sql is named" \
	grep -q 'src/history/p.c:1: includes pg_query.h; only src/sql/ may' "$WORK/.out"
ok_if "pcre2.h outside src/logs is named" \
	grep -q 'src/history/p.c:2: includes pcre2.h; only src/logs/ may' "$WORK/.out"
ok_if "sprintf fails, once (not in comments or strings)" \
	bash -c "[ \"\$(grep -c 'src/input/s.c:.*sprintf()' '$WORK/.out')\" = 1 ] && grep -q '^checksrc: src/input/s.c:2: sprintf()' '$WORK/.out'"
ok_if "a line over 100 columns is named with its length" \
	grep -q '^checksrc: src/b/style.c: 1 line longer than 100 columns (0 allowed): line 3 (1[0-9][0-9])' "$WORK/.out"
ok_if "a cast that drops const is named; const casts and sizeof are not" \
	bash -c "grep -q '^checksrc: src/b/style.c:3: cast (struct s \*) may drop const' '$WORK/.out' && [ \"\$(grep -c 'style.c:.*cast' '$WORK/.out')\" = 1 ]"
ok_if "a citation of prisma.md is named; an upstream URL is not" \
	bash -c "grep -q '^checksrc: src/b/style.c:4: cites prisma.md' '$WORK/.out' && [ \"\$(grep -c 'style.c:.*cites' '$WORK/.out')\" = 1 ]"

{
	printf 'cycle src/a/x.c src/a/y.c src/b/z.c src/b/ok.c\n'
	printf 'banned src/input/s.c sprintf\nbanned src/input/s.c strtok # unused\n'
	printf 'long-lines src/b/style.c 2\ncast src/b/style.c (struct s *)\ncites src/b/style.c\n'
} >"$T/scripts/checksrc.allow"
"$CHECKSRC" --root "$T" >"$WORK/allowed.txt" 2>&1
ok_if "an allowed cycle passes and is listed" \
	bash -c "grep -q 'allowed cycle (scripts/checksrc.allow): src/a/x.c src/a/y.c src/b/z.c' '$WORK/allowed.txt' && ! grep -q 'across files' '$WORK/allowed.txt'"
ok_if "an allowed sprintf is listed as allowed" \
	grep -q 'allowed (scripts/checksrc.allow): src/input/s.c:2: sprintf()' "$WORK/allowed.txt"
ok_if "an unused allowance is reported" \
	grep -q 'no longer used (remove it): banned src/input/s.c strtok' "$WORK/allowed.txt"
ok_if "a long-lines allowance above the count asks to be lowered" \
	grep -q 'src/b/style.c has 1 long lines, 2 allowed' "$WORK/allowed.txt"
ok_if "allowed casts, citations and lines pass" \
	bash -c "! grep -q 'style.c.*\\(may drop\\|cites\\|longer than\\)' '$WORK/allowed.txt'"

tap_done
