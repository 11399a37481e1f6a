#!/bin/bash
# archive_bad.sh - hostile and broken pg_dump archives, made at run time
# from the fixtures with dd/printf/truncate: each must give one error line
# naming the file (and the byte offset where there is one), exit 3.
source "$MD_ROOT/tests/lib/tap.sh"
A=$FIXTURES/archive
command -v pg_restore >/dev/null || skip_all "pg_restore (postgresql-client) is not installed"

put() { # file offset printf-format: overwrite bytes in place
	printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}
copy() { cp "$A/$1" "$WORK/$2"; chmod u+w "$WORK/$2"; }
bad() { # name needle file [want-byte [lines]]: exit 3, one line, file named, needle found
	local name=$1 needle=$2 f=$3 want_byte=${4:-yes} want_lines=${5:-1} rc
	"$MIGDOCTOR" history "$f" >"$WORK/out" 2>"$WORK/err"; rc=$?
	local lines=$(wc -l <"$WORK/err") msg=$(cat "$WORK/err")
	if [ $rc -ne 3 ]; then tap_not_ok "$name: exit $rc, expected 3"; tap_diag <"$WORK/err"; return; fi
	if [ "$lines" -ne "$want_lines" ]; then tap_not_ok "$name: $lines lines on stderr, expected $want_lines"; tap_diag <"$WORK/err"; return; fi
	if [[ "$msg" != *"$f"* ]]; then tap_not_ok "$name: the message does not name '$f'"; tap_diag <"$WORK/err"; return; fi
	if [ "$want_byte" = yes ] && [[ "$msg" != *"byte "[0-9]* ]]; then tap_not_ok "$name: no byte offset"; tap_diag <"$WORK/err"; return; fi
	if [[ "$msg" != *"$needle"* ]]; then tap_not_ok "$name: no '$needle'"; tap_diag <"$WORK/err"; return; fi
	tap_ok "$name"; [ -n "${SHOW_MSG:-}" ] && echo "# $(cat "$WORK/err")"
}
le32() { # n -> printf format of 4 little-endian bytes
	printf '\\x%02x\\x%02x\\x%02x\\x%02x' $(($1 & 255)) $((($1 >> 8) & 255)) $((($1 >> 16) & 255)) $((($1 >> 24) & 255))
}
offset_of() { # file printf-pattern -> first byte offset
	LC_ALL=C grep -obUaP "$2" "$1" | head -n 1 | cut -d: -f1
}

id=$(pg_restore -l "$A/custom.dump" | sed -n 's/^\([0-9]*\); .* TABLE DATA public _prisma_migrations .*/\1/p')
ok_if "pg_restore -l finds the TABLE DATA entry" test -n "$id"
pat=$(printf '\\x01\\x00%s' "$(le32 "$id" | sed 's/\\\\/\\/g')")
blk=$(offset_of "$A/custom.dump" "$pat")
ok_if "the _prisma_migrations block is found by its header" test -n "$blk"
enc=$(offset_of "$A/custom.dump" 'ENCODING')
count_at=$((enc - 32)) # tag len 5, oid "0" 6, tableoid "0" 6, hadDumper 5, dumpId 5, count 5
size=$(stat -c %s "$A/custom.dump")

# --- truncation at every kind of boundary ---
for cut in 8 40 $((count_at + 2)) $((enc + 20)) $((blk + 3)) $((blk + 12)) $((blk + 600)) $((size - 3)); do
	copy custom.dump "cut_$cut.dump"
	truncate -s "$cut" "$WORK/cut_$cut.dump"
	bad "custom truncated at byte $cut" "truncated" "$WORK/cut_$cut.dump"
done
copy custom_pipe_z0.dump pipe_cut.dump
truncate -s 20000 "$WORK/pipe_cut.dump"
bad "pipe dump truncated inside another table's block (skipped)" "truncated" "$WORK/pipe_cut.dump"
copy custom_pipe.dump pipe_cut2.dump
truncate -s "$blk" "$WORK/pipe_cut2.dump"
bad "pipe dump ending before the table's block" "file ends before the data block of dump id $id" "$WORK/pipe_cut2.dump"

gzip -c "$A/custom_pipe.dump" >"$WORK/wrapped.dump.gz"
put "$WORK/wrapped.dump.gz" $(( $(stat -c %s "$WORK/wrapped.dump.gz") / 2 )) '\xde\xad\xbe\xef\xde\xad\xbe\xef'
bad "gzip-wrapped pipe dump, corrupt while skipping" "corrupt gzip/zlib data" "$WORK/wrapped.dump.gz"

# --- header ---
copy custom.dump magic.dump
put "$WORK/magic.dump" 4 'X'
bad "wrong magic" "" "$WORK/magic.dump" no
copy custom.dump v19.dump
put "$WORK/v19.dump" 6 '\x09'
bad "archive version 1.9" "archive version 1.9 is not supported; expected 1.12 to 1.16" "$WORK/v19.dump"
copy custom.dump v117.dump
put "$WORK/v117.dump" 6 '\x11'
bad "archive version 1.17" "archive version 1.17 is not supported; expected 1.12 to 1.16" "$WORK/v117.dump"
copy custom.dump intsize.dump
put "$WORK/intsize.dump" 8 '\x40'
bad "integer size 64" "integer size 64; expected 1 to 8" "$WORK/intsize.dump"
copy custom.dump level.dump
put "$WORK/level.dump" 11 '\x00\x63'
bad "compression level 99" "compression level 99; expected -1 to 9" "$WORK/level.dump"

# --- TOC ---
copy custom.dump count_huge.dump
put "$WORK/count_huge.dump" "$count_at" '\x00\xff\xff\xff\x7f'
bad "TOC count 2^31-1" "TOC entry count 2147483647; expected 0 to" "$WORK/count_huge.dump"
n=$(od -An -tu4 -j $((count_at + 1)) -N 4 "$A/custom.dump" | tr -d ' ')
copy custom.dump count_plus.dump
put "$WORK/count_plus.dump" $((count_at + 1)) "$(le32 $((n + 1)))"
bad "TOC count one too many" "(TOC entry $((n + 1)) of $((n + 1)))" "$WORK/count_plus.dump"
copy custom.dump count_neg.dump
put "$WORK/count_neg.dump" "$count_at" '\x01'
bad "negative TOC count" "TOC entry count -$n" "$WORK/count_neg.dump"
copy custom.dump strlen.dump
put "$WORK/strlen.dump" $((enc - 5)) '\x00\x00\x00\x00\x0c'
bad "a 192 MiB string length in a small file" "truncated inside the tag" "$WORK/strlen.dump"
copy custom.dump strlen2.dump
put "$WORK/strlen2.dump" $((enc - 5)) '\x00\xff\xff\xff\x7f'
bad "a 2 GiB string length" "string length 2147483647 for the tag" "$WORK/strlen2.dump"
copy custom.dump offflag.dump
# the ENCODING entry's Offset is its last field: flag 3, 8 zero bytes, then the next dump id
noff=$(offset_of "$A/custom.dump" '\x03\x00\x00\x00\x00\x00\x00\x00\x00\x00')
put "$WORK/offflag.dump" "$noff" '\x07'
bad "data offset flag 7" "data offset flag 7; expected 1, 2 or 3" "$WORK/offflag.dump"

# --- data blocks ---
copy custom.dump zcorrupt.dump
put "$WORK/zcorrupt.dump" $((blk + 10 + 200)) '\xde\xad\xbe\xef\xde\xad\xbe\xef\xde\xad\xbe\xef'
bad "corrupt zlib block" "corrupt gzip/zlib data" "$WORK/zcorrupt.dump"
copy custom.dump blocktype.dump
put "$WORK/blocktype.dump" "$blk" '\x02'
# (a warning says the offset is wrong, then the scan meets the same bad block)
bad "offset pointing at a wrong block type falls back, then fails" "data block type 2" "$WORK/blocktype.dump" yes 2
copy custom_pipe_z0.dump chunk_huge.dump
first_row=$(offset_of "$A/custom_pipe_z0.dump" 'req-1\t')
put "$WORK/chunk_huge.dump" $((first_row - 5)) '\x00\xff\xff\xff\xff'
bad "chunk length 2^32-1 in a skipped block" "data chunk length 4294967295; expected 0 to 1073741824" "$WORK/chunk_huge.dump"
copy custom_pipe_z0.dump chunk_neg.dump
put "$WORK/chunk_neg.dump" $((first_row - 5)) '\x01'
bad "negative chunk length" "data chunk length -" "$WORK/chunk_neg.dump"

# --- directory format ---
mkdir "$WORK/dirs"
mkd() { rm -rf "$WORK/dirs/$1"; cp -r "$A/dir" "$WORK/dirs/$1"; chmod -R u+w "$WORK/dirs/$1"; }
mkd zst
(cd "$WORK/dirs/zst" && gunzip -c "$id.dat.gz" | zstd -q -o "$id.dat.zst" && rm "$id.dat.gz")
put "$WORK/dirs/zst/$id.dat.zst" 300 '\xde\xad\xbe\xef\xde\xad\xbe\xef'
bad "corrupt zstd data file" "corrupt zstd data" "$WORK/dirs/zst"
mkd lz4
(cd "$WORK/dirs/lz4" && gunzip -c "$id.dat.gz" | lz4 -q -z - "$id.dat.lz4" && rm "$id.dat.gz")
put "$WORK/dirs/lz4/$id.dat.lz4" 300 '\xde\xad\xbe\xef\xde\xad\xbe\xef'
bad "corrupt lz4 data file" "corrupt lz4 data" "$WORK/dirs/lz4"
mkd gzcut
gzs=$(stat -c %s "$WORK/dirs/gzcut/$id.dat.gz")
truncate -s $((gzs / 2)) "$WORK/dirs/gzcut/$id.dat.gz"
bad "truncated gzip data file" "gzip data is truncated" "$WORK/dirs/gzcut"
mkd loop
(cd "$WORK/dirs/loop" && rm "$id.dat.gz" && ln -s a b && ln -s b a && ln -s a "$id.dat.gz")
bad "symlink loop for the data file" "Too many levels of symbolic links" "$WORK/dirs/loop" no
mkd loop2
(cd "$WORK/dirs/loop2" && rm toc.dat && ln -s toc.dat toc.dat)
bad "toc.dat linking to itself" "Too many levels of symbolic links" "$WORK/dirs/loop2" no
mkd missing
rm "$WORK/dirs/missing/$id.dat.gz"
bad "data file missing" "is missing (also with .gz, .lz4, .zst)" "$WORK/dirs/missing" no
mkd bomb
row=$(gunzip -c "$A/dir/$id.dat.gz" | head -n 1)
(cd "$WORK/dirs/bomb" && rm "$id.dat.gz" && yes "$row" | head -c 200000000 | zstd -q -19 -o "$id.dat.zst")
bad "decompression bomb (ratio limit)" "a decompression bomb?" "$WORK/dirs/bomb"

# --- tar ---
tar_member_offset() { # tar name -> header offset of member name
	local f=$1 want=$2 off=0 name size
	while :; do
		name=$(dd if="$f" bs=1 skip=$off count=100 status=none | tr -d '\0')
		[ -z "$name" ] && return 1
		size=$((8#$(dd if="$f" bs=1 skip=$((off + 124)) count=11 status=none)))
		[ "$name" = "$want" ] && { echo $off; return 0; }
		off=$((off + 512 + (size + 511) / 512 * 512))
	done
}
tar_fix_sum() { # tar header-offset: recompute the header checksum
	local f=$1 off=$2 sum
	put "$f" $((off + 148)) '        '
	sum=$(od -An -v -tu1 -j "$off" -N 512 "$f" | tr -s ' ' '\n' | awk '{s += $1} END {print s}')
	put "$f" $((off + 148)) "$(printf '%06o' "$sum")\\x00 "
}
copy tar.tar lying.tar
m=$(tar_member_offset "$WORK/lying.tar" "$id.dat")
ok_if "the data member is found in tar.tar" test -n "$m"
put "$WORK/lying.tar" $((m + 124)) '00077777777\x00'
tar_fix_sum "$WORK/lying.tar" "$m"
bad "tar member with a lying size" "claims" "$WORK/lying.tar"
copy tar.tar badsum.tar
put "$WORK/badsum.tar" $((m + 124)) '00077777777\x00'
bad "tar header with a wrong checksum" "bad tar header checksum" "$WORK/badsum.tar"
copy tar.tar cut.tar
truncate -s $((m + 700)) "$WORK/cut.tar"
bad "tar truncated inside the data member" "truncated" "$WORK/cut.tar"
copy tar.tar nomember.tar
put "$WORK/nomember.tar" "$m" 'X'
tar_fix_sum "$WORK/nomember.tar" "$m"
bad "tar without the data member" "no tar member '$id.dat'" "$WORK/nomember.tar" no
tap_done
