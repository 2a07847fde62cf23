//! Authorization on a valid token: the scopes a resource requires and rules of the
//! caller's own (roles, groups, tenants). A token that fails them is authentic and valid
//! but not allowed: [`Error::Forbidden`](crate::Error::Forbidden) (HTTP 403), never a
//! claims error (HTTP 401), so a server can answer `insufficient_scope` without parsing
//! error text.

use super::claims::ClaimsView;
use crate::error::{Claim, ClaimsError, Forbidden, Result};

/// A named predicate over the claims.
pub(crate) type Rule = std::sync::Arc<dyn Fn(&ClaimsView<'_>) -> bool + Send + Sync>;

impl ClaimsView<'_> {
    /// The scopes the token grants: the space-separated `scope` claim (RFC 8693 §4.2,
    /// RFC 9068 §2.2.3) and the `scp` claim some issuers use instead (an array of strings,
    /// or a space-separated string). Absent claims grant nothing.
    ///
    /// # Errors
    /// [`ClaimsError::WrongType`] when `scope` is not a string or `scp` is neither a
    /// string nor an array of strings.
    pub fn scopes(&self) -> Result<Vec<String>> {
        let mut out = match self.get::<String>("scope")? {
            Some(s) => split_scopes(&s),
            None => Vec::new(),
        };
        out.extend(self.strings("scp")?);
        Ok(out)
    }

    /// The claim `name` as a list of strings: an array of strings, or one string split at
    /// spaces (how `roles`, `groups` and `scp` appear across issuers). Absent is empty.
    ///
    /// # Errors
    /// [`ClaimsError::WrongType`] for any other JSON type.
    pub fn strings(&self, name: &str) -> Result<Vec<String>> {
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        enum List {
            One(String),
            Many(Vec<String>),
        }
        Ok(match self.get::<serde_json::Value>(name)? {
            None => Vec::new(),
            Some(v) => match serde_json::from_value::<List>(v) {
                Ok(List::One(s)) => split_scopes(&s),
                Ok(List::Many(v)) => v,
                Err(_) => return Err(ClaimsError::WrongType(Claim::from_name(name)).into()),
            },
        })
    }
}

fn split_scopes(s: &str) -> Vec<String> {
    s.split(' ')
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

/// The authorization step of [`Validation`](super::Validation): required scopes first,
/// then the rules in the order they were added.
pub(crate) fn authorize(
    view: &ClaimsView<'_>,
    required: &[String],
    rules: &[(String, Rule)],
) -> Result<()> {
    if !required.is_empty() {
        let granted = view.scopes()?;
        let missing: Vec<String> = required
            .iter()
            .filter(|r| !granted.iter().any(|g| g == *r))
            .cloned()
            .collect();
        if !missing.is_empty() {
            return Err(Forbidden::InsufficientScope {
                required: required.to_vec(),
                missing,
            }
            .into());
        }
    }
    for (name, rule) in rules {
        if !rule(view) {
            return Err(Forbidden::Denied { rule: name.clone() }.into());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::jwt::{self, Claims, FixedClock, NumericDate, Validation};
    use crate::{Error, HmacAlgorithm, HmacKey};

    use super::Forbidden;

    fn token(key: &HmacKey, custom: serde_json::Value) -> String {
        let serde_json::Value::Object(map) = custom else {
            unreachable!()
        };
        let claims = Claims::new(map)
            .with_issuer("i")
            .with_audience("a")
            .valid_for(now(), std::time::Duration::from_secs(60))
            .unwrap();
        jwt::sign(&claims, key).unwrap()
    }

    fn now() -> NumericDate {
        NumericDate::from_unix(1_700_000_000).unwrap()
    }

    fn check(v: &Validation, key: &HmacKey, t: &str) -> crate::Result<()> {
        jwt::verify::<serde_json::Map<_, _>>(t, key, v).map(|_| ())
    }

    #[test]
    fn scopes_from_scope_and_scp() {
        let key = HmacKey::generate(HmacAlgorithm::Hs256).unwrap();
        let v = Validation::issuer("i")
            .audience("a")
            .with_clock(FixedClock(now()))
            .with_required_scopes(["read", "write"]);
        for ok in [
            serde_json::json!({"scope": "write  read other"}),
            serde_json::json!({"scp": ["read", "write"]}),
            serde_json::json!({"scp": "read write"}),
            serde_json::json!({"scope": "read", "scp": ["write"]}),
        ] {
            assert_eq!(check(&v, &key, &token(&key, ok.clone())), Ok(()), "{ok}");
        }
        let err = check(
            &v,
            &key,
            &token(&key, serde_json::json!({"scope": "read readwrite"})),
        );
        assert_eq!(
            err,
            Err(Error::Forbidden(Forbidden::InsufficientScope {
                required: vec!["read".into(), "write".into()],
                missing: vec!["write".into()],
            }))
        );
        // No scope at all: forbidden, not invalid.
        assert!(matches!(
            check(&v, &key, &token(&key, serde_json::json!({}))),
            Err(Error::Forbidden(Forbidden::InsufficientScope { .. }))
        ));
        // A scope claim of the wrong type is an invalid token, not a forbidden one.
        for bad in [
            serde_json::json!({"scope": ["read"]}),
            serde_json::json!({"scp": 5}),
        ] {
            assert!(
                matches!(
                    check(&v, &key, &token(&key, bad.clone())),
                    Err(Error::Claims(crate::ClaimsError::WrongType(_)))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn rules_refuse_with_their_name_after_validity() {
        let key = HmacKey::generate(HmacAlgorithm::Hs256).unwrap();
        let v = Validation::issuer("i")
            .audience("a")
            .with_clock(FixedClock(now()))
            .with_rule("admin", |c| {
                c.strings("roles")
                    .is_ok_and(|r| r.iter().any(|r| r == "admin"))
            });
        assert_eq!(
            check(
                &v,
                &key,
                &token(&key, serde_json::json!({"roles": ["viewer", "admin"]}))
            ),
            Ok(())
        );
        assert_eq!(
            check(
                &v,
                &key,
                &token(&key, serde_json::json!({"roles": "viewer"}))
            ),
            Err(Error::Forbidden(Forbidden::Denied {
                rule: "admin".into()
            }))
        );
        // An expired token is invalid (401) even when it would also be forbidden.
        let late = v
            .clone()
            .with_clock(FixedClock(NumericDate::from_unix(1_800_000_000).unwrap()));
        assert!(matches!(
            check(&late, &key, &token(&key, serde_json::json!({}))),
            Err(Error::Claims(crate::ClaimsError::Expired { .. }))
        ));
    }
}
