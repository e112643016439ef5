use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "persons")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub province_code: String,
    pub household_id: i64,
    pub relation: String,
    pub full_name: String,
    pub name_folded: String,
    pub given_folded: String,
    pub name_sort: String,
    pub sex: String,
    pub birth_date: Date,
    pub birth_precision: String,
    pub cccd: Option<String>,
    pub birth_cert_no: Option<String>,
    pub ethnicity_code: String,
    pub unit_id: i64,
    pub hamlet: String,
    pub disability_level: String,
    pub disability_cert_date: Option<Date>,
    pub hiv_positive: bool,
    pub has_pension: bool,
    pub phone: Option<String>,
    pub payment_channel: String,
    pub bank_account: Option<String>,
    pub death_date: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
