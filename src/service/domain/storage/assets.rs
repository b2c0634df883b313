//! The assets' SQL (`assets`): images uploaded for notices' figures, kept by the SHA-256 of
//! their bytes.

use super::sql::{OptionalExtension, params};

use super::Conn;
use crate::service::domain::error::Error;

/// An asset as stored, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(in crate::service::domain) struct AssetRow {
    pub sha256: String,
    pub media_type: String,
    pub width: u32,
    pub height: u32,
}

/// Keeps an asset; one already there (the same bytes, so the same row) stays as it was.
/// Whether it was new.
pub(in crate::service::domain) fn insert(
    conn: &Conn,
    row: &AssetRow,
    bytes: &[u8],
    uploaded_by: &str,
    uploaded_at: &str,
) -> Result<bool, Error> {
    let changed = conn.execute(
        "INSERT INTO assets (sha256, media_type, width, height, bytes, uploaded_by,
                                       uploaded_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT DO NOTHING",
        params![
            row.sha256,
            row.media_type,
            row.width,
            row.height,
            bytes,
            uploaded_by,
            uploaded_at
        ],
    )?;
    Ok(changed == 1)
}

pub(in crate::service::domain) fn exists(conn: &Conn, sha256: &str) -> Result<bool, Error> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM assets WHERE sha256 = ?1)",
        [sha256],
        |r| r.get(0),
    )?)
}

/// How many bytes the asset's file has, if it is stored.
pub(in crate::service::domain) fn byte_len(
    conn: &Conn,
    sha256: &str,
) -> Result<Option<u64>, Error> {
    use super::sql::OptionalExtension;
    Ok(conn
        .query_row(
            "SELECT length(bytes) FROM assets WHERE sha256 = ?1",
            [sha256],
            |r| r.get::<_, i64>(0),
        )
        .optional()?
        .map(|n| n.max(0) as u64))
}

/// The asset's description, without its bytes.
pub(in crate::service::domain) fn find(
    conn: &Conn,
    sha256: &str,
) -> Result<Option<AssetRow>, Error> {
    Ok(conn
        .query_row(
            "SELECT sha256, media_type, width, height FROM assets WHERE sha256 = ?1",
            [sha256],
            |r| {
                Ok(AssetRow {
                    sha256: r.get(0)?,
                    media_type: r.get(1)?,
                    width: r.get(2)?,
                    height: r.get(3)?,
                })
            },
        )
        .optional()?)
}

/// The asset's media type and bytes.
pub(in crate::service::domain) fn bytes(
    conn: &Conn,
    sha256: &str,
) -> Result<Option<(String, Vec<u8>)>, Error> {
    Ok(conn
        .query_row(
            "SELECT media_type, bytes FROM assets WHERE sha256 = ?1",
            [sha256],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}
