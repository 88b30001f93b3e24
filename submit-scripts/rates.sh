#!/usr/bin/env bash
# Measures F2BA / F2BSA oracle complexity on the synthetic nonconvex-PL family in the
# deterministic, partially and fully stochastic settings (not part of the tests) and writes
# docs/rates/rates.md, rates.json and rates.png.
set -euo pipefail
cd "$(dirname "$0")/.."
exec submit-scripts/bench-java.sh 8g org.f2ba.bench.RateExperiment docs/rates
