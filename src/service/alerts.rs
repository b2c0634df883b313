//! Warnings from the warning system (预警信息发布系统): alert sources, their messages in CAP 1.2
//! or the GB/T 35965.1 format, and how a message becomes an emergency notice on the screens of
//! its area.
//!
//! A source is a machine, not a person: it authenticates with a bearer token (only its hash is
//! stored) and writes as a user row of its own that cannot log in. A source trusted to publish
//! directly is the authority for what it sends: its revisions go live without a second person,
//! and the database accepts that only for such a source (`revisions.direct_source`). Any other
//! source's alerts wait at the top of the review queue for one reviewer.
//!
//! `identifier` is kept: the same identifier twice changes nothing (`duplicate`). Update replaces
//! the notice its `references` name with a new revision; Cancel withdraws it at once (taking a
//! warning down reveals nothing, and a cancelled warning must not stay on screens).

use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use utoipa::ToSchema;

use super::audit;
use super::auth::{self, Role, User};
use super::error::ServiceError;
use super::groups;
use super::notices::{self, NoticeInput};
use crate::model::{Category, Level, Priority, Problem, Timestamp, beijing_offset};

/// The CAP 1.2 namespace; a root `<alert>` without a namespace is read as GB/T 35965.1.
pub const CAP_NAMESPACE: &str = "urn:oasis:names:tc:emergency:cap:1.2";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Publish {
    /// The source is the authority: its alerts reach the screens at once.
    Direct,
    /// Its alerts wait for one reviewer, at the top of the review queue.
    Review,
}

impl Publish {
    pub fn parse(s: &str) -> Option<Publish> {
        match s {
            "direct" => Some(Publish::Direct),
            "review" => Some(Publish::Review),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Publish::Direct => "direct",
            Publish::Review => "review",
        }
    }
}

/// An authenticated alert source.
#[derive(Debug, Clone)]
pub struct Source {
    pub name: String,
    /// The user row its revisions are written by.
    pub user: User,
    pub publish: Publish,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SourceInfo {
    pub name: String,
    pub publish: Publish,
    pub created_at: String,
    pub alerts: i64,
    pub last_alert: Option<String>,
}

/// The user name a source writes as, shown as the author in the console and the audit log.
fn user_name(source: &str) -> String {
    format!("预警源:{source}")
}

/// Adds a source; returns its bearer token, shown this once.
pub fn add_source(
    conn: &Connection,
    actor: &str,
    name: &str,
    publish: Publish,
    now: Timestamp,
) -> Result<String, ServiceError> {
    if !crate::model::is_slug(name) {
        return Err(ServiceError::invalid(
            "name",
            format!("{name:?} is not a source name (a-z, 0-9, - and _)"),
        ));
    }
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sources WHERE name = ?1)",
        [name],
        |r| r.get(0),
    )?;
    if exists {
        return Err(ServiceError::Conflict(format!(
            "an alert source named {name:?} exists"
        )));
    }
    // '!' is no password hash: nobody can log in as a source.
    conn.execute(
        "INSERT INTO users (name, role, password_hash, created_at) VALUES (?1, 'editor', '!', ?2)",
        params![user_name(name), now.to_rfc3339()],
    )?;
    let user_id = conn.last_insert_rowid();
    let token = format!("ncs_{}", auth::random_token()?);
    conn.execute(
        "INSERT INTO sources (name, user_id, token_hash, publish, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            name,
            user_id,
            auth::token_hash(&token),
            publish.as_str(),
            now.to_rfc3339()
        ],
    )?;
    audit::record(
        conn,
        now,
        actor,
        "source.add",
        &format!("source {name}"),
        publish.as_str(),
    )?;
    Ok(token)
}

pub fn list_sources(conn: &Connection) -> Result<Vec<SourceInfo>, ServiceError> {
    let mut stmt = conn.prepare(
        "SELECT s.name, s.publish, s.created_at,
                (SELECT COUNT(*) FROM alerts a WHERE a.source = s.name),
                (SELECT MAX(received_at) FROM alerts a WHERE a.source = s.name)
         FROM sources s ORDER BY s.name",
    )?;
    let rows = stmt
        .query_map([], |r| {
            Ok(SourceInfo {
                name: r.get(0)?,
                publish: Publish::parse(&r.get::<_, String>(1)?).unwrap_or(Publish::Review),
                created_at: r.get(2)?,
                alerts: r.get(3)?,
                last_alert: r.get(4)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// The source a bearer token belongs to.
pub fn authenticate(conn: &Connection, token: &str) -> Result<Source, ServiceError> {
    let row: Option<(String, i64, String)> = conn
        .query_row(
            "SELECT name, user_id, publish FROM sources WHERE token_hash = ?1",
            [auth::token_hash(token)],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((name, user_id, publish)) = row else {
        return Err(ServiceError::Unauthenticated(
            "unknown alert source token".into(),
        ));
    };
    Ok(Source {
        user: User {
            id: user_id,
            name: user_name(&name),
            role: Role::Editor,
        },
        name,
        publish: Publish::parse(&publish).unwrap_or(Publish::Review),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MsgType {
    Alert,
    Update,
    Cancel,
}

/// What noticecast reads of one alert message, whichever format it came in.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    /// `CAP 1.2` or `GB/T 35965.1`.
    pub format: &'static str,
    pub identifier: String,
    pub sender: String,
    pub sent: Timestamp,
    /// `Actual`, `Exercise`, `System`, `Test`, `Draft`: only `Actual` reaches public screens.
    pub status: String,
    pub msg_type: MsgType,
    /// Identifiers of earlier messages (Update, Cancel).
    pub references: Vec<String>,
    pub sender_name: Option<String>,
    pub headline: String,
    pub description: Option<String>,
    pub instruction: Option<String>,
    pub contact: Option<String>,
    pub web: Option<String>,
    pub expires: Option<Timestamp>,
    pub level: Level,
    /// Six-digit area codes from `area/geocode`.
    pub areas: Vec<String>,
}

fn bad(reason: impl Into<String>) -> ServiceError {
    ServiceError::BadRequest(reason.into())
}

/// The trimmed, non-empty text of `node`'s first child element named `name`.
fn child_text(node: roxmltree::Node, name: &str) -> Option<String> {
    node.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
        .and_then(|c| c.text())
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

fn children<'a, 'i>(
    node: roxmltree::Node<'a, 'i>,
    name: &'static str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> {
    node.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

/// RFC 3339, or `YYYY-MM-DD HH:MM:SS` in Beijing time.
fn parse_time(element: &str, text: &str) -> Result<Timestamp, ServiceError> {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(text) {
        return Ok(t.with_timezone(&beijing_offset()));
    }
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
        .ok()
        .and_then(|n| n.and_local_timezone(beijing_offset()).single())
        .ok_or_else(|| {
            bad(format!(
                "<{element}> {text:?} is not a time like 2026-11-28T06:00:00+08:00"
            ))
        })
}

/// A colour named in words: red/红/红色 … (also inside a headline such as 暴雨橙色预警).
fn level_named(text: &str) -> Option<Level> {
    let t = text.trim().to_ascii_lowercase();
    for (level, english, chinese) in [
        (Level::Red, "red", "红"),
        (Level::Orange, "orange", "橙"),
        (Level::Yellow, "yellow", "黄"),
        (Level::Blue, "blue", "蓝"),
    ] {
        if t == english || t == chinese || t == format!("{chinese}色") {
            return Some(level);
        }
        if t.contains(&format!("{chinese}色预警")) {
            return Some(level);
        }
    }
    None
}

/// CAP severity → level: Extreme 红, Severe 橙, Moderate 黄, Minor 蓝; GB/T 35965.1 names the
/// colour itself. Unknown: red.
fn level_of_severity(severity: Option<&str>) -> Level {
    match severity.map(str::trim) {
        Some("Extreme") => Level::Red,
        Some("Severe") => Level::Orange,
        Some("Moderate") => Level::Yellow,
        Some("Minor") => Level::Blue,
        Some(other) => level_named(other).unwrap_or(Level::Red),
        None => Level::Red,
    }
}

/// Parses an alert message: CAP 1.2 (root `<alert>` in the OASIS namespace) or GB/T 35965.1
/// (root `<alert>` without a namespace, `sendTime`, severity as a colour). Every refusal names
/// the element and the reason.
pub fn parse(xml: &str) -> Result<Alert, ServiceError> {
    let doc = roxmltree::Document::parse(xml)
        .map_err(|e| bad(format!("the alert is not well-formed XML: {e}")))?;
    let root = doc.root_element();
    if root.tag_name().name() != "alert" {
        return Err(bad(format!(
            "the root element is <{}>, not <alert>",
            root.tag_name().name()
        )));
    }
    let format = match root.tag_name().namespace() {
        Some(CAP_NAMESPACE) => "CAP 1.2",
        None => "GB/T 35965.1",
        Some(other) => {
            return Err(bad(format!(
                "namespace {other:?} is neither CAP 1.2 ({CAP_NAMESPACE}) nor GB/T 35965.1 (none)"
            )));
        }
    };
    let required =
        |name: &str| child_text(root, name).ok_or_else(|| bad(format!("<alert> has no <{name}>")));
    let identifier = required("identifier")?;
    let sender = required("sender")?;
    let (sent_name, sent) = match child_text(root, "sent") {
        Some(s) => ("sent", s),
        None => (
            "sendTime",
            required("sendTime")
                .map_err(|_| bad("<alert> has no <sent> (CAP) or <sendTime> (GB/T 35965.1)"))?,
        ),
    };
    let sent = parse_time(sent_name, &sent)?;
    let status = required("status")?;
    let msg_type = match required("msgType")?.as_str() {
        "Alert" => MsgType::Alert,
        "Update" => MsgType::Update,
        "Cancel" => MsgType::Cancel,
        other => {
            return Err(bad(format!(
                "<msgType> {other:?} is not Alert, Update or Cancel: nothing to show"
            )));
        }
    };
    // "sender,identifier,sent" triples separated by spaces; a bare identifier is taken too.
    let references: Vec<String> = child_text(root, "references")
        .unwrap_or_default()
        .split_whitespace()
        .map(|r| r.split(',').nth(1).unwrap_or(r).to_string())
        .collect();
    if msg_type != MsgType::Alert && references.is_empty() {
        return Err(bad(
            "<references> is missing: an Update or Cancel names the alert it changes",
        ));
    }
    // The Chinese <info> if there are several languages.
    let infos: Vec<_> = children(root, "info").collect();
    let info = infos
        .iter()
        .find(|i| child_text(**i, "language").is_some_and(|l| l.starts_with("zh")))
        .or(infos.first())
        .copied();
    let Some(info) = info else {
        if msg_type == MsgType::Cancel {
            return Ok(Alert {
                format,
                identifier,
                sender: sender.clone(),
                sent,
                status,
                msg_type,
                references,
                sender_name: None,
                headline: String::new(),
                description: None,
                instruction: None,
                contact: None,
                web: None,
                expires: None,
                level: Level::Red,
                areas: Vec::new(),
            });
        }
        return Err(bad("<alert> has no <info>"));
    };
    let headline = child_text(info, "headline")
        .or_else(|| child_text(info, "event"))
        .ok_or_else(|| bad("<info> has neither <headline> nor <event>"))?;
    let named = children(info, "parameter")
        .filter(|p| {
            child_text(*p, "valueName").is_some_and(|n| {
                matches!(
                    n.to_ascii_lowercase().as_str(),
                    "预警级别" | "预警颜色" | "level" | "color" | "colour"
                )
            })
        })
        .find_map(|p| child_text(p, "value").and_then(|v| level_named(&v)))
        .or_else(|| level_named(&headline));
    let level = named.unwrap_or_else(|| level_of_severity(child_text(info, "severity").as_deref()));
    let expires = child_text(info, "expires")
        .map(|t| parse_time("expires", &t))
        .transpose()?;
    let mut areas = Vec::new();
    for area in children(info, "area") {
        for geocode in children(area, "geocode") {
            if let Some(code) = child_text(geocode, "value") {
                areas.push(code);
            }
        }
    }
    if msg_type != MsgType::Cancel && areas.is_empty() {
        return Err(bad(
            "<info> has no <area><geocode><value>: name the areas (six-digit 行政区划代码)",
        ));
    }
    Ok(Alert {
        format,
        identifier,
        sender,
        sent,
        status,
        msg_type,
        references,
        sender_name: child_text(info, "senderName"),
        headline,
        description: child_text(info, "description"),
        instruction: child_text(info, "instruction"),
        contact: child_text(info, "contact"),
        web: child_text(info, "web"),
        expires,
        level,
        areas,
    })
}

/// What became of an alert.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Outcome {
    /// `published`, `submitted` (waits for a reviewer), `updated`, `cancelled`, `duplicate` or
    /// `ignored` (not an Actual message).
    pub result: String,
    pub notice: Option<String>,
    pub groups: Vec<String>,
}

impl Outcome {
    fn new(result: &str, notice: Option<String>, groups: Vec<String>) -> Outcome {
        Outcome {
            result: result.into(),
            notice,
            groups,
        }
    }
}

/// The notice an alert becomes, for `groups`.
fn input_of(alert: &Alert, groups: Vec<String>) -> NoticeInput {
    NoticeInput {
        title: alert.headline.clone(),
        body: alert.description.clone().unwrap_or(alert.headline.clone()),
        category: Category::PublicAffairs,
        priority: Priority::Emergency,
        issuer: alert.sender_name.clone().unwrap_or(alert.sender.clone()),
        doc_number: None,
        valid_from: alert.sent,
        valid_until: alert.expires,
        url: alert
            .web
            .clone()
            .filter(|w| w.starts_with("https://") || w.starts_with("http://")),
        level: Some(alert.level),
        instruction: alert.instruction.clone(),
        contact: alert.contact.clone(),
        alert_id: Some(alert.identifier.clone()),
        notice_period: None,
        groups,
    }
}

/// The groups whose areas the alert covers; none is a 422 naming the codes.
fn target_groups(conn: &Connection, alert: &Alert) -> Result<Vec<String>, ServiceError> {
    let bad_codes: Vec<&String> = alert
        .areas
        .iter()
        .filter(|c| !groups::is_area_code(c))
        .collect();
    if !bad_codes.is_empty() && bad_codes.len() == alert.areas.len() {
        return Err(ServiceError::Invalid(vec![Problem::new(
            "alert",
            "info.area.geocode",
            format!(
                "{} {} not a six-digit area code (行政区划代码)",
                join(&bad_codes),
                if bad_codes.len() == 1 { "is" } else { "are" }
            ),
        )]));
    }
    let codes: Vec<String> = alert
        .areas
        .iter()
        .filter(|c| groups::is_area_code(c))
        .cloned()
        .collect();
    let targets = groups::covering(conn, &codes)?;
    if targets.is_empty() {
        return Err(ServiceError::Invalid(vec![Problem::new(
            "alert",
            "info.area.geocode",
            format!(
                "no screen group covers {}: give a group these area codes \
                 (noticecast group areas, or the console's group page)",
                join(&codes.iter().collect::<Vec<_>>())
            ),
        )]));
    }
    Ok(targets)
}

fn join(codes: &[&String]) -> String {
    codes
        .iter()
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The notice an earlier alert of this source became, by any of `references`.
fn referenced(
    conn: &Connection,
    source: &Source,
    references: &[String],
) -> Result<String, ServiceError> {
    for identifier in references {
        let notice: Option<String> = conn
            .query_row(
                "SELECT notice_id FROM alerts WHERE source = ?1 AND identifier = ?2",
                params![source.name, identifier],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(notice) = notice {
            return Ok(notice);
        }
    }
    Err(ServiceError::Invalid(vec![Problem::new(
        "alert",
        "references",
        format!(
            "names no alert received from source {}: {}",
            source.name,
            references.join(" ")
        ),
    )]))
}

/// Writes revision `number` of notice `id` from the source: live at once for a direct source,
/// submitted for review otherwise.
fn write_revision(
    conn: &Connection,
    source: &Source,
    id: &str,
    number: i64,
    input: &NoticeInput,
    now: Timestamp,
) -> Result<(), ServiceError> {
    let content = serde_json::to_string(input)
        .map_err(|e| ServiceError::Internal(format!("alert content: {e}")))?;
    notices::supersede_pending(conn, id)?;
    match source.publish {
        Publish::Direct => {
            conn.execute(
                "INSERT INTO revisions (notice_id, number, author_id, created_at, content, status,
                     submitted_at, reviewed_at, direct_source)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'approved', ?4, ?4, ?6)",
                params![
                    id,
                    number,
                    source.user.id,
                    now.to_rfc3339(),
                    content,
                    source.name
                ],
            )?;
            conn.execute(
                "UPDATE notices SET live_revision = ?1 WHERE id = ?2",
                params![number, id],
            )?;
        }
        Publish::Review => {
            conn.execute(
                "INSERT INTO revisions (notice_id, number, author_id, created_at, content, status,
                     submitted_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'submitted', ?4)",
                params![id, number, source.user.id, now.to_rfc3339(), content],
            )?;
        }
    }
    Ok(())
}

/// Acts on an alert from `source`: creates, replaces or withdraws its notice.
pub fn receive(
    conn: &Connection,
    source: &Source,
    alert: &Alert,
    now: Timestamp,
) -> Result<Outcome, ServiceError> {
    let seen: Option<String> = conn
        .query_row(
            "SELECT notice_id FROM alerts WHERE source = ?1 AND identifier = ?2",
            params![source.name, alert.identifier],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(notice) = seen {
        return Ok(Outcome::new("duplicate", Some(notice), Vec::new()));
    }
    if alert.status != "Actual" {
        return Ok(Outcome::new("ignored", None, Vec::new()));
    }
    let actor = source.user.name.as_str();
    let detail = format!(
        "{} {} identifier {}; publish {}",
        alert.format,
        match alert.msg_type {
            MsgType::Alert => "Alert",
            MsgType::Update => "Update",
            MsgType::Cancel => "Cancel",
        },
        alert.identifier,
        source.publish.as_str()
    );
    let (result, id, targets) = match alert.msg_type {
        MsgType::Alert => {
            let targets = target_groups(conn, alert)?;
            let input = input_of(alert, targets.clone());
            notices::validate(conn, &input, now)?;
            let id = notices::next_id(conn, now)?;
            conn.execute(
                "INSERT INTO notices (id, created_by, created_at) VALUES (?1, ?2, ?3)",
                params![id, source.user.id, now.to_rfc3339()],
            )?;
            write_revision(conn, source, &id, 1, &input, now)?;
            let result = match source.publish {
                Publish::Direct => "published",
                Publish::Review => "submitted",
            };
            (result, id, targets)
        }
        MsgType::Update => {
            let id = referenced(conn, source, &alert.references)?;
            let notice = notices::get(conn, &id)?;
            if notice.withdrawn_at.is_some() {
                return Err(ServiceError::Conflict(format!(
                    "notice {id} (alert {}) was cancelled or withdrawn",
                    alert.references.join(" ")
                )));
            }
            let targets = target_groups(conn, alert)?;
            let input = input_of(alert, targets.clone());
            notices::validate(conn, &input, now)?;
            write_revision(conn, source, &id, notice.latest().number + 1, &input, now)?;
            ("updated", id, targets)
        }
        MsgType::Cancel => {
            let id = referenced(conn, source, &alert.references)?;
            let notice = notices::get(conn, &id)?;
            if notice.withdrawn_at.is_none() {
                conn.execute(
                    "UPDATE notices SET withdrawn_at = ?1 WHERE id = ?2",
                    params![now.to_rfc3339(), id],
                )?;
                notices::supersede_pending(conn, &id)?;
            }
            ("cancelled", id, Vec::new())
        }
    };
    conn.execute(
        "INSERT INTO alerts (source, identifier, msg_type, notice_id, received_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            source.name,
            alert.identifier,
            format!("{:?}", alert.msg_type),
            id,
            now.to_rfc3339()
        ],
    )?;
    audit::record(
        conn,
        now,
        actor,
        &format!("alert.{result}"),
        &format!("notice {id}"),
        &format!("{detail}; groups {}", targets.join(" ")),
    )?;
    Ok(Outcome::new(result, Some(id), targets))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CAP: &str = include_str!("../../tests/vectors/alerts/cap-rainstorm-alert.xml");
    const GB: &str = include_str!("../../tests/vectors/alerts/gb35965-typhoon-alert.xml");

    #[test]
    fn cap_maps_severity_and_fields() {
        let a = parse(CAP).unwrap();
        assert_eq!(a.format, "CAP 1.2");
        assert_eq!(a.msg_type, MsgType::Alert);
        assert_eq!(a.level, Level::Orange, "the headline names 橙色");
        assert_eq!(a.areas, ["330102", "330105"]);
        assert!(a.instruction.is_some() && a.contact.is_some());
        assert!(a.expires.is_some());
    }

    #[test]
    fn gb_35965_reads_send_time_and_colour() {
        let a = parse(GB).unwrap();
        assert_eq!(a.format, "GB/T 35965.1");
        assert_eq!(a.level, Level::Yellow);
        assert_eq!(a.areas, ["330100"]);
        assert_eq!(a.sent.to_rfc3339(), "2026-11-29T07:30:00+08:00");
    }

    #[test]
    fn severity_without_a_named_colour() {
        assert_eq!(level_of_severity(Some("Extreme")), Level::Red);
        assert_eq!(level_of_severity(Some("Severe")), Level::Orange);
        assert_eq!(level_of_severity(Some("Moderate")), Level::Yellow);
        assert_eq!(level_of_severity(Some("Minor")), Level::Blue);
        assert_eq!(level_of_severity(Some("Unknown")), Level::Red);
        assert_eq!(level_of_severity(None), Level::Red);
    }

    #[test]
    fn refusals_name_the_element() {
        let cases = [
            ("<alert", "not well-formed"),
            ("<feed/>", "root element is <feed>"),
            (
                "<alert xmlns=\"urn:oasis:names:tc:emergency:cap:1.1\"/>",
                "neither CAP 1.2",
            ),
            (
                &CAP.replace("<identifier>", "<id>")
                    .replace("</identifier>", "</id>"),
                "no <identifier>",
            ),
            (&CAP.replace("<msgType>Alert", "<msgType>Ack"), "Ack"),
            (
                &CAP.replace("2026-11-29T08:00:00+08:00", "yesterday"),
                "<sent>",
            ),
        ];
        for (xml, expected) in cases {
            let err = parse(xml).unwrap_err().to_string();
            assert!(err.contains(expected), "{expected}: {err}");
        }
    }
}
