#!/usr/bin/env bash
# Instruction counts (callgrind) of josecraft and a raw floor doing the same work, N times
# each, one line per operation and provider: `callgrind` lines compare josecraft on ring
# with the floor written on ring, `callgrind-aws-lc` lines josecraft on aws-lc
# (JOSECRAFT_CRYPTO_PROVIDER=aws-lc) with the floor written on aws-lc-rs. Each count is
# the run with N operations minus the run with none, so setup (key loading, aws-lc's
# one-time DRBG seeding of ~420 M instructions) does not dilute the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=bench-peers/target/release/profile
refs() {
  local provider=$1
  shift
  JOSECRAFT_CRYPTO_PROVIDER=$provider valgrind --tool=callgrind --callgrind-out-file=/dev/null \
    "$bin" "$@" 2>&1 | grep -oP "refs:\s+\K[0-9,]+" | tr -d ,
}
count() { # provider impl alg op n [large]: instructions of the n operations alone
  local provider=$1 imp=$2 alg=$3 op=$4 n=$5
  shift 5
  echo $(($(refs "$provider" "$imp" "$alg" "$op" "$n" "$@") - $(refs "$provider" "$imp" "$alg" "$op" 0 "$@")))
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
# The RSA-OAEP target compares josecraft on aws-lc with josekit (OpenSSL), not with a floor.
jk=$(count aws-lc josekit RSA-OAEP-256 decrypt 20)
jc=$(count aws-lc josecraft RSA-OAEP-256 decrypt 20)
echo "callgrind-vs-josekit RSA-OAEP-256 decrypt x20: josekit $jk, josecraft-aws-lc $jc, ratio $(python3 -c "print(f'{$jc/$jk:.3f}')")"
# Rows where the fastest peer runs on aws-lc too: the same work, instruction for instruction.
for row in "EdDSA sign 500" "EdDSA verify 500" "HS256 sign 2000" "HS256 verify 2000"; do
  set -- $row
  pk=$(count aws-lc jsonwebtoken "$1" "$2" "$3")
  jc=$(count aws-lc josecraft "$1" "$2" "$3")
  echo "callgrind-vs-peer jsonwebtoken/aws-lc $1 $2 x$3: peer $pk, josecraft-aws-lc $jc, ratio $(python3 -c "print(f'{$jc/$pk:.3f}')")"
done
