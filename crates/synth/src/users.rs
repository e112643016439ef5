//! Suggested demo accounts, one per role. Only names and roles: the application creates the
//! accounts (and their passwords) and attaches each to a unit.

use ansinh_domain::access::Role;
use serde::Serialize;

/// The administrative level a demo user should be attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DemoScope {
    /// The whole system.
    System,
    /// The province (tỉnh).
    Province,
    /// A district (huyện) — exists only before 1 July 2025.
    District,
    /// A commune (xã, phường).
    Commune,
    /// A social-assistance facility (cơ sở trợ giúp xã hội).
    Facility,
}

/// One suggested demo user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DemoUser {
    pub username: &'static str,
    /// Full name with diacritics.
    pub full_name: &'static str,
    /// The role (`role.as_str()` gives the string: `commune_officer`…).
    pub role: Role,
    /// Job title as it would appear on documents.
    pub title: &'static str,
    pub scope: DemoScope,
}

const USERS: [DemoUser; 7] = [
    DemoUser {
        username: "quantri",
        full_name: "Phạm Quốc Khánh",
        role: Role::Admin,
        title: "Quản trị hệ thống",
        scope: DemoScope::System,
    },
    DemoUser {
        username: "canbo.tinh",
        full_name: "Nguyễn Thị Thanh Hương",
        role: Role::ProvinceOfficer,
        title: "Chuyên viên Phòng Bảo trợ xã hội, Sở Y tế",
        scope: DemoScope::Province,
    },
    DemoUser {
        username: "canbo.huyen",
        full_name: "Trần Minh Tâm",
        role: Role::DistrictOfficer,
        title: "Chuyên viên Phòng Lao động - Thương binh và Xã hội huyện",
        scope: DemoScope::District,
    },
    DemoUser {
        username: "canbo.xa",
        full_name: "Thạch Thị Sa Phia",
        role: Role::CommuneOfficer,
        title: "Công chức Văn hóa - Xã hội",
        scope: DemoScope::Commune,
    },
    DemoUser {
        username: "chutich.xa",
        full_name: "Lê Văn Hùng",
        role: Role::CommuneChairman,
        title: "Chủ tịch Ủy ban nhân dân xã",
        scope: DemoScope::Commune,
    },
    DemoUser {
        username: "nhanvien.cs",
        full_name: "Huỳnh Ngọc Lan",
        role: Role::FacilityStaff,
        title: "Nhân viên công tác xã hội, Trung tâm Bảo trợ xã hội",
        scope: DemoScope::Facility,
    },
    DemoUser {
        username: "thanhtra",
        full_name: "Võ Thành Nhân",
        role: Role::Inspector,
        title: "Thanh tra viên, Thanh tra tỉnh",
        scope: DemoScope::Province,
    },
];

/// One suggested demo user per role.
pub fn demo_users() -> &'static [DemoUser] {
    &USERS
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn one_user_per_role_with_unique_usernames() {
        let roles: HashSet<_> = demo_users().iter().map(|u| u.role).collect();
        let names: HashSet<_> = demo_users().iter().map(|u| u.username).collect();
        assert_eq!(names.len(), demo_users().len());
        assert_eq!(roles.len(), demo_users().len());
        for role in Role::ALL {
            assert!(roles.contains(role), "{role:?}");
        }
        let canbo = demo_users()
            .iter()
            .find(|u| u.username == "canbo.xa")
            .unwrap();
        assert_eq!(canbo.role.as_str(), "commune_officer");
    }
}
