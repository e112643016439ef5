use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "household_poverty")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub household_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub year: i32,
    pub status: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
