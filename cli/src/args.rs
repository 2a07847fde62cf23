//! The command-line interface. It is a contract that outside checks depend on: names,
//! arguments and meanings stay exactly as documented.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "josecraft",
    version,
    about = "Mint, inspect and check JOSE tokens and keys (JWS, JWE, JWK, JWT, DPoP)",
    long_about = "Mint, inspect and check JOSE tokens and keys (JWS, JWE, JWK, JWT, DPoP).\n\n\
        FILE and TOKEN are paths; absent or '-' means standard input. KEY is a file with a \
        JWK, a JWK Set or a PEM key. Exit status: 0 success, 1 the token was rejected, \
        2 usage or input error.",
    after_help = "Examples:\n  \
        josecraft keygen ES256 > key.jwk\n  \
        josecraft jwt sign --key key.jwk --iss https://auth.example --aud api --exp 15m > token\n  \
        josecraft jwt verify --key key.jwk --iss https://auth.example --aud api token\n  \
        josecraft dpop proof --key client.jwk --htm GET --htu https://api.example/orders\n  \
        josecraft decode token"
)]
pub struct Cli {
    /// Print JSON indented over several lines instead of on one line
    #[arg(long, global = true)]
    pub pretty: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Generate a private key for a JWS or JWE key-management algorithm; prints the private JWK
    #[command(after_help = "Examples:\n  \
        josecraft keygen ES256 --kid 2026-11\n  \
        josecraft keygen RS256 --bits 3072\n  \
        josecraft keygen ECDH-ES+A256KW --crv X25519\n  \
        josecraft keygen dir --enc A256GCM")]
    Keygen(KeygenArgs),

    /// Work with JSON Web Keys
    #[command(subcommand)]
    Jwk(JwkCommand),

    /// Sign the exact bytes of FILE as a JWS; prints a compact JWS, or flattened JSON with --json
    #[command(after_help = "Examples:\n  \
        josecraft sign --key key.jwk payload.json\n  \
        josecraft sign --key key.jwk --json --unprotected '{\"kid\":\"k1\"}' payload.json\n  \
        echo -n hello | josecraft sign --key key.jwk --detached")]
    Sign(SignArgs),

    /// Verify a JWS (compact or JSON); prints the payload bytes exactly
    #[command(after_help = "Examples:\n  \
        josecraft verify --key key.jwk token\n  \
        josecraft verify --key jwks.json --alg RS256 --token eyJhbGciOi...\n  \
        josecraft verify --key key.jwk --payload payload.bin detached-token")]
    Verify(VerifyArgs),

    /// Encrypt the exact bytes of FILE as a JWE; prints a compact JWE, or flattened JSON with --json
    #[command(after_help = "Examples:\n  \
        josecraft encrypt --key recipient.jwk --alg ECDH-ES+A256KW --enc A256GCM secret.txt\n  \
        josecraft encrypt --key shared.jwk --alg dir --enc A128CBC-HS256 --zip --json secret.txt")]
    Encrypt(EncryptArgs),

    /// Decrypt a JWE (compact or JSON); prints the plaintext bytes exactly
    #[command(after_help = "Examples:\n  \
        josecraft decrypt --key private.jwk token\n  \
        josecraft decrypt --key shared.jwk --alg dir --enc A256GCM --token eyJhbGciOi...")]
    Decrypt(DecryptArgs),

    /// Issue and check JSON Web Tokens
    #[command(subcommand)]
    Jwt(JwtCommand),

    /// Show a token's header and payload WITHOUT verifying anything
    #[command(after_help = "Examples:\n  \
        josecraft decode token\n  \
        josecraft decode --pretty --token eyJhbGciOi...")]
    Decode(DecodeArgs),

    /// Make and check DPoP proofs (RFC 9449)
    #[command(subcommand)]
    Dpop(DpopCommand),

    /// Issue, present and verify SD-JWTs: selective disclosure (RFC 9901)
    #[command(subcommand, name = "sd-jwt")]
    SdJwt(SdJwtCommand),
}

#[derive(Subcommand, Debug)]
pub enum SdJwtCommand {
    /// Issue an SD-JWT: the claims of FILE with the claims at each --disclose PATH (a JSON
    /// pointer) selectively disclosable; prints `<JWT>~<Disclosure>~…~`
    #[command(after_help = "Examples:\n  \
        josecraft sd-jwt issue --key issuer.jwk --claims claims.json --disclose /given_name --disclose /address/locality --holder-key holder.jwk --typ dc+sd-jwt > sd-jwt")]
    Issue(SdJwtIssueArgs),
    /// Keep only the disclosures of the --disclose PATHs, and add a Key Binding JWT with
    /// --holder-key; prints the presentation (--list: the disclosable claims, as JSON)
    #[command(after_help = "Examples:\n  \
        josecraft sd-jwt present --list sd-jwt\n  \
        josecraft sd-jwt present --disclose /given_name --holder-key holder.jwk --aud https://verifier.example --nonce n-1 sd-jwt")]
    Present(SdJwtPresentArgs),
    /// Verify a presentation; prints the processed claims, the disclosed paths and whether
    /// it was key-bound, as JSON
    #[command(after_help = "Examples:\n  \
        josecraft sd-jwt verify --key issuer-public.jwk --iss https://issuer.example --kb-aud https://verifier.example --kb-nonce n-1 presentation\n  \
        josecraft sd-jwt verify --key issuer-public.jwk --no-key-binding presentation")]
    Verify(SdJwtVerifyArgs),
}

#[derive(Args, Debug)]
pub struct SdJwtIssueArgs {
    /// The issuer's signing key (JWK, JWK Set or PEM)
    #[arg(long, value_name = "KEY")]
    pub key: PathBuf,
    /// Algorithm, when the key has no alg (must agree with it otherwise)
    #[arg(long, value_name = "ALG")]
    pub alg: Option<String>,
    /// Header kid (default: the key's); selects the key of a JWK Set
    #[arg(long, value_name = "KID")]
    pub kid: Option<String>,
    /// The claims, a JSON object
    #[arg(long, value_name = "FILE")]
    pub claims: PathBuf,
    /// A claim to make selectively disclosable, as a JSON pointer (repeat)
    #[arg(long, value_name = "PATH")]
    pub disclose: Vec<String>,
    /// The holder's key (its public part goes into cnf.jwk)
    #[arg(long, value_name = "KEY")]
    pub holder_key: Option<PathBuf>,
    /// Decoy digests per object with disclosable claims: between N and 2N (at most 64)
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub decoys: usize,
    /// Digest hash function
    #[arg(long, value_name = "HASH", value_parser = ["sha-256", "sha-384", "sha-512"], default_value = "sha-256")]
    pub hash: String,
    /// Header typ (e.g. dc+sd-jwt)
    #[arg(long, value_name = "TYP")]
    pub typ: Option<String>,
}

#[derive(Args, Debug)]
pub struct SdJwtPresentArgs {
    /// Print the disclosable claims (JSON pointer → value) instead of a presentation
    #[arg(long, conflicts_with_all = ["disclose", "holder_key"])]
    pub list: bool,
    /// A claim to disclose, as a JSON pointer from --list (repeat)
    #[arg(long, value_name = "PATH")]
    pub disclose: Vec<String>,
    /// The holder's private key: adds a Key Binding JWT
    #[arg(long, value_name = "KEY", requires_all = ["aud", "nonce"])]
    pub holder_key: Option<PathBuf>,
    /// Algorithm of the holder key, when it has no alg
    #[arg(long, value_name = "ALG")]
    pub alg: Option<String>,
    /// The verifier, for the Key Binding JWT's aud
    #[arg(long, value_name = "S", requires = "holder_key")]
    pub aud: Option<String>,
    /// The verifier's nonce
    #[arg(long, value_name = "S", requires = "holder_key")]
    pub nonce: Option<String>,
    #[command(flatten)]
    pub token: TokenInput,
}

#[derive(Args, Debug)]
pub struct SdJwtVerifyArgs {
    /// The issuer's verification key (JWK, JWK Set or PEM)
    #[arg(long, value_name = "KEY")]
    pub key: PathBuf,
    /// Accept only this algorithm (and use it for keys without alg)
    #[arg(long, value_name = "ALG")]
    pub alg: Option<String>,
    /// Accepted issuer (repeat for several; none: any issuer)
    #[arg(long, value_name = "S")]
    pub iss: Vec<String>,
    /// Required typ of the issuer-signed JWT (e.g. dc+sd-jwt; default: sd-jwt or any
    /// typ ending in +sd-jwt)
    #[arg(long, value_name = "TYP")]
    pub typ: Option<String>,
    /// The Key Binding JWT's expected aud (with --kb-nonce)
    #[arg(
        long,
        value_name = "S",
        requires = "kb_nonce",
        required_unless_present = "no_key_binding"
    )]
    pub kb_aud: Option<String>,
    /// The Key Binding JWT's expected nonce
    #[arg(long, value_name = "S", requires = "kb_aud")]
    pub kb_nonce: Option<String>,
    /// Accept presentations without key binding
    #[arg(long, conflicts_with_all = ["kb_aud", "kb_nonce"])]
    pub no_key_binding: bool,
    /// Judge the presentation as at this time (seconds since the epoch) instead of now
    #[arg(long, value_name = "UNIX_TIME")]
    pub at: Option<i64>,
    #[command(flatten)]
    pub token: TokenInput,
}

#[derive(Subcommand, Debug)]
pub enum DpopCommand {
    /// Make a DPoP proof for one HTTP request; prints the compact proof
    #[command(after_help = "Examples:\n  \
        josecraft keygen ES256 > client.jwk\n  \
        josecraft dpop proof --key client.jwk --htm POST --htu https://auth.example/token\n  \
        josecraft dpop proof --key client.jwk --htm GET --htu https://api.example/orders --ath-token \"$AT\" --nonce \"$NONCE\"")]
    Proof(DpopProofArgs),
    /// Check a DPoP proof against a request (RFC 9449 §4.3); prints what it proves, as JSON
    #[command(after_help = "Examples:\n  \
        josecraft dpop verify --htm POST --htu https://auth.example/token proof\n  \
        josecraft dpop verify --htm GET --htu https://api.example/orders --access-token \"$AT\" --jkt 0ZcOCORZ... --token eyJ0eXAi...")]
    Verify(DpopVerifyArgs),
}

#[derive(Args, Debug)]
pub struct DpopProofArgs {
    /// The client's private key (JWK, JWK Set or PEM; an asymmetric key)
    #[arg(long, value_name = "KEY")]
    pub key: PathBuf,
    /// Algorithm, when the key has no alg (must agree with it otherwise)
    #[arg(long, value_name = "ALG")]
    pub alg: Option<String>,
    /// Which key of a JWK Set
    #[arg(long, value_name = "KID")]
    pub kid: Option<String>,
    /// The request's method (htm)
    #[arg(long, value_name = "METHOD")]
    pub htm: String,
    /// The request's URI (htu; its query and fragment are left out)
    #[arg(long, value_name = "URL", allow_hyphen_values = true)]
    pub htu: String,
    /// The access token sent with the request: its hash becomes ath
    #[arg(long, value_name = "TOKEN", allow_hyphen_values = true)]
    pub ath_token: Option<String>,
    /// The server's nonce (from its DPoP-Nonce header)
    #[arg(long, value_name = "NONCE", allow_hyphen_values = true)]
    pub nonce: Option<String>,
}

#[derive(Args, Debug)]
pub struct DpopVerifyArgs {
    /// The request's method
    #[arg(long, value_name = "METHOD")]
    pub htm: String,
    /// The request's URI
    #[arg(long, value_name = "URL", allow_hyphen_values = true)]
    pub htu: String,
    /// The access token sent with the proof: ath must be its hash
    #[arg(long, value_name = "TOKEN", allow_hyphen_values = true)]
    pub access_token: Option<String>,
    /// The thumbprint the access token is bound to (its cnf.jkt): the proof's key must have it
    #[arg(long, value_name = "JKT", allow_hyphen_values = true)]
    pub jkt: Option<String>,
    /// The nonce the server expects in the proof
    #[arg(long, value_name = "NONCE", allow_hyphen_values = true)]
    pub nonce: Option<String>,
    /// Accepted algorithm (repeat for several; default: every asymmetric JWS algorithm)
    #[arg(long, value_name = "ALG")]
    pub alg: Vec<String>,
    /// How old the proof may be, in seconds (at most 86400)
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub max_age: u64,
    /// Judge the proof as at this time (seconds since the epoch) instead of now
    #[arg(long, value_name = "UNIX_TIME")]
    pub at: Option<i64>,
    /// Clock skew allowed, in seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 5)]
    pub leeway: u64,
    #[command(flatten)]
    pub token: TokenInput,
}

#[derive(Args, Debug)]
pub struct TokenInput {
    /// File holding the token (absent or '-': standard input)
    #[arg(value_name = "TOKEN")]
    pub file: Option<PathBuf>,

    /// The token itself, instead of a file
    #[arg(long = "token", value_name = "STRING", conflicts_with = "file")]
    pub literal: Option<String>,
}

#[derive(Args, Debug)]
pub struct KeygenArgs {
    /// The algorithm the key is for (JWS, or JWE key management)
    #[arg(value_name = "ALG")]
    pub alg: String,
    /// Key ID (default: the RFC 7638 thumbprint)
    #[arg(long, value_name = "KID")]
    pub kid: Option<String>,
    /// RSA modulus size (default 2048)
    #[arg(long, value_name = "N")]
    pub bits: Option<usize>,
    /// Curve for ECDH-ES: P-256 (default), P-384, P-521 or X25519
    #[arg(long, value_name = "CRV")]
    pub crv: Option<String>,
    /// Content encryption of a dir key (required for dir; the key's alg is then this enc,
    /// as RFC 7520 §5.6 writes dir keys, and it is used with --alg dir or without --alg)
    #[arg(long, value_name = "ENC")]
    pub enc: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum JwkCommand {
    /// The public part of a JWK, or of every key of a JWK Set (oct keys left out)
    #[command(after_help = "Examples:\n  \
        josecraft jwk public private.jwk > public.jwk\n  \
        josecraft jwk public private-jwks.json > jwks.json")]
    Public {
        /// JWK, JWK Set or PEM file (absent or '-': standard input)
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// The RFC 7638 thumbprint of a key, base64url
    #[command(after_help = "Examples:\n  \
        josecraft jwk thumbprint key.jwk\n  \
        josecraft jwk thumbprint --hash sha512 --kid k1 jwks.json")]
    Thumbprint {
        /// Hash function
        #[arg(long, value_name = "HASH", value_parser = ["sha256", "sha384", "sha512"], default_value = "sha256")]
        hash: String,
        /// Which key of a JWK Set
        #[arg(long, value_name = "KID")]
        kid: Option<String>,
        /// JWK, JWK Set or PEM file (absent or '-': standard input)
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
    },
    /// A PEM or DER key or certificate as a JWK (private keys give the private JWK)
    #[command(
        name = "from-pem",
        after_help = "Examples:\n  \
        josecraft jwk from-pem --alg RS256 --kid k1 private.pem\n  \
        josecraft jwk from-pem cert.pem"
    )]
    FromPem {
        /// Set the JWK's alg
        #[arg(long, value_name = "ALG")]
        alg: Option<String>,
        /// Set the JWK's kid
        #[arg(long, value_name = "KID")]
        kid: Option<String>,
        /// PEM or DER file (absent or '-': standard input)
        #[arg(value_name = "FILE")]
        file: Option<PathBuf>,
    },
}

#[derive(Args, Debug)]
pub struct SignArgs {
    /// The signing key (JWK, JWK Set or PEM)
    #[arg(long, value_name = "KEY")]
    pub key: PathBuf,
    /// Algorithm, when the key has no alg (must agree with it otherwise)
    #[arg(long, value_name = "ALG")]
    pub alg: Option<String>,
    /// Header kid (default: the key's); selects the key of a JWK Set
    #[arg(long, value_name = "KID")]
    pub kid: Option<String>,
    /// Header typ
    #[arg(long, value_name = "TYP")]
    pub typ: Option<String>,
    /// Header cty
    #[arg(long, value_name = "CTY")]
    pub cty: Option<String>,
    /// More protected header members, as a JSON object
    #[arg(long, value_name = "JSON")]
    pub header: Option<String>,
    /// Unprotected header members, as a JSON object (with --json)
    #[arg(long, value_name = "JSON")]
    pub unprotected: Option<String>,
    /// Leave the payload out of the output (RFC 7515 Appendix F)
    #[arg(long)]
    pub detached: bool,
    /// Do not base64url-encode the payload (RFC 7797: b64 false)
    #[arg(long)]
    pub unencoded: bool,
    /// Print the flattened JSON serialization
    #[arg(long)]
    pub json: bool,
    /// The payload (absent or '-': standard input)
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct VerifyArgs {
    /// The verification key (JWK, JWK Set or PEM)
    #[arg(long, value_name = "KEY")]
    pub key: PathBuf,
    /// Accept only this algorithm (and use it for keys without alg)
    #[arg(long, value_name = "ALG")]
    pub alg: Option<String>,
    /// The detached payload's raw bytes
    #[arg(long, value_name = "FILE")]
    pub payload: Option<PathBuf>,
    #[command(flatten)]
    pub token: TokenInput,
}

#[derive(Args, Debug)]
pub struct EncryptArgs {
    /// The recipient's key (JWK, JWK Set or PEM)
    #[arg(long, value_name = "KEY")]
    pub key: PathBuf,
    /// Key management algorithm
    #[arg(long, value_name = "ALG")]
    pub alg: String,
    /// Content encryption
    #[arg(long, value_name = "ENC")]
    pub enc: String,
    /// Header kid (default: the key's); selects the key of a JWK Set
    #[arg(long, value_name = "KID")]
    pub kid: Option<String>,
    /// Compress the plaintext first (zip DEF)
    #[arg(long)]
    pub zip: bool,
    /// Header cty
    #[arg(long, value_name = "CTY")]
    pub cty: Option<String>,
    /// Print the flattened JSON serialization
    #[arg(long)]
    pub json: bool,
    /// The plaintext (absent or '-': standard input)
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct DecryptArgs {
    /// The decryption key (JWK, JWK Set or PEM)
    #[arg(long, value_name = "KEY")]
    pub key: PathBuf,
    /// Accept only this key management algorithm (and use it for keys without alg)
    #[arg(long, value_name = "ALG")]
    pub alg: Option<String>,
    /// Accept only this content encryption (and use it for a dir key without one)
    #[arg(long, value_name = "ENC")]
    pub enc: Option<String>,
    #[command(flatten)]
    pub token: TokenInput,
}

#[derive(Subcommand, Debug)]
pub enum JwtCommand {
    /// Issue a JWT (iat = now, exp = now + 1h unless --exp or --no-exp); prints the token
    #[command(after_help = "Examples:\n  \
        josecraft jwt sign --key key.jwk --iss https://auth.example --sub ada --aud api --exp 15m\n  \
        josecraft jwt sign --key key.jwk --claims claims.json --random-jti --no-exp")]
    Sign(JwtSignArgs),
    /// Verify a JWT and validate its claims; prints the verified payload
    #[command(after_help = "Examples:\n  \
        josecraft jwt verify --key jwks.json --iss https://auth.example --aud api token\n  \
        josecraft jwt verify --key issuer.jwk --decrypt-key mine.jwk --any-aud --token eyJ...")]
    Verify(JwtVerifyArgs),
}

#[derive(Args, Debug)]
pub struct JwtSignArgs {
    /// The signing key (JWK, JWK Set or PEM)
    #[arg(long, value_name = "KEY")]
    pub key: PathBuf,
    /// Algorithm, when the key has no alg (must agree with it otherwise)
    #[arg(long, value_name = "ALG")]
    pub alg: Option<String>,
    /// Header kid (default: the key's); selects the key of a JWK Set
    #[arg(long, value_name = "KID")]
    pub kid: Option<String>,
    /// iss
    #[arg(long, value_name = "S", allow_hyphen_values = true)]
    pub iss: Option<String>,
    /// sub
    #[arg(long, value_name = "S", allow_hyphen_values = true)]
    pub sub: Option<String>,
    /// aud (repeat for several)
    #[arg(long, value_name = "S", allow_hyphen_values = true)]
    pub aud: Vec<String>,
    /// exp = now + D (90s, 15m, 1h, 7d; default 1h; never negative)
    #[arg(
        long,
        value_name = "D",
        allow_hyphen_values = true,
        conflicts_with = "no_exp"
    )]
    pub exp: Option<String>,
    /// No exp
    #[arg(long)]
    pub no_exp: bool,
    /// nbf = now + D (a leading - for the past: -90s)
    #[arg(long, value_name = "D", allow_hyphen_values = true)]
    pub nbf: Option<String>,
    /// jti
    #[arg(long, value_name = "S", conflicts_with = "random_jti")]
    pub jti: Option<String>,
    /// A random jti
    #[arg(long)]
    pub random_jti: bool,
    /// Header typ (default JWT)
    #[arg(long, value_name = "TYP")]
    pub typ: Option<String>,
    /// Claims as a JSON object file; the flags override its members
    #[arg(long, value_name = "FILE")]
    pub claims: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct JwtVerifyArgs {
    /// The issuer's verification key (JWK, JWK Set or PEM)
    #[arg(long, value_name = "KEY")]
    pub key: PathBuf,
    /// Accept only this algorithm (and use it for keys without alg, e.g. a PEM key)
    #[arg(long, value_name = "ALG")]
    pub alg: Option<String>,
    /// For a nested JWT: the key that decrypts the outer JWE
    #[arg(long, value_name = "KEY")]
    pub decrypt_key: Option<PathBuf>,
    /// Accepted issuer (repeat for several; none: any issuer)
    #[arg(long, value_name = "S", allow_hyphen_values = true)]
    pub iss: Vec<String>,
    /// Accepted audience (repeat for several; none: a token with aud is rejected)
    #[arg(long, value_name = "S", allow_hyphen_values = true)]
    pub aud: Vec<String>,
    /// Accept any audience
    #[arg(long, conflicts_with = "aud")]
    pub any_aud: bool,
    /// Required sub
    #[arg(long, value_name = "S", allow_hyphen_values = true)]
    pub sub: Option<String>,
    /// Required typ (case-insensitive, application/ prefix optional)
    #[arg(long, value_name = "TYP")]
    pub typ: Option<String>,
    /// Clock skew allowed for exp, nbf and iat, in seconds (at most 86400)
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub leeway: u64,
    /// Accept a token without exp
    #[arg(long)]
    pub allow_no_exp: bool,
    /// A claim that must be present (repeat for several)
    #[arg(long, value_name = "CLAIM")]
    pub require: Vec<String>,
    #[command(flatten)]
    pub token: TokenInput,
}

#[derive(Args, Debug)]
pub struct DecodeArgs {
    #[command(flatten)]
    pub token: TokenInput,
}
