use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "unit_successions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub from_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub to_id: i64,
    pub kind: String,
    pub effective: Date,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
