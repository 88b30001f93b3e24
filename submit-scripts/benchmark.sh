#!/usr/bin/env bash
# Runs the engine benchmarks (not part of the tests) and writes docs/benchmarks/engine-benchmark.md
# and .json. Needs the full Fashion-MNIST (data/get-datasets.sh) or a directory of its idx files:
#   submit-scripts/benchmark.sh [FASHION_MNIST_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
exec submit-scripts/bench-java.sh 12g org.f2ba.bench.EngineBenchmark "${1:-/usr/share/datasets/fashion-mnist}" docs/benchmarks
