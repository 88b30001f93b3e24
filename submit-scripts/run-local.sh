#!/usr/bin/env bash
# Runs a config on this machine with the Spark that Maven resolves: no Spark installation needed.
#   submit-scripts/run-local.sh CONF [key=value ...]
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

# Spark 4 on JDK 17 needs these opens (Spark's launcher JavaModuleOptions); netlib's Java BLAS
# uses the incubating Vector API.
flags=(
  --add-modules=jdk.incubator.vector
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false
)
exec java ${JAVA_OPTS:--Xmx8g} "${flags[@]}" -Dlog4j2.configurationFile=conf/log4j2.properties -cp "target/classes:$(cat target/classpath.txt)" \
  org.f2ba.app.F2baApp "$@"
