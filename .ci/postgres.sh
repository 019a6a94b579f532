#!/usr/bin/env bash
# Starts a throwaway PostgreSQL on loopback for the test suite and prints, on stdout only, the shell lines that
# export its JDBC URL (VQCLIP_TEST_PG_URL), how to remove it (VQCLIP_TEST_PG_DROP) and how to restart it with fsync
# on (VQCLIP_TEST_PG_RESTART). Everything else goes to
# stderr. Installs Debian's postgresql package when it is missing and we are root (CI machines are fresh).
# As root it uses Debian's pg_createcluster/pg_ctlcluster (initdb refuses to run as root); otherwise initdb + pg_ctl.
set -euo pipefail
log() { echo "postgres.sh: $*" >&2; }
. "$(dirname "$0")/apt-install.sh"

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
BIN="$(find_bin || true)"
if [ -z "$BIN" ] || [ ! -x "$BIN/postgres" ]; then
  apt_install postgresql postgresql
  BIN="$(find_bin)"
fi
VERSION="$(basename "$(dirname "$BIN")")"

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PORT=""
for p in $(seq 55432 55532); do
  if port_free "$p"; then PORT="$p"; break; fi
done
[ -n "$PORT" ] || { log "no free port in 55432-55532"; exit 1; }
DBNAME=vqclip_test

if [ "$(id -u)" = 0 ]; then
  NAME="vqclip_ci_$PORT"
  pg_dropcluster --stop "$VERSION" "$NAME" >/dev/null 2>&1 || true
  pg_createcluster "$VERSION" "$NAME" -p "$PORT" -- --auth=trust >&2
  pg_ctlcluster "$VERSION" "$NAME" start -- -o "-c listen_addresses=127.0.0.1 -c fsync=off" >&2 \
    || pg_ctlcluster "$VERSION" "$NAME" start >&2
  runuser -u postgres -- "$BIN/psql" -q -h 127.0.0.1 -p "$PORT" -d postgres -c "CREATE DATABASE $DBNAME" >&2
  DROP="pg_dropcluster --stop $VERSION $NAME"
  RESTART="pg_ctlcluster --mode fast $VERSION $NAME restart -- -o '-c listen_addresses=127.0.0.1 -c fsync=on'"
else
  DIR="$(mktemp -d /tmp/vqclip-pg.XXXXXX)"
  "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust >/dev/null
  "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/log" -o "-p $PORT -c listen_addresses=127.0.0.1 -k $DIR -c fsync=off" -w start >&2
  "$BIN/psql" -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -c "CREATE DATABASE $DBNAME" >&2
  DROP="$BIN/pg_ctl -D $DIR/data -m immediate stop; rm -rf $DIR"
  RESTART="$BIN/pg_ctl -D $DIR/data -l $DIR/log -m fast -w restart -o '-p $PORT -c listen_addresses=127.0.0.1 -k $DIR -c fsync=on'"
fi
log "PostgreSQL $VERSION listening on 127.0.0.1:$PORT"
printf 'export VQCLIP_TEST_PG_URL=%q\n' "jdbc:postgresql://127.0.0.1:$PORT/$DBNAME?user=postgres"
printf 'export VQCLIP_TEST_PG_DROP=%q\n' "$DROP"
# restarts the server with fsync on (durability is what a restart test checks); the restart test uses it
printf 'export VQCLIP_TEST_PG_RESTART=%q\n' "$RESTART"
