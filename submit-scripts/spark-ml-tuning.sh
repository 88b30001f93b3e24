#!/usr/bin/env bash
# The regularization-tuning protocol against Spark ML's own tuning (LogisticRegression over a
# 13-point regParam grid, as TrainValidationSplit runs it, against the RegularizationTuner) on
# the full Fashion-MNIST (data/get-datasets.sh), in local[2]: writes OUT/spark-ml-tuning.md and
# .json (about 15 minutes on 2 cores). Not part of the tests.
#   submit-scripts/spark-ml-tuning.sh [OUT [FASHION_MNIST_DIR]]
set -euo pipefail
cd "$(dirname "$0")/.."
exec submit-scripts/bench-java.sh 12g org.f2ba.bench.SparkMlTuning "${@:-docs/comparison}"
