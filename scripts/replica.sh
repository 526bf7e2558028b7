#!/usr/bin/env bash
# A streaming replica of the local PostgreSQL 15 (127.0.0.1:5432), for trying Facet's read
# replicas and for their tests (docs/operations.md#read-replicas). Run as root: the replica's
# files belong to the postgres user, who runs it.
#
#   scripts/replica.sh start [port]    create it if missing (pg_basebackup), start it, wait until it
#                                      accepts connections and is in recovery
#   scripts/replica.sh stop [port]     stop it (fast shutdown); its files stay
#   scripts/replica.sh destroy [port]  stop it and remove its files
#   scripts/replica.sh status [port]   say whether it runs (exit 0), is stopped (3) or absent (4)
#   scripts/replica.sh check           exit 0 when a replica can be made here, else say why
#
# The port is the argument, else REPLICA_PORT, else 5433; the data directory is REPLICA_DIR, else
# /tmp/facet-replica-<port>. Every command may be repeated, and says nothing when it succeeds.
set -euo pipefail

BIN=/usr/lib/postgresql/15/bin
PRIMARY_HOST=127.0.0.1
PRIMARY_PORT=5432

command=${1:-}
port=${2:-${REPLICA_PORT:-5433}}
dir=${REPLICA_DIR:-/tmp/facet-replica-$port}

fail() {
  echo "replica.sh: $*" >&2
  exit 1
}

primary_sql() {
  "$BIN/psql" -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -d postgres -X -Atq -v ON_ERROR_STOP=1 -c "$1"
}

as_postgres() {
  runuser -u postgres -- "$@"
}

# Why a replica cannot be made here, or nothing.
obstacle() {
  [[ $EUID -eq 0 ]] || { echo "it must run as root (the replica runs as the postgres user)"; return; }
  command -v runuser >/dev/null || { echo "runuser is missing"; return; }
  id postgres >/dev/null 2>&1 || { echo "there is no postgres user"; return; }
  local tool
  for tool in pg_basebackup pg_ctl psql pg_isready; do
    [[ -x $BIN/$tool ]] || { echo "$BIN/$tool is missing"; return; }
  done
  "$BIN/pg_isready" -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -q || { echo "no PostgreSQL answers at $PRIMARY_HOST:$PRIMARY_PORT"; return; }
  local settings wal_level wal_senders
  settings=$(primary_sql "SELECT current_setting('wal_level') || ' ' || current_setting('max_wal_senders')") || { echo "the primary cannot be asked as postgres"; return; }
  read -r wal_level wal_senders <<<"$settings"
  [[ $wal_level != minimal ]] || { echo "the primary's wal_level is minimal: streaming needs replica or logical"; return; }
  [[ $wal_senders -gt 0 ]] || { echo "the primary's max_wal_senders is 0"; return; }
}

running() {
  [[ -f $dir/PG_VERSION ]] && as_postgres "$BIN/pg_ctl" -D "$dir" status >/dev/null 2>&1
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# The primary accepts replication connections from 127.0.0.1 without a password, as it accepts
# every other local connection here: a line for them in its pg_hba.conf, once.
allow_replication() {
  local hba
  hba=$(primary_sql "SHOW hba_file")
  if ! grep -Eq '^[[:space:]]*host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba"; then
    printf '\n# Streaming replicas on this machine (scripts/replica.sh in Facet).\nhost replication all 127.0.0.1/32 trust\n' >>"$hba"
    primary_sql "SELECT pg_reload_conf()" >/dev/null
  fi
  # The reload is applied asynchronously: wait until a replication connection is let in.
  for _ in $(seq 1 50); do
    "$BIN/psql" "host=$PRIMARY_HOST port=$PRIMARY_PORT user=postgres replication=true" -X -Atq -c "IDENTIFY_SYSTEM" >/dev/null 2>&1 && return
    sleep 0.1
  done
  fail "the primary does not accept replication connections from 127.0.0.1 (see $hba)"
}

create() {
  local partial=$dir.partial
  rm -rf "$partial"
  install -d -o postgres -g postgres -m 700 "$partial"
  # A fast checkpoint: the copy starts at once rather than after a spread-out one.
  if ! as_postgres "$BIN/pg_basebackup" -h "$PRIMARY_HOST" -p "$PRIMARY_PORT" -U postgres -D "$partial" -R -X stream -c fast 2>"$partial.err"; then
    cat "$partial.err" >&2
    rm -rf "$partial" "$partial.err"
    fail "pg_basebackup failed"
  fi
  rm -f "$partial.err"
  # A hot standby must allow at least as much as its primary of these.
  local limits
  limits=$(primary_sql "SELECT string_agg(name || ' = ' || setting, E'\n') FROM pg_settings
    WHERE name IN ('max_connections', 'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions', 'max_locks_per_transaction')")
  # Debian keeps the primary's configuration outside its data directory: the replica gets its own.
  cat >"$partial/postgresql.conf" <<EOF
# The replica of $PRIMARY_HOST:$PRIMARY_PORT made by Facet's scripts/replica.sh (primary_conninfo is in postgresql.auto.conf).
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
cluster_name = 'facet-replica-$port'
hot_standby = on
$limits
EOF
  printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' >"$partial/pg_hba.conf"
  : >"$partial/pg_ident.conf"
  chown postgres:postgres "$partial/postgresql.conf" "$partial/pg_hba.conf" "$partial/pg_ident.conf"
  mv "$partial" "$dir"
}

start() {
  if running; then
    return
  fi
  port_in_use "$port" && fail "port $port is in use"
  local problem
  problem=$(obstacle)
  [[ -z $problem ]] || fail "cannot make a replica: $problem"
  if [[ ! -f $dir/PG_VERSION ]]; then
    [[ ! -e $dir ]] || fail "$dir exists but holds no PostgreSQL data directory"
    allow_replication
    create
  fi
  if ! as_postgres "$BIN/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 start >/dev/null; then
    tail -n 20 "$dir/server.log" >&2 || true
    fail "the replica did not start"
  fi
  for _ in $(seq 1 300); do
    [[ $("$BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -X -Atq -c "SELECT pg_is_in_recovery()" 2>/dev/null) == t ]] && return
    sleep 0.1
  done
  fail "the replica on port $port did not reach recovery (see $dir/server.log)"
}

stop() {
  if running; then
    as_postgres "$BIN/pg_ctl" -D "$dir" -m fast -w -t 60 stop >/dev/null
  fi
}

case $command in
  start) start ;;
  stop) stop ;;
  destroy)
    stop
    rm -rf "$dir" "$dir.partial" "$dir.partial.err"
    ;;
  status)
    if running; then
      echo "running on 127.0.0.1:$port, streaming from $PRIMARY_HOST:$PRIMARY_PORT ($dir)"
    elif [[ -f $dir/PG_VERSION ]]; then
      echo "stopped ($dir)"
      exit 3
    else
      echo "absent ($dir)"
      exit 4
    fi
    ;;
  check)
    problem=$(obstacle)
    [[ -z $problem ]] || fail "$problem"
    ;;
  *)
    echo "usage: $0 start|stop|destroy|status [port] | check" >&2
    exit 2
    ;;
esac
