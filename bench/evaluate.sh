#!/usr/bin/env bash
# Benchmark of `appraisal evaluate` as a whole process, JSON in and JSON out (issues 2 and 10), against its floor:
# a bare System.Text.Json read and write of the same input (bench/Appraisal.Bench.JsonFloor).
#
#   bench/evaluate.sh                         # 5 runs each of 20 000 x 12 and 50 000 x 20 employee-months,
#                                             # both cases of input (distinct, repetitive)
#   RUNS=3 SIZES="20000x12" CASES="distinct" bench/evaluate.sh
#   VARIANTS="native" bench/evaluate.sh       # native: the published CLI (native AOT), as it ships
#                                             # dll:    `dotnet appraisal.dll` of a Release build (JIT)
#   IDLE=90 MAX_WAIT=120 bench/evaluate.sh    # before each run, wait (at most MAX_WAIT s) for a second
#                                             # in which the machine was at least IDLE % idle
#
# Cases (bench/Appraisal.Bench.Generate --case): distinct (the default input: mostly distinct assessments, as in real
# data) and repetitive (supervisors score alike: a few thousand assessments repeat). Each run times every variant and
# its floor in turn (evaluate native, floor native, evaluate dll, floor dll), so that the compared programs see the same
# load. Per run it prints wall seconds, employee-months per second and peak RSS (from /usr/bin/time), with the CPU
# seconds (user + system), how idle the machine was just before and the load average, then the medians and the ratio of
# evaluate's median to its floor's; and checks each output: exit code 0, one result per employee-month, the
# same bytes in every run. Inputs and outputs go to a temporary folder (BENCH_WORK to choose
# it; removed at the end unless KEEP=1); a copy of the report goes to bench/results/ (ignored
# by git). See docs/benchmarks.md for figures and how to read them.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
runs=${RUNS:-5}
sizes=${SIZES:-"20000x12 50000x20"}
cases=${CASES:-"distinct repetitive"}
variants=${VARIANTS:-"native dll"}
work=${BENCH_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/appraisal-bench.XXXXXX")}
mkdir -p "$work" "$root/bench/results"
report="$root/bench/results/evaluate-$(date -u +%Y%m%dT%H%M%SZ).txt"
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT

if [ ! -x /usr/bin/time ]; then
    echo "bench/evaluate.sh needs GNU time (/usr/bin/time): apt-get install -y time" >&2
    exit 2
fi

# Targets of issue 2.
target_rate=300000    # employee-months per second, end to end
target_rss_mib=1024   # peak RSS for 1 000 000 employee-months
target_ratio=1.5      # evaluate's wall time at most this many times its floor's (issue 10)

exec > >(tee "$report") 2>&1

echo "== machine"
echo "date:   $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "cpu:    $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p')"
echo "memory: $(free -g | awk '/^Mem:/ {print $2 " GiB"}')"
echo "dotnet: $(dotnet --version)"
echo "commit: $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- src bench || echo ' (with local changes)')"

echo "== build"
# The CLI as it ships for payroll integrations: `dotnet publish -p:NativeEvaluate=true` gives the native AOT
# executable of evaluate and policy (Appraisal.Cli.csproj; the default build adds the batch verbs and runs on the JIT).
build() {
    if ! dotnet "$@" -c Release --nologo > "$work/build.log" 2>&1; then
        cat "$work/build.log"
        exit 2
    fi
}
build publish "$root/src/Appraisal.Cli" -p:NativeEvaluate=true -o "$work/native"
build build "$root/src/Appraisal.Cli"
build build "$root/bench/Appraisal.Bench.Generate"
build publish "$root/bench/Appraisal.Bench.JsonFloor" -p:NativeFloor=true -o "$work/floor-native"
build build "$root/bench/Appraisal.Bench.JsonFloor"
echo "ok"
dll="$root/src/Appraisal.Cli/bin/Release/net10.0/appraisal.dll"
generate="$root/bench/Appraisal.Bench.Generate/bin/Release/net10.0/appraisal-bench-generate.dll"
floor_dll="$root/bench/Appraisal.Bench.JsonFloor/bin/Release/net10.0/appraisal-bench-jsonfloor.dll"

# The command of a variant, given the input file; it writes to standard output (evaluate) or to $work/out.json.
command_of() {
    case $1 in
        native) echo "$work/native/appraisal evaluate $2" ;;
        dll) echo "dotnet $dll evaluate $2" ;;
        floor-native) echo "$work/floor-native/appraisal-bench-jsonfloor $2 $work/out.json" ;;
        floor-dll) echo "dotnet $floor_dll $2 $work/out.json" ;;
        *) echo "unknown variant $1" >&2; exit 2 ;;
    esac
}

# Percent of CPU time idle over the next second, from /proc/stat.
idle_percent() {
    local a b
    a=$(head -n 1 /proc/stat)
    sleep 1
    b=$(head -n 1 /proc/stat)
    awk -v a="$a" -v b="$b" 'BEGIN {
        n = split(a, x); split(b, y)
        for (i = 2; i <= n; i++) total += y[i] - x[i]
        idle = (y[5] - x[5]) + (y[6] - x[6])   # idle and iowait
        printf "%.0f", total ? 100 * idle / total : 100
    }'
}

# Waits, when IDLE is set, for a quiet second before a run; prints how idle the machine was.
# Dirty pages of earlier steps are written back before, outside the timing.
settle() {
    local idle waited=0
    # Write back the files of earlier steps (the generated input, the previous output) first: the kernel otherwise
    # does it during the run, on the same two cores.
    sync
    idle=$(idle_percent)
    while [ "${IDLE:-0}" -gt 0 ] && [ "$idle" -lt "$IDLE" ] && [ "$waited" -lt "${MAX_WAIT:-120}" ]; do
        idle=$(idle_percent)
        waited=$((waited + 1))
    done
    echo "$idle"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

failed=0
for size in $sizes; do
    employees=${size%x*}
    months=${size#*x}
    for case in $cases; do
        input="$work/in-$size-$case.json"
        echo "== $employees employees x $months months, case $case"
        dotnet "$generate" --employees "$employees" --months "$months" --case "$case" --out "$input" 2> "$work/generate.txt"
        records=$(sed -n 's/^records \([0-9]*\) .*/\1/p' "$work/generate.txt")
        echo "input: $(du -m "$input" | cut -f1) MB; generator: $(cat "$work/generate.txt")"
        # Each variant followed by its floor, all of them in every run.
        timed=""
        for variant in $variants; do
            timed="$timed $variant floor-$variant"
        done
        declare -A walls=() rsss=() cpus=()
        for run in $(seq "$runs"); do
            for variant in $timed; do
                cmd=$(command_of "$variant" "$input")
                idle=$(settle)
                load=$(cut -d ' ' -f 1 /proc/loadavg)
                set +e
                case $variant in
                    floor-*) /usr/bin/time -f '%e %M %U %S' -o "$work/time.txt" $cmd 2> /dev/null ;;
                    *) /usr/bin/time -f '%e %M %U %S' -o "$work/time.txt" $cmd > "$work/out.json" ;;
                esac
                rc=$?
                set -e
                read -r wall rss_kib user system < <(tail -n 1 "$work/time.txt")
                rss_mib=$((rss_kib / 1024))
                cpu=$(awk -v u="$user" -v s="$system" 'BEGIN { printf "%.2f", u + s }')
                # Checks, outside the timing: exit code, one result per employee-month, same bytes every run.
                check=ok
                if [ "$rc" -ne 0 ]; then
                    check="FAILED: exit code $rc"
                elif [[ $variant != floor-* ]]; then
                    results=$(grep -c '"eligible": ' "$work/out.json" || true)
                    if [ "$results" -ne "$records" ]; then
                        check="FAILED: $results results for $records employee-months"
                    elif [ ! -e "$work/out-first.json" ]; then
                        mv "$work/out.json" "$work/out-first.json"
                    elif ! cmp -s "$work/out.json" "$work/out-first.json"; then
                        check="FAILED: output differs from the first run"
                    fi
                fi
                [ "$check" = ok ] || failed=1
                rm -f "$work/out.json"
                rate=$(awk -v r="$records" -v w="$wall" 'BEGIN { printf "%.0f", r / w }')
                printf 'run %d %-12s %6.2f s  %8d employee-months/s  peak RSS %5d MiB  (CPU %5.2f s; %3d %% idle before, load %s)  %s\n' \
                    "$run" "$variant:" "$wall" "$rate" "$rss_mib" "$cpu" "$idle" "$load" "$check"
                walls[$variant]="${walls[$variant]:-} $wall"
                rsss[$variant]="${rsss[$variant]:-} $rss_mib"
                cpus[$variant]="${cpus[$variant]:-} $cpu"
            done
        done
        for variant in $timed; do
            wall=$(printf '%s\n' ${walls[$variant]} | median)
            cpu=$(printf '%s\n' ${cpus[$variant]} | median)
            rss=$(printf '%s\n' ${rsss[$variant]} | median | awk '{ printf "%.0f", $1 }')
            rate=$(awk -v r="$records" -v w="$wall" 'BEGIN { printf "%.0f", r / w }')
            line="median $variant: $wall s, $rate employee-months/s, peak RSS $rss MiB, CPU $cpu s"
            if [[ $variant != floor-* ]]; then
                floor=$(printf '%s\n' ${walls[floor-$variant]} | median)
                ratio=$(awk -v w="$wall" -v f="$floor" 'BEGIN { printf "%.2f", w / f }')
                line="$line; target $target_rate/s: $(awk -v r="$rate" -v t="$target_rate" 'BEGIN { print (r >= t) ? "met" : "NOT met" }')"
                line="$line; ratio to floor $ratio (target <= $target_ratio: $(awk -v r="$ratio" -v t="$target_ratio" 'BEGIN { print (r <= t) ? "met" : "NOT met" }'))"
                if [ "$records" -ge 1000000 ]; then
                    line="$line; target < $target_rss_mib MiB: $([ "$rss" -lt "$target_rss_mib" ] && echo met || echo 'NOT met')"
                fi
            fi
            echo "$line"
        done
        unset walls rsss cpus
        rm -f "$work/out-first.json" "$input"
    done
done

echo "== report: $report"
exit $failed
