//! Both servers on loopback ports and a client walking the whole flow: login → call the API
//! → the access token expires (an injected clock, no sleeping) → refresh (rotation) → key
//! rotation → logout → the revoked refresh token is refused. The refresh cookie travels as
//! a browser would send it back (the client carries it explicitly and checks its
//! attributes).

use std::net::SocketAddr;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use josecraft::jwt::{Clock, NumericDate};
use josecraft_servers::auth::{self, AuthConfig};
use josecraft_servers::resource::{self, ResourceConfig};
use reqwest::{header, StatusCode};
use serde_json::{json, Value};

struct TestClock(AtomicI64);

impl Clock for TestClock {
    fn now(&self) -> NumericDate {
        NumericDate::from_unix(self.0.load(Ordering::SeqCst)).unwrap()
    }
}

impl TestClock {
    fn advance(&self, seconds: i64) {
        self.0.fetch_add(seconds, Ordering::SeqCst);
    }
}

struct Client {
    http: reqwest::Client,
    auth: String,
    api: String,
}

struct Login {
    access: String,
    cookie: String,
    set_cookie: String,
}

impl Client {
    async fn login(&self, user: &str, password: &str) -> reqwest::Response {
        self.http
            .post(format!("{}/login", self.auth))
            .json(&json!({"username": user, "password": password}))
            .send()
            .await
            .unwrap()
    }

    async fn tokens(response: reqwest::Response) -> Login {
        assert_eq!(response.status(), StatusCode::OK);
        let set_cookie = response
            .headers()
            .get(header::SET_COOKIE)
            .expect("a refresh cookie")
            .to_str()
            .unwrap()
            .to_string();
        let cookie = set_cookie.split(';').next().unwrap().to_string();
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["token_type"], "Bearer");
        Login {
            access: body["access_token"].as_str().unwrap().to_string(),
            cookie,
            set_cookie,
        }
    }

    async fn refresh(&self, cookie: &str) -> reqwest::Response {
        self.http
            .post(format!("{}/refresh", self.auth))
            .header(header::COOKIE, cookie)
            .send()
            .await
            .unwrap()
    }

    async fn orders(&self, authorization: Option<&str>) -> reqwest::Response {
        let mut req = self.http.get(format!("{}/api/orders", self.api));
        if let Some(a) = authorization {
            req = req.header(header::AUTHORIZATION, a);
        }
        req.send().await.unwrap()
    }
}

fn challenge(r: &reqwest::Response) -> String {
    r.headers()
        .get(header::WWW_AUTHENTICATE)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

fn kid(token: &str) -> String {
    let h = josecraft::base64url::decode(token.split('.').next().unwrap()).unwrap();
    let v: Value = serde_json::from_slice(&h).unwrap();
    v["kid"].as_str().unwrap().to_string()
}

/// The auth server (user ada, admin token `admin-secret`) and the resource server on
/// loopback: their URLs.
async fn start(clock: Arc<TestClock>) -> (String, String) {
    let auth_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let auth_url = format!("http://{}", auth_listener.local_addr().unwrap());
    let mut config = AuthConfig::new(&auth_url, "https://api.example");
    config.users.push(("ada".into(), "lovelace".into()));
    config.clock = clock.clone();
    config.admin_token = Some("admin-secret".into());
    tokio::spawn(async move {
        axum::serve(
            auth_listener,
            auth::router(config).into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap()
    });

    let api_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let api_url = format!("http://{}", api_listener.local_addr().unwrap());
    let app = resource::router(ResourceConfig {
        jwks_url: format!("{auth_url}/.well-known/jwks.json"),
        issuer: auth_url.clone(),
        audience: "https://api.example".into(),
        clock,
        revocations: None,
        public_origin: api_url.clone(),
        dpop_replay: None,
    })
    .unwrap();
    tokio::spawn(async move { axum::serve(api_listener, app).await.unwrap() });
    (auth_url, api_url)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_call_expire_refresh_rotate_logout() {
    let clock = Arc::new(TestClock(AtomicI64::new(NumericDate::now().unix())));
    let (auth_url, api_url) = start(clock.clone()).await;

    let c = Client {
        http: reqwest::Client::new(),
        auth: auth_url.clone(),
        api: api_url,
    };

    // Login: a wrong password and an unknown user get the same answer.
    assert_eq!(
        c.login("ada", "wrong").await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        c.login("bob", "lovelace").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let first = Client::tokens(c.login("ada", "lovelace").await).await;
    for attribute in [
        "HttpOnly",
        "Secure",
        "SameSite=Strict",
        "Path=/",
        "Max-Age=86400",
    ] {
        assert!(first.set_cookie.contains(attribute), "{}", first.set_cookie);
    }
    assert!(first.cookie.starts_with("refresh_token="));

    // The JWKS is published, and the access token is an RFC 9068 at+jwt.
    let jwks: Value = c
        .http
        .get(format!("{auth_url}/.well-known/jwks.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 1);
    assert!(
        jwks["keys"][0].get("d").is_none(),
        "only public keys are published"
    );
    let first_kid = kid(&first.access);
    assert_eq!(jwks["keys"][0]["kid"], first_kid.as_str());

    // Calling the API.
    let r = c.orders(None).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        challenge(&r),
        "Bearer realm=\"orders\"",
        "no error code without credentials"
    );
    // Another scheme is no Bearer credentials: the bare challenge (RFC 6750 §3.1).
    let r = c.orders(Some("Basic YWRhOmxvdmVsYWNl")).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(challenge(&r), "Bearer realm=\"orders\"");
    let r = c.orders(Some("Bearer a b")).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(challenge(&r).contains("error=\"invalid_request\""));
    // A malformed header gets a fixed body: nothing of what was sent is echoed.
    assert_eq!(r.text().await.unwrap(), "bad request");
    let r = c.orders(Some("Bearer not.a.jwt")).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(challenge(&r).contains("error=\"invalid_token\""));
    let bearer = format!("Bearer {}", first.access);
    let r = c.orders(Some(&bearer)).await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["sub"], "ada");
    assert_eq!(body["scope"], "read:orders");
    // Creating an order needs write:orders, which ada's token lacks: valid but not
    // allowed, 403 with the scope the route needs.
    let r = c
        .http
        .post(format!("{}/api/orders", c.api))
        .header(header::AUTHORIZATION, &bearer)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        challenge(&r),
        "Bearer realm=\"orders\", error=\"insufficient_scope\", error_description=\"the access token lacks a required scope\", scope=\"write:orders\""
    );

    // Five minutes later the access token has expired.
    clock.advance(5 * 60 + 61);
    let r = c.orders(Some(&bearer)).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let ch = challenge(&r);
    assert!(
        ch.contains("error=\"invalid_token\"") && ch.contains("expired"),
        "{ch}"
    );

    // Refresh: a new access token and a new refresh token.
    let second = Client::tokens(c.refresh(&first.cookie).await).await;
    assert_ne!(second.cookie, first.cookie);
    assert_eq!(
        c.orders(Some(&format!("Bearer {}", second.access)))
            .await
            .status(),
        StatusCode::OK
    );

    // Key rotation: the new key is published at once but signs only after the resource
    // servers' cache and cooldown windows; across the whole rotation no valid token is
    // ever refused.
    let rotate = |token: Option<&'static str>| {
        let mut r = c.http.post(format!("{auth_url}/admin/rotate-key"));
        if let Some(t) = token {
            r = r.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        r.send()
    };
    assert_eq!(
        rotate(None).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        rotate(Some("wrong")).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    let rotated: Value = rotate(Some("admin-secret"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        rotate(Some("admin-secret")).await.unwrap().status(),
        StatusCode::CONFLICT,
        "a pending rotation is not restarted"
    );
    let new_kid = rotated["kid"].as_str().unwrap().to_string();
    assert_ne!(new_kid, first_kid);
    let jwks: Value = c
        .http
        .get(format!("{auth_url}/.well-known/jwks.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        jwks["keys"].as_array().unwrap().len(),
        2,
        "the next key is published before it signs"
    );
    let mut session = second;
    let mut before_switch = None;
    let mut refused = 0;
    let mut kids = Vec::new();
    // 40 steps of 15 s: past the activation (6 min) and the old key's retirement.
    for _ in 0..40 {
        clock.advance(15);
        session = Client::tokens(c.refresh(&session.cookie).await).await;
        let k = kid(&session.access);
        if k == first_kid {
            before_switch = Some(session.access.clone());
        }
        kids.push(k);
        let r = c.orders(Some(&format!("Bearer {}", session.access))).await;
        refused += usize::from(r.status() != StatusCode::OK);
    }
    assert_eq!(refused, 0, "no token refused during the rotation");
    assert_eq!(kids.first(), Some(&first_kid), "the old key signs at first");
    assert_eq!(kids.last(), Some(&new_kid), "the new key signs at the end");
    // A token signed by the old key just before the switch stays good until it expires.
    let last_old = before_switch.unwrap();
    let r = c.orders(Some(&format!("Bearer {last_old}"))).await;
    assert!(
        r.status() == StatusCode::OK || challenge(&r).contains("expired"),
        "{}",
        challenge(&r)
    );
    let third = session;
    // Logout revokes the refresh token and clears the cookie.
    let r = c
        .http
        .post(format!("{auth_url}/logout"))
        .header(header::COOKIE, &third.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let cleared = r
        .headers()
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        cleared.starts_with("refresh_token=;") && cleared.contains("Max-Age=0"),
        "{cleared}"
    );
    assert_eq!(
        c.refresh(&third.cookie).await.status(),
        StatusCode::UNAUTHORIZED
    );
    // A forged cookie is refused too.
    assert_eq!(
        c.refresh("refresh_token=eyJhbGciOiJub25lIn0.e30.")
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
}

/// An auth server on a loopback port; returns its URL.
async fn start_auth(mut config: AuthConfig) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    config.issuer = url.clone();
    tokio::spawn(async move {
        axum::serve(
            listener,
            auth::router(config).into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap()
    });
    url
}

fn config_with_ada(clock: Arc<TestClock>) -> AuthConfig {
    let mut config = AuthConfig::new("set by start_auth", "https://api.example");
    config.users.push(("ada".into(), "lovelace".into()));
    config.clock = clock;
    config
}

fn client(auth: &str) -> Client {
    Client {
        http: reqwest::Client::new(),
        auth: auth.to_string(),
        api: String::new(),
    }
}

/// RFC 9700 §4.14.2: a refresh token used twice means it was stolen; the whole session
/// (its family) is revoked, the thief's and the client's tokens alike.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_token_reuse_revokes_the_whole_family() {
    let clock = Arc::new(TestClock(AtomicI64::new(NumericDate::now().unix())));
    let c = client(&start_auth(config_with_ada(clock.clone())).await);
    let first = Client::tokens(c.login("ada", "lovelace").await).await;
    let second = Client::tokens(c.refresh(&first.cookie).await).await;
    let third = Client::tokens(c.refresh(&second.cookie).await).await;
    // The thief replays the first token: refused, and the family is gone.
    assert_eq!(
        c.refresh(&first.cookie).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        c.refresh(&third.cookie).await.status(),
        StatusCode::UNAUTHORIZED,
        "the latest token of a revoked family is dead too"
    );
    // Another session of the same user is not affected.
    let other = Client::tokens(c.login("ada", "lovelace").await).await;
    Client::tokens(c.refresh(&other.cookie).await).await;

    // Two refreshes racing with the same token: exactly one wins (and the family, having
    // seen a reuse, is then revoked).
    let session = Client::tokens(c.login("ada", "lovelace").await).await;
    let (a, b) = tokio::join!(c.refresh(&session.cookie), c.refresh(&session.cookie));
    let wins = [a.status(), b.status()]
        .iter()
        .filter(|s| **s == StatusCode::OK)
        .count();
    assert_eq!(wins, 1);
}

/// Logout ends the session whichever of its tokens is shown; a session has an absolute
/// lifetime that refreshing does not extend.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_and_the_absolute_session_lifetime() {
    let clock = Arc::new(TestClock(AtomicI64::new(NumericDate::now().unix())));
    let c = client(&start_auth(config_with_ada(clock.clone())).await);
    let first = Client::tokens(c.login("ada", "lovelace").await).await;
    let second = Client::tokens(c.refresh(&first.cookie).await).await;
    let r = c
        .http
        .post(format!("{}/logout", c.auth))
        .header(header::COOKIE, &first.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        c.refresh(&second.cookie).await.status(),
        StatusCode::UNAUTHORIZED,
        "logout with an older token of the session ends it"
    );

    // Refresh every 20 hours (inside each token's day) for a week: the session ends at 7
    // days, and the last token's cookie lifetime says so.
    let mut s = Client::tokens(c.login("ada", "lovelace").await).await;
    let started = clock.0.load(Ordering::SeqCst);
    loop {
        clock.advance(20 * 3600);
        let now = clock.0.load(Ordering::SeqCst);
        let r = c.refresh(&s.cookie).await;
        if now - started < 7 * 86_400 {
            s = Client::tokens(r).await;
            let max_age: i64 = s
                .set_cookie
                .split("Max-Age=")
                .nth(1)
                .unwrap()
                .parse()
                .unwrap();
            assert!(
                now + max_age <= started + 7 * 86_400,
                "never past the session end"
            );
        } else {
            assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "the session is over");
            break;
        }
    }
}

/// Password guessing is throttled per user and per client address, and hashing never
/// holds up the rest of the server: with 32 guesses in flight, the JWKS endpoint answers
/// about as fast as when idle.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_is_throttled_and_does_not_slow_the_jwks() {
    let clock = Arc::new(TestClock(AtomicI64::new(NumericDate::now().unix())));
    let c = client(&start_auth(config_with_ada(clock.clone())).await);
    // A second server, whose address limit lets all 32 guesses through to the hashing.
    let mut roomy = config_with_ada(clock.clone());
    roomy.address_attempts = (1_000_000, std::time::Duration::from_secs(60));
    let load = client(&start_auth(roomy).await);
    // Per user: the sixth attempt within 5 minutes is refused before any hashing.
    for _ in 0..5 {
        assert_eq!(
            c.login("ada", "wrong").await.status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let r = c.login("ada", "lovelace").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = r.headers()[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=300).contains(&retry), "{retry}");
    clock.advance(301);
    Client::tokens(c.login("ada", "lovelace").await).await;

    // Per address: 20 attempts a minute from one address, whatever the user names.
    clock.advance(61);
    let mut codes = Vec::new();
    for i in 0..25 {
        codes.push(c.login(&format!("user{i}"), "x").await.status());
    }
    assert_eq!(
        codes
            .iter()
            .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
            .count(),
        5
    );

    // Liveness under guessing: JWKS latency, idle and with 32 guesses in flight.
    clock.advance(61);
    let c = load;
    let jwks_url = format!("{}/.well-known/jwks.json", c.auth);
    let median = |mut v: Vec<std::time::Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    // 21 requests 10 ms apart, so that the loaded ones span the time the guesses take.
    let sample = || async {
        let mut times = Vec::new();
        for _ in 0..21 {
            let t = std::time::Instant::now();
            assert!(c
                .http
                .get(&jwks_url)
                .send()
                .await
                .unwrap()
                .status()
                .is_success());
            times.push(t.elapsed());
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        times
    };
    let idle = median(sample().await);
    // 32 guessers, each with one wrong guess in flight at any time, for as long as the
    // loaded sample runs.
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let guesses: Vec<_> = (0..32)
        .map(|i| {
            let (c, stop) = (client(&c.auth), Arc::clone(&stop));
            tokio::spawn(async move {
                let mut n = 0u32;
                while !stop.load(Ordering::SeqCst) {
                    let s = c.login(&format!("guess{i}-{n}"), "wrong").await.status();
                    assert_eq!(s, StatusCode::UNAUTHORIZED);
                    n += 1;
                }
                n
            })
        })
        .collect();
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let loaded = median(sample().await);
    stop.store(true, Ordering::SeqCst);
    let mut total = 0;
    for g in guesses {
        total += g.await.unwrap();
    }
    assert!(total >= 32, "the guesses ran ({total})");
    // Within 2x of idle; 2 ms of slack absorbs scheduler noise on sub-millisecond medians.
    assert!(
        loaded <= idle * 2 + std::time::Duration::from_millis(2),
        "JWKS median {loaded:?} under login load vs {idle:?} idle"
    );
}

/// DPoP (RFC 9449): the login binds the session to the client's key; the API wants the
/// token with a fresh proof of that key; a stolen token is useless from another key or as
/// a Bearer token; refreshing needs the same key.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dpop_bound_tokens_and_a_stolen_token() {
    use josecraft::dpop::Proof;
    use josecraft::{SignatureAlgorithm, SigningKey};

    let clock = Arc::new(TestClock(AtomicI64::new(NumericDate::now().unix())));
    let (auth_url, api_url) = start(clock).await;
    let http = reqwest::Client::new();
    let client_key = SigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    let thief_key = SigningKey::generate(SignatureAlgorithm::Es256).unwrap();
    let jkt = client_key
        .verifying_key()
        .to_jwk()
        .thumbprint_b64(josecraft::jwk::ThumbprintHash::Sha256);
    let login = |proof: Option<String>| {
        let (http, url) = (http.clone(), format!("{auth_url}/login"));
        async move {
            let mut req = http
                .post(url)
                .json(&json!({"username": "ada", "password": "lovelace"}));
            if let Some(p) = proof {
                req = req.header("dpop", p);
            }
            req.send().await.unwrap()
        }
    };
    let proof_for = |key: &SigningKey, method: &str, url: &str, token: Option<&str>| {
        let mut p = Proof::new(method, url);
        if let Some(t) = token {
            p = p.with_access_token(t);
        }
        p.sign(key).unwrap()
    };

    // A proof for another URL is refused before the password is looked at.
    let r = login(Some(proof_for(
        &client_key,
        "POST",
        &format!("{api_url}/login"),
        None,
    )))
    .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        r.json::<Value>().await.unwrap()["error"],
        "invalid_dpop_proof"
    );

    // Login with a proof: a DPoP token bound to the client's key.
    let r = login(Some(proof_for(
        &client_key,
        "POST",
        &format!("{auth_url}/login"),
        None,
    )))
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let cookie = r.headers()[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["token_type"], "DPoP");
    let access = body["access_token"].as_str().unwrap().to_string();
    let payload: Value = serde_json::from_slice(
        &josecraft::base64url::decode(access.split('.').nth(1).unwrap()).unwrap(),
    )
    .unwrap();
    assert_eq!(payload["cnf"]["jkt"], jkt.as_str());

    let orders_url = format!("{api_url}/api/orders");
    let call = |authorization: String, proof: Option<String>| {
        let (http, url) = (http.clone(), orders_url.clone());
        async move {
            let mut req = http.get(url).header(header::AUTHORIZATION, authorization);
            if let Some(p) = proof {
                req = req.header("dpop", p);
            }
            req.send().await.unwrap()
        }
    };
    let dpop = format!("DPoP {access}");

    // The holder's request.
    let proof = proof_for(&client_key, "GET", &orders_url, Some(&access));
    let r = call(dpop.clone(), Some(proof.clone())).await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["dpop_jkt"], jkt.as_str());
    assert_eq!(body["sub"], "ada");

    // The same proof again (captured on the wire): refused.
    let r = call(dpop.clone(), Some(proof)).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(challenge(&r).starts_with("DPoP realm=\"orders\", error=\"invalid_dpop_proof\""));

    // The stolen token, replayed from the thief's key with a perfectly good proof.
    let stolen = proof_for(&thief_key, "GET", &orders_url, Some(&access));
    let r = call(dpop.clone(), Some(stolen)).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(
        challenge(&r).starts_with("DPoP realm=\"orders\", error=\"invalid_token\""),
        "{}",
        challenge(&r)
    );
    // ... or as a Bearer token, or with no proof at all.
    let r = call(format!("Bearer {access}"), None).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(challenge(&r).contains("error=\"invalid_token\""));
    let r = call(dpop.clone(), None).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(challenge(&r).contains("error=\"invalid_dpop_proof\""));

    // Refreshing a bound session needs a proof of the same key.
    let refresh = |proof: Option<String>| {
        let (http, url, cookie) = (http.clone(), format!("{auth_url}/refresh"), cookie.clone());
        async move {
            let mut req = http.post(url).header(header::COOKIE, cookie);
            if let Some(p) = proof {
                req = req.header("dpop", p);
            }
            req.send().await.unwrap()
        }
    };
    let refresh_url = format!("{auth_url}/refresh");
    assert_eq!(refresh(None).await.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        refresh(Some(proof_for(&thief_key, "POST", &refresh_url, None)))
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );
    let r = refresh(Some(proof_for(&client_key, "POST", &refresh_url, None))).await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["token_type"], "DPoP");
    let next = body["access_token"].as_str().unwrap();
    let r = call(
        format!("DPoP {next}"),
        Some(proof_for(&client_key, "GET", &orders_url, Some(next))),
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);

    // Without a proof, the login still gives a Bearer token (for curl and the README).
    let r = login(None).await;
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
}

/// When the keys cannot be had, the resource server answers 503 with a generic body: the
/// JWKS URL and the connection error go to its log, not to clients.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_unavailable_is_a_generic_503() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let jwks_url = format!(
        "http://{}/secret-path/jwks.json",
        closed.local_addr().unwrap()
    );
    drop(closed);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let api = format!("http://{}", listener.local_addr().unwrap());
    let app = resource::router(ResourceConfig {
        jwks_url: jwks_url.clone(),
        issuer: "https://auth.example".into(),
        audience: "https://api.example".into(),
        clock: Arc::new(josecraft::jwt::SystemClock),
        revocations: None,
        public_origin: api.clone(),
        dpop_replay: None,
    })
    .unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let key = josecraft::SigningKey::generate(josecraft::SignatureAlgorithm::Es256)
        .unwrap()
        .with_key_id("k");
    let token = josecraft::jws::sign_compact(&josecraft::JwsHeader::new(), b"{}", &key).unwrap();
    let r = reqwest::Client::new()
        .get(format!("{api}/api/orders"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(r.headers()[header::RETRY_AFTER], "5");
    let body = r.text().await.unwrap();
    assert!(
        !body.contains("secret-path") && !body.contains("127.0.0.1"),
        "{body}"
    );
    assert!(!body.to_lowercase().contains("connect"), "{body}");
    assert_eq!(
        body,
        "the service cannot verify tokens right now; try again shortly"
    );
}
