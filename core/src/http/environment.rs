//! Where the client talks to: Hacienda's sandbox, production, or a custom base URL (the
//! simulator, a proxy).

use reqwest::Url;

use super::error::ClientError;

/// IdP realm and client id of the sandbox.
pub const SANDBOX_REALM: &str = "rut-stag";
/// IdP realm of production.
pub const PRODUCTION_REALM: &str = "rut";
const IDP_ROOT: &str = "https://idp.comprobanteselectronicos.go.cr/";
const SANDBOX_API: &str = "https://api-sandbox.comprobanteselectronicos.go.cr/recepcion/v1/";
const PRODUCTION_API: &str = "https://api.comprobanteselectronicos.go.cr/recepcion/v1/";

/// The environment to talk to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Environment {
    /// Hacienda's sandbox (realm `rut-stag`, client `api-stag`).
    Sandbox,
    /// Production (realm `rut`, client `api-prod`).
    Production,
    /// A custom server root serving `auth/realms/{realm}/...` and `recepcion/v1/` (the
    /// simulator). Plain `http` is accepted only for loopback hosts.
    Custom {
        /// Server root, e.g. `http://127.0.0.1:8080/`.
        base_url: String,
        /// IdP realm (`rut-stag` for a sandbox stand-in).
        realm: String,
        /// IdP client id (`api-stag`).
        client_id: String,
    },
}

impl Environment {
    /// A custom root with the sandbox realm and client id.
    pub fn custom(base_url: impl Into<String>) -> Self {
        Environment::Custom {
            base_url: base_url.into(),
            realm: SANDBOX_REALM.into(),
            client_id: "api-stag".into(),
        }
    }

    /// Parses `sandbox`, `production`/`prod`, or a URL (custom).
    pub fn parse(text: &str) -> Self {
        match text.trim().to_ascii_lowercase().as_str() {
            "sandbox" | "stag" | "staging" => Environment::Sandbox,
            "production" | "prod" => Environment::Production,
            _ => Environment::custom(text.trim()),
        }
    }

    /// Short name: `sandbox`, `production` or `custom`.
    pub fn name(&self) -> &'static str {
        match self {
            Environment::Sandbox => "sandbox",
            Environment::Production => "production",
            Environment::Custom { .. } => "custom",
        }
    }

    /// The resolved endpoints, validated.
    pub fn endpoints(&self) -> Result<Endpoints, ClientError> {
        let (root_idp, api, realm, client_id) = match self {
            Environment::Sandbox => (IDP_ROOT.to_string(), SANDBOX_API.to_string(), SANDBOX_REALM, "api-stag"),
            Environment::Production => (
                IDP_ROOT.to_string(),
                PRODUCTION_API.to_string(),
                PRODUCTION_REALM,
                "api-prod",
            ),
            Environment::Custom {
                base_url,
                realm,
                client_id,
            } => {
                let root = if base_url.ends_with('/') {
                    base_url.clone()
                } else {
                    format!("{base_url}/")
                };
                (
                    root.clone(),
                    format!("{root}recepcion/v1/"),
                    realm.as_str(),
                    client_id.as_str(),
                )
            }
        };
        let oidc = format!("{root_idp}auth/realms/{realm}/protocol/openid-connect/");
        let endpoints = Endpoints {
            api: parse_url(&api)?,
            token: parse_url(&format!("{oidc}token"))?,
            logout: parse_url(&format!("{oidc}logout"))?,
            client_id: client_id.to_string(),
            https_only: !matches!(self, Environment::Custom { .. }),
        };
        for url in [&endpoints.api, &endpoints.token] {
            check_scheme(url)?;
        }
        Ok(endpoints)
    }
}

/// Resolved URLs of one environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// `.../recepcion/v1/` (with the trailing slash).
    pub api: Url,
    /// OpenID Connect token endpoint.
    pub token: Url,
    /// OpenID Connect logout endpoint.
    pub logout: Url,
    /// IdP client id.
    pub client_id: String,
    /// True for sandbox and production: only `https` with certificate verification.
    pub https_only: bool,
}

fn parse_url(text: &str) -> Result<Url, ClientError> {
    Url::parse(text).map_err(|e| ClientError::Config(format!("invalid URL {text:?}: {e}")))
}

/// `https` anywhere; `http` only on loopback.
fn check_scheme(url: &Url) -> Result<(), ClientError> {
    match url.scheme() {
        "https" => Ok(()),
        "http" => {
            let host = url.host_str().unwrap_or("");
            let bare = host.trim_start_matches('[').trim_end_matches(']');
            let loopback = host == "localhost" || bare.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback());
            if loopback {
                Ok(())
            } else {
                Err(ClientError::Config(format!(
                    "plain http is only allowed on loopback (127.0.0.1), not {}",
                    url.host_str().unwrap_or("")
                )))
            }
        }
        other => Err(ClientError::Config(format!("unsupported URL scheme {other:?}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sandbox_and_production_urls() {
        let s = Environment::Sandbox.endpoints().unwrap();
        assert_eq!(
            s.token.as_str(),
            "https://idp.comprobanteselectronicos.go.cr/auth/realms/rut-stag/protocol/openid-connect/token"
        );
        assert_eq!(s.api.as_str(), SANDBOX_API);
        assert_eq!(s.client_id, "api-stag");
        assert!(s.https_only);
        let p = Environment::Production.endpoints().unwrap();
        assert!(p.token.as_str().contains("/realms/rut/"));
        assert_eq!(p.client_id, "api-prod");
    }

    #[test]
    fn plain_http_only_on_loopback() {
        let ok = Environment::custom("http://127.0.0.1:8080").endpoints().unwrap();
        assert_eq!(ok.api.as_str(), "http://127.0.0.1:8080/recepcion/v1/");
        assert!(!ok.https_only);
        assert!(Environment::custom("http://api.example.com/").endpoints().is_err());
        assert!(Environment::custom("http://10.0.0.1/").endpoints().is_err());
        assert!(Environment::custom("https://proxy.example.com/").endpoints().is_ok());
        assert!(Environment::custom("ftp://127.0.0.1/").endpoints().is_err());
    }
}
