#!/usr/bin/env bash
# Cost and memory against rows on synthetic data the executors generate (not part of the tests;
# about an hour on 2 cores with the default sizes, most of it the 6M-row runs kept on disk):
# runs conf/synthetic-scale.conf on a standalone cluster of this machine and in local[2], and
# writes OUT/scale.md and scale.json.
#   submit-scripts/scale.sh [OUT [dense|sparse|per-sample [TRAINING_ROWS ...]]]   (OUT defaults
#   to docs/benchmarks; sparse runs conf/sparse-scale.conf and writes OUT/sparse-scale.md, .json;
#   per-sample runs conf/hyperclean-scale.conf with the weights shipped whole, per shard and
#   kept with their rows, and writes OUT/per-sample-scale.md, .json)
set -euo pipefail
cd "$(dirname "$0")/.."
exec submit-scripts/bench-java.sh 2g org.f2ba.bench.ScaleBenchmark "${@:-docs/benchmarks}"
