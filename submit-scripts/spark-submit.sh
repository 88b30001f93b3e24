#!/usr/bin/env bash
# Submits the application jar to an existing Spark 4.1 installation or cluster (Scala 2.13).
#   submit-scripts/spark-submit.sh CONF [key=value ...]
# Environment:
#   SPARK_HOME          the Spark installation (else spark-submit must be on PATH)
#   MASTER              the master URL, e.g. spark://host:7077 or yarn (default: the config's
#                       spark.master)
#   SPARK_SUBMIT_OPTS_EXTRA  more spark-submit options, e.g. "--executor-memory 8g"
# The driver reads CONF and the data files, so run this where they are (client deploy mode).
# Builds the jar with `mvn package -Dspark.scope=provided` when it is missing: it then holds the
# project and its three small libraries, and takes Spark from the installation.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

if [ $# -lt 1 ]; then
  echo "usage: $0 CONF [key=value ...]" >&2
  exit 2
fi

jar=$(ls "$here"/target/f2ba-spark-*-app.jar 2>/dev/null | head -n 1 || true)
if [ -z "$jar" ]; then
  (cd "$here" && mvn -q -B -DskipTests -Dspark.scope=provided package)
  jar=$(ls "$here"/target/f2ba-spark-*-app.jar | head -n 1)
fi

if [ -n "${SPARK_HOME:-}" ]; then
  submit="$SPARK_HOME/bin/spark-submit"
else
  submit=$(command -v spark-submit || true)
fi
if [ -z "$submit" ] || [ ! -x "$submit" ]; then
  echo "spark-submit not found: set SPARK_HOME to a Spark 4.1 installation" >&2
  exit 2
fi

# One thread per BLAS call in the driver (the run sets the executors' environment itself).
export OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
args=(--class org.f2ba.app.F2baApp --conf spark.ui.showConsoleProgress=false)
[ -n "${MASTER:-}" ] && args+=(--master "$MASTER")
# shellcheck disable=SC2206
[ -n "${SPARK_SUBMIT_OPTS_EXTRA:-}" ] && args+=(${SPARK_SUBMIT_OPTS_EXTRA})
exec "$submit" "${args[@]}" "$jar" "$@"
