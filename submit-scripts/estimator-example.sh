#!/usr/bin/env bash
# Runs org.f2ba.examples.EstimatorExample (the Spark ML estimators, README "Spark ML") on
# Parquet tables in Spark ML's form, in local[2]; by default on the embedded Fashion-MNIST
# sample, exported once to data/fashion-mnist-small-tables.
#   submit-scripts/estimator-example.sh [TRAIN_TABLE TEST_TABLE [LABEL_NOISE]]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
if [ $# -eq 0 ]; then
  tables=data/fashion-mnist-small-tables
  if [ ! -d "$tables" ]; then
    submit-scripts/export-tables.sh conf/default.conf "$tables"
  fi
  set -- "$tables/train" "$tables/test"
fi
F2BA_MAIN=org.f2ba.examples.EstimatorExample exec submit-scripts/run-local.sh "$@"
