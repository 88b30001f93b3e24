#!/usr/bin/env bash
# A Spark standalone cluster on this machine, from the Maven-resolved Spark jars (no Spark
# download): one master and two workers on loopback, each a JVM of its own with one core.
#   submit-scripts/cluster.sh start     # prints the master URL
#   submit-scripts/cluster.sh submit CONF [key=value ...]   # the application jar, via SparkSubmit
#   submit-scripts/cluster.sh stop      # stops the workers (and their executors) and the master
# Only its owner can use it: start generates a secret for this cluster into CLUSTER_DIR/secret
# (readable by the user alone), the master and workers require it (spark.authenticate), and
# submit passes it to the application (spark.secret-file); it appears on no command line.
# Environment: CLUSTER_DIR (default target/spark-cluster), CLUSTER_HOST (the address the master
# and workers bind to, default 127.0.0.1), MASTER_PORT (default 7077), WORKER_MEMORY (default
# 3g), EXECUTOR_MEMORY (default 2g), DRIVER_MEMORY (default 6g), WORKERS (default 2).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
source submit-scripts/java-flags.sh

cluster=${CLUSTER_DIR:-$here/target/spark-cluster}
host=${CLUSTER_HOST:-127.0.0.1}
port=${MASTER_PORT:-7077}
workers=${WORKERS:-2}
master_url="spark://$host:$port"
export SPARK_HOME="$here/target/spark-home"
export SPARK_SCALA_VERSION=2.13
export SPARK_LOCAL_IP=$host
export SPARK_LOG_DIR="$cluster/logs"
# The cluster's secret: for the application (spark.secret-file), and as the properties file of
# the master and workers. Both readable by the user alone.
secret="$cluster/secret"
daemon_conf="$cluster/daemon.properties"

# Every JVM of this cluster, executors and driver included, carries this marker, by which stop
# finds anything left over.
marker="-Df2ba.cluster=$cluster"

spark_home() {
  # `mvn package` builds the application jar and fills target/spark-home/jars with Spark's
  # runtime dependencies; build when either is missing or older than the sources.
  local jar
  jar=$(ls target/f2ba-spark-*-app.jar 2>/dev/null | head -n 1 || true)
  if [ -z "$jar" ] || [ ! -d "$SPARK_HOME/jars" ] \
      || [ -n "$(find src pom.xml -newer "$jar" -print -quit)" ]; then
    mvn -q -B -DskipTests package >&2
  fi
}

# Master and workers log at Spark's default level (INFO), which start() reads to know they are up.
# They read the secret from their properties file; their web UIs cannot kill applications, and
# the master's REST submission server stays off.
daemon() {
  local flags=()
  for f in "${JAVA_SPARK_FLAGS[@]}"; do
    [[ $f == -Dlog4j2.configurationFile=* ]] || flags+=("$f")
  done
  local class=$1
  shift
  exec java "${flags[@]}" "$marker" -Xmx512m -cp "$SPARK_HOME/jars/*" "$class" \
    --properties-file "$daemon_conf" "$@"
}

# A new secret for a cluster that is not running.
new_secret() {
  local key
  key=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
  (
    umask 077
    rm -f "$secret" "$daemon_conf"
    printf '%s\n' "$key" > "$secret"
    printf 'spark.authenticate true\nspark.authenticate.secret %s\nspark.ui.killEnabled false\nspark.master.rest.enabled false\n' \
      "$key" > "$daemon_conf"
  )
}

# Waits up to a minute for LINE to appear in LOG; else stops the cluster and fails with WHAT.
wait_for() {
  local line=$1 log=$2 what=$3
  for _ in $(seq 1 120); do
    grep -q "$line" "$log" && return
    sleep 0.5
  done
  echo "$what; see $log" >&2
  stop
  exit 1
}

start() {
  spark_home
  mkdir -p "$cluster/logs" "$cluster/workers"
  if [ -f "$cluster/master.pid" ] && kill -0 "$(cat "$cluster/master.pid")" 2>/dev/null; then
    echo "already running: $master_url" >&2
    echo "$master_url"
    return
  fi
  new_secret
  daemon org.apache.spark.deploy.master.Master --host "$host" \
      --port "$port" --webui-port 0 > "$cluster/logs/master.log" 2>&1 &
  echo $! > "$cluster/master.pid"
  wait_for "I have been elected leader" "$cluster/logs/master.log" "the master did not start"
  for w in $(seq 1 "$workers"); do
    daemon org.apache.spark.deploy.worker.Worker --host "$host" --cores 1 \
        --memory "${WORKER_MEMORY:-3g}" --webui-port 0 --work-dir "$cluster/workers/worker-$w" \
        "$master_url" > "$cluster/logs/worker-$w.log" 2>&1 &
    echo $! > "$cluster/worker-$w.pid"
  done
  for w in $(seq 1 "$workers"); do
    wait_for "Successfully registered with master" "$cluster/logs/worker-$w.log" \
      "worker $w did not register"
  done
  echo "$master_url"
}

submit() {
  spark_home
  local jar
  jar=$(ls target/f2ba-spark-*-app.jar | head -n 1)
  # The cluster's secret goes right after CONF, so that a later spark.secret-file=... wins.
  local args=() placed=
  for a in "$@"; do
    args+=("$a")
    if [ -z "$placed" ] && [[ $a != -* ]]; then
      args+=("spark.secret-file=$secret")
      placed=1
    fi
  done
  # exec: the driver is this process, so that SIGTERM reaches it (and stops it at a safe point).
  exec java "${JAVA_SPARK_FLAGS[@]}" "$marker" -cp "$SPARK_HOME/jars/*" \
    -Xmx${DRIVER_MEMORY:-6g} org.apache.spark.deploy.SparkSubmit \
    --master "$master_url" --class org.f2ba.app.F2baApp \
    --executor-memory "${EXECUTOR_MEMORY:-2g}" \
    --conf spark.driver.host="$host" \
    --conf spark.ui.enabled=false \
    --conf "spark.executor.extraJavaOptions=--add-modules=jdk.incubator.vector $marker" \
    "$jar" "${args[@]}"
}

stop() {
  for f in "$cluster"/worker-*.pid "$cluster/master.pid"; do
    [ -f "$f" ] || continue
    kill "$(cat "$f")" 2>/dev/null || true
  done
  # Wait for the workers to stop their executors, then make sure nothing of the cluster is left.
  for _ in $(seq 1 40); do
    pgrep -f -- "$marker( |$)" >/dev/null || break
    sleep 0.25
  done
  pkill -9 -f -- "$marker( |$)" 2>/dev/null || true
  rm -f "$cluster"/*.pid "$secret" "$daemon_conf"
}

case "${1:-}" in
  start) start ;;
  submit) shift; submit "$@" ;;
  stop) stop ;;
  *) echo "usage: $0 start | submit CONF [key=value ...] | stop" >&2; exit 2 ;;
esac
