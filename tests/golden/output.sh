#!/bin/bash
# output.sh - what 'check -o' may write and replace (a new or a regular file,
# atomically; a symlink's target; never a FIFO, a device or a directory),
# '-o -', the stale script a healthy run removes, and exit 4 when standard
# output cannot be written, for every command.
source "$MD_ROOT/tests/lib/tap.sh"
HEALTHY=$MD_TESTS_DIR/scenarios/healthy   # nothing to repair
BROKEN=$MD_TESTS_DIR/scenarios/recipe1    # a repair script (exit 1)
MAGIC='-- migdoctor repair script'
T=$WORK/t
mkdir "$T"

# check on a scenario, in its folder (its args are relative), -o and more after
healthy() { (cd "$HEALTHY" && read -r -a a <args && NO_COLOR=1 "$MIGDOCTOR" check "${a[@]}" "$@"); }
broken() {
	(cd "$BROKEN" && read -r -a a <args &&
		NO_COLOR=1 "$MIGDOCTOR" check "${a[@]}" --backup-suffix golden "$@")
}
# the same with absolute paths, for a command run under timeout
HEALTHY_ABS=(-m "$HEALTHY/migrations" -H "$HEALTHY/dump.sql")
BROKEN_ABS=("$BROKEN/migrations" "$BROKEN/dump.sql" "$BROKEN/startup.log")
# run: exit status in $rc, output in $T/out and $T/err
run() { "$@" >"$T/out" 2>"$T/err"; rc=$?; }
check_that() { # name condition...: diagnostics from the last run when it fails
	local name=$1; shift
	if "$@"; then tap_ok "$name"
	else tap_not_ok "$name (exit $rc)"; cat "$T/err" | tap_diag | head -n 10; fi
}
first_line_is_magic() { head -n 1 "$1" | grep -q "^$MAGIC"; }
no_temp_files() { ! compgen -G "$1/*.tmp.*" >/dev/null; }

# --- a new file, a regular file replaced ---
run broken -o "$T/new.sql"
check_that "a new file: exit 1 (findings), the script written" \
	eval '[ $rc -eq 1 ] && cmp -s "$T/new.sql" "$BROKEN/expected.sql"'
check_that "the report says where the script is" grep -q "Repair script written to $T/new.sql" "$T/out"
echo "my old notes" >"$T/old.sql"
chmod 600 "$T/old.sql"
run broken -o "$T/old.sql"
check_that "a regular file is replaced by the script" cmp -s "$T/old.sql" "$BROKEN/expected.sql"
check_that "a replaced file keeps its mode" [ "$(stat -c %a "$T/old.sql")" = 600 ]
check_that "no temp file left beside it" no_temp_files "$T"

# --- a symbolic link: its target is written, the link stays ---
mkdir "$T/real"
echo "whatever" >"$T/real/target.sql"
ln -s real/target.sql "$T/link.sql"
run broken -o "$T/link.sql"
check_that "symlink: the link stays a link" test -L "$T/link.sql"
check_that "symlink: its target holds the script" cmp -s "$T/real/target.sql" "$BROKEN/expected.sql"
# a chain of relative links, each relative to its own folder, ending nowhere yet
ln -s target2.sql "$T/real/rel.sql"
mkdir "$T/other"
ln -s ../real/rel.sql "$T/other/chain.sql"
run broken -o "$T/other/chain.sql"
check_that "symlink chain to a file not there yet: the final target is created" \
	eval 'test -L "$T/other/chain.sql" && test -L "$T/real/rel.sql" && cmp -s "$T/real/target2.sql" "$BROKEN/expected.sql"'
ln -s "$T/d1" "$T/d2"
ln -s "$T/d2" "$T/d1"
run healthy -o "$T/d1"
check_that "a loop of symlinks is refused (exit 2)" eval '[ $rc -eq 2 ] && grep -q "symbolic links" "$T/err"'

# --- refused with exit 2, before the inputs are read, nothing replaced ---
mkfifo "$T/fifo"
# timeout: opening a FIFO (for reading or writing) would wait for the other side forever
run timeout 20 "$MIGDOCTOR" check "${HEALTHY_ABS[@]}" -o "$T/fifo"
check_that "a FIFO is refused (exit 2), without hanging" \
	eval '[ $rc -eq 2 ] && grep -q "is a FIFO" "$T/err" && test -p "$T/fifo"'
run timeout 20 "$MIGDOCTOR" check "${BROKEN_ABS[@]}" -o "$T/fifo"
check_that "a FIFO is refused when there is a script to write too" eval '[ $rc -eq 2 ] && test -p "$T/fifo"'
run timeout 20 "$MIGDOCTOR" check -H "$T/no-such-dump.sql" -o "$T/fifo"
check_that "a bad -o fails before the inputs are read (exit 2, not 3)" eval '[ $rc -eq 2 ]'
ln -s fifo "$T/fifolink"
run timeout 20 "$MIGDOCTOR" check "${BROKEN_ABS[@]}" -o "$T/fifolink"
check_that "a symlink to a FIFO is refused" eval '[ $rc -eq 2 ] && test -p "$T/fifo" && test -L "$T/fifolink"'
mkdir "$T/dir"
run broken -o "$T/dir"
check_that "a directory is refused (exit 2)" \
	eval '[ $rc -eq 2 ] && grep -q "is a directory" "$T/err" && test -d "$T/dir" && no_temp_files "$T/dir"'
run broken -o "$T/nowhere/x.sql"
check_that "a folder that does not exist is refused (exit 2)" eval '[ $rc -eq 2 ] && ! test -e "$T/nowhere"'
if [ "$(id -u)" = 0 ]; then
	# first a copy of the device in the temp folder: should it be replaced, nothing is lost
	if mknod "$T/full" c 1 7 2>/dev/null; then
		run broken -o "$T/full"
		check_that "a device node is refused as root (exit 2), not replaced" \
			eval '[ $rc -eq 2 ] && grep -q "is a device" "$T/err" && test -c "$T/full"'
		copy_ok=$([ $rc -eq 2 ] && test -c "$T/full" && echo yes)
	else
		tap_skip "a device node is refused as root" "mknod is not permitted here"
		copy_ok=yes
	fi
	if [ "$copy_ok" = yes ]; then
		run broken -o /dev/full
		check_that "/dev/full is refused as root (exit 2), still a device" \
			eval '[ $rc -eq 2 ] && test -c /dev/full'
		ln -s /dev/full "$T/fulllink"
		run broken -o "$T/fulllink"
		check_that "a symlink to /dev/full is refused as root" eval '[ $rc -eq 2 ] && test -c /dev/full'
	else
		tap_not_ok "/dev/full is refused as root (not tried: a device copy was replaced)"
	fi
else
	tap_skip "a device is refused as root" "not running as root"
fi

# --- -o -: the script alone on standard output, the report on standard error ---
run broken -o -
check_that "-o -: exit 1, standard output is exactly the script" \
	eval '[ $rc -eq 1 ] && cmp -s "$T/out" "$BROKEN/expected.sql"'
check_that "-o -: the report is on standard error" \
	grep -q "Repair script written to standard output" "$T/err"
check_that "-o -: no file named '-'" eval '! test -e "$BROKEN/-" && ! test -e "$HEALTHY/-"'
run broken -o - --format json
check_that "-o - --format json: the script on stdout, the JSON report on stderr" \
	eval 'first_line_is_magic "$T/out" && python3 -c "import json,sys; assert json.load(open(sys.argv[1]))[\"repair_script\"] == \"-\"" "$T/err"'
run healthy -o -
check_that "-o - with nothing to repair: standard output empty, report on stderr" \
	eval '[ $rc -eq 0 ] && ! test -s "$T/out" && grep -q "Nothing to repair" "$T/err"'

# --- the stale script of an earlier run ---
run broken -o "$T/stale.sql"
run healthy -o "$T/stale.sql"
check_that "nothing to repair: exit 0, the earlier script removed" eval '[ $rc -eq 0 ] && ! test -e "$T/stale.sql"'
check_that "... and said so on stderr" \
	grep -q "removed the stale repair script $T/stale.sql from an earlier run: nothing to repair now" "$T/err"
check_that "... the report claims no script" \
	eval 'grep -q "Nothing to repair" "$T/out" && ! grep -q "Repair script written" "$T/out"'
run healthy -o "$T/stale.sql"
check_that "nothing there: exit 0, nothing said about a stale script" \
	eval '[ $rc -eq 0 ] && ! grep -q "stale" "$T/err" && ! test -e "$T/stale.sql"'
printf 'my own notes\n-- migdoctor repair script\n' >"$T/notes.sql"
cp "$T/notes.sql" "$T/notes.orig"
run healthy -o "$T/notes.sql"
check_that "a file that is not a repair script is left as it is, with a warning" \
	eval '[ $rc -eq 0 ] && cmp -s "$T/notes.sql" "$T/notes.orig" && grep -q "not a migdoctor repair script" "$T/err"'
: >"$T/empty.sql"
run healthy -o "$T/empty.sql"
check_that "an empty file is not taken for a script" eval '[ $rc -eq 0 ] && test -e "$T/empty.sql"'
# through a symlink: the target goes, the link stays, and the next script lands there again
run healthy -o "$T/link.sql"
check_that "stale script behind a symlink: the target removed, the link kept" \
	eval '[ $rc -eq 0 ] && ! test -e "$T/real/target.sql" && test -L "$T/link.sql"'
run broken -o "$T/link.sql"
check_that "... and the next script is written to the target again" \
	eval '[ $rc -eq 1 ] && cmp -s "$T/real/target.sql" "$BROKEN/expected.sql"'

# --- the header names each input by its sha256: hashed while the readers read it ---
header_sums_are() { # script file...: the header's sha256 lines, in order, are those of the files
	[ "$(grep -o -- '-- *sha256 [0-9a-f]*' "$1" | awk '{ print $3 }')" = \
	  "$(shift; for f in "$@"; do sha256sum <"$f" | cut -d' ' -f1; done)" ]
}
run broken -o "$T/sums.sql"
check_that "the script's header: sha256 of the dump and of the log" \
	header_sums_are "$T/sums.sql" "$BROKEN/dump.sql" "$BROKEN/startup.log"
gzip -1 -c "$BROKEN/dump.sql" >"$T/dump.sql.gz"
run "$MIGDOCTOR" check "$BROKEN/migrations" "$T/dump.sql.gz" "$BROKEN/startup.log" -o "$T/gz.sql"
check_that "... of a gzip dump: the sha256 of the file's bytes, not of the SQL" \
	header_sums_are "$T/gz.sql" "$T/dump.sql.gz" "$BROKEN/startup.log"

# --- a write error on standard output is exit 4 with a message, for every command ---
full() { # name command...
	local name=$1; shift
	"$@" >/dev/full 2>"$T/err"; rc=$?
	check_that "$name > /dev/full: exit 4, with a message" \
		eval '[ $rc -eq 4 ] && grep -q "cannot write to standard output" "$T/err"'
}
full "check" healthy
full "check (findings)" broken
full "check -o -" broken -o -
full "check --format json" healthy --format json
full "plan" "$MIGDOCTOR" plan -m "$HEALTHY/migrations" -H "$HEALTHY/dump.sql"
full "touches" "$MIGDOCTOR" touches "$HEALTHY/migrations"
full "touches --print-schema" "$MIGDOCTOR" touches --print-schema "$HEALTHY/migrations"
full "history" "$MIGDOCTOR" history "$HEALTHY/dump.sql"
full "history --print-schema" "$MIGDOCTOR" history --print-schema "$HEALTHY/dump.sql"
full "events" "$MIGDOCTOR" events "$BROKEN/startup.log"
full "events --format json" "$MIGDOCTOR" events --format json "$BROKEN/startup.log"
full "check --help" "$MIGDOCTOR" check --help
# a script written to a file while the report fails: the script is complete all the same
full "check -o FILE" broken -o "$T/full-report.sql"
check_that "... the script itself is whole" cmp -s "$T/full-report.sql" "$BROKEN/expected.sql"

tap_done
