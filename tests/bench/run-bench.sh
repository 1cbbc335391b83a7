#!/usr/bin/env bash
# Runs the benchmark scenarios against a Release server on SQLite and on a throw-away PostgreSQL (fsync on: the
# durable configuration users run). Server and database are pinned to core 0, the load generator to core 1, so
# the two never compete for a core. Every scenario run gets a fresh database and a fresh server process; the
# script stops only what it started. Results: $OUT/<store>-<scenario>-<n>.txt, $OUT/results.jsonl and
# $OUT/summary.txt (each run's SUMMARY line: store, scenario, commit, rates, first- and second-pass p99, CPU per
# post, idle KB per connection, lost, 429s, steal).
#
# Production settings by default: SERVER_MODE=PRODUCTION, a JWT_SECRET_KEY (no development key), the rate limits on
# at their defaults. The bench then posts as enough distinct users that none exceeds the per-user limits, and a
# run with any 429 answer fails its check (and this script exits 1). LIMITS=off turns the limits off (the older
# figures' setting). LOG_LEVEL is Warning (Information writes one log line per request). The GC settings are the
# Docker image's (the DOTNET_* variables of the Dockerfile's ENV, today DOTNET_gcServer=0: workstation GC); SERVER_ENV
# comes after them, so SERVER_ENV="DOTNET_gcServer=1" measures server GC (the project's own default).
#
# FEATURES=on (fanout only; issue #30, target 5): the server runs with the wave's features switched on, over a
# database seeded with SEED_TICKETS (100000) open tickets by tests/bench/seed-tickets.sql (their timers fall due
# evenly over SEED_SPREAD seconds, 86400, from SEED_FIRST, 60, seconds after the seed): one webhook endpoint
# subscribed to every event type on the bench's loopback receiver, mail on (SMTP to a sink in the bench; digests
# after 10 s instead of 120, so mail flows during the ladder), SLAs for NORMAL tickets (first response 60 min, next
# 30 min) and the default auto-close timers (72 h, warning 24 h before).
#
#   tests/bench/run-bench.sh                                   # rest, fanout, idle on sqlite and postgres, once
#   STORES=postgres SCENARIOS=fanout RUNS=3 tests/bench/run-bench.sh
#   STORES=sqlite SCENARIOS=coldstart tests/bench/run-bench.sh  # a server started under 500 POST/s, second by second
#   FANOUT_ARGS="--rates 500,1000,2000 --step 15" IDLE_ARGS="--connections 10000 --hold 30" tests/bench/run-bench.sh
#   STORES=postgres SCENARIOS=fanout FEATURES=on tests/bench/run-bench.sh
#
# Environment: SERVER_PORT (5180: the first port tried for the server; pick another when others run benches on
# this machine), STORES ("sqlite postgres"), SCENARIOS ("rest fanout idle"; also "soak", "coldstart", "webhook"), RUNS (1), OUT
# (bench-results/<UTC time>), LIMITS (on|off), REST_ARGS / FANOUT_ARGS / IDLE_ARGS / SOAK_ARGS / COLDSTART_ARGS
# (extra bench options), SERVER_BUILD (build, the default; publish; publish-r2r), SERVER_ENV (extra VAR=value pairs for the server, e.g. "DOTNET_gcServer=0"), BENCH_ENV (the
# same for the load generator),
# TWO_NODE=1 (the two-node mode below), FEATURES (off|on), SEED_TICKETS / SEED_FIRST / SEED_SPREAD (FEATURES=on), PG_STATS (off|on).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
STORES=${STORES:-"sqlite postgres"}
SCENARIOS=${SCENARIOS:-"rest fanout idle"}
RUNS=${RUNS:-1}
LIMITS=${LIMITS:-on}
case "$LIMITS" in
  on) LIMIT_ENV="" ;;
  off) LIMIT_ENV="RateLimits__Enabled=false" ;;
  *) echo "LIMITS must be on or off" >&2; exit 64 ;;
esac
FEATURES=${FEATURES:-off}
# PG_STATS=on: PostgreSQL loads pg_stat_statements; each postgres run writes the statements by total execution time
# (calls, ms, rows; counted from just before the bench starts) to $OUT/<store>-<scenario>-<run>.statements.txt.
PG_STATS=${PG_STATS:-off} PG_STATS_OPTS=""
[ "$PG_STATS" = off ] || PG_STATS_OPTS="-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all"
case "$FEATURES" in
  off) ;;
  on) for s in $SCENARIOS; do [ "$s" = fanout ] || { echo "FEATURES=on runs the fanout scenario only (SCENARIOS=fanout)" >&2; exit 64; }; done ;;
  *) echo "FEATURES must be on or off" >&2; exit 64 ;;
esac
SEED_TICKETS=${SEED_TICKETS:-100000} SEED_FIRST=${SEED_FIRST:-60} SEED_SPREAD=${SEED_SPREAD:-86400}
# The image's runtime settings (Dockerfile ENV DOTNET_*), so the bench measures the GC the image runs.
IMAGE_ENV=$(grep -o 'DOTNET_[A-Za-z0-9_]*=[^[:space:]\\]*' Dockerfile | tr '\n' ' ')
FAILED=0
OUT=${OUT:-"$ROOT/bench-results/$(date -u +%Y%m%dT%H%M%SZ)"}
KEY="bench-signing-key-0123456789-abcdefghijklmnopqrstuvwxyz"
WORK=$(mktemp -d /tmp/st-bench.XXXXXX)
chmod 755 "$WORK"
SERVER_PID="" PG_BIN="" PG_DATA=""

log() { echo "[bench] $*" >&2; }

# Steal: time the hypervisor gave this VM's cores to someone else. It lengthens latencies without showing in any
# process's CPU time, so each run reports its share (from /proc/stat) next to its figures: of both cores, and of
# core 0, the server's, where a busy core loses far more than the average shows (2026-12-02: 1-5 % of both cores
# was 10-55 % of core 0 in single seconds, and the seconds with a bad p99 were the ones with the most).
cpu_ticks() { awk '/^cpu0? /{t=0; for(i=2;i<=NF;i++) t+=$i; printf "%s %s ", $9, t} END {print ""}' /proc/stat; }
steal_since() { # $1..$4 = steal and total ticks at the start, of all cores and of core 0
  local s t s0 t0; read -r s t s0 t0 < <(cpu_ticks)
  awk -v s="$((s - $1))" -v t="$((t - $2))" -v s0="$((s0 - $3))" -v t0="$((t0 - $4))" \
    'BEGIN { printf "%.1f %% of both cores, %.1f %% of core 0 (the server'"'"'s)", (t > 0 ? 100 * s / t : 0), (t0 > 0 ? 100 * s0 / t0 : 0) }'
}

free_port() { # first free TCP port from $1 upwards (bounded: 200 tries)
  local port=$1 end=$(($1 + 200))
  while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    port=$((port + 1)); [ "$port" -lt "$end" ] || { log "no free port near $1"; exit 1; }
  done
  echo "$port"
}

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_postgres() {
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  PG_DATA="$WORK/pg-$1"
  mkdir -p "$PG_DATA"; [ "$(id -u)" = 0 ] && chown postgres:postgres "$PG_DATA"
  as_postgres "$PG_BIN/initdb" -D "$PG_DATA/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  local port try
  # fsync and synchronous_commit stay at their durable defaults. taskset is inherited by every backend.
  # Below the ephemeral range (32768+), which the load generator's client sockets fill. Others on this machine
  # start PostgreSQL on nearby ports too: a lost race for the port is retried elsewhere.
  for try in 1 2 3; do
    port=$(free_port $((25532 + 37 * try)))
    if as_postgres taskset -c 0 "$PG_BIN/pg_ctl" -D "$PG_DATA/data" -l "$PG_DATA/log" -w \
      -o "-p $port -c listen_addresses=127.0.0.1 -k $PG_DATA -c max_connections=200 -c log_checkpoints=on -c log_autovacuum_min_duration=0 $PG_STATS_OPTS" start >/dev/null; then
      DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
      return 0
    fi
    log "PostgreSQL did not start on port $port (try $try):"; tail -5 "$PG_DATA/log" >&2 || true
  done
  exit 1
}

pg_stats() { # reset | report (PG_STATS=on)
  if [ "$1" = reset ]; then
    psql -q -v ON_ERROR_STOP=1 "$DATABASE_URL" -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" -c "SELECT pg_stat_statements_reset()" -c "SELECT pg_stat_reset()" >/dev/null
  else
    psql "$DATABASE_URL" -c "SELECT calls, round(total_exec_time::numeric, 0) AS total_ms, round(mean_exec_time::numeric, 3) AS mean_ms,
      rows, shared_blks_hit + shared_blks_read AS blocks, left(regexp_replace(query, '\s+', ' ', 'g'), 160) AS query
      FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 30" \
      -c "SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del, n_live_tup, n_dead_tup FROM pg_stat_user_tables
      WHERE n_tup_ins + n_tup_upd + n_tup_del > 0 ORDER BY n_tup_upd + n_tup_ins DESC"
  fi
}

stop_postgres() {
  [ -n "$PG_DATA" ] || return 0
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DATA/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$PG_DATA"; PG_DATA=""
}

# The server's command line, for start_server and for the coldstart scenario (which starts the server itself).
write_server_cmd() { # $1 = DATABASE_URL
  local port; port=$(free_port "${SERVER_PORT:-5180}")
  URL="http://127.0.0.1:$port"
  FEATURE_ENV=""
  if [ "$FEATURES" = on ]; then
    SMTP_PORT=$(free_port 2525)
    FEATURE_ENV="Webhooks__AllowHttp=true Webhooks__AllowPrivateNetworks=true \
Email__Smtp__Host=127.0.0.1 Email__Smtp__Port=$SMTP_PORT Email__Smtp__Security=None Email__From=support@bench.invalid \
Email__PublicBaseUrl=$URL Email__ReplyDelaySeconds=10 \
Sla__Levels__NORMAL__FirstResponseMinutes=60 Sla__Levels__NORMAL__NextResponseMinutes=30"
  fi
  cat >"$WORK/server-cmd.sh" <<CMD
#!/bin/sh
exec env JWT_SECRET_KEY='$KEY' WEB_SERVER_PORT='$port' DATABASE_URL='$1' SERVER_MODE=PRODUCTION LOG_LEVEL=Warning \\
  $IMAGE_ENV $LIMIT_ENV $FEATURE_ENV ${SERVER_ENV:-} taskset -c 0 dotnet '$SERVER_DLL' >>'$WORK/server.log' 2>&1
CMD
  chmod 755 "$WORK/server-cmd.sh"
}

start_server() { # $1 = DATABASE_URL
  write_server_cmd "$1"
  : >"$WORK/server.log"
  "$WORK/server-cmd.sh" &
  SERVER_PID=$!
  for _ in $(seq 1 150); do # up to 30 s
    curl -fs "$URL/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; log "server exited"; exit 1; }
    sleep 0.2
  done
  log "server not ready in 30 s"; exit 1
}

stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  kill "$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
  kill -9 "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

# FEATURES=on: the open tickets, on a database the server has just migrated (and stopped), then ANALYZE.
seed_tickets() { # $1 = store
  local sql
  sql=$(sed -e "s/@COUNT@/$SEED_TICKETS/g" -e "s/@NOW@/$(date +%s)/g" -e "s/@FIRST@/$SEED_FIRST/g" -e "s/@SPREAD@/$SEED_SPREAD/g" \
    "$ROOT/tests/bench/seed-tickets.sql")
  local t0=$SECONDS
  case "$1" in
    sqlite) echo "$sql" | taskset -c 0 sqlite3 -bail "${DATABASE_URL#sqlite:}" ;;
    postgres) echo "$sql" | sed 's/^--pg //' | taskset -c 0 psql -q -v ON_ERROR_STOP=1 "$DATABASE_URL" >/dev/null ;;
  esac
  log "seeded $SEED_TICKETS open tickets in $((SECONDS - t0)) s"
}

cleanup() { stop_server; stop_postgres; rm -rf "$WORK"; }
trap cleanup EXIT

if [ "$FEATURES" = on ] && ! command -v sqlite3 >/dev/null; then
  log "installing sqlite3 (the seed script)"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends sqlite3 >/dev/null
fi
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  log "installing postgresql"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi

# Idle connections need one descriptor each, on both sides; .NET cannot raise its own limit, the shell can.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
log "open-file limit: $(ulimit -n)"

# SERVER_BUILD: build (the default: `dotnet build -c Release`, what `dotnet run` and the Dockerfile's plain publish
# run), publish (the same via `dotnet publish -r linux-x64`) or publish-r2r (ReadyToRun; measured slower on
# 2026-12-02, docs/performance.md).
case "${SERVER_BUILD:-build}" in
  publish|publish-r2r)
    R2R=false; [ "$SERVER_BUILD" = publish-r2r ] && R2R=true
    dotnet publish -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=$R2R "$ROOT/src/SupportTicket.Server" \
      -o "$WORK/server" -v q -nologo >/dev/null
    SERVER_DLL="$WORK/server/SupportTicket.Server.dll" ;;
  build)
    dotnet build -c Release "$ROOT/src/SupportTicket.Server" -v q -nologo >/dev/null
    SERVER_DLL="$ROOT/src/SupportTicket.Server/bin/Release/net10.0/SupportTicket.Server.dll" ;;
  *) echo "SERVER_BUILD must be build, publish or publish-r2r" >&2; exit 64 ;;
esac
dotnet build -c Release "$ROOT/tests/SupportTicket.Bench" -v q -nologo >/dev/null
BENCH="$ROOT/tests/SupportTicket.Bench/bin/Release/net10.0/SupportTicket.Bench.dll"

mkdir -p "$OUT"
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
DIRTY=$(git status --porcelain 2>/dev/null | grep -qv '^??' && echo "+dirty" || true)
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)  commit: $COMMIT$DIRTY  cores: $(nproc)  dotnet: $(dotnet --version)"
  echo "server+db: taskset -c 0   load generator: taskset -c 1   open files: $(ulimit -n)   GC: the image's (${IMAGE_ENV:-none})   SERVER_ENV: ${SERVER_ENV:-none}"
  [ "$FEATURES" = off ] || echo "features on: one webhook endpoint (every event type), mail to the bench's SMTP sink (digests after 10 s), SLA NORMAL 60/30 min, auto-close 72 h; $SEED_TICKETS seeded open tickets due over $SEED_SPREAD s"
  echo "server: SERVER_MODE=PRODUCTION JWT_SECRET_KEY set LOG_LEVEL=Warning, rate limits $LIMITS${LIMIT_ENV:+ ($LIMIT_ENV)}   load: $(uptime)"
} | tee "$OUT/header.txt" >&2

# Two-node mode (TWO_NODE=1): the cluster of tests/cluster/run-cluster.sh (PostgreSQL, Redis, two Release nodes,
# nginx) and the fanout ladder three ways, posts always to node 1: hubs on node 1 (events stay on the node, but each
# is also published to Redis), hubs on node 2 (every event crosses Redis), hubs through nginx. Compare with the
# single-node postgres fanout of the same commit for the backplane's cost per message. On this 2-core machine the
# nodes, Redis, PostgreSQL and nginx share the same cores as the load generator: the figures show cost, not scaling.
if [ "${TWO_NODE:-}" = 1 ]; then
  CLUSTER="$WORK/cluster"
  export SERVER_DLL JWT_SECRET_KEY="$KEY"
  # shellcheck disable=SC2163,SC2086 # the image's DOTNET_* pairs, then SERVER_ENV's, for both nodes
  [ -z "$IMAGE_ENV${SERVER_ENV:-}" ] || export $IMAGE_ENV ${SERVER_ENV:-}
  export RateLimits__Enabled=false LOG_LEVEL=Warning
  trap 'bash "$ROOT/tests/cluster/run-cluster.sh" down "$CLUSTER"; cleanup' EXIT
  bash "$ROOT/tests/cluster/run-cluster.sh" up "$CLUSTER" >/dev/null
  # shellcheck disable=SC1091
  source "$CLUSTER/cluster.env"
  PIDS="--pid $(cat "$CLUSTER/node1.pid") --pid2 $(cat "$CLUSTER/node2.pid")"
  for target in node1 node2 nginx; do
    case "$target" in
      node1) HUB="http://127.0.0.1:$NODE1_PORT" ;;
      node2) HUB="http://127.0.0.1:$NODE2_PORT" ;;
      nginx) HUB="http://127.0.0.1:$NGINX_PORT" ;;
    esac
    log "two-node fanout: posts to node1, hubs on $target ${FANOUT_ARGS:-}"
    # shellcheck disable=SC2086 # extra options are split into words on purpose
    dotnet "$BENCH" fanout --url "http://127.0.0.1:$NODE1_PORT" --hub-url "$HUB" --key "$KEY" $PIDS --limits off --label "2node-hubs-$target" \
      --store postgres-2node --commit "$COMMIT$DIRTY" ${FANOUT_ARGS:-} | tee "$OUT/2node-fanout-$target.txt" || log "bench exited with $?"
    grep '^BENCH_JSON ' "$OUT/2node-fanout-$target.txt" | sed "s/^BENCH_JSON //" >>"$OUT/results.jsonl" || true
    grep '^SUMMARY ' "$OUT/2node-fanout-$target.txt" | sed "s/^SUMMARY //" >>"$OUT/summary.txt" || true
  done
  log "results in $OUT"
  exit 0
fi

for store in $STORES; do
  for scenario in $SCENARIOS; do
    for run in $(seq 1 "$RUNS"); do
      DB_ARGS=""
      case "$store" in
        sqlite) DATABASE_URL="sqlite:$WORK/sqlite-$run/bench.db"; mkdir -p "$WORK/sqlite-$run" ;;
        postgres) start_postgres "$run"; DB_ARGS="--db-pid $(head -1 "$PG_DATA/data/postmaster.pid")" ;;
        *) log "unknown store $store"; exit 1 ;;
      esac
      var="$(echo "$scenario" | tr '[:lower:]' '[:upper:]')_ARGS"
      if [ "$scenario" = coldstart ]; then
        write_server_cmd "$DATABASE_URL"; : >"$WORK/server.log"
        SERVER_ARGS=(--server-cmd "$WORK/server-cmd.sh")
      else
        if [ "$FEATURES" = on ]; then
          start_server "$DATABASE_URL"; stop_server # migrates the fresh database
          seed_tickets "$store"
        fi
        start_server "$DATABASE_URL"
        SERVER_ARGS=(--pid "$SERVER_PID")
      fi
      FEATURE_ARGS=(); LABEL="$store#$run"
      [ "$FEATURES" = off ] || { FEATURE_ARGS=(--features on --smtp-port "$SMTP_PORT" --seeded "$SEED_TICKETS"); LABEL="$store+features#$run"; }
      log "$store $scenario run $run (${SERVER_ARGS[*]}, $URL) ${!var:-}"
      [ "$store" != postgres ] || [ "$PG_STATS" = off ] || pg_stats reset
      read -r STEAL0 TOTAL0 STEAL00 TOTAL00 < <(cpu_ticks)
      # shellcheck disable=SC2086 # extra options are split into words on purpose
      # shellcheck disable=SC2086 # BENCH_ENV holds VAR=value pairs for the load generator only
      if ! env ${BENCH_ENV:-} taskset -c 1 dotnet "$BENCH" "$scenario" --url "$URL" --key "$KEY" "${SERVER_ARGS[@]}" $DB_ARGS --limits "$LIMITS" \
        --label "$LABEL" --store "$store" --commit "$COMMIT$DIRTY" "${FEATURE_ARGS[@]}" ${!var:-} | tee "$OUT/$store-$scenario-$run.txt"; then
        log "bench exited non-zero: failed its check (see $OUT/$store-$scenario-$run.txt)"; FAILED=1
      fi
      echo "steal during the run: $(steal_since "$STEAL0" "$TOTAL0" "$STEAL00" "$TOTAL00") (the hypervisor's; above ~1 % latencies are not the server's alone)" \
        | tee -a "$OUT/$store-$scenario-$run.txt" >&2
      grep '^BENCH_JSON ' "$OUT/$store-$scenario-$run.txt" | sed "s/^BENCH_JSON //" >>"$OUT/results.jsonl" || true
      grep '^SUMMARY ' "$OUT/$store-$scenario-$run.txt" | sed "s/^SUMMARY //" >>"$OUT/summary.txt" || true
      [ -z "$SERVER_PID" ] || kill -0 "$SERVER_PID" 2>/dev/null || log "the server (pid $SERVER_PID) died during the run; its log: $OUT/$store-$scenario-$run.server.log"
      [ "$store" != postgres ] || [ "$PG_STATS" = off ] || pg_stats report >"$OUT/$store-$scenario-$run.statements.txt"
      stop_server
      cp "$WORK/server.log" "$OUT/$store-$scenario-$run.server.log" 2>/dev/null || true
      [ "$store" = postgres ] && { cp "$PG_DATA/log" "$OUT/$store-$scenario-$run.postgres.log" 2>/dev/null || true; stop_postgres; }
      rm -rf "$WORK/sqlite-$run"
    done
  done
done
log "results in $OUT"
[ ! -s "$OUT/summary.txt" ] || cat "$OUT/summary.txt" >&2
[ "$FAILED" = 0 ] || { log "at least one run failed its check"; exit 1; }
