#!/usr/bin/env bash
# Every solver on the same problems, data, starting point and wall-clock budget, with a small
# step-size grid each and 2 seeds, the best setting per solver chosen by the validation loss
# after the refit (not part of the tests; about 50 minutes on 2 cores). Writes
# docs/comparison/PROBLEM.md, PROBLEM.json and the plots (arguments after the output directory:
# the problems to run, all where none is named); the runs go to
# target/comparison-runs. `compare.sh docs/comparison table3` runs the protocol of the companion
# paper's Table 3 on the full Fashion-MNIST instead (data/get-datasets.sh) and writes
# docs/comparison/table3.md; `compare.sh docs/adversarial table2` the protocol of its Table 2
# (adversarial training on data/diabetes, on data/abalone/abalone where present, and on each
# LIBSVM regression file named after it as FILE:FEATURES; about 4 minutes a dataset of some
# hundred rows) and writes docs/adversarial/table2.md; `compare.sh docs/network network` the network
# against the linear model on the full Fashion-MNIST and writes docs/network/network.md.
set -euo pipefail
cd "$(dirname "$0")/.."
exec submit-scripts/bench-java.sh 8g org.f2ba.bench.Comparison "${@:-docs/comparison}"
