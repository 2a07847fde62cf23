#!/usr/bin/env bash
# Runs fuzz targets for a given time each and reports executions, corpus size and crashes.
#   fuzz/run.sh SECONDS [TARGET...]      (default: every target)
# Needs cargo-fuzz (`cargo install cargo-fuzz`); the stable toolchain is enough with
# RUSTC_BOOTSTRAP=1, which cargo-fuzz's nightly-only flags need.
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:?usage: fuzz/run.sh SECONDS [TARGET...]}
shift
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo fuzz list)
fi
[ -d corpus ] || python3 seed.py
mkdir -p logs
export RUSTC_BOOTSTRAP=1
if ! cargo fuzz build -O >logs/build.log 2>&1; then cat logs/build.log; exit 2; fi
printf '%-12s %8s %12s %10s %8s\n' target seconds executions corpus crashes
status=0
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "artifacts/$t"
  set +e
  cargo fuzz run -O "$t" "corpus/$t" -- -max_total_time="$seconds" -print_final_stats=1 \
    -rss_limit_mb=2048 -max_len=65536 >"logs/$t.log" 2>&1
  code=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "logs/$t.log" | grep -o '[0-9]*$' || echo 0)
  corpus=$(find "corpus/$t" -type f | wc -l)
  crashes=$(find "artifacts/$t" -type f | wc -l)
  printf '%-12s %8s %12s %10s %8s\n' "$t" "$seconds" "${execs:-0}" "$corpus" "$crashes"
  if [ "$code" -ne 0 ] || [ "$crashes" -ne 0 ]; then status=1; fi
done
exit $status
