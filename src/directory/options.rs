//! How callers describe a directory to build from a sync result (the SDK's `DirectoryBuildOptions`): lookup
//! keys by name, the Workforce group, the origin and the sync time, read leniently into a
//! [`DirectoryConfig`] and a [`SyncMeta`].

use serde::Deserialize;

use super::index::{DirectoryConfig, SyncMeta};
use super::key::LookupKey;

/// Options for building a directory, as given (every field optional).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct BuildOptions {
    /// Lookup key names in order (see [`LookupKey::parse`]; blank names are dropped). Default: login, email.
    pub keys: Option<Vec<String>>,
    /// The Workforce group's id.
    pub workforce_group: Option<String>,
    /// The Okta org origin recorded in the snapshot (default: empty).
    pub origin: Option<String>,
    /// When the sync completed, Unix ms (default 0; a negative or non-finite value counts as 0).
    pub synced_at_ms: Option<f64>,
}

impl BuildOptions {
    /// The configuration and metadata these options describe.
    pub fn into_parts(self) -> (DirectoryConfig, SyncMeta) {
        let mut config = DirectoryConfig { workforce_group: self.workforce_group, ..DirectoryConfig::default() };
        if let Some(names) = self.keys {
            config.keys = parse_keys(&names);
        }
        let synced_at_ms = self.synced_at_ms.filter(|ms| ms.is_finite() && *ms >= 0.0).map_or(0, |ms| ms as u64);
        (config, SyncMeta { origin: self.origin.unwrap_or_default(), synced_at_ms })
    }
}

/// Lookup keys from their configuration names, in order (blank names dropped).
pub fn parse_keys(names: &[String]) -> Vec<LookupKey> {
    names.iter().filter_map(|k| LookupKey::parse(k)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_become_config_and_meta() {
        let options: BuildOptions = serde_json::from_str(
            r#"{"keys":["login"," ","profile.costCenter"],"workforceGroup":"00g1","origin":"https://a.okta.com","syncedAtMs":12.9}"#,
        )
        .expect("options");
        let (config, meta) = options.into_parts();
        assert_eq!(config.keys, vec![LookupKey::Login, LookupKey::Custom("costCenter".into())]);
        assert_eq!(config.workforce_group.as_deref(), Some("00g1"));
        assert_eq!((meta.origin.as_str(), meta.synced_at_ms), ("https://a.okta.com", 12));
        for bad in [-1.0, f64::NAN, f64::INFINITY] {
            let (_, meta) = BuildOptions { synced_at_ms: Some(bad), ..BuildOptions::default() }.into_parts();
            assert_eq!(meta.synced_at_ms, 0);
        }
        assert_eq!(BuildOptions::default().into_parts().0, DirectoryConfig::default());
    }
}
