//! Hamlet (ấp, khóm, thôn, tổ dân phố) and street names, written for this project.
//!
//! In the Mekong delta the level below the commune is the **ấp** in rural communes and the
//! **khóm** in wards and townships; in the north and centre it is the **thôn** and the
//! **tổ dân phố**; in Hồ Chí Minh City and the south-east the **khu phố**. Many Trà Vinh
//! hamlets keep Khmer place names (Sóc = village, Ô = stream, Trà…), written in Vietnamese.

/// Numbered names, `"Ấp 1"` … `"Ấp 15"`: written out so they are `&'static str` and naming a
/// person's hamlet never allocates.
macro_rules! numbered {
    ($p:literal) => {
        [
            concat!($p, " 1"),
            concat!($p, " 2"),
            concat!($p, " 3"),
            concat!($p, " 4"),
            concat!($p, " 5"),
            concat!($p, " 6"),
            concat!($p, " 7"),
            concat!($p, " 8"),
            concat!($p, " 9"),
            concat!($p, " 10"),
            concat!($p, " 11"),
            concat!($p, " 12"),
            concat!($p, " 13"),
            concat!($p, " 14"),
            concat!($p, " 15"),
        ]
    };
}

pub(crate) const AP_NUMBERED: [&str; 15] = numbered!("Ấp");
pub(crate) const KHOM_NUMBERED: [&str; 15] = numbered!("Khóm");
pub(crate) const KHU_PHO_NUMBERED: [&str; 15] = numbered!("Khu phố");
pub(crate) const THON_NUMBERED: [&str; 15] = numbered!("Thôn");
pub(crate) const TO_DAN_PHO_NUMBERED: [&str; 15] = numbered!("Tổ dân phố");

/// Named ấp with Vietnamese names, as common across the Mekong delta.
pub(crate) const AP_KINH: [&str; 50] = [
    "Ấp Long Bình",
    "Ấp Long Hòa",
    "Ấp Long Thạnh",
    "Ấp Long Hưng",
    "Ấp Tân An",
    "Ấp Tân Lập",
    "Ấp Tân Thành",
    "Ấp Tân Qui",
    "Ấp Phú Hòa",
    "Ấp Phú Thạnh",
    "Ấp Phú Lợi",
    "Ấp Hòa Lợi",
    "Ấp Hòa Thuận",
    "Ấp An Bình",
    "Ấp An Thạnh",
    "Ấp An Hòa",
    "Ấp Mỹ Cẩm",
    "Ấp Mỹ Long",
    "Ấp Mỹ Hòa",
    "Ấp Đại Thôn",
    "Ấp Bến Có",
    "Ấp Cây Da",
    "Ấp Giồng Lớn",
    "Ấp Giồng Trôm",
    "Ấp Ngãi Hòa",
    "Ấp Phước Hảo",
    "Ấp Rạch Dừa",
    "Ấp Cầu Xây",
    "Ấp Định Bình",
    "Ấp Bình Phụ",
    "Ấp Bình Tân",
    "Ấp Thanh Nguyên",
    "Ấp Thanh Trì",
    "Ấp Đầu Giồng",
    "Ấp Cồn Cù",
    "Ấp Cây Xoài",
    "Ấp Kinh Xáng",
    "Ấp Bờ Kinh",
    "Ấp Chợ",
    "Ấp Vĩnh Hưng",
    "Ấp Vĩnh Trường",
    "Ấp Hiệp Hòa",
    "Ấp Thạnh Phú",
    "Ấp Đông Hải",
    "Ấp Rạch Bót",
    "Ấp Phước Trị",
    "Ấp Nhứt",
    "Ấp Nhì",
    "Ấp Ba",
    "Ấp Cầu Tre",
];

/// Named ấp with Khmer place names in Vietnamese spelling.
pub(crate) const AP_KHMER: [&str; 34] = [
    "Ấp Sóc Chuối",
    "Ấp Sóc Tre",
    "Ấp Sóc Ruộng",
    "Ấp Sóc Cụt",
    "Ấp Sóc Xoài",
    "Ấp Sóc Mới",
    "Ấp Ô Chát",
    "Ấp Ô Đùng",
    "Ấp Ô Rồm",
    "Ấp Ô Tre Lớn",
    "Ấp Ô Tre Nhỏ",
    "Ấp Ô Lắc",
    "Ấp Sà Vần",
    "Ấp Sà Rinh",
    "Ấp Ba Se",
    "Ấp Trà Sết",
    "Ấp Trà Kháo",
    "Ấp Trà Cú Cạn",
    "Ấp Tha La",
    "Ấp Chông Bát",
    "Ấp Cà Hom",
    "Ấp Bông Ven",
    "Ấp Nô Công",
    "Ấp Sa Bình",
    "Ấp Kim Câu",
    "Ấp Ba Cụm",
    "Ấp Chà Và",
    "Ấp Trà Mềm",
    "Ấp Sơn Lang",
    "Ấp Ca Lạc",
    "Ấp Đa Hòa",
    "Ấp Bà Tây",
    "Ấp Trà Ốt",
    "Ấp Mé Rạch",
];

/// Streets for addresses in wards and townships.
pub(crate) const STREETS: [&str; 20] = [
    "Nguyễn Đáng",
    "Điện Biên Phủ",
    "Phạm Ngũ Lão",
    "Lê Lợi",
    "Trần Phú",
    "Nguyễn Thị Minh Khai",
    "Phạm Hùng",
    "Bạch Đằng",
    "Lý Thường Kiệt",
    "Võ Nguyên Giáp",
    "Mậu Thân",
    "Nguyễn Du",
    "Hùng Vương",
    "Quang Trung",
    "Kiên Thị Nhẫn",
    "Sơn Thông",
    "Lê Thánh Tôn",
    "Trần Quốc Tuấn",
    "Đồng Khởi",
    "Nguyễn Trãi",
];
