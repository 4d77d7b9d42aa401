#!/usr/bin/env bash
# Penguin Lab beyond one server, on this computer: PostgreSQL, N Streamlit replicas, nginx in front.
#
#   deploy/start.sh [start]   start what is not running yet (again: nothing changes); prints the address
#   deploy/start.sh stop      stop all of it (the database's files stay: the labs are there next time)
#   deploy/start.sh status    what is running
#
# Options, or the environment variables beside them:
#   --replicas N       PENGUIN_REPLICAS       one a core     Streamlit servers behind nginx (one uses one core)
#   --port P           PENGUIN_PORT           8500           nginx: the address learners open
#   --listen ADDRESS   PENGUIN_LISTEN         127.0.0.1      nginx's address (0.0.0.0: the whole network)
#   --replica-port P   PENGUIN_REPLICA_PORT   8511           replica i listens on P+i-1, loopback only
#   --db-port P        PENGUIN_DB_PORT        8599           PostgreSQL, loopback only
#   --db-connections N PENGUIN_DB_MAX_CONNECTIONS  100 or 10 + 12 a replica, the larger: PostgreSQL's
#                      max_connections; each replica's pool gets an equal share of it, 10 kept spare
#   --per-address N    PENGUIN_PER_ADDRESS    300            nginx: connections one address may hold open (a
#                      class behind one school address: about 3 a learner); more are refused with HTTP 429
#   --dir D            PENGUIN_RUN_DIR        deploy/.run    pids, logs, temporary files, the database
#   --python PY        PENGUIN_PYTHON         .venv/bin/python (made from requirements.txt if missing)
# Each replica trains PENGUIN_TRAINING_SLOTS runs at once (default: this computer's cores / replicas).
# PENGUIN_PUBLIC_URL (say http://lab.example.org:8500): the address in a class's join link and QR code.
#
# Installs Debian's nginx and postgresql when they are missing. Run as root, PostgreSQL runs as the
# postgres user and nginx as www-data, each in its own folder under the run folder.
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"  # runuser, nginx: where Debian puts them, whatever PATH the caller had

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
COMMAND=start
REPLICAS=${PENGUIN_REPLICAS:-$(nproc)}
PORT=${PENGUIN_PORT:-8500}
LISTEN=${PENGUIN_LISTEN:-127.0.0.1}
REPLICA_PORT=${PENGUIN_REPLICA_PORT:-8511}
DB_PORT=${PENGUIN_DB_PORT:-8599}
DB_CONNECTIONS=${PENGUIN_DB_MAX_CONNECTIONS:-}
PER_ADDRESS=${PENGUIN_PER_ADDRESS:-300}
RUN=${PENGUIN_RUN_DIR:-$ROOT/deploy/.run}
PYTHON=${PENGUIN_PYTHON:-}

say() { echo "penguin-lab: $*"; }
die() { echo "penguin-lab: $*" >&2; exit 1; }

usage() { awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "${BASH_SOURCE[0]}"; }

while (($#)); do
  case $1 in
    start | stop | status) COMMAND=$1 ;;
    --replicas) REPLICAS=$2; shift ;;
    --port) PORT=$2; shift ;;
    --listen) LISTEN=$2; shift ;;
    --replica-port) REPLICA_PORT=$2; shift ;;
    --db-port) DB_PORT=$2; shift ;;
    --db-connections) DB_CONNECTIONS=$2; shift ;;
    --per-address) PER_ADDRESS=$2; shift ;;
    --dir) RUN=$2; shift ;;
    --python) PYTHON=$2; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
  shift
done
[[ $REPLICAS =~ ^[1-9][0-9]*$ ]] || die "--replicas must be a number from 1, not '$REPLICAS'"
if [[ -z $DB_CONNECTIONS ]]; then DB_CONNECTIONS=$((10 + 12 * REPLICAS > 100 ? 10 + 12 * REPLICAS : 100)); fi
[[ $DB_CONNECTIONS =~ ^[1-9][0-9]*$ ]] && ((DB_CONNECTIONS >= 10 + 2 * REPLICAS)) ||
  die "--db-connections must be at least 10 + 2 a replica ($((10 + 2 * REPLICAS))), not '$DB_CONNECTIONS'"
[[ $PER_ADDRESS =~ ^[1-9][0-9]*$ ]] || die "--per-address must be a number from 1, not '$PER_ADDRESS'"
POOL=$(((DB_CONNECTIONS - 10) / REPLICAS))  # each replica's share: together they never exhaust PostgreSQL
for port in "$PORT" "$REPLICA_PORT" "$DB_PORT"; do
  if ! [[ $port =~ ^[0-9]+$ ]] || ((port < 1024 || port > 65535)); then
    die "ports are numbers from 1024 to 65535, not '$port'"
  fi
done
mkdir -p "$RUN"
RUN=$(cd "$RUN" && pwd)
DB_DIR=$RUN/postgres
NGINX_DIR=$RUN/nginx

# --- helpers -----------------------------------------------------------------------------------------

# Root runs PostgreSQL as postgres (it refuses root) and nginx as www-data; anyone else runs them as
# themselves.
if ((EUID == 0)); then DB_USER=postgres NGINX_USER=www-data; else DB_USER=$(id -un) NGINX_USER=$(id -un); fi
as() {  # as USER COMMAND...: COMMAND as USER
  local user=$1; shift
  if ((EUID == 0)) && [[ $user != root ]]; then runuser -u "$user" -- "$@"; else "$@"; fi
}

answers() {  # answers PORT PATH: true when http://127.0.0.1:PORT/PATH answers 200 within 2 s
  local fd status=""
  { exec {fd}<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1:%s\r\n\r\n' "$2" "$1" >&"$fd"
  IFS= read -r -t 2 status <&"$fd" || true
  exec {fd}>&-
  [[ $status == "HTTP/1."?" 200"* ]]
}

alive() {  # alive PID WORD: a running process whose command line holds WORD
  [[ -n $1 && -r /proc/$1/cmdline ]] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -q -- "$2"
}

running() {  # running PID: the process exists and is not a zombie waiting for its parent
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  [[ ${stat##*) } != Z* ]]
}

stop_processes() {  # stop_processes PID...: TERM their process groups, KILL what is left after 10 s
  local pid left
  for pid; do kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 100); do
    left=0
    for pid; do if running "$pid"; then left=1; fi; done
    ((left)) || return 0
    sleep 0.1
  done
  for pid; do kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; done
}

pg_bin() {  # Debian's PostgreSQL programs (the newest, if several), or nothing
  local initdb
  initdb=$(printf '%s\n' /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)
  if [[ -x $initdb ]]; then echo "${initdb%/initdb}"; fi
}
nginx_bin() { command -v nginx || { [[ -x /usr/sbin/nginx ]] && echo /usr/sbin/nginx; } || true; }

install_missing() {
  local missing=()
  [[ -n $(nginx_bin) ]] || missing+=(nginx)
  [[ -n $(pg_bin) ]] || missing+=(postgresql)
  ((${#missing[@]})) || return 0
  ((EUID == 0)) || die "missing: ${missing[*]}; install them with: sudo apt-get install -y ${missing[*]}"
  say "installing Debian's ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

find_python() {
  if [[ -z $PYTHON ]]; then
    PYTHON=$ROOT/.venv/bin/python
    if [[ ! -x $PYTHON ]]; then  # as the README's run command does
      say "making $ROOT/.venv with requirements.txt (once)"
      python3 -m venv "$ROOT/.venv"
      "$ROOT/.venv/bin/pip" install --quiet -r "$ROOT/requirements.txt"
    fi
  fi
  "$PYTHON" -c 'import streamlit, psycopg' 2>/dev/null || die "$PYTHON lacks streamlit or psycopg: pip install -r requirements.txt"
}

# --- PostgreSQL: one cluster in $RUN/postgres, database and user 'lab', a password of its own ----------

DB_URL_FILE=$RUN/database.url  # the replicas' PENGUIN_DATABASE_URL (it holds the password: 0600)

start_database() {
  local bin data=$DB_DIR/data password serving
  bin=$(pg_bin)
  if [[ ! -f $data/PG_VERSION ]]; then
    say "creating the PostgreSQL cluster in $DB_DIR"
    if ((EUID == 0)) && ! runuser -u "$DB_USER" -- test -x "$RUN"; then
      die "$DB_USER cannot reach $RUN: pick a --dir whose parent folders others may enter"
    fi
    rm -rf "$DB_DIR" && mkdir -p "$DB_DIR" && chmod 700 "$DB_DIR"
    (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$RUN/database.password")
    cp "$RUN/database.password" "$DB_DIR/pwfile"
    if ((EUID == 0)); then chown -R "$DB_USER:" "$DB_DIR"; fi
    as "$DB_USER" "$bin/initdb" -D "$data" -U lab --pwfile="$DB_DIR/pwfile" -E UTF8 \
      --auth-local=scram-sha-256 --auth-host=scram-sha-256 >"$DB_DIR/initdb.log"
    rm -f "$DB_DIR/pwfile"
  fi
  [[ -s $RUN/database.password ]] || die "$RUN/database.password is gone: delete $DB_DIR to start a new database"
  password=$(<"$RUN/database.password")
  serving=$(sed -n 4p "$data/postmaster.pid" 2>/dev/null || true)  # its port, while it runs
  if [[ -n $serving ]] && ! as "$DB_USER" "$bin/pg_ctl" -D "$data" status >/dev/null; then serving=""; fi
  if [[ -n $serving && $serving == "$DB_PORT" && $(PGPASSWORD=$password "$bin/psql" -h 127.0.0.1 -p "$DB_PORT" \
      -U lab -d postgres -tAc "SHOW max_connections") != "$DB_CONNECTIONS" ]]; then
    say "PostgreSQL allows another number of connections: restarting it with $DB_CONNECTIONS"
    as "$DB_USER" "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
    serving=""
  fi
  if [[ -n $serving && $serving != "$DB_PORT" ]]; then
    say "PostgreSQL runs on port $serving: restarting it on $DB_PORT"
    as "$DB_USER" "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null
    serving=""
  fi
  if [[ -z $serving ]]; then
    as "$DB_USER" "$bin/pg_ctl" -D "$data" -l "$DB_DIR/log" -w \
      -o "-p $DB_PORT -k $DB_DIR -c listen_addresses=127.0.0.1 -c max_connections=$DB_CONNECTIONS" start >/dev/null ||
      die "PostgreSQL did not start: see $DB_DIR/log"
  fi
  if [[ -z $(PGPASSWORD=$password "$bin/psql" -h 127.0.0.1 -p "$DB_PORT" -U lab -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = 'lab'") ]]; then
    PGPASSWORD=$password "$bin/createdb" -h 127.0.0.1 -p "$DB_PORT" -U lab lab
  fi
  (umask 077 && echo "postgresql+psycopg://lab:$password@127.0.0.1:$DB_PORT/lab" >"$DB_URL_FILE")
}

stop_database() {
  local bin data=$DB_DIR/data
  bin=$(pg_bin)
  [[ -n $bin && -f $data/postmaster.pid ]] || return 0
  as "$DB_USER" "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
}

# --- the Streamlit replicas: replica i on port REPLICA_PORT+i-1, its pid file "pid port db-port pool" ---

replica_port() { echo $((REPLICA_PORT + $1 - 1)); }

all_replicas() {  # the numbers of the replicas with a pid file
  local file i
  for file in "$RUN"/replica-*.pid; do
    [[ -e $file ]] || continue
    i=${file##*/replica-}; echo "${i%.pid}"
  done
}

start_replicas() {
  local i port pid url slots cores started=() old_port old_db old_pool
  url=$(<"$DB_URL_FILE")
  cores=$(nproc)
  slots=${PENGUIN_TRAINING_SLOTS:-$((cores / REPLICAS > 0 ? cores / REPLICAS : 1))}
  for i in $(all_replicas); do  # fewer replicas than last time: stop the ones beyond
    if ((i > REPLICAS)); then stop_replicas "$i"; fi
  done
  for ((i = 1; i <= REPLICAS; i++)); do
    port=$(replica_port "$i")
    if [[ -f $RUN/replica-$i.pid ]]; then
      read -r pid old_port old_db old_pool <"$RUN/replica-$i.pid" || true
      if alive "$pid" "--server.port $port " && [[ $old_port == "$port" && $old_db == "$DB_PORT" &&
          $old_pool == "$POOL" ]]; then
        continue  # already serving, on the same port and database
      fi
      stop_replicas "$i"
    fi
    rm -rf "$RUN/tmp/replica-$i" && mkdir -p "$RUN/tmp/replica-$i"  # what a killed replica left is gone
    (
      cd "$ROOT"
      # setsid: the replica and its helper processes are one process group, stopped together.
      # X-Real-IP: nginx sets it to the learner's address (the replica itself listens on loopback only), so
      # the replicas' fairness budgets count each address, not nginx's.
      export PENGUIN_DATABASE_URL=$url PENGUIN_TRAINING_SLOTS=$slots PENGUIN_DB_CONNECTIONS=$POOL \
        PENGUIN_CLIENT_HEADER=X-Real-IP TMPDIR=$RUN/tmp/replica-$i
      exec setsid "$PYTHON" -m streamlit run app.py \
        --server.address 127.0.0.1 --server.port "$port" --server.headless true \
        --browser.gatherUsageStats false --server.fileWatcherType none
    ) </dev/null >>"$RUN/replica-$i.log" 2>&1 &
    echo "$! $port $DB_PORT $POOL" >"$RUN/replica-$i.pid"
    started+=("$i")
  done
  for i in "${started[@]}"; do  # they start side by side; wait for each to answer
    port=$(replica_port "$i")
    read -r pid _ <"$RUN/replica-$i.pid"
    for _ in $(seq 900); do
      answers "$port" /_stcore/health && continue 2
      running "$pid" || break
      sleep 0.1
    done
    tail -n 20 "$RUN/replica-$i.log" >&2
    die "replica $i (port $port) did not start: see $RUN/replica-$i.log"
  done
}

stop_replicas() {  # stop_replicas I...: stop these replicas, side by side
  local i pid pids=()
  for i; do
    read -r pid _ <"$RUN/replica-$i.pid" || true
    if alive "$pid" streamlit; then pids+=("$pid"); fi
  done
  if ((${#pids[@]})); then stop_processes "${pids[@]}"; fi
  for i; do rm -f "$RUN/replica-$i.pid"; done
}

# --- nginx in front: deploy/nginx.conf filled in, run from $RUN/nginx -----------------------------------

write_nginx_conf() {
  local i j port upstreams="" routes="" served="" line
  for ((i = 1; i <= REPLICAS; i++)); do
    port=$(replica_port "$i")
    upstreams+="    upstream penguin_$i {"$'\n'"        server 127.0.0.1:$port max_fails=1 fail_timeout=10s;"$'\n'
    for ((j = 1; j <= REPLICAS; j++)); do
      ((j == i)) || upstreams+="        server 127.0.0.1:$(replica_port "$j") backup;"$'\n'
    done
    upstreams+="    }"$'\n'
    routes+="        $i penguin_$i;"$'\n'
    served+="        \"~127\\.0\\.0\\.1:$port\$\" $i;"$'\n'
  done
  upstreams+="    upstream penguin_any {"$'\n'"        least_conn;"$'\n'
  for ((i = 1; i <= REPLICAS; i++)); do
    upstreams+="        server 127.0.0.1:$(replica_port "$i") max_fails=1 fail_timeout=10s;"$'\n'
  done
  upstreams+="    }"$'\n'
  while IFS= read -r line; do
    case $line in
      @UPSTREAMS@) printf '%s' "$upstreams" ;;
      @ROUTES@) printf '%s' "$routes" ;;
      @SERVED@) printf '%s' "$served" ;;
      *) line=${line//@RUN_DIR@/$NGINX_DIR}; line=${line//@PER_ADDRESS@/$PER_ADDRESS}
         echo "${line//@LISTEN@/$LISTEN:$PORT}" ;;
    esac
  done <"$ROOT/deploy/nginx.conf" >"$NGINX_DIR/nginx.conf"
}

nginx_as() { as "$NGINX_USER" "$(nginx_bin)" -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf" -e "$NGINX_DIR/error.log" "$@"; }

start_nginx() {
  local pid
  mkdir -p "$NGINX_DIR/tmp"
  write_nginx_conf
  if ((EUID == 0)); then chown -R "$NGINX_USER:" "$NGINX_DIR"; fi
  nginx_as -t -q || die "nginx refused $NGINX_DIR/nginx.conf"
  pid=$(cat "$NGINX_DIR/nginx.pid" 2>/dev/null || true)
  if alive "$pid" nginx; then
    nginx_as -s reload  # the replicas may have changed
  else
    nginx_as || die "nginx did not start: see $NGINX_DIR/error.log"
  fi
  for _ in $(seq 100); do answers "$PORT" /_stcore/health && return 0; sleep 0.1; done
  die "nginx does not answer on port $PORT: see $NGINX_DIR/error.log"
}

stop_nginx() {
  local pid
  pid=$(cat "$NGINX_DIR/nginx.pid" 2>/dev/null || true)
  if alive "$pid" nginx; then
    kill -TERM "$pid"  # at once: a graceful stop would wait for every learner's websocket to close
    for _ in $(seq 100); do running "$pid" || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$NGINX_DIR/nginx.pid"
}

# --- the commands ------------------------------------------------------------------------------------

show_status() {
  local file pid port pg
  pid=$(cat "$NGINX_DIR/nginx.pid" 2>/dev/null || true)
  if alive "$pid" nginx; then say "nginx: running (pid $pid)"; else say "nginx: stopped"; fi
  for file in "$RUN"/replica-*.pid; do
    [[ -e $file ]] || continue
    read -r pid port _ <"$file" || true
    if alive "$pid" streamlit; then say "${file##*/}: running on port $port (pid $pid)"
    else say "${file##*/}: not running (port $port)"; fi
  done
  pg=$(pg_bin)
  if [[ -n $pg && -f $DB_DIR/data/PG_VERSION ]] && as "$DB_USER" "$pg/pg_ctl" -D "$DB_DIR/data" status >/dev/null 2>&1
  then say "PostgreSQL: running on port $(sed -n 4p "$DB_DIR/data/postmaster.pid")"; else say "PostgreSQL: stopped"; fi
}

case $COMMAND in
  start)
    install_missing
    find_python
    start_database
    start_replicas
    start_nginx
    say "$REPLICAS replicas on ports $(replica_port 1)-$(replica_port "$REPLICAS"), PostgreSQL on $DB_PORT; logs in $RUN"
    where=""
    if [[ $RUN != "$ROOT/deploy/.run" ]]; then where=" --dir $RUN"; fi
    say "open http://$([[ $LISTEN == 0.0.0.0 ]] && hostname -f || echo "$LISTEN"):$PORT   (stop: $0 stop$where)"
    ;;
  stop)
    stop_nginx
    mapfile -t replicas < <(all_replicas)
    if ((${#replicas[@]})); then stop_replicas "${replicas[@]}"; fi
    stop_database
    say "stopped (the labs stay in $DB_DIR)"
    ;;
  status) show_status ;;
esac
