#!/usr/bin/env bash
# Runs a config on this machine with the Spark that Maven resolves: no Spark installation needed.
#   submit-scripts/run-local.sh CONF [key=value ...]
# F2BA_MAIN names another of the project's commands (export-tables.sh runs TableExport).
# Builds the project first when the sources are newer than the build.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"

if [ $# -lt 1 ]; then
  echo "usage: $0 CONF [key=value ...]" >&2
  exit 2
fi

stamp=target/classes/.built
if [ ! -f "$stamp" ] || [ ! -f target/classpath.txt ] \
    || [ -n "$(find src pom.xml -newer "$stamp" -print -quit)" ]; then
  echo "building..." >&2
  mvn -q -B -DskipTests compile dependency:build-classpath \
      -Dmdep.outputFile=target/classpath.txt >&2
  touch "$stamp"
fi

source submit-scripts/java-flags.sh
exec java ${JAVA_OPTS:--Xmx8g} "${JAVA_SPARK_FLAGS[@]}" \
  -cp "target/classes:$(cat target/classpath.txt)" "${F2BA_MAIN:-org.f2ba.app.F2baApp}" "$@"
