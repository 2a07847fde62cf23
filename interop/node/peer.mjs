// Interop peer: panva/jose (Node), in one process per direction.
//
//   node peer.mjs make OUT.json           keys and tokens made by jose
//   node peer.mjs check IN.json OUT.json  josecraft's cases, checked by jose
//
// The case format is the one of interop/driver/src/main.rs.
import { readFileSync, writeFileSync } from 'node:fs'
import * as jose from 'jose'

const JWS_ALGS = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512',
  'ES256', 'ES384', 'ES512', 'ES256K', 'EdDSA', 'Ed25519']
const JWE_ALGS = ['dir', 'A128KW', 'A192KW', 'A256KW', 'A128GCMKW', 'A192GCMKW', 'A256GCMKW',
  'PBES2-HS256+A128KW', 'PBES2-HS384+A192KW', 'PBES2-HS512+A256KW',
  'ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A192KW', 'ECDH-ES+A256KW',
  'RSA-OAEP', 'RSA-OAEP-256', 'RSA-OAEP-384', 'RSA-OAEP-512']
const ENCS = ['A128GCM', 'A192GCM', 'A256GCM', 'A128CBC-HS256', 'A192CBC-HS384', 'A256CBC-HS512']
const CURVES = ['P-256', 'P-384', 'P-521', 'X25519']
// jose 6 implements neither secp256k1 (ES256K) nor JWE compression ("zip").
const UNSUPPORTED = new Set(['ES256K'])

const b64 = (bytes) => Buffer.from(bytes).toString('base64url')
const unb64 = (text) => new Uint8Array(Buffer.from(text, 'base64url'))
const enc = new TextEncoder()

function payloads () {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789 '
  const big = new Uint8Array(100 * 1024)
  for (let i = 0; i < big.length; i++) big[i] = alphabet.charCodeAt((i * 7) % 37)
  return [
    ['empty', new Uint8Array(0)],
    ['binary', enc.encode('\u0000\u0001\u007f\r\n\t\u001b[0m"\\/{}')],
    ['utf8', enc.encode('héllo wörld ✓ 日本語 🦀')],
    ['100k', big]
  ]
}

function tamper (token) {
  const parts = token.split('.')
  let last = unb64(parts[parts.length - 1])
  if (last.length === 0) last = new Uint8Array(1)
  last[Math.floor(last.length / 2)] ^= 0x10
  parts[parts.length - 1] = b64(last)
  return parts.join('.')
}

const KEY_LEN = { A128GCM: 16, A192GCM: 24, A256GCM: 32, 'A128CBC-HS256': 32, 'A192CBC-HS384': 48, 'A256CBC-HS512': 64 }

/** A private key for an algorithm: { key (for jose), jwk (private JWK), pub (public JWK) }. */
async function generate (alg, encName, curve = 0) {
  let key
  if (alg === 'dir') {
    key = await jose.generateSecret(encName, { extractable: true })
  } else if (alg.startsWith('PBES2')) {
    const password = enc.encode(b64(Uint8Array.from({ length: 24 }, (_, i) => i)))
    const jwk = { kty: 'oct', k: b64(password) }
    return { key: password, jwk, pub: jwk }
  } else if (/^(HS|A\d)/.test(alg)) {
    key = await jose.generateSecret(alg, { extractable: true })
  } else if (alg.startsWith('ECDH-ES')) {
    const crv = CURVES[curve % 4]
    const pair = await jose.generateKeyPair(alg, { extractable: true, crv })
    return { key: pair, jwk: await jose.exportJWK(pair.privateKey), pub: await jose.exportJWK(pair.publicKey) }
  } else {
    const pair = await jose.generateKeyPair(alg, { extractable: true })
    return { key: pair, jwk: await jose.exportJWK(pair.privateKey), pub: await jose.exportJWK(pair.publicKey) }
  }
  const jwk = await jose.exportJWK(key)
  return { key: { privateKey: key, publicKey: key }, jwk, pub: jwk }
}

const signKey = (k) => k.key.privateKey ?? k.key
const pubKey = (k) => k.key.publicKey ?? k.key

async function sign (k, alg, payload, form) {
  const header = { alg, kid: `k-${alg}` }
  if (form === 'compact') return new jose.CompactSign(payload).setProtectedHeader(header).sign(signKey(k))
  return JSON.stringify(await new jose.FlattenedSign(payload).setProtectedHeader(header).sign(signKey(k)))
}

async function encrypt (k, alg, encName, plaintext, form, cty) {
  const header = { alg, enc: encName, kid: `k-${alg}` }
  if (cty) header.cty = cty
  if (form === 'compact') return new jose.CompactEncrypt(plaintext).setProtectedHeader(header).encrypt(pubKey(k))
  return JSON.stringify(await new jose.FlattenedEncrypt(plaintext).setProtectedHeader(header).encrypt(pubKey(k)))
}

async function importFor (jwk, alg) {
  const copy = { ...jwk }
  delete copy.alg
  if (copy.kty === 'oct') return unb64(copy.k)
  return jose.importJWK(copy, alg)
}

async function verify (jwk, alg, token, form) {
  const key = await importFor(jwk, alg)
  const options = { algorithms: [alg] }
  if (form === 'compact') return (await jose.compactVerify(token, key, options)).payload
  return (await jose.flattenedVerify(JSON.parse(token), key, options)).payload
}

async function decrypt (jwk, alg, encName, token, form) {
  const key = await importFor(jwk, alg)
  const options = { keyManagementAlgorithms: [alg], contentEncryptionAlgorithms: [encName] }
  if (form === 'compact') return (await jose.compactDecrypt(token, key, options)).plaintext
  return (await jose.flattenedDecrypt(JSON.parse(token), key, options)).plaintext
}

async function make () {
  const cases = []
  const errors = {}
  const pl = payloads()
  const add = (c) => { c.id = `jose:${c.id}`; cases.push(c) }
  const guarded = async (what, fn) => {
    try { await fn() } catch (e) { errors[`jose:${what}`] = `fail: ${e.name}: ${e.message}`.slice(0, 300) }
  }
  for (const alg of JWS_ALGS) {
    if (UNSUPPORTED.has(alg)) continue
    await guarded(`jws:${alg}`, async () => {
      const k = await generate(alg)
      const key = { ...k.pub, alg }
      for (const [name, p] of pl) {
        const token = await sign(k, alg, p, 'compact')
        const base = { kind: 'jws', alg, enc: null, form: 'compact', zip: false, payload: b64(p), key, expect: 'valid' }
        add({ ...base, id: `jws:${alg}:compact:${name}`, token })
        if (name === 'utf8') add({ ...base, id: `jws:${alg}:compact:tampered`, token: tamper(token), expect: 'invalid' })
      }
      const p = pl[2][1]
      add({ id: `jws:${alg}:json:utf8`, kind: 'jws', alg, enc: null, form: 'json', zip: false, payload: b64(p), key, expect: 'valid', token: await sign(k, alg, p, 'json') })
    })
  }
  for (const [i, alg] of JWE_ALGS.entries()) {
    for (const [j, encName] of ENCS.entries()) {
      await guarded(`jwe:${alg}:${encName}`, async () => {
        const k = await generate(alg, encName, i + j)
        const key = { ...k.jwk, alg: alg === 'dir' ? encName : alg }
        const [name, p] = pl[j % 3]
        const token = await encrypt(k, alg, encName, p, 'compact')
        const base = { kind: 'jwe', alg, enc: encName, form: 'compact', zip: false, payload: b64(p), key, expect: 'valid' }
        add({ ...base, id: `jwe:${alg}:${encName}:compact:${name}`, token })
        if (j === 0) add({ ...base, id: `jwe:${alg}:${encName}:compact:tampered`, token: tamper(token), expect: 'invalid' })
        const u = pl[2][1]
        add({ ...base, id: `jwe:${alg}:${encName}:json:plain`, form: 'json', payload: b64(u), token: await encrypt(k, alg, encName, u, 'json') })
        if (encName === 'A256GCM') {
          const big = pl[3][1]
          add({ ...base, id: `jwe:${alg}:${encName}:compact:100k`, payload: b64(big), token: await encrypt(k, alg, encName, big, 'compact') })
        }
      })
    }
  }
  for (const [sigAlg, encAlg] of [['ES256', 'ECDH-ES+A256KW'], ['RS256', 'RSA-OAEP-256']]) {
    await guarded(`nested:${sigAlg}+${encAlg}`, async () => {
      const s = await generate(sigAlg)
      const e = await generate(encAlg)
      const claims = enc.encode(JSON.stringify({ iss: 'jose', sub: 'interop', aud: 'josecraft', exp: Math.floor(Date.now() / 1000) + 600 }))
      const inner = await sign(s, sigAlg, claims, 'compact')
      const token = await encrypt(e, encAlg, 'A256GCM', enc.encode(inner), 'compact', 'JWT')
      add({ id: `nested:${sigAlg}+${encAlg}`, kind: 'nested', alg: encAlg, enc: 'A256GCM', form: 'compact', zip: false, payload: b64(claims), key: { ...e.jwk, alg: encAlg }, sig_key: { ...s.pub, alg: sigAlg }, sig_alg: sigAlg, token, expect: 'valid' })
    })
  }
  for (const [name, alg] of [['RSA', 'RS256'], ['P-256', 'ES256'], ['P-384', 'ES384'], ['P-521', 'ES512'], ['Ed25519', 'EdDSA'], ['X25519', 'ECDH-ES'], ['oct', 'HS256']]) {
    await guarded(`jwk:${name}`, async () => {
      const k = await generate(alg, null, 3)
      const tp = await jose.calculateJwkThumbprint(k.jwk)
      add({ id: `jwk:${name}:private`, kind: 'jwk', alg: name, enc: null, form: 'jwk', zip: false, key: k.jwk, thumbprint: tp, expect: 'valid' })
      if (name !== 'oct') add({ id: `jwk:${name}:public`, kind: 'jwk', alg: name, enc: null, form: 'jwk', zip: false, key: k.pub, thumbprint: tp, expect: 'valid' })
    })
  }
  return { cases, make_errors: errors }
}

async function checkCase (c) {
  if (UNSUPPORTED.has(c.alg) || UNSUPPORTED.has(c.sig_alg) || c.zip) return 'unsupported'
  if (c.kind === 'jwk') {
    if (c.alg === 'secp256k1') return 'unsupported'
    const tp = await jose.calculateJwkThumbprint(c.key)
    if (c.key.kty !== 'oct') await jose.importJWK({ ...c.key, alg: undefined, ext: true }, c.key.crv === 'X25519' ? 'ECDH-ES' : (c.key.kty === 'RSA' ? 'RS256' : (c.key.crv === 'Ed25519' ? 'EdDSA' : { 'P-256': 'ES256', 'P-384': 'ES384', 'P-521': 'ES512' }[c.key.crv])))
    return tp === c.thumbprint ? null : `thumbprint ${tp}`
  }
  if (c.kind === 'jws') return verify(c.key, c.alg, c.token, c.form)
  if (c.kind === 'jwe') return decrypt(c.key, c.alg, c.enc, c.token, c.form)
  const inner = new TextDecoder().decode(await decrypt(c.key, c.alg, c.enc, c.token, 'compact'))
  return verify(c.sig_key, c.sig_alg, inner, 'compact')
}

async function check (cases) {
  const results = {}
  for (const c of cases) {
    const valid = c.expect !== 'invalid'
    let status
    try {
      const got = await checkCase(c)
      if (got === 'unsupported') status = 'unsupported'
      else if (c.kind === 'jwk') status = got === null ? 'pass' : `fail: ${got}`
      else if (!valid) status = 'fail: tampered token accepted'
      else status = Buffer.from(got).equals(Buffer.from(unb64(c.payload))) ? 'pass' : 'fail: payload differs'
    } catch (e) {
      status = valid ? `fail: ${e.name}: ${e.message}`.slice(0, 300) : 'pass'
    }
    results[c.id] = status
  }
  return results
}

const [cmd, a, b] = process.argv.slice(2)
if (cmd === 'make' && a) {
  const out = await make()
  out.versions = { jose: JSON.parse(readFileSync(new URL('./node_modules/jose/package.json', import.meta.url))).version }
  writeFileSync(a, JSON.stringify(out))
} else if (cmd === 'check' && a && b) {
  const { cases } = JSON.parse(readFileSync(a, 'utf8'))
  writeFileSync(b, JSON.stringify({ jose: await check(cases) }))
} else {
  console.error('usage: node peer.mjs make OUT.json | check IN.json OUT.json')
  process.exit(2)
}
