#!/bin/bash
# cli.sh - the command line as a user meets it: each command's --help and
# the man page's OPTIONS list the same options; one message naming an
# unknown option; -q, -V and -f in every command; the old --schema of
# touches and history; --color (NO_COLOR, TERM=dumb, a terminal, -o -);
# --brief; --help and --version that cannot be written.
source "$MD_ROOT/tests/lib/tap.sh"
MAN=$MD_ROOT/doc/migdoctor.1
HEALTHY=$MD_TESTS_DIR/scenarios/healthy   # 9 migrations, all applied and present
BROKEN=$MD_TESTS_DIR/scenarios/recipe1    # 2 that need a look
CMDS="check plan touches history events"

# "-m --migrations DIR" per option of a --help (the lines of its option list)
help_opts() {
	"$MIGDOCTOR" "$1" --help | sed -nE \
		-e 's/^  -([A-Za-z]), --([a-z-]+)(\[=([A-Z]+)\]| ([A-Z]+))?( .*)?$/-\1 --\2 \4\5/p' \
		-e 's/^      --([a-z-]+)(\[=([A-Z]+)\]| ([A-Z]+))?( .*)?$/- --\1 \3\4/p' |
		sed 's/ *$//' | sort
}

# the same from the man page: each .TP tag of OPTIONS and the commands it names
man_opts() {
	python3 - "$MAN" "$1" <<'EOF'
import re, sys
src = open(sys.argv[1]).read()
sec = src.split('.SH OPTIONS', 1)[1].split('\n.SH ', 1)[0].split('\n')
cmds = ['check', 'plan', 'touches', 'history', 'events']
out = []
def text(l):
    l = re.sub(r'^\.[A-Z]+ ?', '', l)
    return re.sub(r'\\f[BIR]', '', l.replace('\\-', '-')).replace('"', '')
for i, l in enumerate(sec):
    if l != '.TP':
        continue
    tag, who = text(sec[i + 1]), text(sec[i + 2])
    m = re.match(r'\((.*)\)$', who.strip())
    if not m:
        sys.exit('man page: no "(commands)" line under %s' % tag)
    names = cmds if 'all commands' in m.group(1) else re.findall(r'[a-z]+', m.group(1))
    if sys.argv[2] not in names:
        continue
    toks = tag.replace(',', ' ').replace('[=', ' ').replace(']', ' ').split()
    short = next((t for t in toks if re.fullmatch(r'-[A-Za-z]', t)), '-')
    long = next(t for t in toks if t.startswith('--'))
    arg = next((t for t in toks if re.fullmatch(r'[A-Z]+', t)), '')
    out.append(('%s %s %s' % (short, long, arg)).strip())
print('\n'.join(sorted(out)))
EOF
}

for c in $CMDS; do
	help_opts "$c" >"$WORK/help.$c"
	man_opts "$c" >"$WORK/man.$c" 2>"$WORK/man.err"
	ok_if "$c: --help lists options (at least -q -h -V)" \
		grep -qx -- "-V --version" "$WORK/help.$c"
	golden "$c: the man page's OPTIONS are those of --help" "$WORK/help.$c" "$WORK/man.$c"
done
# and the extraction can fail: an option only in the man page is seen
sed 's/^\.RB ( check ", " plan )$/.RB ( check ", " plan ", " events )/' "$MAN" >"$WORK/bad.1"
MAN=$WORK/bad.1 man_opts events >"$WORK/man.bad"
ok_if "the check sees an option the man page gives a command that lacks it" \
	sh -c '! cmp -s "$1" "$2"' _ "$WORK/help.events" "$WORK/man.bad"

# --- usage errors: one message naming the option, the hint, exit 2 ---
for c in $CMDS; do
	expect_exit 2 "$c --frobnicate: exit 2" "$MIGDOCTOR" "$c" --frobnicate x
	ok_if "$c --frobnicate: one message naming it, then the hint" \
		sh -c '[ "$(wc -l <"$1")" -eq 2 ] && grep -qx "migdoctor $2: unknown option .--frobnicate." "$1" &&
			grep -qx "Try .migdoctor $2 --help.." "$1" && [ ! -s "$3" ]' _ "$WORK/.err" "$c" "$WORK/.out"
	expect_exit 2 "$c -Z: exit 2" "$MIGDOCTOR" "$c" -Z x
	ok_if "$c -Z: names -Z" grep -q "unknown option '-Z'" "$WORK/.err"
	expect_exit 0 "$c --version" "$MIGDOCTOR" "$c" --version
	ok_if "$c --version prints the version" grep -qx "migdoctor [0-9.]*" "$WORK/.out"
	expect_exit 0 "$c -V" "$MIGDOCTOR" "$c" -V
	expect_exit 0 "$c -h" "$MIGDOCTOR" "$c" -h
	expect_exit 4 "$c --help > /dev/full: exit 4" sh -c '"$1" "$2" --help >/dev/full' _ "$MIGDOCTOR" "$c"
done
expect_exit 2 "check --format (no value): exit 2" "$MIGDOCTOR" check --format
ok_if "... and says the option needs a value" grep -q "option '--format' needs a value" "$WORK/.err"
expect_exit 2 "check --sch: ambiguous, exit 2" "$MIGDOCTOR" check --sch x
ok_if "... and names the candidates" grep -q "ambiguous option '--sch': --schema, --schema-name" "$WORK/.err"
expect_exit 2 "history --quiet=1: exit 2" "$MIGDOCTOR" history --quiet=1 x
ok_if "... takes no value" grep -q "option '--quiet' takes no value" "$WORK/.err"
expect_exit 4 "migdoctor --help > /dev/full: exit 4" sh -c '"$1" --help >/dev/full' _ "$MIGDOCTOR"
expect_exit 4 "migdoctor --version > /dev/full: exit 4" sh -c '"$1" --version >/dev/full' _ "$MIGDOCTOR"
expect_exit 0 "migdoctor --version --verbose" "$MIGDOCTOR" --version --verbose
ok_if "... names the pcre2 jit" grep -q "^pcre2 jit: " "$WORK/.out"

# --- the same short options in every command ---
H=(-m "$HEALTHY/migrations" -H "$HEALTHY/dump.sql")
expect_exit 0 "check -q -f json -n public" "$MIGDOCTOR" check -q -f json -n public "${H[@]}"
ok_if "... is JSON" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$WORK/.out"
expect_exit 0 "plan -f json -q" "$MIGDOCTOR" plan -f json -q "${H[@]}"
expect_exit 0 "history -q -f csv -n public (operands anywhere)" "$MIGDOCTOR" history "$HEALTHY/dump.sql" -q -f csv -n public
ok_if "... is CSV" grep -q "^id,checksum," "$WORK/.out"
expect_exit 0 "touches -q -f json -n public" "$MIGDOCTOR" touches -q -f json -n public "$HEALTHY/migrations"
expect_exit 0 "events -q -f json" "$MIGDOCTOR" events -q -f json "$BROKEN/startup.log"
expect_exit 0 "plan --help" "$MIGDOCTOR" plan --help
ok_if "plan --help lists -l, -q and --fail-on" \
	sh -c 'grep -q -- "-l, --log FILE" "$1" && grep -q -- "-q, --quiet" "$1" && grep -q -- "--fail-on LEVEL" "$1"' _ "$WORK/.out"
expect_exit 0 "plan -o with nothing to apply: exit 0" "$MIGDOCTOR" plan -o "$WORK/x.sql" "${H[@]}"
ok_if "... writes no deploy script" test ! -e "$WORK/x.sql"
ok_if "plan --help describes -o, the deploy script" \
	sh -c '"$1" plan --help | grep -q -- "-o, --output FILE *write the deploy script"' _ "$MIGDOCTOR"
B=(-m "$BROKEN/migrations" -H "$BROKEN/dump.sql" -l "$BROKEN/startup.log")
expect_exit 1 "plan of a deploy that fails: exit 1" "$MIGDOCTOR" plan "${B[@]}"
expect_exit 0 "plan --fail-on never: exit 0" "$MIGDOCTOR" plan --fail-on never "${B[@]}"

# --- --print-schema, and --schema as its deprecated spelling ---
"$MIGDOCTOR" touches --print-schema "$HEALTHY/migrations" >"$WORK/ps.new" 2>"$WORK/ps.err"
ok_if "touches --print-schema: no warning" test ! -s "$WORK/ps.err"
"$MIGDOCTOR" touches --schema "$HEALTHY/migrations" >"$WORK/ps.old" 2>"$WORK/ps.err"
golden "touches --schema prints what --print-schema prints" "$WORK/ps.new" "$WORK/ps.old"
ok_if "... with a warning naming --print-schema" grep -q "'--schema' is deprecated; use '--print-schema'" "$WORK/ps.err"
"$MIGDOCTOR" history -S "$HEALTHY/dump.sql" >"$WORK/hs.new"
"$MIGDOCTOR" history --schema "$HEALTHY/dump.sql" >"$WORK/hs.old" 2>"$WORK/hs.err"
golden "history --schema prints what -S prints" "$WORK/hs.new" "$WORK/hs.old"
ok_if "... with a warning" grep -q "deprecated" "$WORK/hs.err"
"$MIGDOCTOR" history -q --schema "$HEALTHY/dump.sql" >/dev/null 2>"$WORK/hs.err"
ok_if "... that -q silences" test ! -s "$WORK/hs.err"

# --- --color ---
esc=$'\033['
has_esc() { grep -qF "$esc" "$1"; }
"$MIGDOCTOR" check "${B[@]}" >"$WORK/c.pipe"
ok_if "auto, not a terminal: no colour" sh -c '! grep -qF "$1" "$2"' _ "$esc" "$WORK/c.pipe"
"$MIGDOCTOR" check --color=always "${B[@]}" >"$WORK/c.always"
ok_if "--color=always: colour" has_esc "$WORK/c.always"
NO_COLOR=1 "$MIGDOCTOR" check --color "${B[@]}" >"$WORK/c.bare"
ok_if "--color alone is always, and beats NO_COLOR" has_esc "$WORK/c.bare"
ok_if "the colours are all that differ" sh -c 'sed "s/\x1b\[[0-9;]*m//g" "$1" | cmp -s - "$2"' _ "$WORK/c.always" "$WORK/c.pipe"
expect_exit 2 "--color=sometimes: exit 2" "$MIGDOCTOR" check --color=sometimes "${B[@]}"
"$MIGDOCTOR" check --color=always -f json "${B[@]}" >"$WORK/c.json"
ok_if "JSON is never coloured" sh -c '! grep -qF "$1" "$2"' _ "$esc" "$WORK/c.json"

# on a terminal: fd 1 (or fd 2) is a pty; prints what the pty received
on_tty() { # which-fd env... -- args...
	python3 - "$@" <<'EOF'
import os, pty, subprocess, sys
fd = sys.argv[1]; rest = sys.argv[2:]
i = rest.index('--'); env = dict(os.environ); env.pop('NO_COLOR', None); env['TERM'] = 'xterm'
for kv in rest[:i]:
    k, v = kv.split('=', 1); env[k] = v
master, slave = pty.openpty()
kw = {'stdout': slave, 'stderr': subprocess.DEVNULL} if fd == '1' else {'stderr': slave, 'stdout': subprocess.DEVNULL}
p = subprocess.Popen([os.environ['MIGDOCTOR']] + rest[i + 1:], env=env, **kw)
os.close(slave)
buf = b''
while True:
    try:
        d = os.read(master, 65536)
    except OSError:
        break
    if not d:
        break
    buf += d
p.wait()
sys.stdout.buffer.write(buf)
EOF
}
on_tty 1 -- check "${B[@]}" >"$WORK/t.auto"
ok_if "auto on a terminal: colour" has_esc "$WORK/t.auto"
on_tty 1 NO_COLOR=1 -- check "${B[@]}" >"$WORK/t.nocolor"
ok_if "auto on a terminal with NO_COLOR: none" sh -c '! grep -qF "$1" "$2" && grep -q MD003 "$2"' _ "$esc" "$WORK/t.nocolor"
on_tty 1 NO_COLOR= -- check "${B[@]}" >"$WORK/t.empty"
ok_if "an empty NO_COLOR does not count" has_esc "$WORK/t.empty"
on_tty 1 TERM=dumb -- check "${B[@]}" >"$WORK/t.dumb"
ok_if "auto on a terminal with TERM=dumb: none" sh -c '! grep -qF "$1" "$2" && grep -q MD003 "$2"' _ "$esc" "$WORK/t.dumb"
on_tty 1 -- check --color=never "${B[@]}" >"$WORK/t.never"
ok_if "--color=never on a terminal: none" sh -c '! grep -qF "$1" "$2" && grep -q MD003 "$2"' _ "$esc" "$WORK/t.never"
on_tty 2 -- check -o - --backup-suffix golden "${B[@]}" >"$WORK/t.stderr"
ok_if "-o -: the report on a terminal (stderr) is coloured" has_esc "$WORK/t.stderr"
on_tty 1 -- check -o - --backup-suffix golden "${B[@]}" >"$WORK/t.script"
ok_if "-o -: stdout a terminal, the report on a pipe: the script has no colour" \
	sh -c '! grep -qF "$1" "$2" && grep -q "migdoctor repair script" "$2"' _ "$esc" "$WORK/t.script"
on_tty 1 -- plan "${B[@]}" >"$WORK/t.plan"
ok_if "plan: colour on a terminal" has_esc "$WORK/t.plan"

# --- --brief ---
"$MIGDOCTOR" check --brief "${B[@]}" >"$WORK/b.broken"
"$MIGDOCTOR" check "${B[@]}" >"$WORK/b.full"
ok_if "--brief: the two migrations that need a look, their state under each" \
	sh -c 'grep -A1 -x "  MD003  20240701000000_add_deleted_team_table" "$1" |
			grep -qx "         history: applied; schema: absent; logs: -" &&
		grep -A1 -x "  MD006  20240715120000_deleted_team_routing_settings" "$1" |
			grep -q "history: rolled back (2 rows); schema: absent; logs: failed 42P01 (x4)" &&
		[ $(grep -c "^         history: " "$1") -eq 2 ]' _ "$WORK/b.broken"
ok_if "--brief: the rest in one line" grep -qx "  and 7 migrations applied and present (without --brief: the full table)" "$WORK/b.broken"
ok_if "--brief: no healthy migration listed" sh -c '! grep -q "^  applied      present" "$1" && grep -q "^  applied      present" "$2"' _ "$WORK/b.broken" "$WORK/b.full"
# the same words, lines broken at spaces to fit 100 columns
words() { sed -n '/^Findings/,$p' "$1" | tr -s ' \n' '  '; }
words "$WORK/b.broken" >"$WORK/w.brief"
words "$WORK/b.full" >"$WORK/w.full"
golden "--brief: the findings are whole" "$WORK/w.full" "$WORK/w.brief"
ok_if "--brief: lines fit 100 columns but for a word longer than the room (a path)" \
	sh -c '! awk "length > 100" "$1" | grep -v "[^ ]\{50,\}" | grep -q .' _ "$WORK/b.broken"
ok_if "... and the full report has longer lines (the test can fail)" \
	sh -c 'awk "length > 100" "$1" | grep -v "[^ ]\{50,\}" | grep -q .' _ "$WORK/b.full"
"$MIGDOCTOR" check --brief "${H[@]}" >"$WORK/b.healthy"
ok_if "--brief, all healthy: one line" grep -qx "  all 9 migrations applied and present (without --brief: the full table)" "$WORK/b.healthy"
ok_if "--brief, all healthy: no table header" sh -c '! grep -q "HISTORY" "$1"' _ "$WORK/b.healthy"
"$MIGDOCTOR" check --brief -f json "${B[@]}" >"$WORK/b.json"
"$MIGDOCTOR" check -f json "${B[@]}" >"$WORK/f.json"
golden "--brief leaves JSON whole" "$WORK/f.json" "$WORK/b.json"
# a deploy that applies many migrations: the first, the last, how many between
"$MIGDOCTOR" plan --brief -m "$HEALTHY/migrations" >"$WORK/p.brief"
"$MIGDOCTOR" plan -m "$HEALTHY/migrations" >"$WORK/p.full"
ok_if "plan --brief: the first and last of 9, and '... 7 more'" \
	sh -c 'grep -qx "    \.\.\. 7 more" "$1" && [ $(grep -c "^    [0-9]" "$1") -eq 2 ] && [ $(grep -c "^    [0-9]" "$2") -eq 9 ]' _ "$WORK/p.brief" "$WORK/p.full"

tap_done
