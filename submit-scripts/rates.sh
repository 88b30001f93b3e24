#!/usr/bin/env bash
# Measures F2BA / F2BSA oracle complexity on the synthetic nonconvex-PL family in the
# deterministic, partially and fully stochastic settings (not part of the tests) and writes
# docs/rates/rates.md, rates.json and rates.png.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/test-classpath.txt
source submit-scripts/java-flags.sh
exec java -Xmx8g -Djava.awt.headless=true "${JAVA_SPARK_FLAGS[@]}" \
  -cp "target/classes:target/test-classes:$(cat target/test-classpath.txt)" \
  org.f2ba.bench.RateExperiment docs/rates
