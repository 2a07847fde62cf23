//! Both servers on loopback ports and a client walking the whole flow: login → call the API
//! → the access token expires (an injected clock, no sleeping) → refresh (rotation) → key
//! rotation → logout → the revoked refresh token is refused. The refresh cookie travels as
//! a browser would send it back (the client carries it explicitly and checks its
//! attributes).

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_call_expire_refresh_rotate_logout() {
    let clock = Arc::new(TestClock(AtomicI64::new(NumericDate::now().unix())));

    let auth_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let auth_url = format!("http://{}", auth_listener.local_addr().unwrap());
    let mut config = AuthConfig::new(&auth_url, "https://api.example");
    config.users.push(("ada".into(), "lovelace".into()));
    config.clock = clock.clone();
    tokio::spawn(async move {
        axum::serve(auth_listener, auth::router(config))
            .await
            .unwrap()
    });

    let api_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let api_url = format!("http://{}", api_listener.local_addr().unwrap());
    let app = resource::router(ResourceConfig {
        jwks_url: format!("{auth_url}/.well-known/jwks.json"),
        issuer: auth_url.clone(),
        audience: "https://api.example".into(),
        clock: clock.clone(),
    })
    .unwrap();
    tokio::spawn(async move { axum::serve(api_listener, app).await.unwrap() });

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
    let r = c.orders(Some("Basic YWRhOmxvdmVsYWNl")).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(challenge(&r).contains("error=\"invalid_request\""));
    let r = c.orders(Some("Bearer not.a.jwt")).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(challenge(&r).contains("error=\"invalid_token\""));
    let bearer = format!("Bearer {}", first.access);
    let r = c.orders(Some(&bearer)).await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["sub"], "ada");
    assert_eq!(body["scope"], "read:orders");

    // Five minutes later the access token has expired.
    clock.advance(5 * 60 + 61);
    let r = c.orders(Some(&bearer)).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let ch = challenge(&r);
    assert!(
        ch.contains("error=\"invalid_token\"") && ch.contains("expired"),
        "{ch}"
    );

    // Refresh: a new access token and a new refresh token; the old one is dead.
    let second = Client::tokens(c.refresh(&first.cookie).await).await;
    assert_ne!(second.cookie, first.cookie);
    assert_eq!(
        c.refresh(&first.cookie).await.status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        c.orders(Some(&format!("Bearer {}", second.access)))
            .await
            .status(),
        StatusCode::OK
    );

    // Key rotation: new tokens carry the new kid; the resource server fetches the new key
    // (after its cooldown); tokens signed with the old key still verify until they expire.
    let rotated: Value = c
        .http
        .post(format!("{auth_url}/admin/rotate-key"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let new_kid = rotated["kid"].as_str().unwrap().to_string();
    assert_ne!(new_kid, first_kid);
    clock.advance(31);
    let third = Client::tokens(c.refresh(&second.cookie).await).await;
    assert_eq!(kid(&third.access), new_kid);
    assert_eq!(
        c.orders(Some(&format!("Bearer {}", third.access)))
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        c.orders(Some(&format!("Bearer {}", second.access)))
            .await
            .status(),
        StatusCode::OK
    );
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
        "old and new public keys published"
    );

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
