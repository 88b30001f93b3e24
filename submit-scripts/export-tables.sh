#!/usr/bin/env bash
# Writes the training and test files of a config (idx or libsvm) as Parquet tables in Spark ML's
# form (a vector column "features", a double column "label"): OUT/train and OUT/test, for
# data.format = spark-source. Never replaces an existing OUT.
#   submit-scripts/export-tables.sh CONF OUT [key=value ...]
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 CONF OUT [key=value ...]" >&2
  exit 2
fi
F2BA_MAIN=org.f2ba.app.TableExport exec "$(dirname "$0")/run-local.sh" "$@"
