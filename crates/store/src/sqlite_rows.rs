//! Multi-row `INSERT`s on a raw SQLite connection, the values bound straight from the
//! caller's data: SQLite's fastest way in through its driver.
//!
//! Going through the ORM costs three copies of every text value (the ORM's value, its clone
//! for the query, the driver's argument) before SQLite copies it a fourth time. Here the
//! short texts that repeat on every row (codes, kinds, rule ids) are shared — one allocation
//! for the whole load — and every other text is copied once. Rows are gathered first (by
//! whoever has a core to spare: they need no connection), then written in statements of a
//! few fixed sizes, each statement's arguments put together while SQLite executes the one
//! before.

use std::collections::HashMap;
use std::sync::Arc;

use sqlx::sqlite::{SqliteArguments, SqliteConnection};
use sqlx::{Arguments, Sqlite};

use crate::error::StoreError;

/// SQLite binds at most 32,766 parameters per statement: what a statement may bind, with
/// room to spare.
pub(crate) const MAX_PARAMS: usize = 32_000;

#[derive(Debug, Clone)]
enum Cell {
    Null,
    Int(i64),
    Text(Arc<str>),
    /// An integer known only when the rows are written (the id of a row inserted just
    /// before): the index of its value in `Rows::insert`'s `params`.
    Param(usize),
}

/// Rows for one table, gathered before they are written.
#[derive(Debug, Default)]
pub struct Rows {
    width: usize,
    cells: Vec<Cell>,
    shared: HashMap<Box<str>, Arc<str>>,
    /// Per column, the code last pushed: most rows repeat the one before.
    last: Vec<Option<Arc<str>>>,
}

impl Rows {
    /// Rows of `width` cells each, pushed in the order of the columns they will be written to.
    pub fn new(width: usize) -> Self {
        Rows::with_capacity(width, 0)
    }

    /// As `new`, with room for `rows` rows made at once (growing a vector of millions of
    /// cells step by step copies it again at every step).
    pub fn with_capacity(width: usize, rows: usize) -> Self {
        let width = width.max(1);
        Rows {
            width,
            cells: Vec::with_capacity(rows.saturating_mul(width)),
            last: vec![None; width],
            ..Rows::default()
        }
    }

    pub fn int(&mut self, v: i64) {
        self.cells.push(Cell::Int(v));
    }

    pub fn opt_int(&mut self, v: Option<i64>) {
        self.cells.push(v.map_or(Cell::Null, Cell::Int));
    }

    /// An integer given when the rows are written: `params[index]`.
    pub fn param(&mut self, index: usize) {
        self.cells.push(Cell::Param(index));
    }

    /// A text that repeats from row to row (a code, a kind): kept once and shared.
    pub fn code(&mut self, v: &str) {
        let column = self.cells.len() % self.width;
        let text = match &self.last[column] {
            Some(t) if **t == *v => t.clone(),
            _ => {
                let t = match self.shared.get(v) {
                    Some(t) => t.clone(),
                    None => {
                        let t: Arc<str> = Arc::from(v);
                        self.shared.insert(v.into(), t.clone());
                        t
                    }
                };
                self.last[column] = Some(t.clone());
                t
            }
        };
        self.cells.push(Cell::Text(text));
    }

    pub fn opt_code(&mut self, v: Option<&str>) {
        match v {
            Some(v) => self.code(v),
            None => self.cells.push(Cell::Null),
        }
    }

    /// A text of its own row (an account number, an explanation).
    pub fn opt_text(&mut self, v: Option<&str>) {
        self.cells
            .push(v.map_or(Cell::Null, |t| Cell::Text(Arc::from(t))));
    }

    /// Inserts the rows into `table` (`columns`: its column list, in push order) inside the
    /// caller's transaction. Returns how many rows were written.
    pub async fn insert(
        self,
        conn: &mut SqliteConnection,
        table: &str,
        columns: &str,
        params: &[i64],
    ) -> Result<u64, StoreError> {
        debug_assert_eq!(self.cells.len() % self.width, 0, "a row of the wrong width");
        let width = self.width;
        let most = crate::bulk::statement_rows(MAX_PARAMS / width, usize::MAX);
        let head = format!("INSERT INTO {table} ({columns}) VALUES ");
        let mut left = self.cells.len() / width;
        let mut cells = self.cells.into_iter();
        let mut next_statement = |left: usize| {
            let rows = crate::bulk::statement_rows(most, left);
            statement(
                &head,
                width,
                rows,
                cells.by_ref().take(rows * width),
                params,
            )
            .map(|built| (rows, built))
        };
        let mut written = 0u64;
        let mut next = match left {
            0 => None,
            _ => Some(next_statement(left)?),
        };
        while let Some((rows, (sql, args))) = next.take() {
            left -= rows;
            let execute =
                sqlx::query_with::<Sqlite, _>(sqlx::AssertSqlSafe(sql), args).execute(&mut *conn);
            // The next statement is put together while SQLite executes this one.
            let build = async {
                match left {
                    0 => Ok(None),
                    _ => next_statement(left).map(Some),
                }
            };
            let (done, built) = futures_util::future::join(execute, build).await;
            done.map_err(crate::error::raw_conflict)?;
            written += rows as u64;
            next = built?;
        }
        Ok(written)
    }
}

/// The text and arguments of one `rows`-row statement.
fn statement(
    head: &str,
    width: usize,
    rows: usize,
    cells: impl Iterator<Item = Cell>,
    params: &[i64],
) -> Result<(String, SqliteArguments), StoreError> {
    let mut args = SqliteArguments::default();
    args.reserve(rows * width, 0);
    for cell in cells {
        let added = match cell {
            Cell::Null => args.add(None::<i64>),
            Cell::Int(v) => args.add(v),
            Cell::Text(t) => args.add(t),
            Cell::Param(i) => match params.get(i) {
                Some(v) => args.add(*v),
                None => return Err(StoreError::RefData(format!("no parameter {i}"))),
            },
        };
        added.map_err(|e| StoreError::Sqlx(sqlx::Error::Encode(e)))?;
    }
    let mut sql = String::with_capacity(head.len() + rows * (width * 2 + 3));
    sql.push_str(head);
    crate::bulk::push_value_rows(&mut sql, rows, width, sea_orm::DatabaseBackend::Sqlite);
    Ok((sql, args))
}

#[cfg(test)]
mod tests {
    use super::{Cell, Rows};

    #[test]
    fn repeated_codes_are_shared_once() {
        let mut rows = Rows::new(2);
        for i in 0..3 {
            rows.param(0);
            rows.code(if i == 1 { "b" } else { "a" });
        }
        assert_eq!(rows.cells.len(), 6);
        assert_eq!(rows.shared.len(), 2);
        let (Cell::Text(first), Cell::Text(third)) = (&rows.cells[1], &rows.cells[5]) else {
            panic!("texts expected");
        };
        assert!(std::sync::Arc::ptr_eq(first, third));
    }
}
