//! Secrets (passwords, access and refresh tokens) in a type that never shows its value.

use std::fmt;

/// A password or token. `Debug` and `Display` print `***`; the value is read only through
/// [`Secret::expose`], at the point where it goes on the wire.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value, for the request that needs it. Never log it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

/// ATV credentials: the username (not secret) and the password (masked).
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// ATV username (`cpf-01-0000-0000@stag.comprobanteselectronicos.go.cr`).
    pub username: String,
    /// ATV password.
    pub password: Secret,
}

impl Credentials {
    /// Username and password.
    pub fn new(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        Credentials {
            username: username.into(),
            password: password.into(),
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &self.password)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_shows_the_value() {
        let c = Credentials::new("user@stag", "hunter2-very-secret");
        let shown = format!("{c:?} {} {:?}", c.password, c.password);
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("user@stag"));
        assert_eq!(c.password.expose(), "hunter2-very-secret");
    }
}
