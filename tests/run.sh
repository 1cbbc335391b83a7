#!/usr/bin/env bash
# Runs every test project against real PostgreSQL, Redis and a mail server (smtp4dev: SMTP, IMAP and an HTTP API).
# Installs them (and Chromium for the widget tests, promtool for the metrics tests) when missing, starts throw-away instances on loopback ports, and stops only what it started.
# Ends with the plain line "N passed, N failed". Extra arguments go to `dotnet test` (e.g. --filter).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
WORK=$(mktemp -d /tmp/st-tests.XXXXXX)
chmod 755 "$WORK"
STARTED_PG="" STARTED_REDIS="" STARTED_SMTP4DEV=""

log() { echo "[tests] $*" >&2; }

install_missing() {
  local packages=()
  command -v redis-server >/dev/null || packages+=(redis-server)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || packages+=(postgresql)
  [ -x /usr/bin/chromium ] || packages+=(chromium)
  command -v promtool >/dev/null || packages+=(prometheus)   # promtool checks the /metrics scrape format
  [ -x /usr/sbin/nginx ] || packages+=(nginx)                # the balancer of the cluster tests (tests/cluster)
  ((${#packages[@]})) || return 0
  log "installing ${packages[*]}"
  local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
}

free_port() { # first free TCP port from $1 upwards
  local port=$1
  while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

start_redis() {
  [ -n "${ST_TEST_REDIS:-}" ] && return 0
  local port; port=$(free_port 6390)
  mkdir -p "$WORK/redis"
  redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --dir "$WORK/redis" --pidfile "$WORK/redis/pid" \
    --save '' --appendonly no --logfile "$WORK/redis/log" >/dev/null
  STARTED_REDIS=$port
  export ST_TEST_REDIS="127.0.0.1:$port"
  log "redis on $ST_TEST_REDIS"
}

start_postgres() {
  [ -n "${ST_TEST_POSTGRES_URL:-}" ] && return 0
  local bin port try; bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  mkdir -p "$WORK/pg"
  local run=""; [ "$(id -u)" = 0 ] && { chown postgres:postgres "$WORK/pg"; run="runuser -u postgres --"; }
  $run "$bin/initdb" -D "$WORK/pg/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  # Ports below the ephemeral range (32768+), where a client socket of an earlier run (benchmarks open
  # thousands) can hold a port that connect() reports free. fsync stays on: the tests exercise the durable
  # configuration users run.
  for try in 1 2 3; do
    port=$(free_port $((25432 + 50 * try)))
    $run "$bin/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/log" -w \
      -o "-p $port -c listen_addresses=127.0.0.1 -k $WORK/pg -c max_connections=300" start >/dev/null && break
    log "postgresql did not start on port $port (try $try):"; tail -3 "$WORK/pg/log" >&2
    [ "$try" = 3 ] && exit 1
  done
  STARTED_PG="$bin"
  export ST_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port"
  log "postgresql on $ST_TEST_POSTGRES_URL"
}

# smtp4dev (a dotnet tool) into artifacts/tools (ignored by git) on first use; in-memory store, loopback ports.
start_smtp4dev() {
  [ -n "${ST_TEST_SMTP:-}" ] && return 0
  local dir="$ROOT/artifacts/tools/smtp4dev" smtp imap http try
  if [ ! -x "$dir/smtp4dev" ]; then
    log "installing smtp4dev"
    dotnet tool install --tool-path "$dir" Rnwood.Smtp4dev --version 3.15.0 >/dev/null
  fi
  mkdir -p "$WORK/smtp4dev"
  smtp=$(free_port 26025); imap=$(free_port $((smtp + 100))); http=$(free_port $((smtp + 200)))
  "$dir/smtp4dev" --db="" --smtpport="$smtp" --imapport="$imap" --pop3port="" --urls="http://127.0.0.1:$http" \
    --nousersettings --baseappdatapath="$WORK/smtp4dev" --messagestokeep=100000 --hostname=localhost \
    >"$WORK/smtp4dev/log" 2>&1 &
  STARTED_SMTP4DEV=$!
  for try in $(seq 1 120); do
    curl -fs "http://127.0.0.1:$http/api/messages?pageSize=1" >/dev/null 2>&1 && break
    [ "$try" = 120 ] && { log "smtp4dev did not start:"; tail -5 "$WORK/smtp4dev/log" >&2; exit 1; }
    sleep 0.5
  done
  export ST_TEST_SMTP="127.0.0.1:$smtp" ST_TEST_IMAP="127.0.0.1:$imap" ST_TEST_SMTP4DEV_API="http://127.0.0.1:$http"
  log "smtp4dev: SMTP $ST_TEST_SMTP, IMAP $ST_TEST_IMAP, API $ST_TEST_SMTP4DEV_API"
}

cleanup() {
  [ -n "$STARTED_SMTP4DEV" ] && { kill "$STARTED_SMTP4DEV" 2>/dev/null; wait "$STARTED_SMTP4DEV" 2>/dev/null || true; }
  [ -n "$STARTED_REDIS" ] && { redis-cli -p "$STARTED_REDIS" shutdown nosave >/dev/null 2>&1 || kill "$(cat "$WORK/redis/pid")" 2>/dev/null || true; }
  if [ -n "$STARTED_PG" ]; then
    local run=""; [ "$(id -u)" = 0 ] && run="runuser -u postgres --"
    $run "$STARTED_PG/pg_ctl" -D "$WORK/pg/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# `docker compose config` validates docker-compose.yml (no engine needed). Without the compose plugin, Debian's
# docker-compose package serves it through a CLI plugin shim in a throw-away DOCKER_CONFIG.
setup_compose() {
  command -v docker >/dev/null && docker compose version >/dev/null 2>&1 && return 0
  if ! command -v docker-compose >/dev/null; then
    local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends docker-compose >/dev/null
  fi
  export DOCKER_CONFIG="$WORK/docker"
  mkdir -p "$DOCKER_CONFIG/cli-plugins"
  cp "$ROOT/tests/cluster/docker-compose-plugin.sh" "$DOCKER_CONFIG/cli-plugins/docker-compose"
}

install_missing
setup_compose
start_redis
start_postgres
start_smtp4dev

RESULTS="$WORK/results"
status=0
# The docs check runs first and alone: its blocks start the server on its default port.
DOCS_RESULT="$WORK/docs-result" bash "$ROOT/tests/docs/check.sh" || status=$?
dotnet test "$ROOT/SupportTicket.sln" --logger "trx" --results-directory "$RESULTS" "$@" || status=$?

passed=0 failed=0 skipped=0
for trx in "$RESULTS"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(get passed))); failed=$((failed + $(get failed)))
  skipped=$((skipped + $(get notExecuted)))
done
rm -rf "$ROOT/TestResults"
[ -d "$RESULTS" ] && mkdir -p "$ROOT/TestResults" && cp -r "$RESULTS"/. "$ROOT/TestResults/" 2>/dev/null || true
if [ -f "$WORK/docs-result" ]; then
  read -r docs_passed docs_failed < "$WORK/docs-result"
  passed=$((passed + docs_passed)); failed=$((failed + docs_failed))
fi
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi   # a build or runner failure counts as a failure
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
