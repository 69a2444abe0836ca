//! A session's next action in the form the SDK's fetch driver reads (`SessionAction` in the TypeScript
//! declaration of src/wasm/sync.rs): a `kind` tag, camelCase fields, absent options left out, numbers as JS
//! numbers (a wait until a response arrives is `ms: -1`) and the wait's reason as JSON text.

use serde::Serialize;

use crate::error::{Error, Result};
use crate::sync::session::{SessionAction, SyncSession};

/// [`SessionAction`] as the fetch driver reads it (a failed session is its typed error instead).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum DriverAction {
    /// Sign what is asked, attach credentials, perform the request, then report the answer.
    #[serde(rename_all = "camelCase")]
    Send {
        /// The request's id (a JS number).
        id: f64,
        /// `GET` or `POST`.
        method: &'static str,
        /// The absolute URL.
        url: String,
        /// Headers without credentials, `[name, value]` pairs.
        headers: Vec<(String, String)>,
        /// The body (token requests).
        #[serde(skip_serializing_if = "Option::is_none")]
        body: Option<String>,
        /// The `Authorization` header value.
        #[serde(skip_serializing_if = "Option::is_none")]
        authorization: Option<String>,
        /// The client assertion's algorithm (`RS256`, `ES256`), with `assertion`.
        #[serde(skip_serializing_if = "Option::is_none")]
        assertion_alg: Option<&'static str>,
        /// The client assertion's signing input.
        #[serde(skip_serializing_if = "Option::is_none")]
        assertion: Option<String>,
        /// A DPoP proof's signing input.
        #[serde(skip_serializing_if = "Option::is_none")]
        dpop_proof: Option<String>,
    },
    /// Hash this access token (DPoP `ath`) and pass it to `setTokenHash`.
    HashToken {
        /// The access token.
        token: String,
    },
    /// Wait this long (ms; `-1`: until an in-flight request completes).
    Wait {
        /// The wait, ms, or `-1`.
        ms: f64,
        /// Why, as JSON text of a `WaitReason` (`{"kind":"pacing","bucket":…}`).
        reason: String,
    },
    /// Complete: the result or snapshot is ready.
    Done,
}

impl DriverAction {
    /// The driver's form of `action`.
    ///
    /// # Errors
    /// A failed session's typed error.
    pub fn from_action(action: SessionAction) -> Result<DriverAction> {
        Ok(match action {
            SessionAction::Send(o) => DriverAction::Send {
                id: o.id as f64,
                method: o.method.as_str(),
                url: o.url,
                headers: o.headers,
                body: o.body,
                authorization: o.authorization,
                assertion_alg: o.assertion.as_ref().map(|(alg, _)| alg.as_str()),
                assertion: o.assertion.map(|(_, input)| input),
                dpop_proof: o.dpop_proof,
            },
            SessionAction::HashToken(token) => DriverAction::HashToken { token },
            SessionAction::Wait(ms, reason) => DriverAction::Wait {
                ms: if ms == u64::MAX { -1.0 } else { ms as f64 },
                reason: serde_json::to_string(&reason).unwrap_or_default(),
            },
            SessionAction::Done(_) => DriverAction::Done,
            SessionAction::Failed(e) => return Err(e),
        })
    }
}

impl SyncSession {
    /// [`SyncSession::poll`] in the fetch driver's form.
    ///
    /// # Errors
    /// The typed error of a failed sync.
    pub fn poll_for_driver(&mut self, now_ms: u64, unix_s: u64) -> Result<DriverAction, Error> {
        DriverAction::from_action(self.poll(now_ms, unix_s))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::sync::auth::SigningAlg;
    use crate::sync::machine::WaitReason;
    use crate::sync::session::Outgoing;
    use crate::sync::{Bucket, Method};

    fn shape(action: SessionAction) -> serde_json::Value {
        serde_json::to_value(DriverAction::from_action(action).expect("an action")).expect("serializes")
    }

    #[test]
    fn each_action_has_the_drivers_shape() {
        let send = Outgoing {
            id: 7,
            method: Method::Post,
            url: "https://acme.okta.com/oauth2/v1/token".into(),
            headers: vec![("Accept".into(), "application/json".into())],
            body: Some("grant_type=client_credentials&client_assertion=".into()),
            authorization: None,
            assertion: Some((SigningAlg::ES256, "header.claims".into())),
            dpop_proof: Some("proof".into()),
        };
        assert_eq!(
            shape(SessionAction::Send(send.clone())),
            json!({"kind": "send", "id": 7.0, "method": "POST", "url": "https://acme.okta.com/oauth2/v1/token",
                "headers": [["Accept", "application/json"]], "body": "grant_type=client_credentials&client_assertion=",
                "assertionAlg": "ES256", "assertion": "header.claims", "dpopProof": "proof"})
        );
        let get = Outgoing {
            method: Method::Get,
            body: None,
            authorization: Some("SSWS t".into()),
            assertion: None,
            dpop_proof: None,
            ..send
        };
        assert_eq!(
            shape(SessionAction::Send(get)),
            json!({"kind": "send", "id": 7.0, "method": "GET", "url": "https://acme.okta.com/oauth2/v1/token",
                "headers": [["Accept", "application/json"]], "authorization": "SSWS t"})
        );
        assert_eq!(shape(SessionAction::HashToken("tok".into())), json!({"kind": "hashToken", "token": "tok"}));
        let reason = WaitReason::Pacing(Bucket::UsersList);
        assert_eq!(
            shape(SessionAction::Wait(1500, reason)),
            json!({"kind": "wait", "ms": 1500.0, "reason": serde_json::to_string(&reason).expect("text")})
        );
        assert_eq!(
            shape(SessionAction::Wait(u64::MAX, WaitReason::AwaitingResponses)),
            json!({"kind": "wait", "ms": -1.0, "reason": "{\"kind\":\"awaitingResponses\"}"})
        );
        let error = Error::MalformedResponse { what: "a list page is not valid JSON" };
        assert_eq!(DriverAction::from_action(SessionAction::Failed(error.clone())), Err(error));
    }
}
