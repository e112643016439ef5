//! Configuration: defaults → file (`--config`) → environment (`ANSINH_…`) → flags.
//! Unknown keys in the file are refused; secrets never appear in `Debug` output.

use serde::Deserialize;
use std::path::{Path, PathBuf};

use ansinh_store::db::{DbTarget, redact_url};

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub listen: Option<String>,
    pub secure_cookies: Option<bool>,
    pub trust_proxy: Option<bool>,
    pub log: Option<String>,
}

impl std::fmt::Debug for FileConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileConfig")
            .field("data_dir", &self.data_dir)
            .field(
                "database_url",
                &self.database_url.as_deref().map(redact_url),
            )
            .field("listen", &self.listen)
            .field("secure_cookies", &self.secure_cookies)
            .field("trust_proxy", &self.trust_proxy)
            .field("log", &self.log)
            .finish()
    }
}

impl FileConfig {
    pub fn load(path: Option<&Path>) -> Result<FileConfig, String> {
        let Some(path) = path else {
            return Ok(FileConfig::default());
        };
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read configuration {}: {e}", path.display()))?;
        toml::from_str(&text).map_err(|e| format!("configuration {}: {e}", path.display()))
    }
}

/// The database named by flags/environment, else the file, else `./ansinh-data`.
/// A flag or environment variable naming either kind of database overrides the file.
pub fn db_target(data_dir: Option<&Path>, url: Option<&str>, file: &FileConfig) -> DbTarget {
    if data_dir.is_some() || url.is_some() {
        DbTarget::from_options(data_dir, url)
    } else {
        DbTarget::from_options(file.data_dir.as_deref(), file.database_url.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_refused() {
        let err = toml::from_str::<FileConfig>("listen = \"0.0.0.0:80\"\nlisten_port = 80\n")
            .unwrap_err();
        assert!(err.to_string().contains("listen_port"));
    }

    #[test]
    fn flags_win_over_the_file() {
        let file: FileConfig =
            toml::from_str("database_url = \"postgres://u:secret@h/db\"").unwrap();
        assert!(!format!("{file:?}").contains("secret"));
        assert_eq!(
            db_target(None, None, &file),
            DbTarget::Url("postgres://u:secret@h/db".into())
        );
        let t = db_target(Some(Path::new("/tmp/x")), None, &file);
        assert_eq!(t, DbTarget::DataDir("/tmp/x".into()));
        let t = db_target(None, Some("postgres://other/db"), &file);
        assert_eq!(t, DbTarget::Url("postgres://other/db".into()));
    }
}
