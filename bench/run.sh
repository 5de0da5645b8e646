#!/usr/bin/env bash
# Whole-system benchmarks (`make bench`, after `make build`): Strata's SQL ingestion against
# DuckDB on 1M and 10M wikipedia events. Arguments go to bench/ingest_bench.py, e.g.
#   ./bench/run.sh --rows 1M            ./bench/run.sh --rows 1M,10M --worker-memory-mb 256
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d bench/node_modules/@duckdb/node-api ]; then
  (cd bench && npm install --no-audit --no-fund)
fi
exec /usr/bin/python3 bench/ingest_bench.py "$@"
