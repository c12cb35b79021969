#!/usr/bin/env bash
# Starts the throwaway PostgreSQL server the pg state backend's tests
# (state/pg, internal/pgtest) run against, installing PostgreSQL when it is
# missing. Idempotent: the cluster lives in a fixed folder, so a second run
# finds the server running and only checks it.
#
#   scripts/pg-up.sh           # install if needed, create, start; print the connection string
#   scripts/pg-up.sh restart   # restart the server (a test of "the database restarted")
#   scripts/pg-up.sh stop      # stop it
#
# PostgreSQL refuses to run as root: run as root, the cluster belongs to the
# postgres user, in /tmp/novacron-pg; run as another user, to that user, in
# /tmp/novacron-pg-USER (NOVA_PG_DIR overrides either). It listens on
# 127.0.0.1 only, on a free port, with scram-sha-256 password auth for the
# role novacron, whose generated password is written with the connection
# string to DIR/conn_str (mode 0600) for the tests; it is never printed.
#
# Exits non-zero with a message saying what is missing when it cannot.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/apt.sh

die() { echo "pg-up: $*" >&2; exit 1; }

if [ "$(id -u)" -eq 0 ]; then
  owner=postgres
  dir=${NOVA_PG_DIR:-/tmp/novacron-pg}
else
  owner=$(id -un)
  dir=${NOVA_PG_DIR:-/tmp/novacron-pg-$owner}
fi
data=$dir/data
log=$dir/server.log
conn_file=$dir/conn_str
role=novacron

# as_owner runs a command as the cluster's owner.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u "$owner" -- "$@"; else "$@"; fi
}

# find_bindir prints the bin folder of the newest PostgreSQL server installed.
find_bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$d" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/initdb" ] && echo "$d"
}

# install installs Debian's postgresql package when no server is installed.
install() {
  [ -n "$(find_bindir)" ] && return
  [ "$(id -u)" -eq 0 ] ||
    die "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/pg_ctl): run 'sudo apt-get install postgresql', or run this script as root once"
  command -v apt-get >/dev/null || die "PostgreSQL is not installed and there is no apt-get to install it: install a PostgreSQL server (pg_ctl, initdb) under /usr/lib/postgresql/VERSION/bin"
  echo "pg-up: installing postgresql"
  apt_install pg-up postgresql
  [ -n "$(find_bindir)" ] || die "postgresql was installed but no /usr/lib/postgresql/*/bin/pg_ctl appeared"
}

# port_in_use reports whether something accepts connections on 127.0.0.1:$1.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
  local p
  for p in $(shuf -i 20000-60000 -n 100); do
    port_in_use "$p" || { echo "$p"; return; }
  done
  die "found no free port on 127.0.0.1 in 100 tries"
}

# recorded_port prints the port the connection string names.
recorded_port() { sed -n 's|.*@127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$conn_file"; }

running() { as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; }

start() {
  as_owner "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 start >/dev/null ||
    die "PostgreSQL did not start; see $log"
}

# set_port makes the cluster listen on port $1 (the last setting wins).
set_port() {
  echo "port = $1" | as_owner tee -a "$data/postgresql.conf" >/dev/null
}

# create makes the cluster, its role and database, and the connection
# file, from nothing. The connection file is written last: a folder
# without one is an unfinished cluster, made again.
create() {
  local password port
  if [ -f "$data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown "$owner": "$dir"
  chmod 700 "$dir"
  as_owner "$bin/initdb" -D "$data" -U postgres -A trust --auth-host=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || die "initdb failed; see $dir/initdb.log"
  port=$(free_port)
  as_owner tee -a "$data/postgresql.conf" >/dev/null <<EOF
# scripts/pg-up.sh: a throwaway cluster for NovaCron's tests.
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = 300
EOF
  set_port "$port"
  start
  password=$(head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
  echo "CREATE ROLE $role LOGIN CREATEDB PASSWORD '$password'; CREATE DATABASE $role OWNER $role;" |
    as_owner "$bin/psql" -q -X -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres -d postgres >/dev/null ||
    die "could not create the role and database $role"
  (umask 077 && echo "postgres://$role:$password@127.0.0.1:$port/$role?sslmode=disable" >"$conn_file")
}

# ensure_running starts a stopped cluster, on another port when its own
# was taken meanwhile.
ensure_running() {
  running && return
  local port
  port=$(recorded_port)
  if port_in_use "$port"; then
    port=$(free_port)
    set_port "$port"
    sed -i "s|@127\.0\.0\.1:[0-9]*/|@127.0.0.1:$port/|" "$conn_file"
  fi
  start
}

wait_ready() {
  local port
  port=$(recorded_port)
  for _ in $(seq 1 150); do
    as_owner "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" && return
    sleep 0.2
  done
  die "PostgreSQL did not accept connections on 127.0.0.1:$port within 30 s; see $log"
}

report() {
  echo "pg-up: PostgreSQL $("$bin/postgres" -V | sed -n 's/^postgres (PostgreSQL) \([^ ]*\).*/\1/p') at 127.0.0.1:$(recorded_port), cluster $data (owner $owner)"
  echo "pg-up: connection string (password in $conn_file): $(sed 's|://\([^:]*\):[^@]*@|://\1:xxxxx@|' "$conn_file")"
}

install
bin=$(find_bindir)
case "${1:-up}" in
up)
  [ -s "$conn_file" ] && [ -s "$data/PG_VERSION" ] || create
  ensure_running
  wait_ready
  report
  ;;
restart)
  [ -s "$conn_file" ] || die "no cluster in $dir to restart: run scripts/pg-up.sh first"
  as_owner "$bin/pg_ctl" -D "$data" -l "$log" -m fast -w -t 60 restart >/dev/null ||
    die "PostgreSQL did not restart; see $log"
  wait_ready
  ;;
stop)
  running && as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
  ;;
*)
  die "unknown command ${1}: use up (the default), restart or stop"
  ;;
esac
