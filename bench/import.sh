#!/usr/bin/env bash
# Sales import benchmark (issue 8): RUNS runs of 50 000 rows on SQLite and on PostgreSQL, one process per run,
# each timed by the program (upload→preview→confirm through the real endpoints) and by /usr/bin/time -f '%e %M'.
#   bench/import.sh                       (POSTGRES="Host=127.0.0.1;Port=5432;Username=appraisal;Password=appraisal" RUNS=3 AGENTS=50000)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
AGENTS=${AGENTS:-50000}
POSTGRES=${POSTGRES:-"Host=127.0.0.1;Port=5432;Username=appraisal;Password=appraisal"}
dotnet build bench/Appraisal.Bench.Import -c Release --nologo -v quiet -clp:ErrorsOnly
dll=bench/Appraisal.Bench.Import/bin/Release/net10.0/appraisal-bench-import.dll
for db in sqlite postgres; do
  for run in $(seq "$RUNS"); do
    if [ "$db" = postgres ]; then extra=(--postgres "$POSTGRES"); else extra=(); fi
    /usr/bin/time -f "$db run $run: wall %e s, peak RSS %M KB" dotnet "$dll" --agents "$AGENTS" "${extra[@]}" 2>&1 | grep -E '^import|run [0-9]+:'
  done
done
