//! Schema versions of Hacienda's XML (v4.1 to v4.4) and how to recognise them.

use serde::{Deserialize, Serialize};

/// A version of Hacienda's XML schemas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum SchemaVersion {
    /// 4.1 (2016, `tribunet.hacienda.go.cr/docs/esquemas/2016/v4.1`).
    #[serde(rename = "4.1")]
    V41,
    /// 4.2 (2017, `tribunet.hacienda.go.cr/docs/esquemas/2017/v4.2`).
    #[serde(rename = "4.2")]
    V42,
    /// 4.3 (2019, `cdn.comprobanteselectronicos.go.cr/xml-schemas/v4.3`).
    #[serde(rename = "4.3")]
    V43,
    /// 4.4 (2025, `cdn.comprobanteselectronicos.go.cr/xml-schemas/v4.4`).
    #[serde(rename = "4.4")]
    V44,
}

impl SchemaVersion {
    /// `"4.1"` .. `"4.4"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            SchemaVersion::V41 => "4.1",
            SchemaVersion::V42 => "4.2",
            SchemaVersion::V43 => "4.3",
            SchemaVersion::V44 => "4.4",
        }
    }

    /// Reads the version from a namespace URI (by its `/v4.N/` segment, so spacing, casing and
    /// host changes do not matter).
    ///
    /// ```
    /// use hacienda_core::schema::SchemaVersion;
    /// let ns = "https://tribunet.hacienda.go.cr/docs/esquemas/2017/v4.2/mensajeHacienda";
    /// assert_eq!(SchemaVersion::from_namespace(ns), Some(SchemaVersion::V42));
    /// ```
    pub fn from_namespace(namespace: &str) -> Option<Self> {
        let lower = namespace.trim().to_ascii_lowercase();
        [
            ("/v4.4/", SchemaVersion::V44),
            ("/v4.3/", SchemaVersion::V43),
            ("/v4.2/", SchemaVersion::V42),
            ("/v4.1/", SchemaVersion::V41),
        ]
        .into_iter()
        .find(|(segment, _)| lower.contains(segment))
        .map(|(_, v)| v)
    }

    /// The official namespace for a root element name in this version.
    pub fn namespace_for(self, root: &str) -> String {
        let mut local = root.to_string();
        if let Some(first) = local.get_mut(0..1) {
            first.make_ascii_lowercase();
        }
        match self {
            SchemaVersion::V41 => format!("https://tribunet.hacienda.go.cr/docs/esquemas/2016/v4.1/{local}"),
            SchemaVersion::V42 => format!("https://tribunet.hacienda.go.cr/docs/esquemas/2017/v4.2/{local}"),
            SchemaVersion::V43 => format!("https://cdn.comprobanteselectronicos.go.cr/xml-schemas/v4.3/{local}"),
            SchemaVersion::V44 => format!("https://cdn.comprobanteselectronicos.go.cr/xml-schemas/v4.4/{local}"),
        }
    }
}

impl std::fmt::Display for SchemaVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_namespace_family() {
        for v in [
            SchemaVersion::V41,
            SchemaVersion::V42,
            SchemaVersion::V43,
            SchemaVersion::V44,
        ] {
            let ns = v.namespace_for("MensajeHacienda");
            assert!(ns.ends_with("/mensajeHacienda"), "{ns}");
            assert_eq!(SchemaVersion::from_namespace(&ns), Some(v));
        }
        assert_eq!(
            SchemaVersion::from_namespace("\nhttps://x/v4.2/y"),
            Some(SchemaVersion::V42)
        );
        assert_eq!(SchemaVersion::from_namespace("urn:other"), None);
    }
}
