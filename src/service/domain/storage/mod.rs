//! The service's storage: the SQLite database, opening it and bringing its schema up to date
//! (`schema`), and the connection type (`Conn`) every domain function receives.
//!
//! Migrations are numbered SQL scripts applied in order inside one transaction each, and
//! `PRAGMA user_version` records how far a database has come. A database written by a newer
//! build is refused rather than guessed at.
//!
//! The seam for a second database (PostgreSQL, asked for later): the domain names `Conn`, never
//! `rusqlite::Connection`, and every statement it runs is a function of one of this module's
//! areas (`storage::<area>`: the notices door's writes and `reads`, assets, accounts, sessions,
//! audit, groups, policy, calendar, keys, feeds, screens, plays, alerts, report, proof, state). A
//! second database is a module beside these with the same functions; `tests/module_graph.rs`
//! fails on SQL anywhere else in the domain.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension};

pub mod accounts;
pub mod alerts;
pub mod assets;
pub mod audit;
pub mod calendar;
pub mod feeds;
pub mod groups;
pub mod keys;
pub mod logins;
pub mod notices;
pub mod pg;
pub mod plays;
pub mod policy;
pub mod proof;
pub mod reads;
pub mod report;
mod schema;
pub mod screens;
pub mod sessions;
pub mod sql;
pub mod state;
pub mod tenants;
pub mod value;

use schema::MIGRATIONS;

pub use sql::{Conn, Dialect, SqlError};

/// A database failure is an internal error: logged in full by the edge, shown to no client.
impl From<SqlError> for crate::service::domain::error::Error {
    fn from(e: SqlError) -> crate::service::domain::error::Error {
        crate::service::domain::error::Error::Internal(format!("database: {e}"))
    }
}

impl From<rusqlite::Error> for crate::service::domain::error::Error {
    fn from(e: rusqlite::Error) -> crate::service::domain::error::Error {
        SqlError::from(e).into()
    }
}

/// The largest count a screen's numbers may add up to: counters saturate here instead of
/// overflowing SQLite's INTEGER (which would store a REAL and break every page that lists
/// screens). Storage's, so that the schema's repair and its test need nothing above it.
pub const MAX_COUNT: i64 = 1_000_000_000_000;

/// The database's file in the data folder.
pub const DB_FILE: &str = "noticecast.db";

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("{path}: {source}")]
    Open {
        path: String,
        source: rusqlite::Error,
    },
    #[error("{path}: schema version {found} is newer than this build knows ({known})")]
    TooNew {
        path: String,
        found: i64,
        known: usize,
    },
    #[error("{path}: migration {version}: {source}")]
    Migrate {
        path: String,
        version: usize,
        source: rusqlite::Error,
    },
    #[error("{url}: {source}")]
    Pg { url: String, source: SqlError },
}

/// The PostgreSQL schema at SQLite's version `PG_BASE`: a PostgreSQL database starts there.
/// Migrations after it are written for both engines (`PG_MIGRATIONS`, numbered as SQLite's).
const PG_SCHEMA: &str = include_str!("postgres.sql");
const PG_BASE: usize = 16;
/// PostgreSQL's forms of SQLite's migrations after `PG_BASE`, in order.
const PG_MIGRATIONS: &[&str] = &[schema::TENANTS, schema::LOGIN_FAILURES];

/// A database URL with its password left out, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let user = &url[scheme + 3..at];
            let user = user.split(':').next().unwrap_or("");
            format!("{}{user}@{}", &url[..scheme + 3], &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

/// Opens the PostgreSQL database at `url` (libpq's form, several hosts allowed) working in
/// `schema` (a tenant's), creating the schema and bringing it up to date first. Nodes starting
/// at once migrate one after another (an advisory lock), so each migration runs once.
pub fn open_url(url: &str, schema: &str) -> Result<Conn, DbError> {
    let fail = |source| DbError::Pg {
        url: redact(url),
        source,
    };
    let conn = pg::PgConn::connect(url, schema).map_err(fail)?;
    let known = PG_BASE + PG_MIGRATIONS.len();
    // A tenant's schema belongs to a role of its own, which the tenant's connections act as
    // (`PgConn::act_as`): the database refuses them every other tenant's rows and the
    // platform's, a second wall behind the domain's statements, which never name a schema.
    // The service's login role makes it with CREATEROLE, or a database administrator has made
    // it and granted it to that role beforehand (docs/DEPLOY.md).
    let role = (schema != "public").then(|| pg::tenant_role(schema));
    let own = match &role {
        Some(role) => format!(
            "DO $$ BEGIN
                 IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = {literal}) THEN
                     CREATE ROLE {role} NOLOGIN;
                 END IF;
                 IF NOT pg_has_role(current_user, {literal}, 'MEMBER') THEN
                     GRANT {role} TO CURRENT_USER;
                 END IF;
             END $$;
             CREATE SCHEMA IF NOT EXISTS {schema} AUTHORIZATION {role};
             SET LOCAL ROLE {role};",
            literal = pg::quote_literal(role),
            role = pg::quote_ident(role),
            schema = pg::quote_ident(schema),
        ),
        None => format!("CREATE SCHEMA IF NOT EXISTS {};", pg::quote_ident(schema)),
    };
    conn.batch(&format!(
        "BEGIN;
         SELECT pg_advisory_xact_lock(hashtext('noticecast.migrate'));
         {own}
         CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL);"
    ))
    .map_err(fail)?;
    let migrate = || -> Result<(), DbError> {
        let rows = conn
            .query("SELECT version FROM schema_version", &[])
            .map_err(fail)?;
        let version: i64 = rows.first().map_or(0, |r| r.get(0));
        if version < 0 || version as usize > known {
            return Err(DbError::TooNew {
                path: format!("{} ({schema})", redact(url)),
                found: version,
                known,
            });
        }
        if version == 0 {
            conn.batch(PG_SCHEMA).map_err(fail)?;
            conn.batch(&format!("INSERT INTO schema_version VALUES ({PG_BASE})"))
                .map_err(fail)?;
        }
        let from = (version as usize).max(PG_BASE);
        for (i, sql) in PG_MIGRATIONS.iter().enumerate().skip(from - PG_BASE) {
            conn.batch(sql).map_err(fail)?;
            conn.batch(&format!(
                "UPDATE schema_version SET version = {}",
                PG_BASE + i + 1
            ))
            .map_err(fail)?;
        }
        Ok(())
    };
    match migrate() {
        Ok(()) => conn.batch("COMMIT").map_err(fail)?,
        Err(e) => {
            let _ = conn.batch("ROLLBACK");
            return Err(e);
        }
    }
    if let Some(role) = &role {
        conn.act_as(role).map_err(fail)?;
    }
    Ok(Conn::Pg(Box::new(conn)))
}

/// Opens (creating if needed) and migrates the database at `path`.
pub fn open(path: &Path) -> Result<Conn, DbError> {
    let name = path.display().to_string();
    let conn = Connection::open(path).map_err(|source| DbError::Open {
        path: name.clone(),
        source,
    })?;
    prepare(conn, &name).map(Conn::Sqlite)
}

/// A private in-memory database (tests, benchmarks).
pub fn open_in_memory() -> Result<Conn, DbError> {
    let conn = Connection::open_in_memory().map_err(|source| DbError::Open {
        path: ":memory:".into(),
        source,
    })?;
    prepare(conn, ":memory:").map(Conn::Sqlite)
}

fn prepare(mut conn: Connection, name: &str) -> Result<Connection, DbError> {
    let open_err = |source| DbError::Open {
        path: name.to_string(),
        source,
    };
    // WAL lets readers (the console) go on while a write commits; a power cut loses at most the
    // last transaction, never the file.
    conn.pragma_update(None, "journal_mode", "WAL")
        .map_err(open_err)?;
    conn.pragma_update(None, "synchronous", "NORMAL")
        .map_err(open_err)?;
    conn.pragma_update(None, "foreign_keys", "ON")
        .map_err(open_err)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(open_err)?;
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(open_err)?;
    if version < 0 || version as usize > MIGRATIONS.len() {
        return Err(DbError::TooNew {
            path: name.to_string(),
            found: version,
            known: MIGRATIONS.len(),
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
        let migrate_err = |source| DbError::Migrate {
            path: name.to_string(),
            version: i + 1,
            source,
        };
        // SQLite's way to change a table others refer to (rebuild, drop, rename): foreign keys
        // off (it cannot change inside a transaction), checked in full before the commit.
        conn.pragma_update(None, "foreign_keys", "OFF")
            .map_err(migrate_err)?;
        let tx = conn.transaction().map_err(migrate_err)?;
        tx.execute_batch(sql).map_err(migrate_err)?;
        let dangling: Option<String> = tx
            .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
            .optional()
            .map_err(migrate_err)?;
        if let Some(table) = dangling {
            return Err(migrate_err(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
                Some(format!("a row of {table} refers to a row that is gone")),
            )));
        }
        tx.pragma_update(None, "user_version", (i + 1) as i64)
            .map_err(migrate_err)?;
        tx.commit().map_err(migrate_err)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(migrate_err)?;
    }
    // Where this connection's audit entries come from (`audit::set_source`): private to it.
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS audit_context (
             id     INTEGER PRIMARY KEY CHECK (id = 1),
             source TEXT NOT NULL
         )",
    )
    .map_err(open_err)?;
    Ok(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_once_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("noticecast.db");
        drop(open(&path).unwrap());
        let conn = open(&path).unwrap();
        let v: i64 = conn
            .sqlite()
            .unwrap()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v as usize, MIGRATIONS.len());
    }

    /// Issue 15: an office's admin becomes the system administrator; everything that names the
    /// account (sessions, notices, revisions) still does, and the change is in the audit log.
    #[test]
    fn an_existing_admin_becomes_the_system_administrator() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("noticecast.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "foreign_keys", "ON").unwrap();
            for sql in &MIGRATIONS[..7] {
                conn.execute_batch(sql).unwrap();
            }
            conn.pragma_update(None, "user_version", 7).unwrap();
            conn.execute_batch(
                "INSERT INTO users (id, name, role, password_hash, created_at)
                     VALUES (1, '老王', 'admin', 'x', '2026-01-05T09:00:00+08:00'),
                            (2, '王芳', 'editor', 'x', '2026-01-05T09:00:00+08:00');
                 INSERT INTO sessions VALUES ('h', 1, 'c', '2026-11-30T09:00:00+08:00',
                                              '2026-12-30T09:00:00+08:00');
                 INSERT INTO notices (id, created_by, created_at) VALUES ('n1', 2, '2026-11-30');
                 INSERT INTO revisions (notice_id, number, author_id, created_at, content, status)
                     VALUES ('n1', 1, 2, '2026-11-30', '{}', 'draft');",
            )
            .unwrap();
        }
        let conn = open(&path).unwrap();
        let role: String = conn
            .query_row("SELECT role FROM users WHERE name = '老王'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(role, "sysadmin");
        let (action, detail): (String, String) = conn
            .query_row(
                "SELECT action, detail FROM audit WHERE subject = 'user 老王'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(action, "user.role");
        assert!(detail.contains("sysadmin"), "{detail}");
        // The references survived the rebuild, and are enforced again.
        let foreign_keys: i64 = conn
            .sqlite()
            .unwrap()
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert_eq!(foreign_keys, 1);
        let session_user: i64 = conn
            .query_row("SELECT user_id FROM sessions", [], |r| r.get(0))
            .unwrap();
        assert_eq!(session_user, 1);
        assert!(
            conn.execute("DELETE FROM users WHERE name = '王芳'", [])
                .is_err(),
            "a user with notices cannot vanish"
        );
        assert!(
            conn.execute("UPDATE users SET role = 'admin' WHERE id = 1", [])
                .is_err()
        );
    }

    /// Issue 17, high 1: a screen had overflowed `dropped` into a REAL, and every screens page
    /// failed from then on; migration 6 saturates such values back to integers.
    #[test]
    fn high_1_a_database_broken_by_the_overflow_is_repaired_on_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("noticecast.db");
        {
            let conn = Connection::open(&path).unwrap();
            for sql in &MIGRATIONS[..5] {
                conn.execute_batch(sql).unwrap();
            }
            conn.pragma_update(None, "user_version", 5).unwrap();
            conn.execute(
                "INSERT INTO groups (name, kind, playlist, updated_at)
                 VALUES ('g', 'tv', '', '2026-11-27T09:00:00+08:00')",
                [],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO screens (id, group_name, token_hash, created_at, dropped)
                 VALUES ('s', 'g', 'x', '2026-11-27T09:00:00+08:00', 1.8446744073709552e19)",
                [],
            )
            .unwrap();
        }
        let conn = open(&path).unwrap();
        let (kind, value): (String, i64) = conn
            .query_row("SELECT typeof(dropped), dropped FROM screens", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((kind.as_str(), value), ("integer", super::MAX_COUNT));
    }

    /// A database from before alert sources (version 4) keeps its approved notices when
    /// migration 5 rebuilds `revisions`, and the four-eyes rule still holds afterwards.
    #[test]
    fn version_4_data_survives_the_revisions_rebuild() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("noticecast.db");
        {
            let conn = Connection::open(&path).unwrap();
            for sql in &MIGRATIONS[..4] {
                conn.execute_batch(sql).unwrap();
            }
            conn.pragma_update(None, "user_version", 4).unwrap();
            conn.execute_batch(
                "INSERT INTO users (id, name, role, password_hash, created_at)
                     VALUES (1, 'e', 'editor', 'h', 't'), (2, 'r', 'reviewer', 'h', 't');
                 INSERT INTO notices (id, created_by, created_at, live_revision)
                     VALUES ('2026-0001', 1, 't', 1);
                 INSERT INTO revisions (notice_id, number, author_id, created_at, content, status,
                     reviewer_id, reviewed_at, confidentiality_confirmed)
                     VALUES ('2026-0001', 1, 1, 't', '{}', 'approved', 2, 't', 1);",
            )
            .unwrap();
        }
        let conn = open(&path).unwrap();
        let kept: (String, i64, Option<String>) = conn
            .query_row(
                "SELECT status, reviewer_id, direct_source FROM revisions
                 WHERE notice_id = '2026-0001'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(kept, ("approved".to_string(), 2, None));
        // Without a second person and without a direct source, approval is still refused.
        let alone = conn.execute(
            "INSERT INTO revisions (notice_id, number, author_id, created_at, content, status)
             VALUES ('2026-0001', 2, 1, 't', '{}', 'approved')",
            [],
        );
        assert!(alone.is_err(), "four eyes survive the rebuild");
    }

    /// The accounts migration: existing users keep their roles and passwords and need not
    /// change them; an account may have no role and a one-time code; the audit log refuses a
    /// delete of an entry young next to the newest one, whatever the clock says.
    #[test]
    fn the_accounts_migration_keeps_users_and_measures_audit_age_from_the_newest_entry() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("noticecast.db");
        let accounts = MIGRATIONS
            .iter()
            .position(|m| m.contains("must_change_password INTEGER"))
            .unwrap();
        {
            let mut conn = Connection::open(&path).unwrap();
            conn.pragma_update(None, "foreign_keys", "OFF").unwrap();
            let tx = conn.transaction().unwrap();
            for sql in &MIGRATIONS[..accounts] {
                tx.execute_batch(sql).unwrap();
            }
            tx.pragma_update(None, "user_version", accounts as i64)
                .unwrap();
            tx.execute(
                "INSERT INTO users (id, name, role, password_hash, created_at)
                 VALUES (1, '王芳', 'editor', 'h', '2026-01-01T00:00:00+08:00')",
                [],
            )
            .unwrap();
            tx.execute(
                "INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at)
                 VALUES ('t', 1, 'c', '2026-01-01T00:00:00+08:00', '2026-01-01T01:00:00+08:00')",
                [],
            )
            .unwrap();
            // Two old entries, a year apart: the older is old next to the newer, the newer not.
            tx.execute_batch(
                "INSERT INTO audit (at, actor, action, subject, detail)
                     VALUES ('2000-01-01T00:00:00+00:00', 'a', 'x', 'oldest', '');
                 INSERT INTO audit (at, actor, action, subject, detail)
                     VALUES ('2001-01-01T00:00:00+00:00', 'a', 'x', 'newest', '');",
            )
            .unwrap();
            tx.commit().unwrap();
        }
        let conn = open(&path).unwrap();
        let (role, must): (String, bool) = conn
            .query_row(
                "SELECT role, must_change_password FROM users WHERE name = '王芳'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((role.as_str(), must), ("editor", false));
        let sessions: i64 = conn
            .query_row("SELECT COUNT(*) FROM sessions", [], |r| r.get(0))
            .unwrap();
        assert_eq!(sessions, 1);
        conn.execute(
            "INSERT INTO users (name, role, password_hash, created_at, must_change_password)
             VALUES ('新人', 'none', 'h', 't', 1)",
            [],
        )
        .unwrap();
        assert!(
            conn.execute(
                "INSERT INTO users (name, role, password_hash, created_at)
                 VALUES ('x', 'boss', 'h', 't')",
                []
            )
            .is_err()
        );
        // Both entries are decades old by the clock; only the one 180 days older than the
        // newest may go.
        assert!(
            conn.execute("DELETE FROM audit WHERE subject = 'newest'", [])
                .is_err()
        );
        assert_eq!(
            conn.execute("DELETE FROM audit WHERE subject = 'oldest'", [])
                .unwrap(),
            1
        );
    }

    #[test]
    fn audit_log_refuses_update_and_delete() {
        let conn = open_in_memory().unwrap();
        conn.execute(
            "INSERT INTO audit (at, actor, action, subject, detail)
             VALUES ('t', 'a', 'x', 's', '')",
            [],
        )
        .unwrap();
        let update = conn.execute("UPDATE audit SET actor = 'b'", []);
        assert!(update.unwrap_err().to_string().contains("append-only"));
        let delete = conn.execute("DELETE FROM audit", []);
        assert!(delete.unwrap_err().to_string().contains("append-only"));
    }

    #[test]
    fn newer_schema_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("noticecast.db");
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        drop(conn);
        let err = open(&path).unwrap_err().to_string();
        assert!(err.contains("schema version 99"), "{err}");
    }
}
