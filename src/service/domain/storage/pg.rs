//! PostgreSQL, the city platform's database: one connection (`PgConn`) behind `sql::Conn`.
//!
//! The driver is rust-postgres (`postgres`, the blocking face of `tokio-postgres`): it reads
//! libpq's URLs with several hosts and `target_session_attrs=read-write`, so after a failover a
//! node connects again to whichever host is now the primary; it needs no libpq and no TLS stack
//! on a private network. The domain is synchronous (SQLite's calls are too), so each call here
//! blocks its thread; inside the service's runtime it does so through `block_in_place`.
//!
//! A tenant is a schema of its own (`search_path`), so every statement the domain writes is
//! the same for one district or forty.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use postgres::{Client, NoTls, Statement};

use super::value::{SqlError, Value};

/// The advisory lock every write transaction takes first (with the schema's hash), so that the
/// writers of one tenant on several nodes follow one another as SQLite's writers do: a feed's
/// next sequence is read and written by one of them at a time.
const WRITE_LOCK: &str =
    "SELECT pg_advisory_xact_lock(hashtext('noticecast.write.' || current_schema()))";

/// Whether `url` names a PostgreSQL database rather than a SQLite file.
pub fn is_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// Runs blocking database work from wherever it is called: inside the service's multi-thread
/// runtime through `block_in_place` (the driver's own runtime may not start inside another),
/// inside a single-thread runtime on a thread of its own, elsewhere as it is.
pub fn blocking<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(f)
        }
        Ok(_) => std::thread::scope(|s| s.spawn(f).join().expect("database thread")),
        Err(_) => f(),
    }
}

impl From<postgres::Error> for SqlError {
    fn from(e: postgres::Error) -> SqlError {
        match e.as_db_error() {
            Some(db) => SqlError::Postgres(db.to_string(), Some(db.code().code().to_string())),
            None => SqlError::Postgres(e.to_string(), None),
        }
    }
}

/// A connection to one tenant's schema.
pub struct PgConn {
    config: postgres::Config,
    schema: String,
    /// The role this connection acts as (`SET ROLE`): a tenant's, which may use its own schema
    /// and nothing else; `None` for the platform's own schema.
    role: RefCell<Option<String>>,
    client: RefCell<Option<Client>>,
    statements: RefCell<HashMap<String, Statement>>,
    in_transaction: Cell<bool>,
}

impl PgConn {
    /// Connects to `url` (libpq's form; several hosts allowed) and works in `schema`.
    pub fn connect(url: &str, schema: &str) -> Result<PgConn, SqlError> {
        let config: postgres::Config = url
            .parse()
            .map_err(|e: postgres::Error| SqlError::Postgres(format!("{url}: {e}"), None))?;
        let conn = PgConn {
            config,
            schema: schema.to_string(),
            role: RefCell::new(None),
            client: RefCell::new(None),
            statements: RefCell::new(HashMap::new()),
            in_transaction: Cell::new(false),
        };
        conn.with_client(|_| Ok(()))?;
        Ok(conn)
    }

    /// The schema this connection works in.
    pub fn schema(&self) -> &str {
        &self.schema
    }

    fn open_client(&self) -> Result<Client, SqlError> {
        let config = self.config.clone();
        let schema = self.schema.clone();
        let role = self.role.borrow().clone();
        blocking(move || {
            let mut client = config.connect(NoTls)?;
            // The role first: the connection's temporary table is then its own.
            let set_role = role.map_or(String::new(), |r| format!("SET ROLE {};", quote_ident(&r)));
            client.batch_execute(&format!(
                "{set_role}
                 SET search_path TO {};
                 SET client_min_messages TO warning;
                 CREATE TEMP TABLE IF NOT EXISTS audit_context (
                     id     BIGINT PRIMARY KEY CHECK (id = 1),
                     source TEXT NOT NULL
                 );",
                quote_ident(&schema)
            ))?;
            Ok(client)
        })
    }

    /// From now on, on this connection and every one made again after a failure, acts as
    /// `role` (a tenant's: `tenant_role`). The connection starts again, so that its temporary
    /// table is the role's.
    pub fn act_as(&self, role: &str) -> Result<(), SqlError> {
        *self.role.borrow_mut() = Some(role.to_string());
        self.statements.borrow_mut().clear();
        close(self.client.borrow_mut().take());
        self.with_client(|_| Ok(()))
    }

    /// Runs `f` with a live client, connecting again first if the last one was lost (outside a
    /// transaction only: a transaction cut by a failover has failed, and says so).
    fn with_client<R: Send>(
        &self,
        f: impl FnOnce(&mut Client) -> Result<R, SqlError> + Send,
    ) -> Result<R, SqlError> {
        let mut slot = self.client.borrow_mut();
        let lost = slot.as_ref().is_none_or(|c| c.is_closed());
        if lost {
            if self.in_transaction.get() {
                return Err(SqlError::Postgres(
                    "the connection to the database was lost in a transaction".into(),
                    None,
                ));
            }
            self.statements.borrow_mut().clear();
            close(slot.take());
            *slot = Some(self.open_client()?);
        }
        let client = slot.as_mut().expect("connected");
        let result = blocking(|| f(client));
        if let Err(e) = &result
            && e.is_connection()
        {
            close(slot.take());
        }
        result
    }

    fn statement(&self, sql: &str) -> Result<Statement, SqlError> {
        if let Some(s) = self.statements.borrow().get(sql) {
            return Ok(s.clone());
        }
        let text = translate(sql);
        // A statement PostgreSQL cannot take is named in the error (the log's only clue).
        let prepared = self
            .with_client(move |client| Ok(client.prepare(&text)?))
            .map_err(|e| match e {
                SqlError::Postgres(message, code) => SqlError::Postgres(
                    format!(
                        "{message} in: {}",
                        sql.split_whitespace().collect::<Vec<_>>().join(" ")
                    ),
                    code,
                ),
                e => e,
            })?;
        self.statements
            .borrow_mut()
            .insert(sql.to_string(), prepared.clone());
        Ok(prepared)
    }

    pub fn execute(&self, sql: &str, values: &[Value]) -> Result<usize, SqlError> {
        let stmt = self.statement(sql)?;
        let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v as _).collect();
        self.with_client(move |client| Ok(client.execute(&stmt, &refs)? as usize))
    }

    pub fn query(&self, sql: &str, values: &[Value]) -> Result<Vec<postgres::Row>, SqlError> {
        let stmt = self.statement(sql)?;
        let refs: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| v as _).collect();
        self.with_client(move |client| Ok(client.query(&stmt, &refs)?))
    }

    pub fn batch(&self, sql: &str) -> Result<(), SqlError> {
        let sql = sql.to_string();
        self.with_client(move |client| Ok(client.batch_execute(&sql)?))
    }

    /// Begins a write transaction: the tenant's write lock first.
    pub fn begin(&self) -> Result<(), SqlError> {
        self.batch(&format!("BEGIN; {WRITE_LOCK}"))?;
        self.in_transaction.set(true);
        Ok(())
    }

    /// Ends the transaction with `COMMIT` or `ROLLBACK`.
    pub fn end(&self, how: &str) -> Result<(), SqlError> {
        let result = self.batch(how);
        self.in_transaction.set(false);
        result
    }
}

/// The channel on which a node that changed a tenant's feeds tells the others (the payload is
/// the tenant's schema): their screens' long polls wake within a second, not at the next look.
pub const FEEDS_CHANNEL: &str = "noticecast_feeds";

/// Tells every node listening that this transaction's tenant has new feeds; PostgreSQL delivers
/// it at the commit, and not at all if the transaction rolls back.
pub fn notify_feeds(conn: &PgConn) -> Result<(), SqlError> {
    conn.query(
        &format!("SELECT pg_notify('{FEEDS_CHANNEL}', current_schema())"),
        &[],
    )?;
    Ok(())
}

/// A node's ear on `FEEDS_CHANNEL` for every tenant of one database, on a connection of its own
/// (a listening connection runs no transactions), used from a thread of its own.
pub struct Listener {
    client: Client,
}

impl Listener {
    pub fn connect(url: &str) -> Result<Listener, SqlError> {
        let config: postgres::Config = url
            .parse()
            .map_err(|e: postgres::Error| SqlError::Postgres(e.to_string(), None))?;
        let mut client = config.connect(NoTls)?;
        client.batch_execute(&format!("LISTEN {FEEDS_CHANNEL};"))?;
        Ok(Listener { client })
    }

    /// Waits up to `wait` for word that tenants' feeds changed; the schemas named (each once:
    /// several changes at once are one reload).
    pub fn wait(&mut self, wait: std::time::Duration) -> Result<Vec<String>, SqlError> {
        use fallible_iterator::FallibleIterator;
        let first = self.client.notifications().timeout_iter(wait).next()?;
        let Some(first) = first else {
            return Ok(Vec::new());
        };
        let mut heard = vec![first.payload().to_string()];
        let mut pending = self.client.notifications();
        let mut rest = pending.iter();
        while let Some(n) = rest.next()? {
            if !heard.iter().any(|s| s == n.payload()) {
                heard.push(n.payload().to_string());
            }
        }
        Ok(heard)
    }

    /// What changes whenever any of `schema`'s feeds does: the fallback look for a word that
    /// never came (a node restarted between the commit and its LISTEN, a lost connection).
    pub fn fingerprint(&mut self, schema: &str) -> Result<i64, SqlError> {
        let row = self.client.query_one(
            &format!(
                "SELECT CAST(COALESCE(SUM(sequence), 0) AS BIGINT), CAST(COUNT(*) AS BIGINT)
                 FROM {}.feeds",
                quote_ident(schema)
            ),
            &[],
        )?;
        Ok(row.get::<_, i64>(0) ^ row.get::<_, i64>(1).rotate_left(48))
    }
}

/// Closes a client where blocking is allowed (its drop waits for the server's goodbye).
fn close(client: Option<Client>) {
    if let Some(client) = client {
        blocking(move || drop(client));
    }
}

impl Drop for PgConn {
    fn drop(&mut self) {
        close(self.client.get_mut().take());
    }
}

/// `?1` → `$1` and a bare `?` → `$n` (the n-th) outside quoted text: SQLite's and
/// PostgreSQL's parameters differ only in their sign.
pub fn translate(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut quoted = false;
    let mut bare = 0;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            '?' if !quoted => {
                out.push('$');
                if !chars.peek().is_some_and(|d| d.is_ascii_digit()) {
                    bare += 1;
                    out.push_str(&bare.to_string());
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// The role a tenant's connections act as: it owns the tenant's schema and may use nothing
/// else, so a statement sent to the wrong schema by mistake is refused by the database itself.
pub fn tenant_role(schema: &str) -> String {
    format!("noticecast_{schema}")
}

/// An identifier quoted for PostgreSQL.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A string literal quoted for PostgreSQL.
pub fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Column `i` of a PostgreSQL row as a `Value`.
pub fn value(row: &postgres::Row, i: usize) -> Result<Value, SqlError> {
    let conversion = |e: postgres::Error| SqlError::Conversion {
        column: i,
        reason: e.to_string(),
    };
    let Some(column) = row.columns().get(i) else {
        return Err(SqlError::Conversion {
            column: i,
            reason: "no such column".into(),
        });
    };
    let ty = column.type_().clone();
    let v = match ty {
        Type::INT8 => row
            .try_get::<_, Option<i64>>(i)
            .map(|v| v.map(Value::Integer)),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(i)
            .map(|v| v.map(|v| Value::Integer(v.into()))),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(i)
            .map(|v| v.map(|v| Value::Integer(v.into()))),
        Type::BOOL => row
            .try_get::<_, Option<bool>>(i)
            .map(|v| v.map(|v| Value::Integer(v.into()))),
        Type::FLOAT8 => row.try_get::<_, Option<f64>>(i).map(|v| v.map(Value::Real)),
        Type::FLOAT4 => row
            .try_get::<_, Option<f32>>(i)
            .map(|v| v.map(|v| Value::Real(v.into()))),
        Type::BYTEA => row
            .try_get::<_, Option<Vec<u8>>>(i)
            .map(|v| v.map(Value::Blob)),
        _ => row
            .try_get::<_, Option<String>>(i)
            .map(|v| v.map(Value::Text)),
    }
    .map_err(conversion)?;
    Ok(v.unwrap_or(Value::Null))
}

impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Integer(i) => match *ty {
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                Type::FLOAT8 => (*i as f64).to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR | Type::UNKNOWN => i.to_string().to_sql(ty, out),
                _ => i.to_sql(ty, out),
            },
            Value::Real(f) => match *ty {
                Type::FLOAT4 => (*f as f32).to_sql(ty, out),
                _ => f.to_sql(ty, out),
            },
            Value::Text(s) => match *ty {
                Type::INT8 => s.parse::<i64>()?.to_sql(ty, out),
                Type::BYTEA => s.as_bytes().to_sql(ty, out),
                _ => s.as_str().to_sql(ty, out),
            },
            Value::Blob(b) => b.as_slice().to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_change_their_sign_outside_quotes() {
        assert_eq!(
            translate("SELECT '?1', ?1 || '?' WHERE a = ?12"),
            "SELECT '?1', $1 || '?' WHERE a = $12"
        );
        assert_eq!(translate("a IN (?, ?)"), "a IN ($1, $2)");
    }

    #[test]
    fn several_hosts_and_the_primary_are_understood() {
        let c: postgres::Config = "postgres://nc@h1:5432,h2:5433/noticecast\
                                   ?target_session_attrs=read-write&connect_timeout=3"
            .parse()
            .unwrap();
        assert_eq!(c.get_ports(), &[5432, 5433]);
        assert_eq!(
            c.get_target_session_attrs(),
            postgres::config::TargetSessionAttrs::ReadWrite
        );
    }
}
