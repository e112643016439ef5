//! Scope: the part of the registry a caller may see. Computed once per request from the
//! caller's unit and the unit graph; applied in SQL by every repository query.

use ansinh_domain::ids::UnitId;
use sea_orm::sea_query::{Expr, ExprTrait};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Everything (system administrators, national tools).
    All,
    /// Records whose unit version is one of these.
    Units(Vec<UnitId>),
}

impl Scope {
    pub fn nothing() -> Scope {
        Scope::Units(Vec::new())
    }

    pub fn includes(&self, unit: UnitId) -> bool {
        match self {
            Scope::All => true,
            Scope::Units(units) => units.contains(&unit),
        }
    }

    /// The SQL condition on a `unit_id` column.
    pub fn condition(&self, column: impl sea_orm::sea_query::IntoColumnRef) -> Expr {
        match self {
            Scope::All => Expr::value(true),
            // An empty IN list renders as a false condition on every backend.
            Scope::Units(units) => Expr::col(column).is_in(units.iter().map(|u| u.0)),
        }
    }
}
