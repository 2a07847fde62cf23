#!/usr/bin/env bash
# Instruction counts (callgrind) of josecraft and the raw ring floor doing the same JWT
# sign or verify, N times each, one line per operation. Setup (key loading) is included
# on both sides alike.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=bench-peers/target/release/profile
count() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$@" 2>&1 | grep -oP "refs:\s+\K[0-9,]+" | tr -d ,
}
for alg in HS256 RS256 PS256 ES256 EdDSA; do
  for op in sign verify; do
    n=2000
    case "$alg:$op" in
      RS256:sign | PS256:sign) n=50 ;;
      RS256:verify | PS256:verify | ES256:* | EdDSA:*) n=500 ;;
    esac
    raw=$(count raw "$alg" "$op" "$n")
    jc=$(count josecraft "$alg" "$op" "$n")
    echo "callgrind $alg $op x$n: raw $raw, josecraft $jc, ratio $(python3 -c "print(f'{$jc/$raw:.3f}')")"
  done
done
raw=$(count raw HS256 verify 200 large)
jc=$(count josecraft HS256 verify 200 large)
echo "callgrind HS256 verify-64KiB x200: raw $raw, josecraft $jc, ratio $(python3 -c "print(f'{$jc/$raw:.3f}')")"
