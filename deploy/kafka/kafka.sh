#!/usr/bin/env bash
# A real, single-node Apache Kafka broker (KRaft, broker+controller in one JVM) on 127.0.0.1,
# without Docker: the jars come from Maven Central (pom.xml beside this file) into .cache/, the
# broker runs from them in the background, its data and logs live under .run/.
#
#   kafka.sh up              start (fetching the jars on first use); waits until the broker answers
#   kafka.sh down [--purge]  stop (SIGTERM, SIGKILL after KAFKA_STOP_TIMEOUT s); --purge deletes the data
#   kafka.sh restart         stop then start, keeping the data
#   kafka.sh status          exit 0 when up, 1 when down
#   kafka.sh logs [-f] [N]   last N (100) lines of the broker's log; -f follows it
#   kafka.sh tool CLASS ...  run a Kafka CLI class from the same jars, e.g.
#                            kafka.sh tool org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:19092 --list
#
# When the broker is up, `up`, `restart` and `status` print `KAFKA_BROKERS=127.0.0.1:<port>` on
# stdout (and nothing else there); progress and errors go to stderr.
#
# Environment: KAFKA_PORT (19092), KAFKA_CONTROLLER_PORT (19093), KAFKA_DATA_DIR (.run/data),
# KAFKA_RUN_DIR (.run), KAFKA_CACHE_DIR (.cache), KAFKA_START_TIMEOUT (90), KAFKA_STOP_TIMEOUT (30),
# KAFKA_HEAP_OPTS, KAFKA_JVM_OPTS, KAFKA_CLUSTER_ID, KAFKA_MVN_ARGS, JAVA_HOME. See README.md.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

abs() { case $1 in /*) printf '%s\n' "$1" ;; *) printf '%s\n' "$PWD/$1" ;; esac; }

HOST=127.0.0.1 # never `localhost`: Node may resolve it to ::1, where nothing listens
PORT=${KAFKA_PORT:-19092}
CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-19093}
CACHE_DIR=$(abs "${KAFKA_CACHE_DIR:-$HERE/.cache}")
RUN_DIR=$(abs "${KAFKA_RUN_DIR:-$HERE/.run}")
DATA_DIR=$(abs "${KAFKA_DATA_DIR:-$RUN_DIR/data}")
START_TIMEOUT=${KAFKA_START_TIMEOUT:-90}
STOP_TIMEOUT=${KAFKA_STOP_TIMEOUT:-30}
HEAP_OPTS=${KAFKA_HEAP_OPTS:--Xmx512m -Xms256m}
JVM_OPTS=${KAFKA_JVM_OPTS:--XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java

LIB_DIR=$CACHE_DIR/lib
STAMP=$CACHE_DIR/stamp
PID_FILE=$RUN_DIR/kafka.pid
LOG_DIR=$RUN_DIR/logs
SERVER_LOG=$LOG_DIR/server.log
OUT_LOG=$LOG_DIR/kafka.out
PROPS=$RUN_DIR/server.properties
ADMIN_PROPS=$RUN_DIR/admin.properties

say() { printf 'kafka: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

for p in "$PORT" "$CONTROLLER_PORT" "$START_TIMEOUT" "$STOP_TIMEOUT"; do
  [[ $p =~ ^[0-9]+$ ]] || die "not a number: '$p' (check KAFKA_PORT, KAFKA_CONTROLLER_PORT, KAFKA_START_TIMEOUT, KAFKA_STOP_TIMEOUT)"
done
[ "$PORT" != "$CONTROLLER_PORT" ] || die "KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ (both $PORT)"

kafka_version() { sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$HERE/pom.xml" | head -n 1; }
VERSION=$(kafka_version)
[ -n "$VERSION" ] || die "no <kafka.version> in $HERE/pom.xml"

# ---------------------------------------------------------------------------------------------
# prerequisites and jars

require_java() {
  if ! command -v "$JAVA" >/dev/null 2>&1; then
    die "java not found${JAVA_HOME:+ (JAVA_HOME=$JAVA_HOME)}. Kafka $VERSION needs a Java runtime (17 recommended; Debian: apt-get install openjdk-17-jre-headless). Or use an existing cluster: set KAFKA_BROKERS=host:port and skip this script."
  fi
  local v
  if ! v=$("$JAVA" -version 2>&1); then
    printf '%s\n' "$v" >&2
    die "'$JAVA -version' failed: the Java runtime is broken"
  fi
}

stamp_value() { printf 'kafka_2.13 %s pom-cksum=%s\n' "$VERSION" "$(cksum <"$HERE/pom.xml" | cut -d ' ' -f 1)"; }

jars_ready() {
  [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(stamp_value)" ] && [ -f "$LIB_DIR/kafka_2.13-$VERSION.jar" ]
}

# Resolves pom.xml's dependencies into $LIB_DIR once; later runs find the stamp and skip Maven.
# Fetches hold $CACHE_DIR/lock (fd 8), as several run dirs or a `tool` call may share one cache.
ensure_jars() {
  jars_ready && return 0
  command -v mvn >/dev/null 2>&1 ||
    die "Maven (mvn) is needed once to fetch Kafka $VERSION from Maven Central into $LIB_DIR (Debian: apt-get install maven)"
  mkdir -p "$CACHE_DIR"
  if command -v flock >/dev/null 2>&1; then
    exec 8>"$CACHE_DIR/lock"
    flock -w 900 8 || die "another kafka.sh has been fetching into $CACHE_DIR for 15 minutes"
    if jars_ready; then exec 8>&-; return 0; fi # fetched by the other one meanwhile
  fi
  local want
  want=$(stamp_value)
  local tmp="$CACHE_DIR/lib.tmp.$$" start=$SECONDS extra=()
  rm -rf "$tmp"
  read -r -a extra <<<"${KAFKA_MVN_ARGS:-}"
  say "fetching Kafka $VERSION and its dependencies from Maven Central into $LIB_DIR (once) ..."
  if ! mvn -q -B -Dstyle.color=never ${extra[@]+"${extra[@]}"} -f "$HERE/pom.xml" \
    dependency:copy-dependencies -DoutputDirectory="$tmp" -DincludeScope=runtime \
    >"$CACHE_DIR/mvn.log" 2>&1; then
    tail -n 50 "$CACHE_DIR/mvn.log" >&2
    rm -rf "$tmp"
    die "Maven could not fetch Kafka $VERSION (full output: $CACHE_DIR/mvn.log)"
  fi
  [ -f "$tmp/kafka_2.13-$VERSION.jar" ] || { rm -rf "$tmp"; die "Maven ran but $tmp/kafka_2.13-$VERSION.jar is missing (see $CACHE_DIR/mvn.log)"; }
  rm -rf "$LIB_DIR"
  mv "$tmp" "$LIB_DIR"
  printf '%s\n' "$want" >"$STAMP"
  exec 8>&-
  say "fetched $(find "$LIB_DIR" -name '*.jar' | wc -l | tr -d ' ') jars in $((SECONDS - start))s"
}

# Runs a Kafka CLI class from the cached jars (small heap, fast-starting JIT, warnings to stderr).
TOOL_CMD=("$JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true
  -Dlog4j.configuration="file:$HERE/tools-log4j.properties" -cp "$LIB_DIR/*")
run_tool() { "${TOOL_CMD[@]}" "$@"; }

# ---------------------------------------------------------------------------------------------
# process and readiness checks

# True when $1 is a live (not zombie) broker JVM started by this script with this run dir: its
# command line has the argument "kafka.Kafka" followed by the argument "$PROPS".
is_our_broker() {
  [[ ${1:-} =~ ^[0-9]+$ ]] || return 1
  kill -0 "$1" 2>/dev/null || return 1
  local args
  if [ -r "/proc/$1/cmdline" ]; then
    args=$(tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null; echo .) || return 1
    [[ $'\n'$args == *$'\nkafka.Kafka\n'"$PROPS"$'\n'* ]]
  else
    args=$(ps -ww -p "$1" -o args= 2>/dev/null) || return 1
    [[ "$args " == *" kafka.Kafka $PROPS "* ]]
  fi
}

# Prints the broker's pid: from the pid file, else (pid file lost) by its exact command line.
find_pid() {
  local pid f
  if [ -f "$PID_FILE" ]; then
    pid=$(cat "$PID_FILE" 2>/dev/null || true)
    if is_our_broker "$pid"; then printf '%s\n' "$pid"; return 0; fi
  fi
  [ -d /proc ] || return 1
  for f in $(grep -lsaF -- "$PROPS" /proc/[0-9]*/cmdline 2>/dev/null || true); do
    pid=${f#/proc/}; pid=${pid%/cmdline}
    if is_our_broker "$pid"; then
      mkdir -p "$RUN_DIR" && printf '%s\n' "$pid" >"$PID_FILE"
      printf '%s\n' "$pid"
      return 0
    fi
  done
  return 1
}

tcp_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# A real request: lists topics through the admin API (needs the broker registered and serving metadata).
metadata_ok() {
  local t=()
  command -v timeout >/dev/null 2>&1 && t=(timeout "$1")
  ${t[@]+"${t[@]}"} "${TOOL_CMD[@]}" org.apache.kafka.tools.TopicCommand --bootstrap-server "$HOST:$PORT" \
    --command-config "$ADMIN_PROPS" --list >/dev/null 2>"$LOG_DIR/ready-check.err"
}

show_log_tail() {
  if [ -s "$SERVER_LOG" ]; then
    say "last 50 lines of $SERVER_LOG:"
    tail -n 50 "$SERVER_LOG" >&2
  else
    say "$SERVER_LOG is empty or missing"
  fi
  local out # what the JVM itself printed since the last start (crashes before logging starts end up here)
  out=$(awk '/^=== .* kafka\.sh: starting/ { buf = ""; next } { buf = buf $0 "\n" } END { printf "%s", buf }' "$OUT_LOG" 2>/dev/null | tail -n 20)
  if [ -n "$out" ]; then
    say "last lines the JVM printed on stdout/stderr ($OUT_LOG):"
    printf '%s\n' "$out" >&2
  fi
}

# Waits until the broker at pid $1 answers; fails fast if the process exits.
wait_ready() {
  local pid=$1 deadline=$((SECONDS + START_TIMEOUT)) left
  while :; do
    if ! is_our_broker "$pid"; then
      say "the broker (pid $pid) exited during startup"
      show_log_tail
      rm -f "$PID_FILE"
      return 1
    fi
    left=$((deadline - SECONDS))
    if [ "$left" -le 0 ]; then
      say "the broker did not answer on $HOST:$PORT within ${START_TIMEOUT}s (KAFKA_START_TIMEOUT); stopping it"
      show_log_tail
      [ -s "$LOG_DIR/ready-check.err" ] && { say "last readiness check said:"; tail -n 5 "$LOG_DIR/ready-check.err" >&2; }
      stop_broker "$pid" || true
      return 1
    fi
    if tcp_open "$PORT"; then
      metadata_ok "$((left < 5 ? 5 : (left > 30 ? 30 : left)))" && return 0
      sleep 1
    else
      sleep 0.25 # a refused connect costs nothing: poll the port often
    fi
  done
}

# ---------------------------------------------------------------------------------------------
# start / stop

new_cluster_id() { # 16 random bytes, base64url without padding, like `StorageTool random-uuid`
  local id
  while :; do
    id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    [ "${id:0:1}" != "-" ] && [ "${#id}" -eq 22 ] && break
  done
  printf '%s\n' "$id"
}

write_config() {
  cat >"$PROPS" <<EOF
# Written by kafka.sh on every start: change kafka.sh or its env vars, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$PORT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
log.dirs=$DATA_DIR

# one node: replication factor 1 everywhere, one partition for the internal topics
auto.create.topics.enable=true
num.partitions=3
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
group.initial.rebalance.delay.ms=0

# small machine
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
log.cleaner.threads=1
log.cleaner.dedupe.buffer.size=33554432
EOF
  cat >"$ADMIN_PROPS" <<EOF
request.timeout.ms=5000
default.api.timeout.ms=10000
EOF
}

format_storage() {
  [ -f "$DATA_DIR/meta.properties" ] && return 0
  mkdir -p "$DATA_DIR"
  local id=${KAFKA_CLUSTER_ID:-$(new_cluster_id)}
  say "formatting $DATA_DIR (KRaft, cluster id $id)"
  if ! run_tool kafka.tools.StorageTool format --config "$PROPS" --cluster-id "$id" --ignore-formatted \
    >"$LOG_DIR/format.log" 2>&1; then
    cat "$LOG_DIR/format.log" >&2
    die "formatting the storage in $DATA_DIR failed"
  fi
}

start_broker() {
  local pid start=$SECONDS
  if pid=$(find_pid); then
    if tcp_open "$PORT"; then
      say "already running (pid $pid) on $HOST:$PORT"
    else
      say "already running (pid $pid) but not answering yet; waiting"
      wait_ready "$pid" || return 1
    fi
    echo "KAFKA_BROKERS=$HOST:$PORT"
    return 0
  fi
  rm -f "$PID_FILE"
  require_java
  ensure_jars
  local p
  for p in "$PORT" "$CONTROLLER_PORT"; do
    tcp_open "$p" && die "$HOST:$p is already in use by another process (not a broker started with run dir $RUN_DIR). Stop it, pick free ports with KAFKA_PORT / KAFKA_CONTROLLER_PORT, or point KAFKA_BROKERS at that broker and skip this script."
  done
  mkdir -p "$LOG_DIR"
  write_config
  format_storage

  local heap=() jvm=() launcher=()
  read -r -a heap <<<"$HEAP_OPTS"
  read -r -a jvm <<<"$JVM_OPTS"
  command -v setsid >/dev/null 2>&1 && launcher=(setsid)
  printf '=== %s kafka.sh: starting Kafka %s on %s:%s\n' "$(date '+%F %T')" "$VERSION" "$HOST" "$PORT" >>"$OUT_LOG"
  say "starting Kafka $VERSION on $HOST:$PORT (controller $HOST:$CONTROLLER_PORT, data $DATA_DIR)"
  # In its own session, detached from every fd of the caller (a test runner waiting for our stdout
  # to close must not wait for the broker too; fds 8 and 9 are locks). The inner shell writes its own pid
  # and execs java, so the pid file holds the JVM's pid whether or not setsid had to fork.
  # shellcheck disable=SC2016 # $$, $0 and $@ are for the inner shell
  ${launcher[@]+"${launcher[@]}"} nohup bash -c 'echo $$ >"$0"; exec "$@"' "$PID_FILE" \
    "$JAVA" ${heap[@]+"${heap[@]}"} ${jvm[@]+"${jvm[@]}"} \
    -Dlog4j.configuration="file:$HERE/log4j.properties" -Dkafka.logs.dir="$LOG_DIR" \
    -cp "$LIB_DIR/*" kafka.Kafka "$PROPS" \
    </dev/null >>"$OUT_LOG" 2>&1 8>&- 9>&- &
  local _
  for _ in $(seq 1 200); do # the inner shell writes it within milliseconds, unless the machine is swamped
    [ -s "$PID_FILE" ] && break
    sleep 0.1
  done
  pid=$(cat "$PID_FILE" 2>/dev/null || true)
  [[ $pid =~ ^[0-9]+$ ]] || { show_log_tail; die "the broker's JVM did not start"; }
  wait_ready "$pid" || return 1
  say "up after $((SECONDS - start))s: pid $pid, log $SERVER_LOG"
  echo "KAFKA_BROKERS=$HOST:$PORT"
}

# SIGTERM, wait up to STOP_TIMEOUT, then SIGKILL.
stop_broker() {
  local pid=$1 deadline=$((SECONDS + STOP_TIMEOUT))
  say "stopping the broker (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  while is_our_broker "$pid"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      say "still running after ${STOP_TIMEOUT}s (KAFKA_STOP_TIMEOUT): sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      local _
      for _ in $(seq 1 50); do is_our_broker "$pid" || break; sleep 0.2; done
      is_our_broker "$pid" && die "pid $pid survived SIGKILL"
      break
    fi
    sleep 0.3
  done
  rm -f "$PID_FILE"
  say "stopped"
}

purge_data() {
  [ -d "$DATA_DIR" ] || { say "no data dir at $DATA_DIR"; return 0; }
  case $DATA_DIR in / | "$HOME" | "$HOME/" | "$HERE" | "$RUN_DIR") die "refusing to delete $DATA_DIR" ;; esac
  if [ "$DATA_DIR" != "$RUN_DIR/data" ] && [ ! -f "$DATA_DIR/meta.properties" ] && [ -n "$(ls -A "$DATA_DIR")" ]; then
    die "refusing to delete $DATA_DIR: it is not empty and has no meta.properties, so it does not look like this broker's data"
  fi
  rm -rf "$DATA_DIR"
  say "deleted $DATA_DIR"
}

# One kafka.sh at a time per run dir changes the broker's state (parallel test runners may all call `up`).
take_lock() {
  mkdir -p "$RUN_DIR"
  command -v flock >/dev/null 2>&1 || return 0
  exec 9>"$RUN_DIR/lock"
  flock -w 600 9 || die "another kafka.sh has held $RUN_DIR/lock for 10 minutes"
}

# ---------------------------------------------------------------------------------------------
# subcommands

cmd_up() { take_lock; start_broker; }

cmd_down() {
  local purge=false
  case ${1:-} in
    "") ;;
    --purge) purge=true ;;
    *) die "usage: kafka.sh down [--purge]" ;;
  esac
  take_lock
  local pid
  if pid=$(find_pid); then stop_broker "$pid"; else rm -f "$PID_FILE"; say "not running"; fi
  if $purge; then purge_data; fi
}

cmd_restart() {
  take_lock
  local pid
  if pid=$(find_pid); then stop_broker "$pid"; else say "was not running"; fi
  start_broker
}

cmd_status() {
  local pid
  if pid=$(find_pid); then
    if tcp_open "$PORT"; then
      say "up: Kafka $VERSION, pid $pid, $HOST:$PORT, data $DATA_DIR, log $SERVER_LOG"
      echo "KAFKA_BROKERS=$HOST:$PORT"
      return 0
    fi
    say "starting or stuck: pid $pid is running but $HOST:$PORT does not answer (see kafka.sh logs)"
    return 1
  fi
  if tcp_open "$PORT"; then
    say "down (not started from $RUN_DIR), but something else listens on $HOST:$PORT"
  else
    say "down"
  fi
  return 1
}

cmd_logs() {
  local follow=false lines=100 a
  for a in "$@"; do
    case $a in
      -f | --follow) follow=true ;;
      *[!0-9]* | "") die "usage: kafka.sh logs [-f] [LINES]" ;;
      *) lines=$a ;;
    esac
  done
  [ -f "$SERVER_LOG" ] || die "no log yet at $SERVER_LOG"
  if $follow; then exec tail -n "$lines" -F "$SERVER_LOG"; fi
  tail -n "$lines" "$SERVER_LOG"
}

cmd_tool() {
  [ $# -ge 1 ] || die "usage: kafka.sh tool MAIN_CLASS [ARGS...]  e.g. kafka.sh tool org.apache.kafka.tools.TopicCommand --bootstrap-server $HOST:$PORT --list"
  require_java
  ensure_jars
  run_tool "$@"
}

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//'; }

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
  up | start) cmd_up "$@" ;;
  down | stop) cmd_down "$@" ;;
  restart) cmd_restart "$@" ;;
  status) cmd_status "$@" ;;
  logs) cmd_logs "$@" ;;
  tool) cmd_tool "$@" ;;
  -h | --help | help) usage ;;
  *) usage >&2; exit 2 ;;
esac
