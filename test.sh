#!/usr/bin/env bash
# Runs every test project of the solution and prints, as its last line,
# "N passed, N failed, N skipped" (the line CI reads). Exit code 0 only when nothing failed
# and, under CI=true, nothing was skipped.
set -uo pipefail
cd "$(dirname "$0")"

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

dotnet build Appraisal.slnx -c Release --nologo -v quiet -clp:ErrorsOnly
build=$?
if [ $build -ne 0 ]; then
  echo "build failed"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

dotnet test --solution Appraisal.slnx -c Release --no-build --report-trx --results-directory "$results" "$@"
status=$?

# The web integration tests run a second time on PostgreSQL when a server is given (CI always gives one).
if [ -n "${APPRAISAL_TEST_POSTGRES:-}" ]; then
  mkdir -p "$results/postgres"
  APPRAISAL_TEST_DB=postgres dotnet test --project tests/Appraisal.Web.Tests -c Release --no-build \
    --report-trx --results-directory "$results/postgres" "$@"
  pg=$?
  [ $pg -ne 0 ] && status=$pg
elif [ "${CI:-}" = "true" ]; then
  echo "CI=true but APPRAISAL_TEST_POSTGRES is not set: the PostgreSQL run cannot be skipped"
  status=1
fi

passed=0; failed=0; skipped=0; files=0
for trx in "$results"/*.trx "$results"/postgres/*.trx; do
  [ -e "$trx" ] || continue
  files=$((files + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  total=$(get total); p=$(get passed); f=$(get failed); e=$(get error); t=$(get timeout); ab=$(get aborted)
  passed=$((passed + p))
  failed=$((failed + f + e + t + ab))
  skipped=$((skipped + total - p - f - e - t - ab))
done

# A test run that produced no report, or exited non-zero without a recorded failure, still failed.
if [ $files -eq 0 ] || { [ $status -ne 0 ] && [ $failed -eq 0 ] && [ $skipped -eq 0 ]; }; then
  failed=$((failed + 1))
fi

# Name every failed test (and its first message line) so that a CI log that keeps only its tail still says what broke.
for trx in "$results"/*.trx "$results"/postgres/*.trx; do
  [ -e "$trx" ] || continue
  python3 - "$trx" <<'PY' 2>/dev/null || grep -o '<UnitTestResult [^>]*outcome="Failed"[^>]*>' "$trx" | grep -o 'testName="[^"]*"'
import sys, xml.etree.ElementTree as ET
path = sys.argv[1]
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
run = "postgres" if "/postgres/" in path else "sqlite/other"
for r in ET.parse(path).getroot().iterfind(".//t:UnitTestResult", ns):
    if r.get("outcome") in ("Failed", "Error", "Timeout", "Aborted"):
        msg = r.find(".//t:Message", ns)
        first = (msg.text or "").strip().splitlines()[0][:300] if msg is not None and msg.text else ""
        print(f"FAILED [{run}] {r.get('testName')}: {first}")
PY
done

code=0
[ $failed -gt 0 ] && code=1
if [ "${CI:-}" = "true" ] && [ $skipped -gt 0 ]; then
  echo "CI=true: $skipped test(s) skipped; under CI nothing may be skipped"
  code=1
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit $code
