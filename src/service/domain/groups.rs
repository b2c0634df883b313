//! Screen groups and their playlists. A group is what a feed is for; its playlist (TOML, as staff
//! write it) says what kind of screen the group is and how it plays.
//!
//! A playlist edit is validated before it replaces anything: a bad edit is refused with every
//! problem, and the last good playlist stays in the database and in the feeds.

use std::path::Path;

use serde::Serialize;
use utoipa::ToSchema;

use crate::model::{Playlist, Problem, Timestamp};
use crate::service::domain::accounts::{Role, User};
use crate::service::domain::audit;
use crate::service::domain::error::Error;
use crate::service::domain::playlist_delta;
use crate::service::domain::storage::Conn;
use crate::service::domain::storage::groups as store;

/// The repository's `playlists/`, compiled in: a fresh service starts with these groups.
/// Each with the name staff read for the group (the playlist's own header name is the office's).
const SEED: &[(&str, &str, &str)] = &[
    (
        "plaza-tv.toml",
        include_str!("../../../playlists/plaza-tv.toml"),
        "城关镇广场大屏",
    ),
    (
        "service-hall-led.toml",
        include_str!("../../../playlists/service-hall-led.toml"),
        "服务大厅LED屏",
    ),
    (
        "village-terminal.toml",
        include_str!("../../../playlists/village-terminal.toml"),
        "溪口村触摸屏",
    ),
];

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupInfo {
    pub name: String,
    /// The name staff read (城关镇广场大屏); the id (`name`) is for feeds and the IT person.
    pub label: String,
    /// `led`, `tv` or `terminal`.
    pub kind: String,
    /// The playlist's display name, shown in the screens' header.
    pub title: String,
    pub updated_at: String,
    pub screens: i64,
}

/// On a database without groups, adds one per playlist: from `dir` if given, else the
/// compiled-in copies of the repository's `playlists/`.
pub fn seed(conn: &Conn, dir: Option<&Path>, now: Timestamp) -> Result<usize, SeedError> {
    let count = store::count_groups(conn).map_err(SeedError::from_count)?;
    if count > 0 {
        return Ok(0);
    }
    let mut sources: Vec<(String, String)> = Vec::new();
    match dir {
        Some(dir) => {
            let mut paths: Vec<_> = std::fs::read_dir(dir)
                .map_err(|source| SeedError::Read {
                    path: dir.display().to_string(),
                    source,
                })?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .collect();
            paths.sort();
            for path in paths {
                let text = std::fs::read_to_string(&path).map_err(|source| SeedError::Read {
                    path: path.display().to_string(),
                    source,
                })?;
                sources.push((path.display().to_string(), text));
            }
        }
        None => {
            for (name, text, _) in SEED {
                sources.push((format!("playlists/{name}"), text.to_string()));
            }
        }
    }
    for (source, text) in &sources {
        let playlist = Playlist::from_toml(text, source)?;
        insert(conn, &playlist, text, now)?;
        if let Some((_, _, label)) = SEED
            .iter()
            .find(|(name, seeded, _)| seeded == text && source.ends_with(name))
        {
            store::set_group_label(conn, &playlist.group, label)?;
        }
        audit::record(
            conn,
            now,
            "system",
            audit::Action::GroupCreate,
            &format!("group {}", playlist.group),
            &format!("seeded from {source}"),
        )?;
    }
    Ok(sources.len())
}

fn insert(conn: &Conn, playlist: &Playlist, text: &str, now: Timestamp) -> Result<(), Error> {
    store::insert_group(
        conn,
        &playlist.group,
        playlist.kind.as_str(),
        text,
        &now.to_rfc3339(),
    )?;
    Ok(())
}

pub fn exists(conn: &Conn, name: &str) -> Result<bool, Error> {
    store::group_exists(conn, name)
}

pub fn names(conn: &Conn) -> Result<Vec<String>, Error> {
    store::group_names(conn)
}

pub fn list(conn: &Conn) -> Result<Vec<GroupInfo>, Error> {
    let rows = store::list_groups(conn)?;
    rows.into_iter()
        .map(|(name, kind, text, updated_at, screens, label)| {
            let playlist = parse_stored(&name, &text)?;
            Ok(GroupInfo {
                label: label.unwrap_or_else(|| unnamed(&playlist)),
                name,
                kind,
                title: playlist.name,
                updated_at,
                screens,
            })
        })
        .collect()
}

/// The playlist a new group of `kind` (`tv`, `led`, `terminal`) starts from: the repository's
/// example of that kind, named `name`. The console's form for a new group needs no TOML.
pub fn template(kind: &str, name: &str) -> Result<String, Error> {
    let file = match kind {
        "tv" => "plaza-tv.toml",
        "led" => "service-hall-led.toml",
        "terminal" => "village-terminal.toml",
        _ => {
            return Err(Error::invalid(
                "kind",
                crate::model::Reason::Detail("请选择屏幕类型：电视大屏、LED 屏或触摸屏".into()),
            ));
        }
    };
    let (_, text, _) = SEED
        .iter()
        .find(|(f, _, _)| *f == file)
        .ok_or_else(|| Error::Internal(format!("no template {file}")))?;
    let mut doc = text
        .parse::<toml_edit::DocumentMut>()
        .map_err(|e| Error::Internal(format!("template {file}: {e}")))?;
    doc["group"] = toml_edit::value(name);
    // The example's opening comment describes the example's screen, not this one.
    doc.decor_mut().clear();
    if let Some(mut key) = doc.as_table_mut().key_mut("group") {
        key.leaf_decor_mut().clear();
    }
    Ok(doc.to_string())
}

/// What a group without a label of its own is called: its header's name and its kind of screen.
fn unnamed(playlist: &Playlist) -> String {
    let kind = match playlist.kind {
        crate::model::ScreenKind::Led => "LED屏",
        crate::model::ScreenKind::Tv => "大屏",
        crate::model::ScreenKind::Terminal => "触摸屏",
    };
    format!("{}{kind}", playlist.name)
}

/// Every group's label, by id: how pages name a group to the people who read them.
#[derive(Debug, Clone, Default)]
pub struct Labels(std::collections::HashMap<String, String>);

impl Labels {
    /// The group's label; an id that names no group (one deleted since) reads as itself.
    pub fn of<'a>(&'a self, group: &'a str) -> &'a str {
        self.0.get(group).map_or(group, String::as_str)
    }
}

pub fn labels(conn: &Conn) -> Result<Labels, Error> {
    Ok(Labels(
        list(conn)?.into_iter().map(|g| (g.name, g.label)).collect(),
    ))
}

/// Names a group for staff (`城关镇广场大屏`): 2 to 30 characters, no line breaks. The label is
/// shown only in the console, so it needs no second person.
pub fn set_label(
    conn: &Conn,
    actor: &User,
    name: &str,
    label: &str,
    now: Timestamp,
) -> Result<(), Error> {
    actor.require(&[Role::Sysadmin], "name screen groups")?;
    if !exists(conn, name)? {
        return Err(Error::NotFound(crate::model::Reason::NoGroupNamed {
            name: name.to_string(),
        }));
    }
    let label = checked_label(label)?;
    store::set_group_label(conn, name, &label)?;
    audit::record(
        conn,
        now,
        &actor.name,
        audit::Action::GroupLabel,
        &format!("group {name}"),
        &label,
    )
}

/// A label as typed, trimmed, or why it cannot be one.
pub fn checked_label(label: &str) -> Result<String, Error> {
    let label = label.trim();
    let chars = label.chars().count();
    if !(2..=30).contains(&chars) || label.chars().any(char::is_control) {
        return Err(Error::invalid(
            "label",
            crate::model::Reason::Detail("显示名称须为 2 至 30 个字，不含换行".into()),
        ));
    }
    Ok(label.to_string())
}

/// The playlist as staff wrote it.
pub fn playlist_text(conn: &Conn, name: &str) -> Result<String, Error> {
    store::select_playlist(conn, name)?.ok_or_else(|| {
        Error::NotFound(crate::model::Reason::NoGroupNamed {
            name: name.to_string(),
        })
    })
}

pub fn playlist(conn: &Conn, name: &str) -> Result<Playlist, Error> {
    parse_stored(name, &playlist_text(conn, name)?)
}

/// Stored playlists were valid when saved; one that no longer parses is a server fault.
fn parse_stored(name: &str, text: &str) -> Result<Playlist, Error> {
    Playlist::from_toml(text, &format!("playlist of group {name}"))
        .map_err(|p| Error::Internal(format!("stored playlist: {p}")))
}

/// Validates `text` as the playlist of group `name`; every problem names its field.
fn validate(name: &str, text: &str) -> Result<Playlist, Error> {
    let playlist = Playlist::from_toml(text, "playlist").map_err(|p| {
        Error::Invalid(
            p.list()
                .iter()
                .map(|p| Problem::new("playlist", p.path.clone(), p.reason.clone()))
                .collect(),
        )
    })?;
    if playlist.group != name {
        return Err(Error::invalid(
            "group",
            crate::model::Reason::GroupDiffers {
                got: playlist.group.clone(),
                want: name.to_string(),
            },
        ));
    }
    Ok(playlist)
}

/// What became of a playlist edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlaylistOutcome {
    /// In the group's feed now.
    Applied,
    /// It changes what residents read or scan: it waits for a second person (the id).
    Pending(i64),
}

/// What residents read or scan that a playlist sets: the header's name, the ticker's text, the
/// QR addresses (the long notices' and the terminals'). One admin alone must not be able to put
/// text on every screen, or send every resident who scans to an address of their choosing.
fn visible_text(p: &Playlist) -> (String, Option<String>, Option<String>, Option<String>) {
    (
        p.name.clone(),
        p.ticker.as_ref().and_then(|t| t.text.clone()),
        p.touch.as_ref().and_then(|t| t.public_url.clone()),
        p.public_url.clone(),
    )
}

/// What describes the panel rather than what plays: an admin's to change.
fn hardware(p: &Playlist) -> String {
    format!(
        "{:?}|{:?}|{:?}|{:?}",
        p.kind,
        p.screen,
        p.typography,
        p.touch.as_ref().map(|t| t.diagonal_in)
    )
}

/// A playlist edit waiting for review.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlaylistChange {
    pub id: i64,
    pub group: String,
    pub author: String,
    pub created_at: String,
    /// The edited playlist's text.
    pub text: String,
    /// Every key approval would change in the group's playlist as it is now: (key, now, then),
    /// values as TOML, "" where absent.
    pub changes: Vec<(String, String, String)>,
}

/// Edits waiting for review, oldest first.
pub fn pending_playlists(conn: &Conn) -> Result<Vec<PlaylistChange>, Error> {
    let rows = store::pending_changes(conn)?;
    let mut out = Vec::new();
    for store::PendingRow {
        id,
        group,
        author,
        created_at,
        text,
        current,
        base,
    } in rows
    {
        let merged = merged(&group, base.as_deref(), &text, &current)?;
        let changes = playlist_delta::changes(&current, &merged)
            .map_err(|e| Error::Internal(format!("playlist change {id}: {e}")))?
            .into_iter()
            .map(|c| {
                (
                    c.dotted(),
                    c.before.unwrap_or_default(),
                    c.after.unwrap_or_default(),
                )
            })
            .collect();
        out.push(PlaylistChange {
            id,
            group,
            author,
            created_at,
            text,
            changes,
        });
    }
    Ok(out)
}

/// A second person approves (`approve`) or rejects a waiting playlist edit. Reviewers and
/// admins review, never their own edit; an approved edit is validated again and applied.
pub fn review_playlist(
    conn: &Conn,
    actor: &User,
    id: i64,
    approve: bool,
    reason: &str,
    now: Timestamp,
) -> Result<(), Error> {
    actor.require(&[Role::Reviewer, Role::Sysadmin], "review playlist changes")?;
    let (group, text, author, status, base) = store::select_change(conn, id)?.ok_or_else(|| {
        Error::NotFound(crate::model::Reason::Detail(format!(
            "no playlist change {id}"
        )))
    })?;
    if status != "pending" {
        return Err(Error::Conflict(crate::model::Reason::Detail(format!(
            "playlist change {id} is {status}, not waiting for review"
        ))));
    }
    if author == actor.id {
        return Err(Error::Forbidden(crate::model::Reason::Detail(
            "a playlist change is reviewed by someone other than its author".into(),
        )));
    }
    if approve {
        // Only the keys the edit changed, written onto the playlist as it is now.
        let merged = merged(
            &group,
            base.as_deref(),
            &text,
            &playlist_text(conn, &group)?,
        )?;
        validate(&group, &merged)?;
        apply_playlist(conn, &actor.name, &group, &merged, now)?;
    }
    store::review_change(
        conn,
        id,
        if approve { "approved" } else { "rejected" },
        actor.id,
        &now.to_rfc3339(),
        reason,
    )?;
    audit::record(
        conn,
        now,
        &actor.name,
        if approve {
            audit::Action::GroupPlaylistApprove
        } else {
            audit::Action::GroupPlaylistReject
        },
        &format!("group {group}"),
        &format!(
            "change {id}{}",
            if reason.is_empty() {
                String::new()
            } else {
                format!(": {reason}")
            }
        ),
    )
}

/// Replaces a group's playlist with `text` if it is valid; otherwise the old one stays. An edit
/// that changes what residents read or scan waits for a second person (`review_playlist`).
pub fn put_playlist(
    conn: &Conn,
    actor: &User,
    name: &str,
    text: &str,
    now: Timestamp,
) -> Result<PlaylistOutcome, Error> {
    actor.require(&[Role::Sysadmin, Role::Editor], "edit playlists")?;
    let old = playlist_text(conn, name)?;
    let playlist = validate(name, text)?;
    // Office staff (editors) change what plays and when; the panel itself is the IT person's.
    if actor.role == Role::Editor && hardware(&playlist) != hardware(&parse_stored(name, &old)?) {
        return Err(Error::Forbidden(crate::model::Reason::Detail(
            "the screen's hardware settings (size, type sizes, panel) are changed by an admin"
                .into(),
        )));
    }
    let old_kind = parse_stored(name, &old)?.kind;
    if playlist.kind != old_kind {
        return Err(Error::invalid(
            "kind",
            crate::model::Reason::KindChanged {
                kind: old_kind.as_str().to_string(),
            },
        ));
    }
    if visible_text(&playlist) != visible_text(&parse_stored(name, &old)?) {
        store::supersede_pending_changes(conn, name)?;
        return submit(conn, actor, name, text, &old, now);
    }
    apply_playlist(conn, &actor.name, name, text, now)?;
    Ok(PlaylistOutcome::Applied)
}

/// The group's `current` playlist with the keys a pending edit changed written onto it: those
/// the edit (`text`) changed relative to the playlist it was made on (`base`; an edit stored
/// before bases were kept replaces the whole playlist, as it did then).
fn merged(group: &str, base: Option<&str>, text: &str, current: &str) -> Result<String, Error> {
    playlist_delta::apply(base.unwrap_or(current), text, current)
        .map_err(|e| Error::Internal(format!("group {group}'s playlist change: {e}")))
}

/// Stores a validated playlist as the group's (the feed is recomposed by the caller's change).
fn apply_playlist(
    conn: &Conn,
    actor: &str,
    name: &str,
    text: &str,
    now: Timestamp,
) -> Result<(), Error> {
    store::update_playlist(conn, name, text, &now.to_rfc3339())?;
    audit::record(
        conn,
        now,
        actor,
        audit::Action::GroupPlaylist,
        &format!("group {name}"),
        &format!("playlist replaced ({} bytes)", text.len()),
    )
}

pub fn create(
    conn: &Conn,
    actor: &User,
    name: &str,
    text: &str,
    now: Timestamp,
) -> Result<PlaylistOutcome, Error> {
    actor.require(&[Role::Sysadmin], "create screen groups")?;
    if !crate::model::is_slug(name) {
        return Err(Error::invalid(
            "name",
            crate::model::Reason::NotAName {
                text: name.to_string(),
                kind: crate::model::NameKind::Group,
            },
        ));
    }
    if exists(conn, name)? {
        return Err(Error::Conflict(crate::model::Reason::Detail(format!(
            "a group named {name:?} exists"
        ))));
    }
    let playlist = validate(name, text)?;
    // What residents would read (the header's name, the ticker's text, the QR address) waits for
    // a second person here too: the group starts with a neutral header and no text of its own,
    // and the rest is a pending change of that playlist (`review_playlist`).
    let neutral =
        without_visible_text(text).map_err(|e| Error::Internal(format!("group {name}: {e}")))?;
    let neutral_playlist = validate(name, &neutral)?;
    insert(conn, &neutral_playlist, &neutral, now)?;
    audit::record(
        conn,
        now,
        &actor.name,
        audit::Action::GroupCreate,
        &format!("group {name}"),
        playlist.kind.as_str(),
    )?;
    if visible_text(&playlist) == visible_text(&neutral_playlist) {
        return Ok(PlaylistOutcome::Applied);
    }
    submit(conn, actor, name, text, &neutral, now)
}

/// `text`, an edit of group `name`'s playlist `base`, waits for a second person (audited).
fn submit(
    conn: &Conn,
    actor: &User,
    name: &str,
    text: &str,
    base: &str,
    now: Timestamp,
) -> Result<PlaylistOutcome, Error> {
    let id = store::insert_change(conn, name, text, actor.id, &now.to_rfc3339(), base)?;
    audit::record(
        conn,
        now,
        &actor.name,
        audit::Action::GroupPlaylistSubmit,
        &format!("group {name}"),
        &format!("change {id} waits for review"),
    )?;
    Ok(PlaylistOutcome::Pending(id))
}

/// The header a new group shows until a second person approved its own name.
const NEUTRAL_NAME: &str = "公告";

/// `text` with nothing residents read that an administrator wrote: the neutral header, no
/// ticker text (the ticker runs the notices' titles), no QR addresses.
fn without_visible_text(text: &str) -> Result<String, NotToml> {
    let mut doc = text.parse::<toml_edit::DocumentMut>().map_err(NotToml)?;
    doc["name"] = toml_edit::value(NEUTRAL_NAME);
    doc.remove("public_url");
    for (table, key) in [("ticker", "text"), ("touch", "public_url")] {
        if let Some(t) = doc.get_mut(table).and_then(|t| t.as_table_like_mut()) {
            t.remove(key);
        }
    }
    Ok(doc.to_string())
}

/// A group's playlist that is not TOML.
#[derive(Debug, thiserror::Error)]
#[error("not TOML: {0}")]
pub struct NotToml(toml_edit::TomlError);

/// Why the playlists could not be seeded into a new database.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// Counting the groups failed: the database's message.
    #[error("{0}")]
    Database(String),
    #[error("{path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Playlist(#[from] crate::model::Problems),
    #[error(transparent)]
    Service(#[from] Error),
}

impl SeedError {
    /// Counting the groups failed: worded as the database's own error, as before storage had
    /// its own module (without the domain's `database: `).
    fn from_count(e: Error) -> SeedError {
        match e {
            Error::Internal(m) => match m.strip_prefix("database: ") {
                Some(rest) => SeedError::Database(rest.to_string()),
                None => SeedError::Database(m),
            },
            other => SeedError::Service(other),
        }
    }
}

/// Whether `code` is a six-digit administrative area code (行政区划代码).
pub fn is_area_code(code: &str) -> bool {
    code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())
}

/// `code` with its trailing `00` pairs removed: 330100 → 3301, 330000 → 33. An area is inside
/// another when it starts with the other's prefix.
pub fn area_prefix(code: &str) -> &str {
    let mut prefix = code;
    while prefix.len() > 2 && prefix.ends_with("00") {
        prefix = &prefix[..prefix.len() - 2];
    }
    prefix
}

/// Whether a group with area `own` receives an alert for area `alert`: the same area, or one
/// inside it (330102 receives what is sent to 330100 or 330000).
pub fn area_covers(alert: &str, own: &str) -> bool {
    own.starts_with(area_prefix(alert))
}

/// The group's area codes.
pub fn areas(conn: &Conn, name: &str) -> Result<Vec<String>, Error> {
    store::select_areas(conn, name)
}

/// Replaces the group's area codes; every code must be six digits.
pub fn set_areas(
    conn: &Conn,
    actor: &User,
    name: &str,
    codes: &[String],
    now: Timestamp,
) -> Result<(), Error> {
    actor.require(&[Role::Sysadmin], "set a group's areas")?;
    if !exists(conn, name)? {
        return Err(Error::NotFound(crate::model::Reason::NoGroupNamed {
            name: name.to_string(),
        }));
    }
    let problems: Vec<Problem> = codes
        .iter()
        .enumerate()
        .filter(|(_, c)| !is_area_code(c))
        .map(|(i, c)| {
            Problem::new(
                "areas",
                format!("codes[{i}]"),
                crate::model::Reason::NotAnAreaCode {
                    text: c.clone(),
                    like: 330102,
                },
            )
        })
        .collect();
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    store::replace_areas(conn, name, codes)?;
    audit::record(
        conn,
        now,
        &actor.name,
        audit::Action::GroupAreas,
        &format!("group {name}"),
        &codes.join(" "),
    )
}

/// The groups that receive an alert for any of `codes`.
pub fn covering(conn: &Conn, codes: &[String]) -> Result<Vec<String>, Error> {
    let rows = store::all_areas(conn)?;
    let mut groups: Vec<String> = rows
        .into_iter()
        .filter(|(_, own)| codes.iter().any(|c| area_covers(c, own)))
        .map(|(g, _)| g)
        .collect();
    groups.dedup();
    Ok(groups)
}

/// Since when the group's screens are held on the standby page, if they are.
pub fn blackout(conn: &Conn, name: &str) -> Result<Option<Timestamp>, Error> {
    let since = store::select_blackout(conn, name)?;
    let Some(since) = since else {
        return Err(Error::NotFound(crate::model::Reason::NoGroupNamed {
            name: name.to_string(),
        }));
    };
    since
        .map(|s| {
            Timestamp::parse_from_rfc3339(&s)
                .map_err(|e| Error::Internal(format!("group {name} blackout: {e}")))
        })
        .transpose()
}

/// Puts the group's screens on the neutral standby page (`on`) or lifts it; audited either way.
pub fn set_blackout(
    conn: &Conn,
    actor: &User,
    name: &str,
    on: bool,
    reason: &str,
    now: Timestamp,
) -> Result<(), Error> {
    actor.require(&[Role::Sysadmin], "black out screens")?;
    let current = blackout(conn, name)?;
    if current.is_some() == on {
        return Err(Error::Conflict(crate::model::Reason::Detail(format!(
            "group {name} is {} on standby",
            if on { "already" } else { "not" }
        ))));
    }
    let since = on.then(|| now.to_rfc3339());
    store::update_blackout(conn, name, since.as_deref())?;
    audit::record(
        conn,
        now,
        &actor.name,
        if on {
            audit::Action::GroupBlackout
        } else {
            audit::Action::GroupBlackoutLift
        },
        &format!("group {name}"),
        reason.trim(),
    )
}

#[cfg(test)]
mod area_tests {
    use super::*;

    #[test]
    fn a_parent_area_is_its_code_without_trailing_zero_pairs() {
        assert_eq!(area_prefix("330102"), "330102");
        assert_eq!(area_prefix("330100"), "3301");
        assert_eq!(area_prefix("330000"), "33");
        assert!(area_covers("330100", "330102"));
        assert!(area_covers("330000", "330102"));
        assert!(area_covers("330102", "330102"));
        assert!(
            !area_covers("330102", "330100"),
            "a district alert misses the city"
        );
        assert!(!area_covers("330200", "330102"));
        assert!(!area_covers("340000", "330102"));
        assert!(is_area_code("330102") && !is_area_code("33010") && !is_area_code("33010x"));
    }
}
