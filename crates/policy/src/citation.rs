//! Legal citations (trích dẫn căn cứ pháp lý) and confidence labels (độ tin cậy).

use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// Where a rule comes from: decree, article, clause, point
/// (văn bản, điều, khoản, điểm). Point letters are Vietnamese (`a`, `b`, …, `đ`, …).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    /// Number and symbol, e.g. `20/2021/NĐ-CP`.
    pub decree: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clause: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub point: Option<String>,
}

impl Citation {
    /// `điểm e khoản 1 Điều 6 Nghị định 20/2021/NĐ-CP`, as Vietnamese documents cite.
    pub fn render_vi(&self) -> String {
        let mut out = String::new();
        if let Some(point) = &self.point {
            let _ = write!(out, "điểm {point} ");
        }
        if let Some(clause) = self.clause {
            let _ = write!(out, "khoản {clause} ");
        }
        if let Some(article) = self.article {
            let _ = write!(out, "Điều {article} ");
        }
        out.push_str(&document_name_vi(&self.decree));
        out
    }

    /// `Decree 20/2021/NĐ-CP, Art. 6(1)(e)`.
    pub fn render_en(&self) -> String {
        let mut out = document_name_en(&self.decree);
        if let Some(article) = self.article {
            let _ = write!(out, ", Art. {article}");
            if let Some(clause) = self.clause {
                let _ = write!(out, "({clause})");
            }
            if let Some(point) = &self.point {
                let _ = write!(out, "({point})");
            }
        }
        out
    }
}

/// A decree number gets its document type in front; anything else is shown as written.
fn document_name_vi(decree: &str) -> String {
    if decree.ends_with("/NĐ-CP") {
        format!("Nghị định {decree}")
    } else if decree.contains("/TTLT-") {
        format!("Thông tư liên tịch {decree}")
    } else {
        decree.to_string()
    }
}

fn document_name_en(decree: &str) -> String {
    if decree.ends_with("/NĐ-CP") {
        format!("Decree {decree}")
    } else if decree.contains("/TTLT-") {
        format!("Joint Circular {decree}")
    } else {
        decree.to_string()
    }
}

/// How sure we are of a figure (SPEC Part B). Ordered from least to most certain, so the
/// confidence of a computed amount is the minimum of its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Confidence {
    /// From memory or not found in the sources: build as data, check before use.
    #[serde(rename = "UNVERIFIED")]
    Unverified,
    /// One secondary source, a test fixture, or partly inconsistent sources.
    #[serde(rename = "LOW")]
    Low,
    /// Consistent secondary sources; primary text not seen.
    #[serde(rename = "MED")]
    Med,
    /// Read in a primary legal text.
    #[serde(rename = "HIGH")]
    High,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Unverified => "UNVERIFIED",
            Confidence::Low => "LOW",
            Confidence::Med => "MED",
            Confidence::High => "HIGH",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Confidence::Unverified => "chưa kiểm chứng",
            Confidence::Low => "thấp",
            Confidence::Med => "trung bình",
            Confidence::High => "cao",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Confidence::Unverified => "unverified",
            Confidence::Low => "low",
            Confidence::Med => "medium",
            Confidence::High => "high",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_citations_both_ways() {
        let c = Citation {
            decree: "20/2021/NĐ-CP".into(),
            article: Some(6),
            clause: Some(1),
            point: Some("e".into()),
        };
        assert_eq!(
            c.render_vi(),
            "điểm e khoản 1 Điều 6 Nghị định 20/2021/NĐ-CP"
        );
        assert_eq!(c.render_en(), "Decree 20/2021/NĐ-CP, Art. 6(1)(e)");
        let bare = Citation {
            decree: "176/2025/NĐ-CP".into(),
            ..Citation::default()
        };
        assert_eq!(bare.render_vi(), "Nghị định 176/2025/NĐ-CP");
    }

    #[test]
    fn confidence_orders_from_unverified_to_high() {
        assert!(Confidence::Unverified < Confidence::Low);
        assert!(Confidence::Med < Confidence::High);
        assert_eq!(Confidence::Med.min(Confidence::Low), Confidence::Low);
    }
}
