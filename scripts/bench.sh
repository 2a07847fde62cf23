#!/usr/bin/env bash
# Runs josecraft's benches and the peer comparison (bench-peers/, outside the workspace),
# counts allocations, and writes docs/PERFORMANCE.md from criterion's results.
#   scripts/bench.sh [MEASUREMENT_SECONDS]      (default 3)
# josekit links the system OpenSSL: install libssl-dev first if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-3}
args=(--warm-up-time 1 --measurement-time "$secs" --noplot)

if ! pkg-config --exists openssl 2>/dev/null; then
  echo "josekit needs OpenSSL headers: installing libssl-dev"
  (apt-get install -y -q libssl-dev || sudo apt-get install -y -q libssl-dev)
fi

rm -rf target/criterion bench-peers/target/criterion
# Every josecraft row once per crypto provider (the provider is chosen per process).
cargo bench -q --bench jws --bench jwe --bench jwt -- "${args[@]}"
JOSECRAFT_CRYPTO_PROVIDER=aws-lc cargo bench -q --features aws-lc --bench jws --bench jwe --bench jwt -- "${args[@]}"
(cd bench-peers && cargo bench -q --bench peers -- "${args[@]}")
(cd bench-peers && JOSECRAFT_CRYPTO_PROVIDER=aws-lc cargo bench -q --bench peers -- "${args[@]}")
# jsonwebtoken's second backend is a second build of the same groups (its rows only).
(cd bench-peers && cargo bench -q --bench peers --no-default-features --features jsonwebtoken-rust-crypto -- "${args[@]}" jwt_)
(cd bench-peers && cargo run -q --release --bin allocs) > target/allocs.txt
# Shared state: a bounded load generator against a redis-server it starts on loopback.
if command -v redis-server >/dev/null; then
  cargo bench -q -p josecraft-redis --bench load > target/redis-load.txt
else
  echo "redis-server not installed: no Redis figures" > target/redis-load.txt
fi

# Instruction counts confirm what wall-clock medians on a shared machine cannot.
if command -v valgrind >/dev/null; then
  (cd bench-peers && cargo build -q --release --bin profile)
  bash scripts/callgrind.sh > target/callgrind.txt
else
  echo "valgrind not installed: no instruction counts" > target/callgrind.txt
fi

python3 scripts/perf_report.py target/criterion bench-peers/target/criterion target/allocs.txt target/callgrind.txt > docs/PERFORMANCE.md
echo "wrote docs/PERFORMANCE.md"
