//! store::transfer — the rows of one association, table by table, read
//! and written without knowing the tables (`kindred association export /
//! import`, see service::transfer). Values travel in a neutral form
//! ([`Cell`]), so that rows read from SQLite can be written to PostgreSQL
//! and back: booleans are integers in SQLite, times are text there.
//!
//! Table and column names come from the service's list and, on import, from
//! a file: each is checked against the target's schema before it reaches
//! SQL, and quoted.

use crate::{Pools, Store, StoreError};
use chrono::{DateTime, NaiveDateTime, Utc};
use sqlx::{Column, Row, TypeInfo, ValueRef};
use std::collections::BTreeMap;

/// One value of a row, whichever database it came from.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Real(f64),
    Bool(bool),
    Text(String),
    Bytes(Vec<u8>),
    Time(DateTime<Utc>),
}

/// The rows of one table that belong to the association.
#[derive(Debug, Clone, Default)]
pub struct TableRows {
    pub table: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl TableRows {
    /// The position of a column.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }
}

/// Why an import was refused before anything was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransferClash {
    /// An association with this id exists already (imported before?).
    Id(String),
    Slug(String),
    Host(String),
}

/// Only lowercase ASCII letters, digits and underscores: the names of the
/// schema. Anything else never reaches SQL.
fn plain_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

fn bad_name(what: &str, name: &str) -> StoreError {
    StoreError::Corrupt(format!("unknown {what} {:?} in the transfer", name.chars().take(60).collect::<String>()))
}

/// SQLite's own time texts, and what sqlx writes.
fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%d %H:%M:%S%.f%:z", "%Y-%m-%d %H:%M:%S%.f%#z"] {
        if let Ok(at) = DateTime::parse_from_str(text, format) {
            return Some(at.with_timezone(&Utc));
        }
    }
    for format in ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"] {
        if let Ok(at) = NaiveDateTime::parse_from_str(text, format) {
            return Some(at.and_utc());
        }
    }
    None
}

impl Store {
    /// The association's rows of each table, read in one transaction (a
    /// consistent snapshot). `associations` is read by its `id`, every
    /// other table by its `association_id`.
    pub async fn transfer_read(&self, association: &str, tables: &[&str]) -> Result<Vec<TableRows>, StoreError> {
        let mut out = Vec::with_capacity(tables.len());
        let mut columns = Vec::with_capacity(tables.len());
        for table in tables {
            columns.push(self.columns(table).await?);
        }
        match &self.pools {
            Pools::Sqlite { reader, .. } => {
                let mut tx = reader.begin().await?;
                for (table, names) in tables.iter().zip(&columns) {
                    let sql = select_sql(table)?;
                    let rows = sqlx::query(&sql).bind(association).fetch_all(&mut *tx).await?;
                    let mut found = TableRows { table: (*table).to_owned(), columns: names.clone(), rows: Vec::new() };
                    for row in rows {
                        let mut cells = Vec::with_capacity(found.columns.len());
                        for name in &found.columns {
                            cells.push(sqlite_cell(&row, name)?);
                        }
                        found.rows.push(cells);
                    }
                    out.push(found);
                }
                tx.commit().await?;
            }
            Pools::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(&mut *tx).await?;
                for (table, names) in tables.iter().zip(&columns) {
                    let sql = select_sql(table)?;
                    let rows = sqlx::query(&sql).bind(association).fetch_all(&mut *tx).await?;
                    let mut found = TableRows { table: (*table).to_owned(), columns: names.clone(), rows: Vec::new() };
                    for row in rows {
                        let mut cells = Vec::with_capacity(found.columns.len());
                        for name in &found.columns {
                            cells.push(postgres_cell(&row, name)?);
                        }
                        found.rows.push(cells);
                    }
                    out.push(found);
                }
                tx.commit().await?;
            }
        }
        Ok(out)
    }

    /// The columns of a table and their declared types, in table order
    /// (PostgreSQL: `information_schema` names such as `boolean`).
    async fn column_types(&self, table: &str) -> Result<Vec<(String, String)>, StoreError> {
        if !plain_name(table) {
            return Err(bad_name("table", table));
        }
        let rows: Vec<(String, String)> = match &self.pools {
            Pools::Sqlite { reader, .. } => {
                sqlx::query_as("SELECT name, type FROM pragma_table_info($1) ORDER BY cid")
                    .bind(table)
                    .fetch_all(reader)
                    .await?
            }
            Pools::Postgres(pool) => {
                sqlx::query_as(
                    "SELECT column_name::TEXT, data_type::TEXT FROM information_schema.columns \
                     WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
                )
                .bind(table)
                .fetch_all(pool)
                .await?
            }
        };
        if rows.is_empty() {
            return Err(bad_name("table", table));
        }
        Ok(rows)
    }

    async fn columns(&self, table: &str) -> Result<Vec<String>, StoreError> {
        Ok(self.column_types(table).await?.into_iter().map(|(name, _)| name).collect())
    }

    /// What stands in the way of importing an association with this id,
    /// slug and host names.
    pub async fn transfer_clashes(
        &self,
        id: &str,
        slug: &str,
        hosts: &[String],
    ) -> Result<Vec<TransferClash>, StoreError> {
        let mut clashes = Vec::new();
        let (by_id, by_slug): (i64, i64) = crate::read!(self, |pool| {
            sqlx::query_as(
                "SELECT (SELECT COUNT(*) FROM associations WHERE id = $1), \
                        (SELECT COUNT(*) FROM associations WHERE slug = $2)",
            )
            .bind(id)
            .bind(slug)
            .fetch_one(pool)
            .await
        })?;
        if by_id > 0 {
            clashes.push(TransferClash::Id(id.to_owned()));
        }
        if by_slug > 0 {
            clashes.push(TransferClash::Slug(slug.to_owned()));
        }
        for host in hosts {
            let taken: i64 = crate::read!(self, |pool| {
                sqlx::query_scalar("SELECT COUNT(*) FROM association_hosts WHERE host = $1")
                    .bind(host)
                    .fetch_one(pool)
                    .await
            })?;
            if taken > 0 {
                clashes.push(TransferClash::Host(host.clone()));
            }
        }
        Ok(clashes)
    }

    /// Writes the tables in the order given, in one transaction: all or
    /// nothing. Every table and column must exist here.
    pub async fn transfer_write(&self, tables: &[TableRows]) -> Result<(), StoreError> {
        let mut plans = Vec::with_capacity(tables.len());
        for table in tables {
            let types: BTreeMap<String, String> = self.column_types(&table.table).await?.into_iter().collect();
            let mut kinds = Vec::with_capacity(table.columns.len());
            for column in &table.columns {
                let kind = types.get(column).ok_or_else(|| bad_name("column", column))?;
                if !plain_name(column) {
                    return Err(bad_name("column", column));
                }
                kinds.push(kind.to_lowercase());
            }
            let quoted: Vec<String> = table.columns.iter().map(|c| format!("\"{c}\"")).collect();
            let marks: Vec<String> = (1..=table.columns.len()).map(|i| format!("${i}")).collect();
            let sql = format!("INSERT INTO \"{}\" ({}) VALUES ({})", table.table, quoted.join(", "), marks.join(", "));
            plans.push((sql, kinds));
        }
        match &self.pools {
            Pools::Sqlite { writer, .. } => {
                let mut tx = writer.begin().await?;
                for (table, (sql, _)) in tables.iter().zip(&plans) {
                    for row in &table.rows {
                        let mut query = sqlx::query(sql);
                        for cell in row {
                            query = match cell {
                                Cell::Null => query.bind(None::<String>),
                                Cell::Int(n) => query.bind(*n),
                                Cell::Real(x) => query.bind(*x),
                                Cell::Bool(b) => query.bind(*b),
                                Cell::Text(s) => query.bind(s.as_str()),
                                Cell::Bytes(b) => query.bind(b.as_slice()),
                                Cell::Time(at) => query.bind(*at),
                            };
                        }
                        query.execute(&mut *tx).await?;
                    }
                }
                tx.commit().await?;
            }
            Pools::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                for (table, (sql, kinds)) in tables.iter().zip(&plans) {
                    for row in &table.rows {
                        let mut query = sqlx::query(sql);
                        for (cell, kind) in row.iter().zip(kinds) {
                            query = bind_postgres(query, cell, kind, &table.table)?;
                        }
                        query.execute(&mut *tx).await?;
                    }
                }
                tx.commit().await?;
            }
        }
        Ok(())
    }
}

fn select_sql(table: &str) -> Result<String, StoreError> {
    if !plain_name(table) {
        return Err(bad_name("table", table));
    }
    let key = if table == "associations" { "id" } else { "association_id" };
    Ok(format!("SELECT * FROM \"{table}\" WHERE {key} = $1"))
}

fn sqlite_cell(row: &sqlx::sqlite::SqliteRow, name: &str) -> Result<Cell, StoreError> {
    let index = row
        .columns()
        .iter()
        .position(|c| c.name() == name)
        .ok_or_else(|| StoreError::Corrupt(format!("column {name} not read")))?;
    let raw = row.try_get_raw(index)?;
    if raw.is_null() {
        return Ok(Cell::Null);
    }
    let kind = raw.type_info().name().to_uppercase();
    Ok(match kind.as_str() {
        "INTEGER" | "BOOLEAN" | "BIGINT" | "INT" => Cell::Int(row.try_get_unchecked(index)?),
        "REAL" | "FLOAT" | "DOUBLE" | "NUMERIC" => Cell::Real(row.try_get_unchecked(index)?),
        "BLOB" => Cell::Bytes(row.try_get_unchecked(index)?),
        _ => Cell::Text(row.try_get_unchecked(index)?),
    })
}

fn postgres_cell(row: &sqlx::postgres::PgRow, name: &str) -> Result<Cell, StoreError> {
    let index = row
        .columns()
        .iter()
        .position(|c| c.name() == name)
        .ok_or_else(|| StoreError::Corrupt(format!("column {name} not read")))?;
    if row.try_get_raw(index)?.is_null() {
        return Ok(Cell::Null);
    }
    let kind = row.columns()[index].type_info().name().to_uppercase();
    Ok(match kind.as_str() {
        "BOOL" => Cell::Bool(row.try_get(index)?),
        "INT2" => Cell::Int(i64::from(row.try_get::<i16, _>(index)?)),
        "INT4" => Cell::Int(i64::from(row.try_get::<i32, _>(index)?)),
        "INT8" => Cell::Int(row.try_get(index)?),
        "FLOAT4" => Cell::Real(f64::from(row.try_get::<f32, _>(index)?)),
        "FLOAT8" => Cell::Real(row.try_get(index)?),
        "BYTEA" => Cell::Bytes(row.try_get(index)?),
        "TIMESTAMPTZ" => Cell::Time(row.try_get(index)?),
        "TEXT" | "VARCHAR" | "NAME" | "BPCHAR" => Cell::Text(row.try_get(index)?),
        other => {
            return Err(StoreError::Corrupt(format!("column {name} has a type the transfer does not know: {other}")))
        }
    })
}

type PgQuery<'q> = sqlx::query::Query<'q, sqlx::Postgres, sqlx::postgres::PgArguments>;

/// Binds a cell as the column's type wants it (a NULL too has a type here).
fn bind_postgres<'q>(query: PgQuery<'q>, cell: &'q Cell, kind: &str, table: &str) -> Result<PgQuery<'q>, StoreError> {
    let mismatch = || StoreError::Corrupt(format!("a value of {table} does not fit its column ({kind})"));
    Ok(match kind {
        "boolean" => match cell {
            Cell::Null => query.bind(None::<bool>),
            Cell::Bool(b) => query.bind(*b),
            Cell::Int(n) => query.bind(*n != 0),
            _ => return Err(mismatch()),
        },
        "smallint" | "integer" => match cell {
            Cell::Null => query.bind(None::<i32>),
            Cell::Int(n) => query.bind(i32::try_from(*n).map_err(|_| mismatch())?),
            Cell::Bool(b) => query.bind(i32::from(*b)),
            _ => return Err(mismatch()),
        },
        "bigint" => match cell {
            Cell::Null => query.bind(None::<i64>),
            Cell::Int(n) => query.bind(*n),
            Cell::Bool(b) => query.bind(i64::from(*b)),
            _ => return Err(mismatch()),
        },
        "real" | "double precision" => match cell {
            Cell::Null => query.bind(None::<f64>),
            Cell::Real(x) => query.bind(*x),
            Cell::Int(n) => query.bind(*n as f64),
            _ => return Err(mismatch()),
        },
        "bytea" => match cell {
            Cell::Null => query.bind(None::<Vec<u8>>),
            Cell::Bytes(b) => query.bind(b.as_slice()),
            Cell::Text(s) => query.bind(s.as_bytes()),
            _ => return Err(mismatch()),
        },
        "timestamp with time zone" => match cell {
            Cell::Null => query.bind(None::<DateTime<Utc>>),
            Cell::Time(at) => query.bind(*at),
            Cell::Text(s) => query.bind(parse_time(s).ok_or_else(mismatch)?),
            _ => return Err(mismatch()),
        },
        _ => match cell {
            Cell::Null => query.bind(None::<String>),
            Cell::Text(s) => query.bind(s.as_str()),
            Cell::Int(n) => query.bind(n.to_string()),
            Cell::Bool(b) => query.bind(if *b { "1" } else { "0" }),
            Cell::Time(at) => query.bind(at.to_rfc3339()),
            _ => return Err(mismatch()),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_of_both_databases_parse() {
        let want = DateTime::parse_from_rfc3339("2026-12-05T15:47:05.123456Z").map(|t| t.with_timezone(&Utc)).ok();
        assert_eq!(parse_time("2026-12-05T15:47:05.123456+00:00"), want);
        assert_eq!(parse_time("2026-12-05 15:47:05.123456+00:00"), want);
        assert_eq!(parse_time("2026-12-05 15:47:05.123456"), want);
        assert!(parse_time("yesterday").is_none());
    }

    #[test]
    fn only_plain_names() {
        assert!(plain_name("profile_values"));
        for bad in ["", "a b", "a\"b", "x;drop", "Members"] {
            assert!(!plain_name(bad), "{bad}");
        }
    }
}
