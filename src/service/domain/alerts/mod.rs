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
//! Each source has a remit: the administrative area codes it may warn (a code covers the areas
//! inside it, as a group's codes do). A warning for an area outside it is refused (403, naming
//! the codes); a source without a remit (one added before remits) is refused until it is given
//! one (the console's 预警来源 page, `noticecast source areas`). Only `Public` messages (CAP
//! `scope`) reach public screens; a warning without `expires` ends after a default span (`serve
//! --alert-default-hours`, 24 h), so none holds its screens for ever; a warning for a group on
//! standby is held there, and says so.
//!
//! `identifier` is kept: the same identifier twice changes nothing (`duplicate`). Update replaces
//! the notice its `references` name with a new revision; Cancel withdraws it at once (taking a
//! warning down reveals nothing, and a cancelled warning must not stay on screens).
//!
//! The sources themselves (adding, remits, revoking, the token's check) are `sources`.

use serde::Serialize;
use utoipa::ToSchema;

pub use crate::model::alert::{Alert, CAP_NAMESPACE, MsgType};
use crate::model::{Category, Priority, Problem, Timestamp};
use crate::service::domain::audit;
use crate::service::domain::error::Error;
use crate::service::domain::groups;
use crate::service::domain::notices::{self, NoticeInput};
use crate::service::domain::storage::{self, Conn};

mod sources;
pub use sources::{
    Publish, Source, SourceInfo, add_source, authenticate, list_sources, revoke_source,
    set_source_areas,
};

/// Parses an alert message (`model::alert::parse`); a refusal is a 400 that names the element.
pub fn parse(xml: &str) -> Result<Alert, Error> {
    crate::model::alert::parse(xml).map_err(|e| Error::Malformed(e.to_string()))
}

/// What became of an alert.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Outcome {
    /// `published`, `held` (published, but every group it is for is on standby: shown there when
    /// the standby is lifted, if still in force), `submitted` (waits for a reviewer), `updated`,
    /// `cancelled`, `duplicate` or `ignored` (not an Actual message).
    pub result: String,
    pub notice: Option<String>,
    pub groups: Vec<String>,
    /// When the warning ends: its `expires`, or the default span after it was sent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<String>,
    /// Groups on standby, where the warning waits until the standby is lifted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub held: Vec<String>,
    /// Routine notices taken out of a group's feed so that the warning fits its budget.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub gave_way: Vec<GaveWay>,
    /// What the result means for the screens, in words (a held warning, a default end, notices
    /// that gave way).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// The routine notices one group's feed left out for a warning (`feeds`: lowest priority and
/// oldest first).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct GaveWay {
    pub group: String,
    pub notices: Vec<String>,
}

impl Outcome {
    fn new(result: Disposition, notice: Option<String>, groups: Vec<String>) -> Outcome {
        Outcome {
            result: result.as_str().into(),
            notice,
            groups,
            valid_until: None,
            held: Vec::new(),
            gave_way: Vec::new(),
            notes: Vec::new(),
        }
    }
}

/// The default span of a warning without `expires` (`serve --alert-default-hours`).
pub const DEFAULT_HOURS: u32 = 24;

/// Only a `Public` message reaches public screens: a Restricted or Private one is meant for its
/// addressees (CAP 1.2 `scope`, GB/T 35965.1 likewise), and a message that does not say is not
/// taken for public.
fn check_scope(alert: &Alert) -> Result<(), Error> {
    let reason = match alert.scope.as_deref() {
        Some("Public") => return Ok(()),
        Some(other) => crate::model::Reason::ScopeNotPublic {
            scope: other.to_string(),
        },
        None => crate::model::Reason::ScopeMissing,
    };
    Err(Error::Invalid(vec![Problem::new("alert", "scope", reason)]))
}

/// The alert's area codes must lie within the source's remit (each the same as, or inside, one
/// of its codes); a source without a remit may warn nowhere. 403 naming the codes outside.
fn check_remit_of(source: &Source, alert: &Alert) -> Result<(), Error> {
    if source.areas.is_empty() {
        return Err(Error::Forbidden(crate::model::Reason::Detail(format!(
            "alert source {} has no remit yet: the security administrator gives it the area codes \
             it may warn (the console's 预警来源 page, or noticecast source areas --data DIR {} \
             CODE...)",
            source.name, source.name
        ))));
    }
    let outside: Vec<&String> = alert
        .areas
        .iter()
        .filter(|c| groups::is_area_code(c))
        .filter(|c| !source.areas.iter().any(|own| groups::area_covers(own, c)))
        .collect();
    if outside.is_empty() {
        return Ok(());
    }
    Err(Error::Forbidden(crate::model::Reason::Detail(format!(
        "{} outside the remit of alert source {} ({} and the areas inside)",
        join(&outside),
        source.name,
        source.areas.join(", ")
    ))))
}

/// How far ahead of the service's clock a warning may say it was sent (clocks drift, a little).
const SENT_AHEAD: chrono::TimeDelta = chrono::TimeDelta::minutes(10);
/// The longest a warning stays up on its own: a source token that says `expires` 9999 would
/// otherwise take its groups' screens for ever. A longer event is sent again, or updated.
pub const MAX_ALERT_SPAN: chrono::TimeDelta = chrono::TimeDelta::days(7);

/// A warning dated in the future would start showing only then, and jump the queue of what the
/// source sends meanwhile: refused.
fn check_times(alert: &Alert, now: Timestamp) -> Result<(), Error> {
    if alert.sent > now + SENT_AHEAD {
        return Err(Error::Invalid(vec![Problem::new(
            "alert",
            "sent",
            crate::model::Reason::SentInFuture {
                sent: alert.sent,
                now,
            },
        )]));
    }
    Ok(())
}

/// The notice an alert becomes, for `groups`; without `expires` it ends `default_span` after it
/// was sent, and in any case `MAX_ALERT_SPAN` after it at the latest.
fn input_of(alert: &Alert, groups: Vec<String>, default_span: chrono::Duration) -> NoticeInput {
    NoticeInput {
        title: alert.headline.clone(),
        body: alert.description.clone().unwrap_or(alert.headline.clone()),
        category: Category::PublicAffairs,
        priority: Priority::Emergency,
        issuer: alert.sender_name.clone().unwrap_or(alert.sender.clone()),
        doc_number: None,
        valid_from: alert.sent,
        valid_until: Some(
            alert
                .expires
                .unwrap_or(alert.sent + default_span)
                .min(alert.sent + MAX_ALERT_SPAN),
        ),
        url: alert
            .web
            .clone()
            .filter(|w| w.starts_with("https://") || w.starts_with("http://")),
        level: Some(alert.level),
        instruction: alert.instruction.clone(),
        contact: alert.contact.clone(),
        alert_id: Some(alert.identifier.clone()),
        notice_period: None,
        figures: Vec::new(),
        groups,
    }
}

/// The groups whose areas the alert covers; none is a 422 naming the codes.
fn target_groups(conn: &Conn, alert: &Alert) -> Result<Vec<String>, Error> {
    let bad_codes: Vec<&String> = alert
        .areas
        .iter()
        .filter(|c| !groups::is_area_code(c))
        .collect();
    // One malformed code among good ones is refused too: dropped silently, the warning would
    // reach fewer areas than its sender meant, or other ones.
    if !bad_codes.is_empty() {
        return Err(Error::Invalid(vec![Problem::new(
            "alert",
            "info.area.geocode",
            crate::model::Reason::NotAreaCodes {
                codes: join(&bad_codes),
                count: bad_codes.len(),
            },
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
        return Err(Error::Invalid(vec![Problem::new(
            "alert",
            "info.area.geocode",
            crate::model::Reason::NoGroupCovers {
                codes: join(&codes.iter().collect::<Vec<_>>()),
            },
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
fn referenced(conn: &Conn, source: &Source, references: &[String]) -> Result<String, Error> {
    for identifier in references {
        if let Some(notice) = storage::alerts::alert_notice(conn, &source.name, identifier)? {
            return Ok(notice);
        }
    }
    Err(Error::Invalid(vec![Problem::new(
        "alert",
        "references",
        crate::model::Reason::UnknownReferences {
            source: source.name.clone(),
            references: references.join(" "),
        },
    )]))
}

/// Acts on an alert from `source`: creates, replaces or withdraws its notice. A warning without
/// `expires` ends `default_span` after it was sent.
pub fn receive(
    conn: &Conn,
    source: &Source,
    alert: &Alert,
    default_span: chrono::Duration,
    now: Timestamp,
) -> Result<Outcome, Error> {
    let seen = storage::alerts::alert_notice(conn, &source.name, &alert.identifier)?;
    if let Some(notice) = seen {
        return Ok(Outcome::new(
            Disposition::Duplicate,
            Some(notice),
            Vec::new(),
        ));
    }
    if alert.status != "Actual" {
        return Ok(Outcome::new(Disposition::Ignored, None, Vec::new()));
    }
    // Taking a warning down is always allowed; putting one up only within the source's remit,
    // and only a public one.
    if alert.msg_type != MsgType::Cancel {
        check_scope(alert)?;
        check_remit_of(source, alert)?;
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
    let (mut result, id, targets) = match alert.msg_type {
        MsgType::Alert => {
            check_times(alert, now)?;
            let targets = target_groups(conn, alert)?;
            let input = input_of(alert, targets.clone(), default_span);
            no_personal_data(&input)?;
            let id = notices::open(conn, source.author(), &input, now)?;
            let result = match source.publish {
                Publish::Direct => Disposition::Published,
                Publish::Review => Disposition::Submitted,
            };
            (result, id, targets)
        }
        MsgType::Update => {
            let id = referenced(conn, source, &alert.references)?;
            let notice = notices::get(conn, &id)?;
            if notice.withdrawn_at.is_some() {
                return Err(Error::Conflict(crate::model::Reason::Detail(format!(
                    "notice {id} (alert {}) was cancelled or withdrawn",
                    alert.references.join(" ")
                ))));
            }
            check_times(alert, now)?;
            let targets = target_groups(conn, alert)?;
            let input = input_of(alert, targets.clone(), default_span);
            no_personal_data(&input)?;
            notices::validate(conn, &input, now)?;
            let number = notice.latest().number + 1;
            notices::write_revision(conn, source.author(), &id, number, &input, now)?;
            (Disposition::Updated, id, targets)
        }
        MsgType::Cancel => {
            let id = referenced(conn, source, &alert.references)?;
            let notice = notices::get(conn, &id)?;
            if notice.withdrawn_at.is_none() {
                notices::take_down(
                    conn,
                    source.author(),
                    &id,
                    "预警已解除（预警系统取消）",
                    now,
                )?;
            }
            (Disposition::Cancelled, id, Vec::new())
        }
    };
    // Groups on standby keep their standby page: the warning is in their feed and shows when the
    // standby is lifted, if it is still in force. The answer says so rather than "published".
    let mut held = Vec::new();
    for group in &targets {
        if groups::blackout(conn, group)?.is_some() {
            held.push(group.clone());
        }
    }
    if result == Disposition::Published && !held.is_empty() && held.len() == targets.len() {
        result = Disposition::Held;
    }
    storage::alerts::insert_alert(
        conn,
        &source.name,
        &alert.identifier,
        &format!("{:?}", alert.msg_type),
        &id,
        &now.to_rfc3339(),
    )?;
    audit::record(
        conn,
        now,
        actor,
        audit::Action::Alert(result),
        &format!("notice {id}"),
        &format!(
            "{detail}; groups {}{}",
            targets.join(" "),
            if held.is_empty() {
                String::new()
            } else {
                format!("; held on standby in {}", held.join(" "))
            }
        ),
    )?;
    let mut outcome = Outcome::new(result, Some(id), targets);
    if alert.msg_type != MsgType::Cancel {
        let asked = alert.expires.unwrap_or(alert.sent + default_span);
        let until = asked.min(alert.sent + MAX_ALERT_SPAN);
        outcome.valid_until = Some(until.to_rfc3339());
        if alert.expires.is_none() {
            outcome.notes.push(format!(
                "no <expires>: the warning ends at {}, {} h after it was sent",
                until.to_rfc3339(),
                default_span.num_hours()
            ));
        } else if until < asked {
            outcome.notes.push(format!(
                "<expires> {} is more than {} days after it was sent: the warning ends at {}; \
                 send an update to keep it up longer",
                asked.to_rfc3339(),
                MAX_ALERT_SPAN.num_days(),
                until.to_rfc3339()
            ));
        }
    }
    for group in &held {
        outcome.notes.push(format!(
            "held: group {group} is on standby; the warning is shown there when the standby is \
             lifted, if it is still in force"
        ));
    }
    outcome.held = held;
    Ok(outcome)
}

// What became of an alert is named where the audit log names it (an alert's audit action is
// `alert.<disposition>`), so that the log does not depend on this module.
pub use crate::service::domain::audit::Disposition;

impl Outcome {
    /// What became of the alert, as `result` says it.
    pub fn disposition(&self) -> Option<Disposition> {
        Disposition::parse(&self.result)
    }
}

/// A warning that would put a resident ID or bank card number on public screens is refused
/// whatever the source's trust: a source that publishes directly has no reviewer to stop it,
/// and a reviewer could not approve it either (`notices::personal_data`).
fn no_personal_data(input: &notices::NoticeInput) -> Result<(), Error> {
    let found = notices::personal_data(input);
    if found.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(found))
    }
}
