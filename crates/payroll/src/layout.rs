//! The columns of payment lists: the export writes them and the results import reads them
//! back (by header, so columns may be moved or added).

use ansinh_domain::fold::fold;
use ansinh_domain::person::PaymentChannel;

/// A column of the payment list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    No,
    Key,
    Name,
    IdNumber,
    Commune,
    Hamlet,
    Channel,
    Account,
    Monthly,
    Arrears,
    Carried,
    OneOff,
    Total,
    Result,
    Signature,
    Note,
}

/// Header text (Vietnamese, as exported) and accepted aliases (folded), in export order.
pub const COLUMNS: [(Column, &str, &[&str]); 16] = [
    (Column::No, "STT", &["no", "so thu tu"]),
    (
        Column::Key,
        "Mã chi trả",
        &["payment key", "key", "ma dong chi tra"],
    ),
    (Column::Name, "Họ và tên", &["full name", "name", "ho ten"]),
    (
        Column::IdNumber,
        "Số CCCD",
        &["id number", "cccd", "so dinh danh"],
    ),
    (
        Column::Commune,
        "Xã, phường",
        &["commune", "xa phuong", "xa"],
    ),
    (
        Column::Hamlet,
        "Ấp, khu phố",
        &["hamlet", "ap khom", "thon"],
    ),
    (Column::Channel, "Hình thức chi trả", &["channel"]),
    (Column::Account, "Số tài khoản", &["account"]),
    (Column::Monthly, "Trợ cấp tháng (đồng)", &["monthly"]),
    (Column::Arrears, "Truy lĩnh, thu hồi (đồng)", &["arrears"]),
    (
        Column::Carried,
        "Chưa nhận kỳ trước (đồng)",
        &["carried over", "carry over"],
    ),
    (Column::OneOff, "Hỗ trợ một lần (đồng)", &["one off"]),
    (Column::Total, "Tổng cộng (đồng)", &["total", "so tien"]),
    (
        Column::Result,
        "Kết quả (đã nhận / chưa nhận / trả lại)",
        &["result", "status", "ket qua chi tra", "tinh trang"],
    ),
    (Column::Signature, "Ký nhận", &["signature", "ky ten"]),
    (Column::Note, "Ghi chú", &["note", "notes"]),
];

/// A cell's text for matching: folded (no diacritics, `đ` → `d`, lower case), parenthesised
/// parts dropped, punctuation as single spaces.
pub(crate) fn normalise(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    let mut depth = 0u32;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    let folded = fold(&plain);
    let mut out = String::with_capacity(folded.len());
    let mut space = false;
    for c in folded.chars() {
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        } else {
            space = true;
        }
    }
    out
}

/// Which column a header cell names.
pub(crate) fn column_of(header: &str) -> Option<Column> {
    let h = normalise(header);
    if h.is_empty() {
        return None;
    }
    COLUMNS
        .iter()
        .find(|(_, title, aliases)| normalise(title) == h || aliases.contains(&h.as_str()))
        .map(|(c, _, _)| *c)
}

pub fn channel_label_vi(c: PaymentChannel) -> &'static str {
    match c {
        PaymentChannel::Cash => "Tiền mặt",
        PaymentChannel::Bank => "Tài khoản ngân hàng",
        PaymentChannel::EWallet => "Ví điện tử",
    }
}

/// Label of the totals row (`Tổng cộng`) and prefix of the words row (`Bằng chữ:`).
pub(crate) const TOTAL_LABEL: &str = "Tổng cộng";
pub(crate) const WORDS_LABEL: &str = "Bằng chữ";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_found_by_their_folded_text() {
        for (column, title, _) in COLUMNS {
            assert_eq!(column_of(title), Some(column), "{title}");
        }
        assert_eq!(column_of("MÃ CHI TRẢ"), Some(Column::Key));
        assert_eq!(column_of("ma chi tra"), Some(Column::Key));
        assert_eq!(column_of("Tổng cộng"), Some(Column::Total));
        assert_eq!(column_of("Kết quả"), Some(Column::Result));
        assert_eq!(column_of("Status"), Some(Column::Result));
        assert_eq!(column_of(""), None);
        assert_eq!(column_of("Số điện thoại"), None);
        assert_eq!(normalise("  Tổng cộng (đồng) "), "tong cong");
        assert_eq!(normalise("Xã, phường"), "xa phuong");
    }
}
