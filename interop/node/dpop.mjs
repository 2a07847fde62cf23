// Interop peer for DPoP (RFC 9449): panva's `dpop` makes proofs, panva's `oauth4webapi`
// checks a DPoP request at a resource server (`validateJwtAccessToken` with requireDPoP).
//
//   node dpop.mjs make OUT.json           proofs made by `dpop`, for josecraft to check
//   node dpop.mjs check IN.json OUT.json  josecraft's requests, checked by oauth4webapi
//
// A case: {id, kind: "dpop", alg, htm, htu, proof, jkt, nonce?, access_token?, expect,
// and for `check`: as_jwk (the issuer's public key), issuer, audience}.
import { readFileSync, writeFileSync } from 'node:fs'
import * as DPoP from 'dpop'
import * as oauth from 'oauth4webapi'

// Every algorithm `dpop` can generate keys for.
const ALGS = ['ES256', 'Ed25519', 'RS256', 'PS256']
const TOKEN_URL = 'https://as.example/token'
const API_URL = 'https://rs.example/api/orders'

const version = (name) =>
  JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url))).version

function tamper (token) {
  const parts = token.split('.')
  const sig = Buffer.from(parts[2], 'base64url')
  sig[Math.floor(sig.length / 2)] ^= 0x10
  parts[2] = sig.toString('base64url')
  return parts.join('.')
}

async function make () {
  const cases = []
  const errors = {}
  for (const alg of ALGS) {
    try {
      const pair = await DPoP.generateKeyPair(alg)
      const jkt = await DPoP.calculateThumbprint(pair.publicKey)
      const token = await DPoP.generateProof(pair, TOKEN_URL, 'POST')
      cases.push({ id: `dpop:dpop:${alg}:token-endpoint`, kind: 'dpop', alg, htm: 'POST', htu: TOKEN_URL, proof: token, jkt, expect: 'valid' })
      const accessToken = 'at-' + alg + '-' + jkt
      const nonce = 'server-nonce-1'
      const withAth = await DPoP.generateProof(pair, API_URL, 'GET', nonce, accessToken)
      cases.push({ id: `dpop:dpop:${alg}:resource+ath+nonce`, kind: 'dpop', alg, htm: 'GET', htu: API_URL, proof: withAth, jkt, nonce, access_token: accessToken, expect: 'valid' })
      // Refusals name the failed step (josecraft's DpopError messages).
      cases.push({ id: `dpop:dpop:${alg}:tampered`, kind: 'dpop', alg, htm: 'POST', htu: TOKEN_URL, proof: tamper(await DPoP.generateProof(pair, TOKEN_URL, 'POST')), jkt, expect: 'invalid', expect_error: 'signature does not verify' })
      cases.push({ id: `dpop:dpop:${alg}:other-method`, kind: 'dpop', alg, htm: 'GET', htu: TOKEN_URL, proof: await DPoP.generateProof(pair, TOKEN_URL, 'POST'), jkt, expect: 'invalid', expect_error: 'htm' })
      cases.push({ id: `dpop:dpop:${alg}:other-token`, kind: 'dpop', alg, htm: 'GET', htu: API_URL, proof: await DPoP.generateProof(pair, API_URL, 'GET', undefined, 'another token'), jkt, access_token: accessToken, expect: 'invalid', expect_error: 'ath' })
    } catch (e) {
      errors[`dpop:dpop:${alg}`] = `fail: ${e.name}: ${e.message}`.slice(0, 300)
    }
  }
  return { cases, make_errors: errors, versions: { dpop: version('dpop') } }
}

async function checkCase (c) {
  const as = { issuer: c.issuer, jwks_uri: `${c.issuer}/jwks` }
  const headers = { authorization: `DPoP ${c.access_token}`, dpop: c.proof }
  const request = new Request(c.htu, { method: c.htm, headers })
  // The issuer's key given directly: nothing is fetched.
  const cache = { jwks: { keys: [c.as_jwk] }, uat: Math.floor(Date.now() / 1000) }
  const claims = await oauth.validateJwtAccessToken(as, request, c.audience, {
    requireDPoP: true,
    [oauth.jwksCache]: cache
  })
  if (claims.cnf?.jkt !== c.jkt) throw new Error(`cnf.jkt ${claims.cnf?.jkt} is not ${c.jkt}`)
}

async function check (cases) {
  const results = {}
  for (const c of cases) {
    if (c.kind !== 'dpop') continue
    try {
      await checkCase(c)
      results[c.id] = c.expect === 'valid' ? 'pass' : 'fail: an invalid DPoP request was accepted'
    } catch (e) {
      if (c.expect === 'valid') results[c.id] = `fail: ${e.code ?? e.name}: ${e.message}`.slice(0, 300)
      else if (c.expect_error && !String(e.message).includes(c.expect_error)) results[c.id] = `fail: refused for another reason: ${e.message}`.slice(0, 300)
      else results[c.id] = 'pass'
    }
  }
  return results
}

const [cmd, a, b] = process.argv.slice(2)
if (cmd === 'make' && a) {
  writeFileSync(a, JSON.stringify(await make()))
} else if (cmd === 'check' && a && b) {
  const { cases } = JSON.parse(readFileSync(a, 'utf8'))
  writeFileSync(b, JSON.stringify({ oauth4webapi: await check(cases), versions: { oauth4webapi: version('oauth4webapi') } }))
} else {
  console.error('usage: node dpop.mjs make OUT.json | check IN.json OUT.json')
  process.exit(2)
}
