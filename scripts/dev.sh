#!/usr/bin/env bash
# The first README command: brings OverthinkService up on this machine with demo data.
#   scripts/dev.sh          install what is missing, start PostgreSQL, the API and one worker, load the demo data
#   scripts/dev.sh stop     stop the worker, the API and the local PostgreSQL (data is kept in .data/postgres)
#   scripts/dev.sh restart  stop the worker and the API, rebuild, start again
#   scripts/dev.sh status   what runs, and whether it is ready
#   scripts/dev.sh logs [worker]   follow the API's (or the worker's) log
# Environment: OVERTHINK_URL (default http://127.0.0.1:5080) is where the API listens;
# ConnectionStrings__Overthink, when set, is used instead of the local PostgreSQL.
# The worker replays in Docker: the script starts dockerd and builds the sandbox image when it can; without
# Docker the worker still runs (judgments, rescores, audits) and replays fail transiently and retry.
# Idempotent: a second run reuses what already runs and only (re)loads the demo data, which is stored once.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
cd "$ROOT"

URL="${OVERTHINK_URL:-http://127.0.0.1:5080}"
URL="${URL%/}"
BUILD_DIR="$DATA_DIR/build/api"
API_PID="$RUN_DIR/api.pid"
API_LOG="$LOG_DIR/api.log"
WORKER_BUILD_DIR="$DATA_DIR/build/worker"
WORKER_PID="$RUN_DIR/worker.pid"
WORKER_LOG="$LOG_DIR/worker.log"
# A fixed instance id: a restarted dev worker recognises the sandboxes its previous life left, and removes them.
WORKER_ID="${OVERTHINK_WORKER_ID:-dev-worker-1}"
DOCKER_READY=""

running_pid() {
  local file="$1" pid
  [ -f "$file" ] || return 1
  pid="$(cat "$file")"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then echo "$pid"; return 0; fi
  rm -f "$file"
  return 1
}

# stop_pid FILE NAME — SIGTERM, then SIGKILL after 20 s.
stop_pid() {
  local file="$1" name="$2" pid i
  pid="$(running_pid "$file")" || { say "$name is not running"; return 0; }
  say "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for i in $(seq 1 40); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$file"; return 0; }
    sleep 0.5
  done
  warn "$name did not stop in 20 s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$file"
}

database_connection() {
  if [ -n "${ConnectionStrings__Overthink:-}" ]; then
    say "using the database in ConnectionStrings__Overthink"
    DB_CONNECTION="$ConnectionStrings__Overthink"
  else
    ensure_local_postgres
    DB_CONNECTION="$LOCAL_PG_CONNECTION;Database=overthink"
  fi
}

build_api() {
  say "building the API (Release) into ${BUILD_DIR#"$ROOT"/}"
  dotnet publish src/OverthinkService.Api -c Release -o "$BUILD_DIR" -nologo -v quiet -clp:ErrorsOnly >"$LOG_DIR/build.log" 2>&1 \
    || { cat "$LOG_DIR/build.log" >&2; die "the build failed; see $LOG_DIR/build.log"; }
}

start_api() {
  if curl -s -o /dev/null "$URL/health/live" 2>/dev/null; then
    die "something else already answers on $URL; stop it or choose another address with OVERTHINK_URL"
  fi
  say "starting the API on $URL (log: ${API_LOG#"$ROOT"/})"
  # The published folder is the content root (appsettings.json); migrations are applied at start-up.
  (
    cd "$BUILD_DIR"
    ConnectionStrings__Overthink="$DB_CONNECTION" \
    Database__ApplyMigrations=true \
    DOTNET_ENVIRONMENT="${DOTNET_ENVIRONMENT:-Development}" \
      setsid nohup dotnet OverthinkService.Api.dll --urls "$URL" >>"$API_LOG" 2>&1 </dev/null &
    echo $! >"$API_PID"
  )
}

build_worker() {
  say "building the worker (Release) into ${WORKER_BUILD_DIR#"$ROOT"/}"
  dotnet publish src/OverthinkService.Worker -c Release -o "$WORKER_BUILD_DIR" -nologo -v quiet -clp:ErrorsOnly >"$LOG_DIR/build-worker.log" 2>&1 \
    || { cat "$LOG_DIR/build-worker.log" >&2; die "the worker build failed; see $LOG_DIR/build-worker.log"; }
}

# Docker for the worker's replays: started (and the sandbox image built, once) when possible; never fatal.
docker_for_replays() {
  if ( ensure_docker && ensure_sandbox_image ); then
    DOCKER_READY=1
  else
    warn "Docker is not available: the worker runs without it; replays fail transiently and retry until it is (see $URL/api/v1/jobs)"
  fi
}

start_worker() {
  say "starting worker $WORKER_ID (log: ${WORKER_LOG#"$ROOT"/})"
  # Started once the API is ready: the API applied the migrations and Quartz's tables, which a worker only validates.
  (
    cd "$WORKER_BUILD_DIR"
    ConnectionStrings__Overthink="$DB_CONNECTION" \
    Worker__InstanceId="$WORKER_ID" \
    DOTNET_ENVIRONMENT="${DOTNET_ENVIRONMENT:-Development}" \
      setsid nohup dotnet OverthinkService.Worker.dll >>"$WORKER_LOG" 2>&1 </dev/null &
    echo $! >"$WORKER_PID"
  )
  sleep 2
  running_pid "$WORKER_PID" >/dev/null || { tail -n 40 "$WORKER_LOG" >&2; die "the worker exited during start-up; see $WORKER_LOG"; }
}

# The demo task (demo/task): its environment and workspace, then its four trajectories, which the worker replays.
load_demo_task() {
  local manifest="$ROOT/demo/trajectories/manifest.json" task archive code file format run model agent
  task="$(sed -n 's/^ *"taskId": *"\([^"]*\)".*/\1/p' "$manifest" | head -1)"
  code="$(curl -sS -o /dev/null -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
    --data-binary "@$ROOT/demo/task/environment.json" "$URL/api/v1/tasks/$task/environment")" || code=000
  [[ "$code" == 20[01] ]] || { warn "registering the demo task's environment answered HTTP $code"; return 0; }
  archive="$("$ROOT/demo/pack-workspace.sh" "$DATA_DIR/demo/$task-workspace.tar.gz")"
  code="$(curl -sS -o /dev/null -w '%{http_code}' -X PUT --data-binary "@$archive" "$URL/api/v1/tasks/$task/environment/workspace")" || code=000
  [ "$code" = 200 ] || { warn "uploading the demo workspace answered HTTP $code"; return 0; }
  echo "Loading the demo task $task (environment, workspace, trajectories; the worker replays them)"
  # One line per trajectory of the manifest: file, format, run, model, agent.
  while IFS=$'\t' read -r file format run model agent; do
    code="$(curl -sS -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' --data-binary "@$ROOT/demo/trajectories/$file" \
      "$URL/api/v1/trajectories?taskId=$task&format=$format&run=$run&model=$model&agent=$agent")" || code=000
    printf '  %-60s HTTP %s\n' "$file" "$code"
  done < <(awk -F'"' '
    /"file":/  { file = $4 }   /"format":/ { format = $4 }   /"run":/ { run = $4 }
    /"model":/ { model = $4 }  /"agent":/  { print file "\t" format "\t" run "\t" model "\t" $4 }' "$manifest")
}

wait_ready() {
  say "waiting for $URL/health/ready"
  local i pid
  for i in $(seq 1 120); do
    if curl -fsS -o /dev/null "$URL/health/ready" 2>/dev/null; then return 0; fi
    pid="$(running_pid "$API_PID")" || { tail -n 40 "$API_LOG" >&2; die "the API exited during start-up; see $API_LOG"; }
    sleep 1
  done
  tail -n 40 "$API_LOG" >&2
  die "the API was not ready after 120 s; see $API_LOG (and $URL/health/ready)"
}

cmd_start() {
  ensure_dotnet
  # npm: the API build installs the dashboard's chart library (Debian's npm brings nodejs).
  ensure_packages curl:curl tar:tar npm:npm
  database_connection
  docker_for_replays
  if pid="$(running_pid "$API_PID")"; then
    say "the API is already running (pid $pid); 'scripts/dev.sh restart' rebuilds and restarts it"
  else
    build_api
    start_api
  fi
  wait_ready
  if pid="$(running_pid "$WORKER_PID")"; then
    say "the worker is already running (pid $pid)"
  else
    build_worker
    start_worker
  fi
  "$ROOT/demo/load.sh" "$URL"
  load_demo_task
  cat <<EOF

OverthinkService is running at $URL, with worker $WORKER_ID$([ -n "$DOCKER_READY" ] || echo " (no Docker: replays wait for it)")
  dashboard      $URL/
  health         $URL/health/ready
  trajectories   $URL/api/v1/trajectories
  tasks          $URL/api/v1/tasks
  jobs           $URL/api/v1/jobs
  OpenAPI        $URL/openapi/v1.json
  post one       curl -X POST '$URL/api/v1/trajectories?taskId=my-task' --data-binary @trajectory.json
Logs: scripts/dev.sh logs [worker]      Stop: scripts/dev.sh stop
EOF
}

cmd_stop() {
  stop_pid "$WORKER_PID" "the worker"
  stop_pid "$API_PID" "the API"
  if [ -z "${ConnectionStrings__Overthink:-}" ] && [ -f "$PG_DATA/PG_VERSION" ] && bin="$(pg_bin)"; then
    if pg_as_owner "$bin/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
      say "stopping the local PostgreSQL (data kept in ${PG_DATA#"$ROOT"/})"
      pg_as_owner "$bin/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
    fi
  fi
}

cmd_status() {
  local pid
  if pid="$(running_pid "$API_PID")"; then
    echo "API: running (pid $pid) at $URL"
    curl -sS "$URL/health/ready" 2>/dev/null && echo || echo "API: not answering on $URL"
  else
    echo "API: stopped"
  fi
  if pid="$(running_pid "$WORKER_PID")"; then
    echo "worker: running (pid $pid) as $WORKER_ID"
  else
    echo "worker: stopped"
  fi
  if bin="$(pg_bin)" && [ -f "$PG_DATA/PG_VERSION" ] && pg_as_owner "$bin/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    echo "PostgreSQL: running on 127.0.0.1:$PG_PORT (data in ${PG_DATA#"$ROOT"/})"
  else
    echo "PostgreSQL (local): stopped"
  fi
}

case "${1:-start}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  restart) stop_pid "$WORKER_PID" "the worker"; stop_pid "$API_PID" "the API"; cmd_start ;;
  status) cmd_status ;;
  logs) if [ "${2:-}" = worker ]; then log="$WORKER_LOG"; else log="$API_LOG"; fi; touch "$log"; exec tail -n 200 -F "$log" ;;
  -h|--help|help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' ;;
  *) die "unknown command '$1'; use start, stop, restart, status or logs" ;;
esac
