#!/usr/bin/env bash
# Instruction counts (callgrind) of josecraft and a raw floor doing the same work, N times
# each, one line per operation and provider: `callgrind` lines compare josecraft on ring
# with the floor written on ring, `callgrind-aws-lc` lines josecraft on aws-lc
# (JOSECRAFT_CRYPTO_PROVIDER=aws-lc) with the floor written on aws-lc-rs. Setup (key
# loading) is included on both sides alike.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=bench-peers/target/release/profile
count() {
  local provider=$1
  shift
  JOSECRAFT_CRYPTO_PROVIDER=$provider valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    "$bin" "$@" 2>&1 | grep -oP "refs:\s+\K[0-9,]+" | tr -d ,
}
row() { # provider label raw-impl alg op n [large]
  local provider=$1 label=$2 raw_impl=$3 alg=$4 op=$5 n=$6
  shift 6
  local raw jc
  raw=$(count "$provider" "$raw_impl" "$alg" "$op" "$n" "$@")
  jc=$(count "$provider" josecraft "$alg" "$op" "$n" "$@")
  echo "$label $alg $op x$n: raw $raw, josecraft $jc, ratio $(python3 -c "print(f'{$jc/$raw:.3f}')")"
}
for provider in ring aws-lc; do
  if [ "$provider" = ring ]; then label=callgrind raw_impl=raw; else label=callgrind-aws-lc raw_impl=raw-aws-lc; fi
  for alg in HS256 RS256 PS256 ES256 EdDSA; do
    for op in sign verify; do
      n=2000
      case "$alg:$op" in
        RS256:sign | PS256:sign) n=50 ;;
        RS256:verify | PS256:verify | ES256:* | EdDSA:*) n=500 ;;
      esac
      row "$provider" "$label" "$raw_impl" "$alg" "$op" "$n"
    done
  done
  row "$provider" "$label" "$raw_impl" HS256 verify 200 large | sed 's/HS256 verify/HS256 verify-64KiB/'
  for alg in ECDH-ES+A256KW RSA-OAEP-256; do
    for op in encrypt decrypt; do
      n=200
      [ "$alg:$op" = RSA-OAEP-256:decrypt ] && n=20
      row "$provider" "$label" "$raw_impl" "$alg" "$op" "$n"
    done
  done
done
