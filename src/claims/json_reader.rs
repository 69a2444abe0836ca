//! Reading hand-written JSON documents (policies, Okta claims requests) with errors that name the
//! exact path of the offending value.

use serde_json::{Map, Value};

use crate::error::Error;

/// Which error a document's problems become.
pub(crate) type MakeError = fn(path: String, reason: String) -> Error;

/// A value and where it sits in its document, e.g. `claims.address.parts.postal_code.mode`.
#[derive(Debug, Clone)]
pub(crate) struct At<'a> {
    path: String,
    make_error: MakeError,
    /// The value itself.
    pub value: &'a Value,
}

impl<'a> At<'a> {
    /// The document root.
    pub fn root(value: &'a Value, make_error: MakeError) -> Self {
        At { path: "$".to_owned(), make_error, value }
    }

    /// An error about this value.
    pub fn fail(&self, reason: impl Into<String>) -> Error {
        (self.make_error)(self.path.clone(), reason.into())
    }

    /// A child by object key.
    pub fn key(&self, key: &str, value: &'a Value) -> At<'a> {
        let path = if self.path == "$" { key.to_owned() } else { format!("{}.{key}", self.path) };
        At { path, make_error: self.make_error, value }
    }

    /// A child by array index.
    pub fn index(&self, i: usize, value: &'a Value) -> At<'a> {
        At { path: format!("{}[{i}]", self.path), make_error: self.make_error, value }
    }

    /// The entries of an object, each as a child.
    pub fn entries(&self) -> Result<Vec<(&'a str, At<'a>)>, Error> {
        let map: &'a Map<String, Value> = self.value.as_object().ok_or_else(|| self.fail("expected an object"))?;
        Ok(map.iter().map(|(k, v)| (k.as_str(), self.key(k, v))).collect())
    }

    /// The value as a string.
    pub fn str(&self) -> Result<&'a str, Error> {
        self.value.as_str().ok_or_else(|| self.fail("expected a string"))
    }

    /// The value as a boolean.
    pub fn bool(&self) -> Result<bool, Error> {
        self.value.as_bool().ok_or_else(|| self.fail("expected true or false"))
    }

    /// The value as a number in `[lo, hi]`. Integer bounds: the message prints them without
    /// core's float formatting, which nothing else in the claims-only module needs (≈ 7 KB gzip).
    pub fn number_in(&self, lo: i32, hi: i32) -> Result<f64, Error> {
        match self.value.as_f64() {
            Some(n) if (f64::from(lo)..=f64::from(hi)).contains(&n) => Ok(n),
            _ => Err(self.fail(format!("expected a number from {lo} to {hi}"))),
        }
    }

    /// The value as one of `choices`, by name.
    pub fn choice<T: Copy>(&self, choices: &[(T, &str)]) -> Result<T, Error> {
        let s = self.str()?;
        choices.iter().find(|(_, name)| *name == s).map(|(t, _)| *t).ok_or_else(|| {
            let names: Vec<String> = choices.iter().map(|(_, n)| format!("\"{n}\"")).collect();
            self.fail(format!("expected one of {}", names.join(", ")))
        })
    }

    /// A string or an array of strings, each with its own place for errors.
    pub fn strings(&self) -> Result<Vec<(At<'a>, &'a str)>, Error> {
        match self.value {
            Value::String(s) => Ok(vec![(self.clone(), s.as_str())]),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let at = self.index(i, v);
                    at.str().map(|s| (at.clone(), s))
                })
                .collect(),
            _ => Err(self.fail("expected a string or an array of strings")),
        }
    }
}
