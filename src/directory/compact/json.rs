//! A record written as `DirectoryUser`'s JSON straight from the snapshot (same names, same omissions).

use crate::directory::snapshot::read::{RecordSink, Scalar, Stamp};
use crate::directory::snapshot::{timestamp_text, Field, FIELDS, FIELD_COUNT, LOGIN_FIELD};
use crate::error::Result;
use crate::profile::UserStatus;

/// The JSON object written even when none of its fields has a value (`DirectoryUser.name`).
pub(super) const ALWAYS_WRITTEN: &str = "name";

/// Writes a record as `DirectoryUser`'s JSON (same names, same omissions), without building one.
pub(super) struct JsonSink<'a> {
    pub(super) status: Option<UserStatus>,
    pub(super) fields: [Option<&'a str>; FIELD_COUNT],
    pub(super) stamp: Option<Stamp<'a>>,
    pub(super) custom: Vec<u8>,
}

pub(super) fn json_str(out: &mut Vec<u8>, s: &str) {
    // serde_json's own escaping; writing into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}

impl<'a> RecordSink<'a> for JsonSink<'a> {
    fn status(&mut self, status: Option<UserStatus>) {
        self.status = status;
    }
    fn field(&mut self, i: usize, value: Option<&'a str>) {
        if let Some(slot) = self.fields.get_mut(i) {
            *slot = value;
        }
    }
    fn stamp(&mut self, stamp: Option<Stamp<'a>>) {
        self.stamp = stamp;
    }
    fn custom(&mut self, name: &'a str, list: bool, items: &[Scalar<'a>]) {
        let out = &mut self.custom;
        out.push(if out.is_empty() { b'{' } else { b',' });
        json_str(out, name);
        out.push(b':');
        if list {
            out.push(b'[');
        }
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            let _ = match item {
                Scalar::Str(s) => serde_json::to_writer(&mut *out, s),
                Scalar::Num(n) => serde_json::to_writer(&mut *out, n),
                Scalar::Bool(b) => serde_json::to_writer(&mut *out, b),
            };
        }
        if list {
            out.push(b']');
        }
    }
}

impl JsonSink<'_> {
    pub(super) fn finish(self, out: &mut Vec<u8>) -> Result<()> {
        out.push(b'{');
        let mut first = true;
        let mut key = |out: &mut Vec<u8>, name: &str| {
            if !first {
                out.push(b',');
            }
            first = false;
            json_str(out, name);
            out.push(b':');
        };
        let mut group: Option<&str> = None;
        let mut open = false;
        for (i, (Field { object, name, .. }, value)) in FIELDS.iter().zip(self.fields).enumerate() {
            if *object != group {
                if open {
                    out.push(b'}');
                    open = false;
                }
                if let Some(o) = object {
                    // `name` is always written; `address` and `phones` only with a value (serde omits them empty).
                    let used = *o == ALWAYS_WRITTEN
                        || FIELDS.iter().zip(self.fields).any(|(f, v)| f.object == *object && v.is_some());
                    if used {
                        key(out, o);
                        out.push(b'{');
                        open = true;
                    }
                }
                group = *object;
            }
            if i == LOGIN_FIELD {
                if let Some(status) = self.status {
                    key(out, "status");
                    let _ = serde_json::to_writer(&mut *out, &status);
                }
            }
            if let Some(v) = value {
                if object.is_some() {
                    if out.last() != Some(&b'{') {
                        out.push(b',');
                    }
                    json_str(out, name);
                    out.push(b':');
                } else {
                    key(out, name);
                }
                json_str(out, v);
            }
        }
        key(out, "custom");
        if self.custom.is_empty() {
            out.extend_from_slice(b"{}");
        } else {
            out.extend_from_slice(&self.custom);
            out.push(b'}');
        }
        match self.stamp {
            None => {}
            Some(Stamp::Ms(ms)) => {
                key(out, "lastUpdated");
                json_str(out, &timestamp_text(ms)?);
            }
            Some(Stamp::Text(t)) => {
                key(out, "lastUpdated");
                json_str(out, t);
            }
        }
        out.push(b'}');
        Ok(())
    }
}
