#!/usr/bin/env bash
# The scale-out topology without Docker, on loopback: PostgreSQL + Redis + two SupportTicket nodes + nginx.
# Same shape as docker-compose.yml. The tests (tests/SupportTicket.Server.Tests/Cluster) drive it; by hand:
#   tests/cluster/run-cluster.sh up /tmp/st-cluster      # prints the ports; nginx at http://127.0.0.1:$NGINX_PORT
#   tests/cluster/run-cluster.sh down /tmp/st-cluster
# Other commands (for failure tests): kill-node DIR N (SIGKILL), pause-node / resume-node DIR N (SIGSTOP / SIGCONT),
# stop-node DIR N (SIGTERM: graceful), start-node DIR N, stop-redis DIR, start-redis DIR,
# stop-postgres DIR, start-postgres DIR. State lives in DIR/cluster.env. Needs nginx, redis-server and PostgreSQL
# (tests/run.sh installs them). SERVER_DLL defaults to the Debug build of src/SupportTicket.Server. Variables in the
# environment (Discord__Token, Cluster__LeaseTtlSeconds, ...) reach the nodes: the Discord lease drill uses that.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CMD=${1:?usage: run-cluster.sh up|down|kill-node|start-node|stop-redis|start-redis|stop-postgres|start-postgres DIR [N]}
DIR=${2:?directory for the cluster state}
SERVER_DLL=${SERVER_DLL:-$ROOT/src/SupportTicket.Server/bin/Debug/net10.0/SupportTicket.Server.dll}
JWT=${JWT_SECRET_KEY:-test-secret-key-that-is-at-least-32-bytes-long!}
RUN_PG=""; [ "$(id -u)" = 0 ] && RUN_PG="runuser -u postgres --"

log() { echo "[cluster] $*" >&2; }

free_port() { # a free TCP port from $1 upwards
  local port=$1
  while (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

wait_http() { # url, seconds
  local i
  for ((i = 0; i < $2 * 5; i++)); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.2; done
  log "no answer from $1 within $2 s"; return 1
}

load() { source "$DIR/cluster.env"; }

start_redis() {
  load
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --dir "$DIR/redis" --pidfile "$DIR/redis/pid" \
    --save '' --appendonly no --logfile "$DIR/redis/log" >/dev/null
  for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  log "redis did not start"; return 1
}

stop_redis() { load; redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true; }

start_postgres() {
  load
  $RUN_PG "$PG_BIN/pg_ctl" -D "$DIR/pg/data" -l "$DIR/pg/log" -w -t 30 \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $DIR/pg -c fsync=off -c max_connections=200" start >/dev/null
}

stop_postgres() { load; $RUN_PG "$PG_BIN/pg_ctl" -D "$DIR/pg/data" -m fast -w stop >/dev/null 2>&1 || true; }

start_node() {
  load
  local n=$1 port_var="NODE$1_PORT"; local port=${!port_var}
  mkdir -p "$DIR/node$n"
  # exec so that the recorded pid is the server's own (kill-node sends SIGKILL to exactly that process)
  (cd "$DIR/node$n"; exec env -u ASPNETCORE_URLS -u ASPNETCORE_ENVIRONMENT \
    SERVER_MODE=PRODUCTION WEB_SERVER_PORT="$port" JWT_SECRET_KEY="$JWT" \
    DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/supportticket" REDIS_URL="127.0.0.1:$REDIS_PORT" \
    KNOWN_PROXIES=127.0.0.1 NODE_NAME="node$n" CLUSTER_CHANNEL_PREFIX="st-test" \
    dotnet "$SERVER_DLL" >"$DIR/node$n.log" 2>&1 </dev/null) &
  echo $! >"$DIR/node$n.pid"
  wait_http "http://127.0.0.1:$port/health/ready" 90  # ready: migrated, and listening to the other nodes' events
}

kill_node() { load; kill -KILL "$(cat "$DIR/node$1.pid")" 2>/dev/null || true; }

# SIGSTOP / SIGCONT: a node frozen but not dead (a GC pause, a stalled VM), for the lease drill.
pause_node() { load; kill -STOP "$(cat "$DIR/node$1.pid")"; }
resume_node() { load; kill -CONT "$(cat "$DIR/node$1.pid")"; }

stop_node() { # SIGTERM (graceful drain), then wait for the process to exit
  load
  local pid; pid=$(cat "$DIR/node$1.pid")
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  log "node $1 did not stop within 30 s"; return 1
}

up() {
  command -v nginx >/dev/null || { log "nginx is not installed (apt-get install nginx; tests/run.sh does it)"; exit 1; }
  [ -f "$SERVER_DLL" ] || { log "no server build at $SERVER_DLL (dotnet build src/SupportTicket.Server)"; exit 1; }
  mkdir -p "$DIR/redis" "$DIR/pg" "$DIR/nginx/tmp"
  chmod 755 "$DIR"; [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR/pg"
  local base=$((20000 + RANDOM % 10000))
  local pg; pg=$(free_port "$base")
  local redis; redis=$(free_port $((pg + 1)))
  local n1; n1=$(free_port $((redis + 1)))
  local n2; n2=$(free_port $((n1 + 1)))
  local ngx; ngx=$(free_port $((n2 + 1)))
  cat >"$DIR/cluster.env" <<ENV
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PG_PORT=$pg
REDIS_PORT=$redis
NODE1_PORT=$n1
NODE2_PORT=$n2
NGINX_PORT=$ngx
ENV
  load
  $RUN_PG "$PG_BIN/initdb" -D "$DIR/pg/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  start_postgres
  $RUN_PG "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres supportticket
  start_redis
  start_node 1
  start_node 2
  sed -e "s|@DIR@|$DIR|g" -e "s|@NODE1_PORT@|$n1|g" -e "s|@NODE2_PORT@|$n2|g" -e "s|@NGINX_PORT@|$ngx|g" \
    "$HERE/nginx.conf.template" >"$DIR/nginx/nginx.conf"
  nginx -p "$DIR/nginx" -c "$DIR/nginx/nginx.conf" -e "$DIR/nginx/error.log"
  wait_http "http://127.0.0.1:$ngx/health/live" 20
  cat "$DIR/cluster.env"
}

down() {
  [ -f "$DIR/cluster.env" ] || return 0
  load
  [ -f "$DIR/nginx/nginx.pid" ] && kill "$(cat "$DIR/nginx/nginx.pid")" 2>/dev/null || true
  for n in 1 2; do [ -f "$DIR/node$n.pid" ] && kill -CONT "$(cat "$DIR/node$n.pid")" 2>/dev/null || true; done
  for n in 1 2; do [ -f "$DIR/node$n.pid" ] && kill -TERM "$(cat "$DIR/node$n.pid")" 2>/dev/null || true; done
  stop_redis
  $RUN_PG "$PG_BIN/pg_ctl" -D "$DIR/pg/data" -m immediate stop >/dev/null 2>&1 || true
  sleep 1
  for n in 1 2; do [ -f "$DIR/node$n.pid" ] && kill -KILL "$(cat "$DIR/node$n.pid")" 2>/dev/null || true; done
}

case "$CMD" in
  up) up ;;
  down) down ;;
  kill-node) kill_node "${3:?node number}" ;;
  pause-node) pause_node "${3:?node number}" ;;
  resume-node) resume_node "${3:?node number}" ;;
  stop-node) stop_node "${3:?node number}" ;;
  start-node) start_node "${3:?node number}" ;;
  stop-redis) stop_redis ;;
  start-redis) start_redis ;;
  stop-postgres) stop_postgres ;;
  start-postgres) start_postgres ;;
  *) log "unknown command $CMD"; exit 2 ;;
esac
