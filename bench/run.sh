#!/usr/bin/env bash
# Whole-system benchmarks (after `make build`):
#   ./bench/run.sh [args]          Strata's SQL ingestion against DuckDB on 1M and 10M wikipedia
#                                  events (`make bench`); args go to bench/ingest_bench.py, e.g.
#                                  ./bench/run.sh --rows 1M   ./bench/run.sh --rows 1M,10M --worker-memory-mb 256
#   ./bench/run.sh queries [args]  Strata's SQL queries against DuckDB on the same data; args go to
#                                  bench/query_bench.py, e.g. ./bench/run.sh queries --rows 1M
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d bench/node_modules/@duckdb/node-api ]; then
  (cd bench && npm install --no-audit --no-fund)
fi
if [ "${1:-}" = queries ]; then
  shift
  exec /usr/bin/python3 bench/query_bench.py "$@"
fi
exec /usr/bin/python3 bench/ingest_bench.py "$@"
