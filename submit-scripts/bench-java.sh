#!/usr/bin/env bash
# Builds the test classes and runs a measuring program from them (the benchmarks, the measured
# rates, the comparison), with Spark's JVM flags:
#   submit-scripts/bench-java.sh HEAP CLASS [ARGS ...]
set -euo pipefail
cd "$(dirname "$0")/.."
heap=$1
shift
mvn -q -B -DskipTests test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/test-classpath.txt
source submit-scripts/java-flags.sh
exec java "-Xmx$heap" -Djava.awt.headless=true "${JAVA_SPARK_FLAGS[@]}" \
  -cp "target/classes:target/test-classes:$(cat target/test-classpath.txt)" "$@"
