//! Warnings from the warning system (预警信息发布系统) as they arrive: CAP 1.2 (root `<alert>` in
//! the OASIS namespace) or GB/T 35965.1 (root `<alert>` without a namespace, `sendTime`, severity
//! as a colour), read into one `Alert`. Pure: the service decides what an alert becomes
//! (`service::alerts`); the fuzz package reaches this parser without the service.

use super::{Level, Timestamp, beijing_offset};

/// The CAP 1.2 namespace; a root `<alert>` without a namespace is read as GB/T 35965.1.
pub const CAP_NAMESPACE: &str = "urn:oasis:names:tc:emergency:cap:1.2";

/// Why an alert message was refused: the element and the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct AlertError(pub String);

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
    /// `<scope>`: `Public`, `Restricted` or `Private` (CAP 1.2 and GB/T 35965.1 alike); only
    /// `Public` reaches public screens (`service::alerts` refuses the others, and none).
    pub scope: Option<String>,
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

fn bad(reason: impl Into<String>) -> AlertError {
    AlertError(reason.into())
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
fn parse_time(element: &str, text: &str) -> Result<Timestamp, AlertError> {
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

/// The deepest nesting an alert may have: CAP's deepest path (alert, info, area, geocode,
/// value) is five.
const MAX_ALERT_DEPTH: usize = 32;

/// Parses an alert message: CAP 1.2 (root `<alert>` in the OASIS namespace) or GB/T 35965.1
/// (root `<alert>` without a namespace, `sendTime`, severity as a colour). Every refusal names
/// the element and the reason.
pub fn parse(xml: &str) -> Result<Alert, AlertError> {
    // An alert is a few levels deep; a hostile one nested deep enough would abort the service.
    if super::xml::too_deep(xml.as_bytes(), MAX_ALERT_DEPTH) {
        return Err(bad(format!(
            "the alert nests elements more than {MAX_ALERT_DEPTH} deep"
        )));
    }
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
    let scope = child_text(root, "scope");
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
                scope,
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
        scope,
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
        assert_eq!(a.scope.as_deref(), Some("Public"));
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

    /// A hostile alert nested a hundred thousand deep is refused before the parser recurses
    /// (it used to overflow the service's stack: an abort).
    #[test]
    fn a_deeply_nested_alert_is_refused_not_parsed() {
        let deep = format!(
            "<alert>{}{}</alert>",
            "<a>".repeat(100_000),
            "</a>".repeat(100_000)
        );
        let err = parse(&deep).unwrap_err();
        assert!(err.to_string().contains("more than 32 deep"), "{err}");
        assert!(parse(CAP).is_ok(), "a real alert passes the guard");
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
