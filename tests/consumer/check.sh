#!/usr/bin/env bash
# Enabling josecraft's `http` feature must not change the application's other
# dependencies. This application has josecraft[http] and a plain reqwest (no TLS):
#  1. josecraft must enable no rustls provider or TLS-version feature and no reqwest
#     feature (Cargo would unify them into the application's own copies);
#  2. the application's `reqwest::Client::new()` must work beside josecraft's fetcher.
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-../../target/consumer}"
tree=$(cargo tree -q -e features -i rustls 2>/dev/null || true)
bad=$(printf '%s\n' "$tree" | grep -E 'rustls feature "(ring|aws_lc_rs|aws-lc-rs|tls12|fips)"' || true)
if [ -n "$bad" ]; then
  echo "josecraft[http] enables rustls features the application would inherit:"; echo "$bad"; exit 1
fi
rq=$(cargo tree -q -e features -i reqwest 2>/dev/null | grep -E 'reqwest feature "(__rustls|rustls|rustls-no-provider|__tls|default-tls)"' || true)
if [ -n "$rq" ]; then
  echo "josecraft[http] changes the application's reqwest features:"; echo "$rq"; exit 1
fi
cargo run -q
