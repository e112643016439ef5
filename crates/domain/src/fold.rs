//! Folding and collation of Vietnamese names.
//!
//! Search must not care about diacritics, `đ` or case: "nguyen van duc" finds
//! "Nguyễn Văn Đức". SQLite's `lower()` and FTS5 do not fold `đ`, so a folded key is stored
//! beside every name and indexed.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The search key of a text: decomposed, marks stripped, `đ`/`Đ` → `d`, lower case, runs of
/// whitespace collapsed to one space, trimmed.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        match c {
            'đ' | 'Đ' => out.push('d'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Normalises a name as typed: NFC, single spaces, trimmed. Names keep their diacritics.
pub fn normalise_name(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .nfc()
        .collect()
}

/// Sort key for Vietnamese collation of full names, as officers expect lists: by given name
/// (the last word), then the family and middle names; letters in the Vietnamese alphabet order
/// (a ă â b c d đ e ê …), tones only breaking ties (none, huyền, hỏi, ngã, sắc, nặng).
pub fn name_sort_key(full_name: &str) -> String {
    let name = normalise_name(full_name);
    let (rest, given) = match name.rsplit_once(' ') {
        Some((rest, given)) => (rest, given),
        None => ("", name.as_str()),
    };
    let mut key = collation_key(given);
    key.push('\u{2}');
    key.push_str(&collation_key(rest));
    key
}

/// Collation key of one text: primary letter weights, then a tone tie-breaker section.
/// Keys compare correctly as plain strings (byte order).
pub fn collation_key(text: &str) -> String {
    let mut primary = String::with_capacity(text.len() * 2);
    let mut tones = String::with_capacity(text.len());
    for c in text.nfd() {
        match c {
            // Tone marks: the tie-breaker, in the conventional dictionary order.
            '\u{0300}' => set_last_tone(&mut tones, 'b'), // huyền
            '\u{0309}' => set_last_tone(&mut tones, 'c'), // hỏi
            '\u{0303}' => set_last_tone(&mut tones, 'd'), // ngã
            '\u{0301}' => set_last_tone(&mut tones, 'e'), // sắc
            '\u{0323}' => set_last_tone(&mut tones, 'f'), // nặng
            // Letter-forming marks change the letter's primary weight.
            '\u{0306}' => bump_last(&mut primary, |_| 1), // ă
            // â sits after ă; ê and ô directly after their base letter.
            '\u{0302}' => bump_last(&mut primary, |base| if base == 0x41 { 2 } else { 1 }),
            // ơ sits after ô; ư directly after u.
            '\u{031B}' => bump_last(&mut primary, |base| if base == 0x54 { 2 } else { 1 }),
            c if is_combining_mark(c) => {}
            c => {
                primary.push(letter_weight(c));
                tones.push('a');
            }
        }
    }
    // Separators sort below every letter weight; no NUL, which PostgreSQL text refuses.
    primary.push('\u{1}');
    primary.push_str(&tones);
    primary
}

fn set_last_tone(tones: &mut String, tone: char) {
    if tones.pop().is_some() {
        tones.push(tone);
    }
}

fn bump_last(primary: &mut String, by: impl Fn(u32) -> u32) {
    if let Some(last) = primary.pop() {
        let base = last as u32;
        primary.push(char::from_u32(base + by(base)).unwrap_or(last));
    }
}

/// Primary weights leave gaps after a, e, o, u so that ă/â, ê, ô/ơ, ư sort right after
/// their base letter; đ sorts after d.
fn letter_weight(c: char) -> char {
    let lower = c.to_lowercase().next().unwrap_or(c);
    let w = match lower {
        ' ' => 0x20,
        'a' => 0x41,
        'b' => 0x44,
        'c' => 0x45,
        'd' => 0x46,
        'đ' => 0x47,
        'e' => 0x48,
        'f' => 0x4B,
        'g' => 0x4C,
        'h' => 0x4D,
        'i' => 0x4E,
        'j' => 0x4F,
        'k' => 0x50,
        'l' => 0x51,
        'm' => 0x52,
        'n' => 0x53,
        'o' => 0x54,
        'p' => 0x57,
        'q' => 0x58,
        'r' => 0x59,
        's' => 0x5A,
        't' => 0x5B,
        'u' => 0x5C,
        'v' => 0x5F,
        'w' => 0x60,
        'x' => 0x61,
        'y' => 0x62,
        'z' => 0x63,
        d if d.is_ascii_digit() => 0x30 + (d as u32 - '0' as u32),
        other => return other,
    };
    char::from_u32(w).unwrap_or(lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_diacritics_d_and_case() {
        assert_eq!(fold("Nguyễn Văn Đức"), "nguyen van duc");
        assert_eq!(fold("  THẠCH   thị  Sà  Rươne "), "thach thi sa ruone");
        assert_eq!(fold("Lâm Ngọc Hoà"), fold("Lâm Ngọc Hòa"));
        assert_eq!(fold("đ"), "d");
    }

    #[test]
    fn folding_is_idempotent() {
        for name in ["Nguyễn Văn Đức", "Kiên Thị Ái", "Trương Mỹ Lệ"] {
            assert_eq!(fold(&fold(name)), fold(name));
        }
    }

    #[test]
    fn sorts_by_given_name_in_vietnamese_order() {
        let mut names = vec![
            "Trần Văn Đức",
            "Nguyễn Thị Ánh",
            "Lê Văn Dũng",
            "Phạm Thị Ân",
            "Võ Văn An",
            "Nguyễn Văn Ơn",
            "Trần Văn Ông",
            "Lê Văn Bình",
        ];
        names.sort_by_key(|n| name_sort_key(n));
        assert_eq!(
            names,
            vec![
                "Võ Văn An",
                "Nguyễn Thị Ánh",
                "Phạm Thị Ân",
                "Lê Văn Bình",
                "Lê Văn Dũng",
                "Trần Văn Đức",
                "Trần Văn Ông",
                "Nguyễn Văn Ơn",
            ]
        );
    }

    #[test]
    fn same_given_name_sorts_by_family_name() {
        let mut names = vec!["Trần Văn An", "Lê Văn An", "Đỗ Văn An"];
        names.sort_by_key(|n| name_sort_key(n));
        // đ comes right after d in the alphabet, before l.
        assert_eq!(names, vec!["Đỗ Văn An", "Lê Văn An", "Trần Văn An"]);
    }
}
