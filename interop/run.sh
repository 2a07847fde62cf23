#!/usr/bin/env bash
# Interop with independent implementations: Python jwcrypto and joserfc, Node jose; for
# DPoP, Node dpop (proofs) and oauth4webapi (a resource server's check); for SD-JWT, the
# Python reference implementation sd-jwt.
# Installs the pinned peers into folders it owns (interop/.venv, interop/node/node_modules),
# so a fresh machine needs only python3 and node. Both directions, one process per peer and
# direction; prints the matrix and fails on any failure.
#   interop/run.sh [--markdown FILE]
set -euo pipefail
cd "$(dirname "$0")"
out=out
mkdir -p "$out"

stamp=".venv/installed-$(sha256sum requirements.txt | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  rm -rf .venv
  python3 -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
  touch "$stamp"
fi
# Reinstalled whenever the lockfile changes (a new or re-pinned peer).
node_stamp="node/node_modules/.installed-$(sha256sum node/package-lock.json | cut -c1-16)"
if [ ! -f "$node_stamp" ]; then
  (cd node && npm ci --no-audit --no-fund --silent)
  touch "$node_stamp"
fi

# Built with both crypto providers: JOSECRAFT_CRYPTO_PROVIDER (ring by default, or aws-lc)
# chooses the one this run uses.
cargo build -q -p josecraft-interop --features aws-lc
echo "interop under the ${JOSECRAFT_CRYPTO_PROVIDER:-ring} crypto provider"
driver=../target/debug/josecraft-interop

# josecraft makes, the peers check.
"$driver" make "$out/josecraft.json"
.venv/bin/python peers/python_peer.py check "$out/josecraft.json" "$out/python-check.json"
(cd node && node peer.mjs check "../$out/josecraft.json" "../$out/node-check.json")

# The peers make, josecraft checks.
.venv/bin/python peers/python_peer.py make "$out/python.json"
(cd node && node peer.mjs make "../$out/node.json")
"$driver" check "$out/python.json" "$out/python-results.json"
"$driver" check "$out/node.json" "$out/node-results.json"

# DPoP: josecraft's requests checked by oauth4webapi; dpop's proofs checked by josecraft.
"$driver" dpop-make "$out/josecraft-dpop.json"
(cd node && node dpop.mjs check "../$out/josecraft-dpop.json" "../$out/node-dpop-check.json")
(cd node && node dpop.mjs make "../$out/node-dpop.json")
"$driver" check "$out/node-dpop.json" "$out/node-dpop-results.json"

# SD-JWT: josecraft's SD-JWTs checked by sd-jwt; sd-jwt's checked by josecraft.
"$driver" sdjwt-make "$out/josecraft-sdjwt.json"
.venv/bin/python peers/sdjwt_peer.py check "$out/josecraft-sdjwt.json" "$out/sdjwt-check.json"
.venv/bin/python peers/sdjwt_peer.py make "$out/sdjwt.json"
"$driver" check "$out/sdjwt.json" "$out/sdjwt-results.json"

.venv/bin/python report.py "$out" "$@"
