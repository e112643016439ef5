//! Interface text in Vietnamese (default) and English, from Fluent message files embedded
//! in the binary. Message ids double as the stable error codes of the API.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use std::sync::Arc;

use ansinh_app::Lang;

pub const VI_FTL: &str = include_str!("../i18n/vi.ftl");
pub const EN_FTL: &str = include_str!("../i18n/en.ftl");

pub struct I18n {
    vi: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

impl std::fmt::Debug for I18n {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("I18n")
    }
}

fn bundle(lang: &str, source: &str) -> Result<FluentBundle<FluentResource>, String> {
    let id = lang
        .parse()
        .map_err(|e| format!("language id {lang}: {e:?}"))?;
    let resource = FluentResource::try_new(source.to_string())
        .map_err(|(_, errors)| format!("{lang}.ftl: {errors:?}"))?;
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Unicode isolation marks would show up in attribute values and plain-text exports.
    bundle.set_use_isolating(false);
    bundle
        .add_resource(resource)
        .map_err(|errors| format!("{lang}.ftl: {errors:?}"))?;
    Ok(bundle)
}

impl I18n {
    pub fn load() -> Result<I18n, String> {
        Ok(I18n {
            vi: bundle("vi", VI_FTL)?,
            en: bundle("en", EN_FTL)?,
        })
    }

    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }

    pub fn has(&self, lang: Lang, key: &str) -> bool {
        self.bundle(lang).has_message(key)
    }

    /// The message `key`, or the key itself when missing (visible, never a crash).
    pub fn text(&self, lang: Lang, key: &str, args: &[(&str, String)]) -> String {
        let bundle = self.bundle(lang);
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            return key.to_string();
        };
        let mut fargs = FluentArgs::new();
        for (name, value) in args {
            fargs.set(*name, value.clone());
        }
        let mut errors = Vec::new();
        bundle
            .format_pattern(pattern, Some(&fargs), &mut errors)
            .into_owned()
    }
}

/// A translator bound to one language, handed to templates.
#[derive(Debug, Clone)]
pub struct Tr {
    pub lang: Lang,
    i18n: Arc<I18n>,
}

impl Tr {
    pub fn new(lang: Lang, i18n: Arc<I18n>) -> Tr {
        Tr { lang, i18n }
    }

    pub fn t(&self, key: &str) -> String {
        self.i18n.text(self.lang, key, &[])
    }

    pub fn t1(&self, key: &str, name: &str, value: impl ToString) -> String {
        self.i18n.text(self.lang, key, &[(name, value.to_string())])
    }

    /// The message `key` with several arguments.
    pub fn ta(&self, key: &str, args: &[(&str, String)]) -> String {
        self.i18n.text(self.lang, key, args)
    }

    /// Whether the message `key` exists in this language.
    pub fn has(&self, key: &str) -> bool {
        self.i18n.has(self.lang, key)
    }

    /// The message for a field error code, e.g. `field-cccd-length`.
    pub fn field(&self, code: &str) -> String {
        let key = format!("field-{code}");
        if self.i18n.has(self.lang, &key) {
            self.t(&key)
        } else {
            self.t("field-invalid-choice")
        }
    }

    pub fn error(&self, code: &str) -> String {
        let key = format!("error-{code}");
        if self.i18n.has(self.lang, &key) {
            self.t(&key)
        } else {
            self.t("error-bad-request")
        }
    }

    pub fn is_vi(&self) -> bool {
        self.lang == Lang::Vi
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn keys(source: &str) -> BTreeSet<String> {
        source
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with(' ') && l.contains(" = "))
            .filter_map(|l| l.split(" = ").next())
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn vietnamese_and_english_have_the_same_keys() {
        let vi = keys(VI_FTL);
        let en = keys(EN_FTL);
        let only_vi: Vec<_> = vi.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&vi).collect();
        assert!(
            only_vi.is_empty() && only_en.is_empty(),
            "only vi: {only_vi:?}, only en: {only_en:?}"
        );
        assert!(vi.len() > 100);
    }

    #[test]
    fn messages_load_and_take_arguments() {
        let i18n = I18n::load().unwrap();
        assert_eq!(i18n.text(Lang::Vi, "nav-home", &[]), "Trang chủ");
        assert_eq!(
            i18n.text(Lang::En, "people-count", &[("count", "3".into())]),
            "3 people"
        );
        assert_eq!(i18n.text(Lang::Vi, "no-such-key", &[]), "no-such-key");
    }
}
