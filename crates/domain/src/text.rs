//! Values written as a text and read back through their own parser, straight from the
//! input's text where the format lends it, without first copying it into a `String`: a
//! payroll month reads millions of months, birth dates and codes.

use serde::de::{self, Deserializer, Visitor};
use std::fmt;

/// Deserializes a text with `parse`; a value that is not a text is refused as not being
/// `expecting`, a text that `parse` refuses with `parse`'s message.
pub fn parse_text<'de, D, F, T, E>(d: D, expecting: &'static str, parse: F) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    F: FnOnce(&str) -> Result<T, E>,
    E: fmt::Display,
{
    d.deserialize_str(ParseText { expecting, parse })
}

struct ParseText<F> {
    expecting: &'static str,
    parse: F,
}

impl<'de, F, T, E> Visitor<'de> for ParseText<F>
where
    F: FnOnce(&str) -> Result<T, E>,
    E: fmt::Display,
{
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_str<Er: de::Error>(self, text: &str) -> Result<T, Er> {
        (self.parse)(text).map_err(Er::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::parse_text;
    use serde::Deserialize;

    #[derive(Debug, PartialEq)]
    struct Even(u32);

    impl<'de> Deserialize<'de> for Even {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Even, D::Error> {
            parse_text(d, "an even number as a text", |s| match s.parse::<u32>() {
                Ok(n) if n % 2 == 0 => Ok(Even(n)),
                _ => Err(format!("{s:?} is not an even number")),
            })
        }
    }

    #[test]
    fn texts_are_parsed_borrowed_or_escaped() {
        assert_eq!(serde_json::from_str::<Even>("\"42\"").unwrap(), Even(42));
        // An escaped text cannot be borrowed from the input; it is parsed all the same.
        assert_eq!(
            serde_json::from_str::<Even>("\"4\\u0032\"").unwrap(),
            Even(42)
        );
        // From an owned value too.
        let v = serde_json::Value::String("8".into());
        assert_eq!(serde_json::from_value::<Even>(v).unwrap(), Even(8));
    }

    #[test]
    fn refusals_say_what_was_wrong() {
        let e = serde_json::from_str::<Even>("\"7\"")
            .unwrap_err()
            .to_string();
        assert!(e.contains("\"7\" is not an even number"), "{e}");
        let e = serde_json::from_str::<Even>("7").unwrap_err().to_string();
        assert!(e.contains("an even number as a text"), "{e}");
    }
}
