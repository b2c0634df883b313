//! The one connection type the domain's storage functions receive, over either engine: SQLite
//! (the embedded default, `rusqlite`) or PostgreSQL (`pg.rs`, the city platform's).
//!
//! Its surface is rusqlite's own (`execute`, `query_row`, `prepare` and `query_map`, `params!`,
//! `optional`), so each storage function is written once, in the SQL both engines speak:
//! numbered parameters `?1` (rewritten to `$1` for PostgreSQL), `ON CONFLICT`, `RETURNING`,
//! `COALESCE`, `CAST(… AS BIGINT)`, timestamps as RFC 3339 text. Where the engines differ in a
//! function (JSON, dates), the storage function names both texts with `Conn::dialect`.
//! Values cross as one small `Value` so an integer is an `i64` on both sides (PostgreSQL's
//! columns are all BIGINT) and a flag is 0 or 1.

use std::ops::{Deref, DerefMut};

use super::pg::PgConn;
pub use super::value::{FromValue, Params, SqlError, ToValue, Value, params, params_from_iter};

/// `.optional()`: no row becomes `None`.
pub trait OptionalExtension<T> {
    fn optional(self) -> Result<Option<T>, SqlError>;
}

impl<T> OptionalExtension<T> for Result<T, SqlError> {
    fn optional(self) -> Result<Option<T>, SqlError> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(SqlError::NoRows) | Err(SqlError::Sqlite(rusqlite::Error::QueryReturnedNoRows)) => {
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }
}

/// A column's place in a row (a number: one type, so that `r.get(0)` needs no annotation).
pub trait RowIndex {
    fn index(self) -> usize;
}

impl RowIndex for usize {
    fn index(self) -> usize {
        self
    }
}

/// One row of a result, from either engine.
pub enum Row<'a> {
    Sqlite(&'a rusqlite::Row<'a>),
    Pg(&'a postgres::Row),
}

impl Row<'_> {
    /// Column `i` as a `T`. (Two type parameters, like rusqlite's, so `get::<_, i64>` reads.)
    pub fn get<I: RowIndex, T: FromValue>(&self, i: I) -> Result<T, SqlError> {
        let column = i.index();
        let value = match self {
            Row::Sqlite(r) => sqlite_value(r.get_ref(column)?),
            Row::Pg(r) => super::pg::value(r, column)?,
        };
        T::from_value(value).map_err(|reason| SqlError::Conversion { column, reason })
    }
}

fn sqlite_value(v: rusqlite::types::ValueRef<'_>) -> Value {
    use rusqlite::types::ValueRef;
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Integer(i),
        ValueRef::Real(f) => Value::Real(f),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    }
}

fn sqlite_params(values: Vec<Value>) -> Vec<rusqlite::types::Value> {
    use rusqlite::types::Value as V;
    values
        .into_iter()
        .map(|v| match v {
            Value::Null => V::Null,
            Value::Integer(i) => V::Integer(i),
            Value::Real(f) => V::Real(f),
            Value::Text(s) => V::Text(s),
            Value::Blob(b) => V::Blob(b),
        })
        .collect()
}

/// Which engine a connection speaks to, for the few statements written for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// A connection to the service's database.
pub enum Conn {
    Sqlite(rusqlite::Connection),
    // Boxed: PostgreSQL's connection carries its configuration and statement cache.
    Pg(Box<PgConn>),
}

impl std::fmt::Debug for Conn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Conn::Sqlite(_) => f.write_str("Conn::Sqlite"),
            Conn::Pg(c) => write!(f, "Conn::Pg({})", c.schema()),
        }
    }
}

impl Conn {
    pub fn dialect(&self) -> Dialect {
        match self {
            Conn::Sqlite(_) => Dialect::Sqlite,
            Conn::Pg(_) => Dialect::Postgres,
        }
    }

    /// The SQLite connection, for what only SQLite has (pragmas, its own tests).
    pub fn sqlite(&self) -> Option<&rusqlite::Connection> {
        match self {
            Conn::Sqlite(c) => Some(c),
            Conn::Pg(_) => None,
        }
    }

    /// The PostgreSQL connection (advisory locks, notifications).
    pub fn pg(&self) -> Option<&PgConn> {
        match self {
            Conn::Sqlite(_) => None,
            Conn::Pg(c) => Some(c),
        }
    }

    /// Runs one statement; how many rows it changed.
    pub fn execute(&self, sql: &str, params: impl Params) -> Result<usize, SqlError> {
        match self {
            Conn::Sqlite(c) => {
                let values = sqlite_params(params.values());
                let mut stmt = c.prepare_cached(sql)?;
                Ok(stmt.execute(rusqlite::params_from_iter(values))?)
            }
            Conn::Pg(c) => c.execute(sql, &params.values()),
        }
    }

    /// Runs statements separated by `;`, without parameters.
    pub fn execute_batch(&self, sql: &str) -> Result<(), SqlError> {
        match self {
            Conn::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Conn::Pg(c) => c.batch(sql),
        }
    }

    /// The first row's `f`, or `SqlError::NoRows`.
    pub fn query_row<T>(
        &self,
        sql: &str,
        params: impl Params,
        f: impl FnOnce(&Row<'_>) -> Result<T, SqlError>,
    ) -> Result<T, SqlError> {
        match self {
            Conn::Sqlite(c) => {
                let values = sqlite_params(params.values());
                let mut stmt = c.prepare_cached(sql)?;
                let mut rows = stmt.query(rusqlite::params_from_iter(values))?;
                match rows.next()? {
                    Some(r) => f(&Row::Sqlite(r)),
                    None => Err(SqlError::NoRows),
                }
            }
            Conn::Pg(c) => {
                let rows = c.query(sql, &params.values())?;
                match rows.first() {
                    Some(r) => f(&Row::Pg(r)),
                    None => Err(SqlError::NoRows),
                }
            }
        }
    }

    /// Every row's `f`, in order.
    pub fn query_all<T>(
        &self,
        sql: &str,
        params: impl Params,
        mut f: impl FnMut(&Row<'_>) -> Result<T, SqlError>,
    ) -> Result<Vec<T>, SqlError> {
        match self {
            Conn::Sqlite(c) => {
                let values = sqlite_params(params.values());
                let mut stmt = c.prepare_cached(sql)?;
                let mut rows = stmt.query(rusqlite::params_from_iter(values))?;
                let mut out = Vec::new();
                while let Some(r) = rows.next()? {
                    out.push(f(&Row::Sqlite(r))?);
                }
                Ok(out)
            }
            Conn::Pg(c) => c
                .query(sql, &params.values())?
                .iter()
                .map(|r| f(&Row::Pg(r)))
                .collect(),
        }
    }

    /// A statement to run later with `query_map` or `execute` (rusqlite's shape).
    pub fn prepare<'c>(&'c self, sql: &str) -> Result<Stmt<'c>, SqlError> {
        Ok(Stmt {
            conn: self,
            sql: sql.to_string(),
        })
    }

    /// `prepare`: both engines cache what they prepare.
    pub fn prepare_cached<'c>(&'c self, sql: &str) -> Result<Stmt<'c>, SqlError> {
        self.prepare(sql)
    }

    /// Opens a transaction; rolled back when dropped uncommitted. On PostgreSQL it first takes
    /// the database's write lock (`pg::WRITE_LOCK`), so that writers on several nodes follow one
    /// another as SQLite's do.
    pub fn transaction(&mut self) -> Result<Tx<'_>, SqlError> {
        match self {
            Conn::Sqlite(c) => c.execute_batch("BEGIN DEFERRED")?,
            Conn::Pg(c) => c.begin()?,
        }
        Ok(Tx {
            conn: self,
            done: false,
        })
    }
}

/// A prepared statement: the connection and its text.
pub struct Stmt<'c> {
    conn: &'c Conn,
    sql: String,
}

impl Stmt<'_> {
    pub fn execute(&mut self, params: impl Params) -> Result<usize, SqlError> {
        self.conn.execute(&self.sql, params)
    }

    /// Every row's `f` (collected: the iterator is over a finished result).
    pub fn query_map<T>(
        &mut self,
        params: impl Params,
        f: impl FnMut(&Row<'_>) -> Result<T, SqlError>,
    ) -> Result<std::vec::IntoIter<Result<T, SqlError>>, SqlError> {
        let rows = self.conn.query_all(&self.sql, params, f)?;
        Ok(rows.into_iter().map(Ok).collect::<Vec<_>>().into_iter())
    }

    pub fn query_row<T>(
        &mut self,
        params: impl Params,
        f: impl FnOnce(&Row<'_>) -> Result<T, SqlError>,
    ) -> Result<T, SqlError> {
        self.conn.query_row(&self.sql, params, f)
    }

    /// Whether the query returns any row.
    pub fn exists(&mut self, params: impl Params) -> Result<bool, SqlError> {
        Ok(!self
            .conn
            .query_all(&self.sql, params, |_| Ok(()))?
            .is_empty())
    }
}

/// An open transaction; derefs to its connection.
pub struct Tx<'c> {
    conn: &'c mut Conn,
    done: bool,
}

impl Tx<'_> {
    pub fn commit(mut self) -> Result<(), SqlError> {
        self.done = true;
        match &mut *self.conn {
            Conn::Sqlite(c) => Ok(c.execute_batch("COMMIT")?),
            Conn::Pg(c) => c.end("COMMIT"),
        }
    }
}

impl Deref for Tx<'_> {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        self.conn
    }
}

impl DerefMut for Tx<'_> {
    fn deref_mut(&mut self) -> &mut Conn {
        self.conn
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        let rolled = match &mut *self.conn {
            Conn::Sqlite(c) => c.execute_batch("ROLLBACK").map_err(SqlError::from),
            Conn::Pg(c) => c.end("ROLLBACK"),
        };
        if let Err(e) = rolled {
            tracing::warn!("rolling back: {e}");
        }
    }
}
