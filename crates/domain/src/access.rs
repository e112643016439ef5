//! Roles and what each may do. Where a user may do it is their scope (their unit's area);
//! both are checked for every use case.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::person::UnknownValue;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Quản trị hệ thống: accounts, reference data; whole system.
    Admin,
    /// Cán bộ cấp tỉnh (Sở): whole province.
    ProvinceOfficer,
    /// Cán bộ cấp huyện (Phòng LĐTBXH), until the district tier ended on 1 July 2025.
    DistrictOfficer,
    /// Công chức văn hóa - xã hội cấp xã: prepares files in one commune.
    CommuneOfficer,
    /// Chủ tịch UBND cấp xã: approves and signs in one commune.
    CommuneChairman,
    /// Nhân viên cơ sở trợ giúp xã hội.
    FacilityStaff,
    /// Thanh tra: reads everything in the province, changes nothing.
    Inspector,
}

/// Something a role may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    RegistryRead,
    RegistryWrite,
    /// See full CCCD numbers, bank accounts and HIV status (each reading audited).
    RevealSensitive,
    ManageUsers,
    ReadAudit,
    /// Draft a change to the policy catalogue.
    DraftPolicy,
    /// Activate a drafted policy version (never one's own draft).
    ActivatePolicy,
    /// Receive and prepare dossiers.
    PrepareDossier,
    /// Appraise dossiers (district tier before July 2025, province after).
    AppraiseDossier,
    /// Decide and sign (chairman).
    Decide,
    /// Draw up and send payroll.
    PreparePayroll,
    /// Check a payroll drawn up by someone else.
    CheckPayroll,
}

impl Role {
    pub const ALL: &'static [Role] = &[
        Role::Admin,
        Role::ProvinceOfficer,
        Role::DistrictOfficer,
        Role::CommuneOfficer,
        Role::CommuneChairman,
        Role::FacilityStaff,
        Role::Inspector,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::ProvinceOfficer => "province_officer",
            Role::DistrictOfficer => "district_officer",
            Role::CommuneOfficer => "commune_officer",
            Role::CommuneChairman => "commune_chairman",
            Role::FacilityStaff => "facility_staff",
            Role::Inspector => "inspector",
        }
    }

    pub fn can(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Admin => matches!(
                permission,
                RegistryRead
                    | RegistryWrite
                    | ManageUsers
                    | ReadAudit
                    | DraftPolicy
                    | ActivatePolicy
            ),
            Role::ProvinceOfficer => matches!(
                permission,
                RegistryRead
                    | RegistryWrite
                    | RevealSensitive
                    | DraftPolicy
                    | ActivatePolicy
                    | AppraiseDossier
                    | PreparePayroll
                    | CheckPayroll
            ),
            Role::DistrictOfficer => matches!(
                permission,
                RegistryRead
                    | RegistryWrite
                    | RevealSensitive
                    | AppraiseDossier
                    | PreparePayroll
                    | CheckPayroll
            ),
            Role::CommuneOfficer => matches!(
                permission,
                RegistryRead | RegistryWrite | RevealSensitive | PrepareDossier | PreparePayroll
            ),
            Role::CommuneChairman => {
                matches!(
                    permission,
                    RegistryRead | RevealSensitive | Decide | CheckPayroll
                )
            }
            Role::FacilityStaff => matches!(permission, RegistryRead),
            Role::Inspector => matches!(permission, RegistryRead | ReadAudit),
        }
    }

    /// The unit level a user of this role is attached to.
    pub fn unit_level(self) -> Option<crate::unit::UnitLevel> {
        use crate::unit::UnitLevel;
        match self {
            Role::Admin => None,
            Role::ProvinceOfficer | Role::Inspector => Some(UnitLevel::Province),
            Role::DistrictOfficer => Some(UnitLevel::District),
            Role::CommuneOfficer | Role::CommuneChairman | Role::FacilityStaff => {
                Some(UnitLevel::Commune)
            }
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Role, UnknownValue> {
        Role::ALL
            .iter()
            .copied()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownValue {
                kind: "Role",
                value: s.chars().take(40).collect(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inspectors_change_nothing() {
        assert!(Role::Inspector.can(Permission::RegistryRead));
        assert!(Role::Inspector.can(Permission::ReadAudit));
        for p in [
            Permission::RegistryWrite,
            Permission::ManageUsers,
            Permission::PrepareDossier,
            Permission::Decide,
            Permission::ActivatePolicy,
        ] {
            assert!(!Role::Inspector.can(p), "{p:?}");
        }
    }

    #[test]
    fn only_chairmen_decide_and_officers_prepare() {
        assert!(Role::CommuneChairman.can(Permission::Decide));
        assert!(!Role::CommuneOfficer.can(Permission::Decide));
        assert!(Role::CommuneOfficer.can(Permission::PrepareDossier));
        assert!(!Role::CommuneChairman.can(Permission::PrepareDossier));
    }

    #[test]
    fn sensitive_data_is_for_case_workers_only() {
        assert!(!Role::Admin.can(Permission::RevealSensitive));
        assert!(!Role::Inspector.can(Permission::RevealSensitive));
        assert!(!Role::FacilityStaff.can(Permission::RevealSensitive));
        assert!(Role::CommuneOfficer.can(Permission::RevealSensitive));
    }

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), *r);
        }
    }
}
