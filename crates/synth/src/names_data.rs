//! Name lists, written for this project from general knowledge of naming customs (họ, tên
//! đệm, tên — family, middle and given names). No third-party list was copied.
//!
//! Weights are relative frequencies. Middle and given names carry three weights, one per birth
//! era (before 1960, 1960–1989, from 1990), because Vietnamese naming fashions changed a lot:
//! southern elders are often called by their birth order (Hai, Ba, Tư, Năm, Út…), while
//! children born after 2000 have names like Gia Huy, Bảo Anh or Ngọc Hân.

/// Family name and weight.
pub(crate) type Family = (&'static str, u16);
/// Middle or given name and its weight per era (before 1960, 1960–1989, from 1990).
pub(crate) type ByEra = (&'static str, [u16; 3]);

/// How the parts of a name are put together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// Họ + tên đệm + tên (Kinh, Hoa and most northern minorities).
    Vietnamese,
    /// Khmer family name, often "Thị" for women, then a Khmer given name of one or two
    /// syllables; younger people often have Vietnamese given names.
    Khmer,
    /// Ê-đê: "Y" (men) or "H'" (women), the given name, then the family name last.
    Ede,
    /// Gia-rai: family name then given name; women's given names begin with "H'".
    Jarai,
}

#[derive(Debug)]
pub(crate) struct NameData {
    pub family: &'static [Family],
    pub male_middle: &'static [ByEra],
    pub female_middle: &'static [ByEra],
    pub male_given: &'static [ByEra],
    pub female_given: &'static [ByEra],
    /// Percentage, by era, of people whose middle and given names come from the Kinh lists
    /// (minority names drift towards Vietnamese ones).
    pub kinh_given_percent: [u8; 3],
    pub style: Style,
}

// ---------------------------------------------------------------------------------------
// Kinh (người Kinh). Family names weighted for the south, where Huỳnh and Võ replace much of
// Hoàng and Vũ.

const KINH_FAMILY: &[Family] = &[
    ("Nguyễn", 310),
    ("Trần", 110),
    ("Lê", 95),
    ("Phạm", 60),
    ("Huỳnh", 50),
    ("Võ", 45),
    ("Phan", 40),
    ("Đặng", 18),
    ("Trương", 15),
    ("Bùi", 15),
    ("Hồ", 14),
    ("Đỗ", 12),
    ("Ngô", 12),
    ("Dương", 10),
    ("Hoàng", 8),
    ("Đoàn", 8),
    ("Lý", 6),
    ("Lâm", 6),
    ("Mai", 6),
    ("Đinh", 5),
    ("Châu", 5),
    ("Cao", 5),
    ("Vũ", 5),
    ("Thái", 4),
    ("Hà", 4),
    ("Đào", 4),
    ("Tạ", 3),
    ("Lưu", 3),
    ("Tô", 3),
    ("Lương", 3),
    ("Trịnh", 3),
    ("Từ", 2),
    ("Kiều", 2),
    ("Quách", 2),
    ("La", 2),
    ("Tăng", 2),
    ("Vương", 2),
    ("Phùng", 2),
    ("Diệp", 1),
    ("Nhan", 1),
    ("Khưu", 1),
    ("Mạc", 1),
];

const KINH_MALE_MIDDLE: &[ByEra] = &[
    ("Văn", [80, 55, 22]),
    ("Hữu", [5, 7, 5]),
    ("Minh", [2, 6, 12]),
    ("Quốc", [2, 5, 8]),
    ("Thanh", [3, 6, 5]),
    ("Công", [2, 3, 3]),
    ("Đức", [1, 3, 5]),
    ("Hoàng", [1, 3, 8]),
    ("Tấn", [2, 4, 4]),
    ("Thành", [2, 3, 4]),
    ("Trung", [0, 2, 3]),
    ("Gia", [0, 1, 10]),
    ("Ngọc", [2, 3, 3]),
    ("Phước", [1, 2, 1]),
    ("Chí", [1, 3, 4]),
    ("Hoài", [0, 2, 3]),
    ("Duy", [0, 2, 6]),
    ("Nhật", [0, 1, 5]),
    ("Anh", [0, 1, 5]),
    ("Bảo", [0, 1, 6]),
    ("Trọng", [1, 2, 3]),
    ("Xuân", [1, 2, 1]),
    ("Kim", [1, 1, 1]),
    ("Đăng", [0, 1, 4]),
    ("Thiện", [0, 1, 2]),
    ("Khánh", [0, 1, 3]),
];

const KINH_FEMALE_MIDDLE: &[ByEra] = &[
    ("Thị", [92, 70, 35]),
    ("Ngọc", [2, 6, 12]),
    ("Thanh", [1, 4, 4]),
    ("Kim", [2, 4, 4]),
    ("Mỹ", [1, 4, 5]),
    ("Bích", [1, 3, 2]),
    ("Thu", [1, 3, 3]),
    ("Hồng", [1, 3, 2]),
    ("Thúy", [0, 2, 3]),
    ("Kiều", [0, 1, 2]),
    ("Bảo", [0, 0, 5]),
    ("Minh", [0, 1, 5]),
    ("Anh", [0, 0, 3]),
    ("Khánh", [0, 0, 4]),
    ("Gia", [0, 0, 4]),
    ("Phương", [0, 2, 4]),
    ("Hoài", [0, 1, 3]),
    ("Tuyết", [1, 2, 1]),
    ("Diễm", [0, 1, 2]),
    ("Thảo", [0, 1, 3]),
    ("Cẩm", [1, 2, 2]),
    ("Tường", [0, 0, 2]),
    ("Quỳnh", [0, 1, 3]),
];

const KINH_MALE_GIVEN: &[ByEra] = &[
    // Birth-order names, common among southern elders.
    ("Hai", [6, 1, 0]),
    ("Ba", [8, 2, 0]),
    ("Tư", [6, 1, 0]),
    ("Năm", [8, 2, 0]),
    ("Sáu", [6, 2, 0]),
    ("Bảy", [6, 2, 0]),
    ("Tám", [5, 1, 0]),
    ("Chín", [4, 1, 0]),
    ("Mười", [3, 1, 0]),
    ("Út", [4, 1, 0]),
    ("Bé", [2, 1, 0]),
    ("Hùng", [3, 5, 2]),
    ("Dũng", [2, 5, 2]),
    ("Tuấn", [1, 5, 3]),
    ("Minh", [3, 5, 4]),
    ("Phúc", [1, 3, 5]),
    ("Tài", [2, 4, 3]),
    ("Lộc", [2, 4, 3]),
    ("Hải", [1, 4, 3]),
    ("Nam", [2, 4, 5]),
    ("Sơn", [2, 4, 2]),
    ("Thành", [3, 5, 3]),
    ("Hiếu", [0, 3, 4]),
    ("Khang", [0, 1, 7]),
    ("Bảo", [0, 1, 6]),
    ("Huy", [0, 2, 7]),
    ("Phong", [1, 3, 4]),
    ("Tâm", [2, 4, 3]),
    ("Trí", [1, 3, 4]),
    ("Tùng", [0, 3, 3]),
    ("Vinh", [2, 4, 3]),
    ("Cường", [1, 5, 2]),
    ("Đức", [2, 4, 3]),
    ("Hòa", [3, 4, 1]),
    ("Hưng", [2, 4, 3]),
    ("Long", [2, 4, 4]),
    ("Nghĩa", [2, 4, 2]),
    ("Nhân", [2, 3, 3]),
    ("Quang", [2, 3, 3]),
    ("Thắng", [2, 4, 2]),
    ("Thiện", [1, 3, 3]),
    ("Toàn", [1, 4, 2]),
    ("Trung", [2, 4, 2]),
    ("Vũ", [0, 2, 4]),
    ("Khoa", [0, 2, 5]),
    ("Kiệt", [0, 1, 5]),
    ("Duy", [0, 2, 4]),
    ("Phát", [1, 3, 5]),
    ("Thịnh", [1, 3, 4]),
    ("An", [2, 2, 5]),
    ("Đạt", [0, 3, 5]),
    ("Tín", [1, 3, 3]),
    ("Nhựt", [2, 3, 1]),
    ("Lợi", [3, 3, 1]),
    ("Thạnh", [3, 3, 1]),
    ("Lành", [2, 1, 0]),
    ("Hiền", [2, 1, 0]),
    ("Đông", [2, 2, 1]),
    ("Quý", [2, 2, 2]),
    ("Thuận", [2, 3, 2]),
    ("Bình", [3, 3, 2]),
    ("Khải", [0, 1, 3]),
    ("Nguyên", [0, 2, 4]),
    ("Thông", [2, 2, 1]),
    ("Hậu", [1, 3, 2]),
    ("Tiến", [1, 3, 2]),
    ("Sang", [1, 3, 2]),
    ("Ân", [0, 1, 3]),
    ("Quân", [0, 2, 6]),
    ("Điền", [2, 1, 0]),
];

const KINH_FEMALE_GIVEN: &[ByEra] = &[
    ("Hai", [5, 1, 0]),
    ("Ba", [5, 1, 0]),
    ("Tư", [5, 1, 0]),
    ("Năm", [5, 1, 0]),
    ("Sáu", [5, 1, 0]),
    ("Bảy", [4, 1, 0]),
    ("Tám", [3, 1, 0]),
    ("Út", [6, 2, 0]),
    ("Bé", [5, 2, 0]),
    ("Lan", [5, 4, 1]),
    ("Hoa", [5, 4, 1]),
    ("Hương", [3, 5, 3]),
    ("Mai", [4, 4, 2]),
    ("Linh", [0, 4, 6]),
    ("Ngọc", [2, 4, 4]),
    ("Trang", [0, 4, 6]),
    ("Thảo", [1, 4, 5]),
    ("Hạnh", [3, 4, 2]),
    ("Nhung", [2, 4, 1]),
    ("Phương", [1, 4, 4]),
    ("Yến", [2, 4, 3]),
    ("Nga", [3, 4, 1]),
    ("Tuyết", [3, 3, 1]),
    ("Hằng", [1, 4, 3]),
    ("Thủy", [3, 4, 2]),
    ("Loan", [3, 4, 1]),
    ("Diễm", [1, 3, 3]),
    ("Trinh", [1, 4, 3]),
    ("Vy", [0, 1, 7]),
    ("Ngân", [0, 3, 6]),
    ("Nhi", [0, 2, 7]),
    ("Hân", [0, 1, 7]),
    ("Anh", [0, 2, 6]),
    ("My", [0, 2, 5]),
    ("Như", [0, 3, 5]),
    ("Hiền", [3, 4, 3]),
    ("Kiều", [2, 3, 1]),
    ("Liên", [4, 3, 1]),
    ("Ánh", [2, 3, 3]),
    ("Lệ", [3, 3, 1]),
    ("Cúc", [4, 2, 0]),
    ("Hồng", [4, 4, 1]),
    ("Lài", [3, 1, 0]),
    ("Huệ", [3, 2, 1]),
    ("Thu", [3, 4, 2]),
    ("Xuân", [4, 3, 1]),
    ("Sen", [3, 1, 0]),
    ("Đào", [3, 2, 0]),
    ("Gấm", [2, 1, 0]),
    ("Mận", [2, 1, 0]),
    ("Hà", [1, 3, 3]),
    ("Quyên", [0, 3, 4]),
    ("Tiên", [0, 3, 5]),
    ("Thư", [0, 2, 6]),
    ("Uyên", [0, 2, 5]),
    ("Châu", [1, 2, 4]),
    ("Trâm", [0, 2, 4]),
    ("Nguyệt", [2, 3, 1]),
    ("Thắm", [2, 3, 1]),
    ("Dung", [2, 4, 2]),
    ("Oanh", [2, 3, 1]),
    ("Phượng", [3, 3, 1]),
    ("Nương", [3, 1, 0]),
    ("Tươi", [3, 2, 0]),
    ("Chi", [0, 2, 5]),
    ("Giang", [0, 3, 4]),
    ("Hậu", [1, 2, 2]),
];

pub(crate) const KINH: NameData = NameData {
    family: KINH_FAMILY,
    male_middle: KINH_MALE_MIDDLE,
    female_middle: KINH_FEMALE_MIDDLE,
    male_given: KINH_MALE_GIVEN,
    female_given: KINH_FEMALE_GIVEN,
    kinh_given_percent: [100, 100, 100],
    style: Style::Vietnamese,
};

// ---------------------------------------------------------------------------------------
// Khơ-me (Khmer). Trà Vinh, Sóc Trăng and An Giang; family names given to Khmer families
// in the Nguyễn era (Thạch, Kim, Sơn, Kiên, Lâm, Danh…), given names transcribed in
// Vietnamese spelling.

const KHMER_FAMILY: &[Family] = &[
    ("Thạch", 34),
    ("Kim", 12),
    ("Sơn", 12),
    ("Kiên", 7),
    ("Lâm", 5),
    ("Trầm", 5),
    ("Dương", 5),
    ("Huỳnh", 4),
    ("Danh", 3),
    ("Lý", 3),
    ("Triệu", 3),
    ("Tăng", 2),
    ("Lưu", 2),
    ("Chau", 1),
];

const KHMER_MALE_MIDDLE: &[ByEra] = &[("Văn", [1, 1, 1])];
const KHMER_FEMALE_MIDDLE: &[ByEra] = &[("Thị", [1, 1, 1])];

const KHMER_MALE_GIVEN: &[ByEra] = &[
    ("Sà Rươne", [3, 3, 2]),
    ("Sóc", [5, 4, 2]),
    ("Sô Phol", [3, 3, 2]),
    ("Sa Rinh", [3, 3, 2]),
    ("Chanh Đa", [3, 3, 2]),
    ("Sô Phanh", [3, 3, 2]),
    ("Sa Rát", [2, 2, 1]),
    ("Sơ Rây", [2, 2, 1]),
    ("Ranh", [3, 2, 1]),
    ("Thươl", [2, 2, 1]),
    ("Sang", [4, 3, 2]),
    ("Kha", [3, 2, 1]),
    ("Sóc Kha", [2, 2, 2]),
    ("Sa Vơn", [2, 2, 1]),
    ("Chăm Rơn", [2, 2, 1]),
    ("Sóc Thươne", [2, 2, 1]),
    ("Ca Ri", [2, 2, 1]),
    ("Xiêng", [2, 2, 1]),
    ("Phol", [3, 2, 1]),
    ("Sương", [3, 2, 1]),
    ("Dênh", [2, 2, 1]),
    ("Sà Muôn", [2, 2, 1]),
    ("Pho", [2, 1, 1]),
    ("Chiêm", [2, 2, 1]),
    ("Rươl", [2, 1, 1]),
    ("Sóc Na", [2, 2, 2]),
    ("Sa Mết", [2, 2, 1]),
    ("Sà Ương", [2, 2, 1]),
    ("Sô Khom", [2, 2, 1]),
    ("Mao", [2, 1, 1]),
    ("Chơn", [2, 2, 1]),
    ("Sô Thươl", [1, 1, 1]),
];

const KHMER_FEMALE_GIVEN: &[ByEra] = &[
    ("Sa Phia", [3, 3, 2]),
    ("Sà Rên", [3, 3, 2]),
    ("Chanh Thu", [3, 3, 2]),
    ("Sóc Khanh", [2, 2, 2]),
    ("Sa Ly", [3, 3, 2]),
    ("Sa Rương", [2, 2, 1]),
    ("Sà Vi", [2, 2, 2]),
    ("Sóc Phi", [2, 2, 1]),
    ("Cà Mol", [2, 1, 1]),
    ("Sa Ruôn", [2, 2, 1]),
    ("Ni", [3, 2, 1]),
    ("Nang", [2, 2, 1]),
    ("Sa Rây", [2, 2, 1]),
    ("Chanh Ry", [2, 2, 1]),
    ("Sa Phon", [2, 2, 1]),
    ("Mỹ", [3, 3, 2]),
    ("Sóc Mây", [2, 2, 1]),
    ("Thi Da", [2, 2, 2]),
    ("Sà Oanh", [2, 2, 1]),
    ("Sa Vận", [2, 2, 1]),
    ("Sóc Thi", [2, 2, 1]),
    ("Phi Rum", [1, 1, 1]),
    ("Đa Ra", [2, 2, 2]),
    ("Sà Mon", [2, 2, 1]),
    ("Ren", [2, 2, 1]),
    ("Sa Mây", [2, 2, 1]),
    ("Chanh Na", [2, 2, 1]),
    ("Mỹ Lệ", [1, 1, 1]),
];

pub(crate) const KHMER: NameData = NameData {
    family: KHMER_FAMILY,
    male_middle: KHMER_MALE_MIDDLE,
    female_middle: KHMER_FEMALE_MIDDLE,
    male_given: KHMER_MALE_GIVEN,
    female_given: KHMER_FEMALE_GIVEN,
    kinh_given_percent: [15, 40, 65],
    style: Style::Khmer,
};

// ---------------------------------------------------------------------------------------
// Hoa (Chinese-Vietnamese): Sino-Vietnamese middle and given names.

const HOA_FAMILY: &[Family] = &[
    ("Lâm", 15),
    ("Lý", 12),
    ("Trương", 12),
    ("Quách", 8),
    ("Tăng", 7),
    ("Mã", 6),
    ("Lưu", 6),
    ("Hứa", 5),
    ("Trịnh", 4),
    ("Diệp", 4),
    ("Châu", 4),
    ("Huỳnh", 4),
    ("Tạ", 3),
    ("La", 3),
    ("Lương", 3),
    ("Quan", 3),
    ("Thái", 3),
    ("Triệu", 3),
    ("Vương", 3),
    ("Dương", 3),
    ("Ông", 2),
    ("Hà", 2),
];

const HOA_MALE_MIDDLE: &[ByEra] = &[
    ("Quốc", [5, 5, 5]),
    ("Gia", [3, 4, 6]),
    ("Vĩnh", [5, 4, 3]),
    ("Chí", [4, 4, 4]),
    ("Thành", [4, 4, 3]),
    ("Kiến", [3, 3, 2]),
    ("Minh", [4, 4, 5]),
    ("Tú", [2, 2, 2]),
    ("Văn", [6, 4, 2]),
    ("Trí", [2, 2, 3]),
    ("Hồng", [2, 2, 1]),
];

const HOA_FEMALE_MIDDLE: &[ByEra] = &[
    ("Mỹ", [5, 5, 5]),
    ("Kim", [5, 5, 3]),
    ("Huệ", [4, 4, 3]),
    ("Tú", [4, 4, 3]),
    ("Ngọc", [4, 4, 5]),
    ("Bội", [2, 2, 2]),
    ("Lệ", [3, 3, 2]),
    ("Thị", [8, 5, 2]),
    ("Gia", [1, 3, 5]),
    ("Thu", [2, 2, 2]),
    ("Quế", [2, 2, 1]),
];

const HOA_MALE_GIVEN: &[ByEra] = &[
    ("Phát", [5, 5, 5]),
    ("Tài", [5, 5, 4]),
    ("Lợi", [4, 4, 2]),
    ("Hưng", [4, 4, 3]),
    ("Vinh", [4, 4, 3]),
    ("Minh", [4, 4, 4]),
    ("Kiệt", [2, 3, 5]),
    ("Hào", [3, 3, 4]),
    ("Cường", [3, 3, 2]),
    ("Quang", [3, 3, 3]),
    ("Thành", [3, 3, 3]),
    ("Huy", [1, 3, 5]),
    ("Khang", [1, 2, 5]),
    ("Đạt", [2, 3, 4]),
    ("Khiêm", [2, 2, 2]),
    ("Luân", [2, 2, 2]),
    ("Phong", [3, 3, 3]),
    ("Bình", [2, 2, 1]),
    ("Hải", [2, 2, 2]),
    ("Sinh", [2, 2, 1]),
    ("Xương", [2, 2, 1]),
    ("Hùng", [3, 3, 2]),
    ("Nghĩa", [2, 2, 2]),
    ("Long", [3, 3, 3]),
];

const HOA_FEMALE_GIVEN: &[ByEra] = &[
    ("Phụng", [4, 4, 2]),
    ("Linh", [2, 4, 5]),
    ("Mẫn", [3, 3, 3]),
    ("Lệ", [3, 3, 2]),
    ("Huệ", [3, 3, 2]),
    ("Trân", [2, 3, 4]),
    ("Nghi", [1, 3, 5]),
    ("Quyên", [2, 3, 3]),
    ("Hoa", [3, 3, 2]),
    ("Anh", [2, 3, 4]),
    ("Hân", [1, 2, 5]),
    ("Kỳ", [2, 2, 2]),
    ("Nhi", [1, 2, 5]),
    ("Vân", [3, 3, 3]),
    ("Yến", [3, 3, 2]),
    ("Mai", [3, 3, 2]),
    ("Châu", [2, 3, 3]),
    ("Như", [2, 3, 4]),
    ("Tuyết", [2, 2, 1]),
    ("Liên", [2, 2, 1]),
    ("Dung", [2, 2, 1]),
];

pub(crate) const HOA: NameData = NameData {
    family: HOA_FAMILY,
    male_middle: HOA_MALE_MIDDLE,
    female_middle: HOA_FEMALE_MIDDLE,
    male_given: HOA_MALE_GIVEN,
    female_given: HOA_FEMALE_GIVEN,
    kinh_given_percent: [20, 35, 50],
    style: Style::Vietnamese,
};

// ---------------------------------------------------------------------------------------
// Northern minorities for the national set. Tày, Nùng and Mường mostly use Vietnamese middle
// and given names, so their own lists are short.

const TAY_FAMILY: &[Family] = &[
    ("Hoàng", 20),
    ("Nông", 18),
    ("Lương", 8),
    ("Hà", 8),
    ("Nguyễn", 8),
    ("Ma", 6),
    ("Bế", 6),
    ("Lục", 5),
    ("Đàm", 5),
    ("Triệu", 5),
    ("Lành", 3),
    ("Lưu", 3),
    ("Chu", 3),
    ("Ngôn", 2),
];

const NUNG_FAMILY: &[Family] = &[
    ("Hoàng", 15),
    ("Nông", 15),
    ("Lăng", 6),
    ("Chu", 6),
    ("Lý", 6),
    ("Vi", 6),
    ("Lục", 5),
    ("Triệu", 5),
    ("Mã", 4),
    ("Hứa", 4),
    ("Dương", 4),
    ("Hà", 4),
    ("Ngôn", 3),
    ("La", 3),
];

const MUONG_FAMILY: &[Family] = &[
    ("Bùi", 35),
    ("Đinh", 20),
    ("Hà", 10),
    ("Quách", 8),
    ("Nguyễn", 6),
    ("Xa", 5),
    ("Cao", 5),
    ("Trương", 3),
    ("Phạm", 3),
];

const NORTHERN_MALE_MIDDLE: &[ByEra] = &[
    ("Văn", [90, 75, 45]),
    ("Đức", [2, 4, 8]),
    ("Minh", [2, 4, 10]),
    ("Quốc", [1, 3, 6]),
    ("Thanh", [2, 4, 5]),
    ("Hải", [0, 2, 5]),
    ("Trung", [1, 3, 5]),
];

const NORTHERN_FEMALE_MIDDLE: &[ByEra] = &[
    ("Thị", [95, 80, 50]),
    ("Thu", [1, 4, 6]),
    ("Hồng", [1, 3, 5]),
    ("Ngọc", [1, 3, 8]),
    ("Minh", [0, 1, 6]),
    ("Thanh", [1, 3, 5]),
];

const TAY_MALE_GIVEN: &[ByEra] = &[
    ("Dền", [3, 2, 0]),
    ("Sáng", [3, 2, 1]),
    ("Pảo", [2, 1, 0]),
    ("Slao", [2, 1, 0]),
    ("Thuận", [2, 2, 1]),
    ("Sinh", [2, 2, 1]),
    ("Vượng", [2, 2, 1]),
];

const TAY_FEMALE_GIVEN: &[ByEra] = &[
    ("Lả", [3, 2, 0]),
    ("Mến", [3, 2, 1]),
    ("Nhài", [2, 2, 1]),
    ("Pản", [2, 1, 0]),
    ("Slinh", [2, 1, 0]),
    ("Hoa", [2, 2, 1]),
];

pub(crate) const TAY: NameData = NameData {
    family: TAY_FAMILY,
    male_middle: NORTHERN_MALE_MIDDLE,
    female_middle: NORTHERN_FEMALE_MIDDLE,
    male_given: TAY_MALE_GIVEN,
    female_given: TAY_FEMALE_GIVEN,
    kinh_given_percent: [40, 65, 85],
    style: Style::Vietnamese,
};

pub(crate) const NUNG: NameData = NameData {
    family: NUNG_FAMILY,
    male_middle: NORTHERN_MALE_MIDDLE,
    female_middle: NORTHERN_FEMALE_MIDDLE,
    male_given: TAY_MALE_GIVEN,
    female_given: TAY_FEMALE_GIVEN,
    kinh_given_percent: [40, 65, 85],
    style: Style::Vietnamese,
};

pub(crate) const MUONG: NameData = NameData {
    family: MUONG_FAMILY,
    male_middle: NORTHERN_MALE_MIDDLE,
    female_middle: NORTHERN_FEMALE_MIDDLE,
    male_given: TAY_MALE_GIVEN,
    female_given: TAY_FEMALE_GIVEN,
    kinh_given_percent: [80, 90, 95],
    style: Style::Vietnamese,
};

const THAI_FAMILY: &[Family] = &[
    ("Lò", 20),
    ("Cầm", 12),
    ("Quàng", 10),
    ("Lường", 10),
    ("Hà", 10),
    ("Vi", 8),
    ("Tòng", 8),
    ("Điêu", 6),
    ("Lự", 5),
    ("Vì", 5),
    ("Lê", 4),
    ("Sầm", 4),
    ("Mè", 3),
    ("Khà", 3),
];

const THAI_MALE_GIVEN: &[ByEra] = &[
    ("Ún", [3, 2, 1]),
    ("Pọm", [3, 2, 1]),
    ("Ính", [2, 2, 1]),
    ("Phanh", [3, 2, 1]),
    ("Thoong", [2, 2, 1]),
    ("Biên", [2, 2, 2]),
    ("Ọn", [2, 2, 1]),
    ("Pánh", [2, 2, 1]),
    ("Khăm", [2, 2, 1]),
    ("Xiển", [2, 1, 1]),
    ("Hươn", [2, 2, 1]),
    ("Chiến", [1, 2, 2]),
];

const THAI_FEMALE_GIVEN: &[ByEra] = &[
    ("Ín", [3, 2, 1]),
    ("Xoan", [2, 2, 1]),
    ("Hươn", [2, 2, 1]),
    ("Bun", [2, 2, 1]),
    ("Pạ", [2, 1, 1]),
    ("Ỏn", [2, 2, 1]),
    ("Pâng", [2, 1, 1]),
    ("Xiêng", [2, 2, 1]),
    ("Lả", [2, 2, 1]),
    ("Hiên", [2, 2, 2]),
    ("Chăm", [2, 2, 1]),
    ("Ón", [2, 2, 1]),
];

pub(crate) const THAI: NameData = NameData {
    family: THAI_FAMILY,
    male_middle: NORTHERN_MALE_MIDDLE,
    female_middle: NORTHERN_FEMALE_MIDDLE,
    male_given: THAI_MALE_GIVEN,
    female_given: THAI_FEMALE_GIVEN,
    kinh_given_percent: [20, 40, 60],
    style: Style::Vietnamese,
};

const HMONG_FAMILY: &[Family] = &[
    ("Giàng", 15),
    ("Thào", 15),
    ("Vàng", 15),
    ("Sùng", 12),
    ("Lý", 10),
    ("Vừ", 8),
    ("Hờ", 6),
    ("Mùa", 6),
    ("Lầu", 6),
    ("Tráng", 4),
    ("Cứ", 4),
    ("Hạng", 4),
    ("Chá", 3),
];

const HMONG_MALE_MIDDLE: &[ByEra] = &[
    ("A", [6, 6, 5]),
    ("Seo", [5, 5, 4]),
    ("Mí", [4, 4, 3]),
    ("Văn", [2, 3, 5]),
];

const HMONG_FEMALE_MIDDLE: &[ByEra] = &[("Thị", [1, 1, 1])];

const HMONG_MALE_GIVEN: &[ByEra] = &[
    ("Páo", [3, 3, 2]),
    ("Chứ", [3, 3, 2]),
    ("Sính", [3, 3, 2]),
    ("Dình", [2, 2, 2]),
    ("Tủa", [2, 2, 2]),
    ("Chống", [2, 2, 2]),
    ("Pó", [2, 2, 1]),
    ("Lử", [2, 2, 1]),
    ("Sử", [2, 2, 2]),
    ("Cở", [2, 2, 1]),
    ("Nhà", [2, 2, 1]),
    ("Khua", [2, 2, 1]),
    ("Lồng", [2, 2, 1]),
    ("Súa", [2, 2, 1]),
    ("Vảng", [2, 2, 1]),
    ("Phử", [2, 2, 1]),
    ("Giống", [1, 2, 2]),
    ("Xá", [1, 2, 2]),
];

const HMONG_FEMALE_GIVEN: &[ByEra] = &[
    ("Mỷ", [3, 3, 2]),
    ("Dở", [3, 3, 2]),
    ("Mai", [2, 2, 3]),
    ("Sua", [2, 2, 2]),
    ("Dua", [2, 2, 1]),
    ("Pàng", [2, 2, 2]),
    ("Sinh", [2, 2, 2]),
    ("Chu", [2, 2, 1]),
    ("Mỉ", [2, 2, 1]),
    ("Chờ", [2, 2, 1]),
    ("Say", [2, 2, 1]),
    ("Máy", [2, 2, 1]),
    ("Ly", [1, 2, 3]),
    ("Dợ", [2, 2, 1]),
    ("Pả", [2, 1, 1]),
];

pub(crate) const HMONG: NameData = NameData {
    family: HMONG_FAMILY,
    male_middle: HMONG_MALE_MIDDLE,
    female_middle: HMONG_FEMALE_MIDDLE,
    male_given: HMONG_MALE_GIVEN,
    female_given: HMONG_FEMALE_GIVEN,
    kinh_given_percent: [2, 5, 15],
    style: Style::Vietnamese,
};

const DAO_FAMILY: &[Family] = &[
    ("Triệu", 25),
    ("Bàn", 20),
    ("Lý", 12),
    ("Đặng", 10),
    ("Chảo", 8),
    ("Phàn", 6),
    ("Phùn", 5),
    ("Tẩn", 5),
    ("Sần", 3),
    ("Lò", 3),
];

const DAO_MALE_MIDDLE: &[ByEra] = &[
    ("Văn", [6, 6, 6]),
    ("Tòn", [3, 3, 2]),
    ("Kim", [3, 3, 2]),
    ("Seo", [2, 2, 1]),
];

const DAO_FEMALE_MIDDLE: &[ByEra] = &[("Thị", [8, 8, 8]), ("Mùi", [2, 2, 1])];

const DAO_MALE_GIVEN: &[ByEra] = &[
    ("Phú", [2, 2, 2]),
    ("Chòi", [3, 2, 1]),
    ("Quẩy", [3, 2, 1]),
    ("Phẩu", [2, 2, 1]),
    ("Nải", [2, 2, 1]),
    ("Chàng", [2, 2, 1]),
    ("Tả", [2, 2, 1]),
    ("Phin", [2, 2, 2]),
    ("Dấu", [2, 2, 1]),
    ("Kiềm", [2, 2, 1]),
    ("Chấn", [2, 2, 1]),
    ("Sảng", [2, 2, 1]),
    ("Vần", [2, 2, 1]),
];

const DAO_FEMALE_GIVEN: &[ByEra] = &[
    ("Mẩy", [3, 3, 2]),
    ("Nải", [2, 2, 1]),
    ("Xiêm", [2, 2, 1]),
    ("Lở", [2, 2, 1]),
    ("Phỉn", [2, 2, 1]),
    ("Phấy", [2, 2, 1]),
    ("Dụ", [2, 2, 1]),
    ("Chạn", [2, 2, 1]),
    ("Xuân", [2, 2, 2]),
];

pub(crate) const DAO: NameData = NameData {
    family: DAO_FAMILY,
    male_middle: DAO_MALE_MIDDLE,
    female_middle: DAO_FEMALE_MIDDLE,
    male_given: DAO_MALE_GIVEN,
    female_given: DAO_FEMALE_GIVEN,
    kinh_given_percent: [10, 25, 45],
    style: Style::Vietnamese,
};

// ---------------------------------------------------------------------------------------
// Central Highlands.

const EDE_FAMILY: &[Family] = &[
    ("Niê", 20),
    ("Êban", 12),
    ("Mlô", 10),
    ("Ayun", 6),
    ("Byă", 6),
    ("Ksơr", 5),
    ("Buôn Yă", 4),
    ("Hđơk", 4),
    ("Knul", 4),
    ("Adrơng", 4),
    ("Kbuôr", 3),
    ("Ênuôl", 3),
    ("Hmok", 3),
];

const NO_MIDDLE: &[ByEra] = &[];

const EDE_MALE_GIVEN: &[ByEra] = &[
    ("Bhin", [2, 2, 2]),
    ("Thông", [2, 2, 2]),
    ("Nguôn", [2, 2, 1]),
    ("Ngông", [2, 2, 1]),
    ("Khuê", [2, 2, 2]),
    ("Jôn", [2, 2, 1]),
    ("Blô", [2, 2, 1]),
    ("Kô", [2, 2, 1]),
    ("Yơn", [2, 2, 1]),
    ("Ju", [2, 2, 1]),
    ("Bliêng", [2, 2, 1]),
    ("Brang", [2, 2, 1]),
    ("Phăng", [2, 2, 1]),
    ("Hiêng", [2, 2, 1]),
    ("Dhăm", [2, 2, 1]),
    ("Mlong", [2, 2, 1]),
    ("Tlang", [2, 2, 1]),
    ("Siêng", [2, 2, 2]),
];

const EDE_FEMALE_GIVEN: &[ByEra] = &[
    ("Ben", [2, 2, 2]),
    ("Hen", [2, 2, 2]),
    ("Nga", [2, 2, 2]),
    ("Ni", [2, 2, 1]),
    ("Dung", [2, 2, 2]),
    ("Zen", [2, 2, 1]),
    ("Yâm", [2, 2, 1]),
    ("Mai", [2, 2, 2]),
    ("Juin", [2, 2, 1]),
    ("Rin", [2, 2, 1]),
    ("Ngơn", [2, 2, 1]),
    ("Hơn", [2, 2, 1]),
    ("Blăng", [2, 2, 1]),
    ("Duen", [2, 2, 1]),
    ("Jen", [2, 2, 1]),
];

pub(crate) const EDE: NameData = NameData {
    family: EDE_FAMILY,
    male_middle: NO_MIDDLE,
    female_middle: NO_MIDDLE,
    male_given: EDE_MALE_GIVEN,
    female_given: EDE_FEMALE_GIVEN,
    kinh_given_percent: [0, 0, 0],
    style: Style::Ede,
};

const JARAI_FAMILY: &[Family] = &[
    ("Ksor", 20),
    ("Siu", 15),
    ("Rơ Châm", 12),
    ("Rah Lan", 10),
    ("Nay", 10),
    ("Rơ Mah", 10),
    ("Kpă", 8),
    ("Puih", 6),
    ("Rơ Lan", 5),
    ("Rơ Ô", 4),
    ("Hiao", 3),
];

const JARAI_MALE_GIVEN: &[ByEra] = &[
    ("Kơh", [2, 2, 1]),
    ("Blin", [2, 2, 1]),
    ("Thân", [2, 2, 2]),
    ("Phin", [2, 2, 1]),
    ("Jưn", [2, 2, 1]),
    ("Yuh", [2, 2, 1]),
    ("Dơk", [2, 2, 1]),
    ("Blâu", [2, 2, 1]),
    ("Hlai", [2, 2, 1]),
    ("Kreo", [2, 2, 1]),
    ("Luih", [2, 2, 1]),
    ("Nhăm", [2, 2, 1]),
    ("Glơ", [2, 2, 1]),
    ("Tuh", [2, 2, 1]),
];

const JARAI_FEMALE_GIVEN: &[ByEra] = &[
    ("H'Bia", [2, 2, 2]),
    ("H'Prai", [2, 2, 1]),
    ("H'Nơi", [2, 2, 1]),
    ("H'Mai", [2, 2, 2]),
    ("H'Yuh", [2, 2, 1]),
    ("H'Lan", [2, 2, 2]),
    ("H'Jăm", [2, 2, 1]),
    ("H'Bách", [2, 2, 1]),
    ("H'Ngơt", [2, 2, 1]),
    ("H'Dăm", [2, 2, 1]),
];

pub(crate) const JARAI: NameData = NameData {
    family: JARAI_FAMILY,
    male_middle: NO_MIDDLE,
    female_middle: NO_MIDDLE,
    male_given: JARAI_MALE_GIVEN,
    female_given: JARAI_FEMALE_GIVEN,
    kinh_given_percent: [0, 5, 15],
    style: Style::Jarai,
};
