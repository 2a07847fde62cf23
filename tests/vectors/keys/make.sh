#!/usr/bin/env bash
# Regenerates the key fixtures in this folder with OpenSSL 3 (the committed files were made
# with OpenSSL 3.0.19). Not run by the tests: the tests read the committed files.
set -euo pipefail
cd "$(dirname "$0")"
days=36500
subj() { printf '/CN=josecraft test %s' "$1"; }

# RSA 2048: PKCS#8, PKCS#1 private, SPKI, PKCS#1 public, certificate, and DER forms.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa2048.pkcs8.pem
openssl pkey -in rsa2048.pkcs8.pem -traditional -out rsa2048.pkcs1.pem
openssl pkey -in rsa2048.pkcs8.pem -pubout -out rsa2048.spki.pem
openssl rsa -in rsa2048.pkcs8.pem -RSAPublicKey_out -out rsa2048.pkcs1-public.pem
openssl req -new -x509 -key rsa2048.pkcs8.pem -subj "$(subj rsa)" -days $days -out rsa2048.cert.pem
openssl pkcs8 -topk8 -nocrypt -in rsa2048.pkcs8.pem -outform DER -out rsa2048.pkcs8.der
openssl pkey -in rsa2048.pkcs8.pem -pubout -outform DER -out rsa2048.spki.der
openssl x509 -in rsa2048.cert.pem -outform DER -out rsa2048.cert.der
# RSA 1024 (too small) for rejection tests.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out rsa1024.pkcs8.pem
# EC P-256 and P-384: PKCS#8, SEC 1 (with an EC PARAMETERS block first), SPKI, certificate.
for c in P-256:prime256v1 P-384:secp384r1; do
  n=${c%%:*}; o=${c##*:}; f=$(echo "$n" | tr -d - | tr 'P' 'p')
  openssl ecparam -name "$o" -genkey -out "$f.sec1.pem"
  openssl pkcs8 -topk8 -nocrypt -in "$f.sec1.pem" -out "$f.pkcs8.pem"
  openssl pkey -in "$f.pkcs8.pem" -pubout -out "$f.spki.pem"
  openssl req -new -x509 -key "$f.pkcs8.pem" -subj "$(subj "$n")" -days $days -out "$f.cert.pem"
  openssl pkcs8 -topk8 -nocrypt -in "$f.pkcs8.pem" -outform DER -out "$f.pkcs8.der"
  openssl ec -in "$f.pkcs8.pem" -outform DER -out "$f.sec1.der"
  openssl pkey -in "$f.pkcs8.pem" -pubout -outform DER -out "$f.spki.der"
  openssl ec -in "$f.pkcs8.pem" -pubout -conv_form compressed -outform DER -out "$f.spki-compressed.der"
done
# Ed25519: PKCS#8, SPKI, certificate.
openssl genpkey -algorithm ED25519 -out ed25519.pkcs8.pem
openssl pkey -in ed25519.pkcs8.pem -pubout -out ed25519.spki.pem
openssl req -new -x509 -key ed25519.pkcs8.pem -subj "$(subj ed25519)" -days $days -out ed25519.cert.pem
# An encrypted PKCS#8 key (password "password"), which josecraft refuses as unsupported.
openssl pkcs8 -topk8 -in p256.pkcs8.pem -passout pass:password -out p256.encrypted.pem

# TLS for the HTTPS fetcher tests: a CA, and a server certificate it issued for the name
# `localhost` only (so that https://127.0.0.1 must fail the name check).
mkdir -p tls
openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -out tls/ca.key.pem
openssl req -new -x509 -key tls/ca.key.pem -subj "/CN=josecraft test CA" -days $days \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -out tls/ca.cert.pem
openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -out tls/server.key.pem
openssl req -new -key tls/server.key.pem -subj "/CN=localhost" -out tls/server.csr
printf 'subjectAltName=DNS:localhost\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' > tls/ext.cnf
openssl x509 -req -in tls/server.csr -CA tls/ca.cert.pem -CAkey tls/ca.key.pem -CAcreateserial \
  -days $days -extfile tls/ext.cnf -out tls/server.cert.pem
rm -f tls/server.csr tls/ext.cnf tls/ca.cert.srl
# The same for an RSA server key (TLS 1.3 then signs the handshake with RSA-PSS).
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out tls/server-rsa.key.pem
openssl req -new -key tls/server-rsa.key.pem -subj "/CN=localhost" -out tls/s.csr
printf 'subjectAltName=DNS:localhost\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' > tls/ext.cnf
openssl x509 -req -in tls/s.csr -CA tls/ca.cert.pem -CAkey tls/ca.key.pem -CAcreateserial \
  -days $days -extfile tls/ext.cnf -out tls/server-rsa.cert.pem
rm -f tls/s.csr tls/ext.cnf tls/ca.cert.srl
