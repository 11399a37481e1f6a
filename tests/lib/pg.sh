# pg.sh - a throw-away PostgreSQL server for the integration tests.
#
#   pg_start        initdb into a temp dir, start on loopback, export
#                   PGHOST (socket dir), PGPORT, PGUSER; psql/pg_dump then
#                   work with no further options
#   pg_stop         stop it and remove the directory (also on EXIT)
#
# CI runs as root and initdb refuses root, so the server runs as the
# 'postgres' user that Debian's package creates.
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}

pg_as() { # run a command as the server's user
	if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_start() {
	[ -x "$PG_BIN/initdb" ] || { echo "# no PostgreSQL server binaries (postgresql package)"; return 1; }
	PG_DIR=$(mktemp -d /tmp/migdoctor-pg.XXXXXX)
	chmod 755 "$PG_DIR"
	[ "$(id -u)" -eq 0 ] && chown postgres: "$PG_DIR"
	pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 \
		--locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log"; return 1; }
	local try port
	for try in 1 2 3 4 5 6 7 8; do
		port=$((20000 + (RANDOM % 20000)))
		if pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 30 \
			-o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR -c fsync=off \
			    -c full_page_writes=off -c synchronous_commit=off" start >/dev/null 2>&1; then
			export PGHOST=$PG_DIR PGPORT=$port PGUSER=postgres PGDATABASE=postgres
			trap 'pg_stop; rm -rf "${WORK:-/nonexistent}"' EXIT
			return 0
		fi
	done
	cat "$PG_DIR/server.log"
	return 1
}

pg_stop() {
	[ -n "${PG_DIR:-}" ] || return 0
	pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1
	rm -rf "$PG_DIR"
	PG_DIR=
}

# psql that stops on the first error and prints nothing but what is asked
pg_psql() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }
