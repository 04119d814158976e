#!/usr/bin/env bash
# Benchmark of GET /api/months/{month}/results with 2 000 employees (issue 3): Release build, Kestrel on
# 127.0.0.1, a fresh SQLite file, HR signed in; median of 50 timed requests after 10 warm-up requests.
# Walks every page of the month (--page-size rows each, default 2000: one request for 2 000 employees).
# Usage: bench/month-results-api.sh [--employees N] [--runs N] [--warmup N] [--page-size N]
# Results: docs/benchmarks.md, section "Month results API (issue 3)"; the raw output also goes to bench/results/.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
dotnet run -c Release --project bench/Appraisal.Web.Bench -- "$@" | tee "bench/results/month-results-api-$(date -u +%Y%m%dT%H%M%SZ).txt"
