//! The safety property of the review workflow, tested on thousands of random histories: random
//! users with random (and changing) roles create, edit, submit, approve, reject and withdraw
//! notices while the clock moves forward. After every step, every group's feed, as served,
//! holds exactly the notices a reference model says may be on screens: the last approved
//! revision of each notice not withdrawn, approved with the confidentiality confirmation by a
//! reviewer who did not write it, targeting the group, not expired and due within the horizon.
//! And a feed's sequence moves exactly when its content does (or when it is renewed).

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::Duration;
use ed25519_dalek::SigningKey;
use noticecast::model::{Category, FeedDocument, Priority, Timestamp};
use noticecast::service::domain::accounts::{Role, User};
use noticecast::service::domain::feeds::{HORIZON, RENEW_AFTER};
use noticecast::service::domain::notices::{self, NoticeInput};
use noticecast::service::{Options, Service};
use proptest::prelude::*;

const GROUPS: [&str; 3] = ["plaza-tv", "service-hall-led", "village-terminal"];
const USERS: usize = 4;

#[derive(Debug, Clone)]
struct Content {
    title: usize,
    from_h: i64,
    length_h: Option<i64>,
    targets: u8,
}

#[derive(Debug, Clone)]
enum Action {
    Create {
        user: usize,
        content: Content,
    },
    Edit {
        user: usize,
        notice: usize,
        content: Content,
    },
    Submit {
        user: usize,
        notice: usize,
    },
    Approve {
        user: usize,
        notice: usize,
        back: i64,
        confirm: bool,
    },
    Reject {
        user: usize,
        notice: usize,
        back: i64,
    },
    Withdraw {
        user: usize,
        notice: usize,
    },
    Advance {
        hours: i64,
    },
    SetRole {
        user: usize,
        role: usize,
    },
}

fn content() -> impl Strategy<Value = Content> {
    (
        0usize..6,
        -72i64..400,
        prop_oneof![Just(None), (-5i64..300).prop_map(Some)],
        0u8..16,
    )
        .prop_map(|(title, from_h, length_h, targets)| Content {
            title,
            from_h,
            length_h,
            targets,
        })
}

fn action() -> impl Strategy<Value = Action> {
    let user = 0..USERS;
    let notice = 0usize..8;
    prop_oneof![
        3 => (user.clone(), content()).prop_map(|(user, content)| Action::Create { user, content }),
        2 => (user.clone(), notice.clone(), content())
            .prop_map(|(user, notice, content)| Action::Edit { user, notice, content }),
        3 => (user.clone(), notice.clone()).prop_map(|(user, notice)| Action::Submit { user, notice }),
        4 => (user.clone(), notice.clone(), 0i64..2, prop::bool::weighted(0.85))
            .prop_map(|(user, notice, back, confirm)| Action::Approve { user, notice, back, confirm }),
        1 => (user.clone(), notice.clone(), 0i64..2)
            .prop_map(|(user, notice, back)| Action::Reject { user, notice, back }),
        1 => (user.clone(), notice.clone()).prop_map(|(user, notice)| Action::Withdraw { user, notice }),
        2 => (1i64..200).prop_map(|hours| Action::Advance { hours }),
        1 => (user, 0usize..3).prop_map(|(user, role)| Action::SetRole { user, role }),
    ]
}

const TITLES: [&str; 6] = [
    "停水通知",
    "城关镇便民服务中心延长办公时间",
    "关于2026年度城乡居民医疗保险缴费的通知",
    "人事任免公示",
    "重大项目进展情况",
    "防汛应急演练安排",
];

/// The reference model: what the test knows happened, independent of the service's tables.
struct Model {
    roles: [Role; USERS],
    notices: Vec<ModelNotice>,
}

struct ModelNotice {
    id: String,
    /// By revision number - 1: the content and who wrote it.
    revisions: Vec<(NoticeInput, usize)>,
    /// The last approval the service accepted: (revision number, approver).
    approved: Option<(i64, usize)>,
    withdrawn: bool,
}

fn input(c: &Content, t0: Timestamp) -> NoticeInput {
    let from = t0 + Duration::hours(c.from_h);
    let mut groups: Vec<String> = GROUPS
        .iter()
        .enumerate()
        .filter(|(i, _)| c.targets & (1 << i) != 0)
        .map(|(_, g)| g.to_string())
        .collect();
    if c.targets & 8 != 0 {
        groups = vec!["*".into()];
    }
    NoticeInput {
        title: TITLES[c.title].into(),
        body: format!("{}。详情请咨询村委会。", TITLES[c.title]),
        category: Category::ALL[c.title % 6],
        priority: if c.title == 5 {
            Priority::Urgent
        } else {
            Priority::Normal
        },
        issuer: "云岭区人民政府办公室".into(),
        doc_number: None,
        valid_from: from,
        valid_until: c.length_h.map(|h| from + Duration::hours(h)),
        url: None,
        level: None,
        instruction: None,
        contact: None,
        alert_id: None,
        notice_period: None,
        figures: Vec::new(),
        groups,
    }
}

fn decode(body: &[u8]) -> FeedDocument {
    let envelope: serde_json::Value = serde_json::from_slice(body).unwrap();
    let payload = BASE64
        .decode(envelope["payload"].as_str().unwrap())
        .unwrap();
    serde_json::from_slice(&payload).unwrap()
}

/// What may (and must) be in `group`'s feed at `now`, by notice id.
fn expected(model: &Model, group: &str, now: Timestamp) -> HashMap<String, NoticeInput> {
    let mut out = HashMap::new();
    for n in &model.notices {
        let Some((number, approver)) = n.approved else {
            continue;
        };
        let (content, author) = &n.revisions[number as usize - 1];
        assert_ne!(*author, approver, "the model recorded a self-approval");
        if n.withdrawn || !content.targets(group) {
            continue;
        }
        if content.valid_until.is_some_and(|u| u <= now) || content.valid_from > now + HORIZON {
            continue;
        }
        out.insert(n.id.clone(), content.clone());
    }
    out
}

fn run_history(actions: &[Action]) -> Result<(), TestCaseError> {
    let t0 = common::t("2026-03-02T09:00:00+08:00");
    let clock = Arc::new(Mutex::new(t0));
    let c = clock.clone();
    let service = Service::in_memory(
        SigningKey::from_bytes(&[5u8; 32]),
        Options::default(),
        Arc::new(move || *c.lock().unwrap()),
    )
    .unwrap();
    let initial = [Role::Editor, Role::Editor, Role::Reviewer, Role::Reviewer];
    for (i, role) in initial.iter().enumerate() {
        // No password hashing here: these users never log in.
        service
            .db()
            .execute(
                "INSERT INTO users (id, name, role, password_hash, created_at)
                 VALUES (?1, ?2, ?3, 'x', '2026-01-01T00:00:00+08:00')",
                noticecast::service::domain::storage::sql::params![
                    i as i64 + 1,
                    format!("user{i}"),
                    role.as_str()
                ],
            )
            .unwrap();
    }
    let mut model = Model {
        roles: initial,
        notices: Vec::new(),
    };
    let user = |model: &Model, i: usize| User {
        id: i as i64 + 1,
        name: format!("user{i}"),
        role: model.roles[i],
        must_change_password: false,
    };
    let mut last: HashMap<&str, (u64, String, Timestamp)> = HashMap::new();
    for action in actions {
        let now = *clock.lock().unwrap();
        match action.clone() {
            Action::Create { user: u, content } => {
                let input = input(&content, now);
                let actor = user(&model, u);
                if let Ok(id) =
                    service.change(|conn, now| notices::create(conn, &actor, &input, now))
                {
                    prop_assert_eq!(actor.role, Role::Editor);
                    model.notices.push(ModelNotice {
                        id,
                        revisions: vec![(input, u)],
                        approved: None,
                        withdrawn: false,
                    });
                }
            }
            Action::Edit {
                user: u,
                notice,
                content,
            } => {
                if model.notices.is_empty() {
                    continue;
                }
                let k = notice % model.notices.len();
                let input = input(&content, now);
                let actor = user(&model, u);
                let id = model.notices[k].id.clone();
                if let Ok(number) =
                    service.change(|conn, now| notices::edit(conn, &actor, &id, &input, now))
                {
                    prop_assert_eq!(actor.role, Role::Editor);
                    prop_assert!(!model.notices[k].withdrawn);
                    let n = &mut model.notices[k];
                    prop_assert_eq!(number as usize, n.revisions.len() + 1);
                    n.revisions.push((input, u));
                }
            }
            Action::Submit { user: u, notice } => {
                if model.notices.is_empty() {
                    continue;
                }
                let k = notice % model.notices.len();
                let actor = user(&model, u);
                let id = model.notices[k].id.clone();
                if service
                    .change(|conn, now| notices::submit(conn, &actor, &id, now))
                    .is_ok()
                {
                    prop_assert_eq!(actor.role, Role::Editor);
                }
            }
            Action::Approve {
                user: u,
                notice,
                back,
                confirm,
            } => {
                if model.notices.is_empty() {
                    continue;
                }
                let k = notice % model.notices.len();
                let actor = user(&model, u);
                let id = model.notices[k].id.clone();
                let number = model.notices[k].revisions.len() as i64 - back;
                if number < 1 {
                    continue;
                }
                let result = service.approve(&actor, &id, number, confirm);
                if result.is_ok() {
                    let n = &mut model.notices[k];
                    let author = n.revisions[number as usize - 1].1;
                    prop_assert_eq!(actor.role, Role::Reviewer, "approved by a non-reviewer");
                    prop_assert!(confirm, "approved without the confidentiality confirmation");
                    prop_assert_ne!(author, u, "approved by its own author");
                    prop_assert!(!n.withdrawn, "a withdrawn notice was approved");
                    prop_assert_eq!(
                        number as usize,
                        n.revisions.len(),
                        "a stale revision was approved"
                    );
                    n.approved = Some((number, u));
                }
            }
            Action::Reject {
                user: u,
                notice,
                back,
            } => {
                if model.notices.is_empty() {
                    continue;
                }
                let k = notice % model.notices.len();
                let actor = user(&model, u);
                let id = model.notices[k].id.clone();
                let number = model.notices[k].revisions.len() as i64 - back;
                if service
                    .change(|conn, now| notices::reject(conn, &actor, &id, number, "需修改", now))
                    .is_ok()
                {
                    prop_assert_eq!(actor.role, Role::Reviewer);
                }
            }
            Action::Withdraw { user: u, notice } => {
                if model.notices.is_empty() {
                    continue;
                }
                let k = notice % model.notices.len();
                let actor = user(&model, u);
                let id = model.notices[k].id.clone();
                if service
                    .change(|conn, now| notices::withdraw(conn, &actor, &id, "改期", now))
                    .is_ok()
                {
                    prop_assert!(actor.role != Role::Sysadmin);
                    model.notices[k].withdrawn = true;
                }
            }
            Action::Advance { hours } => {
                *clock.lock().unwrap() += Duration::hours(hours);
            }
            Action::SetRole { user: u, role } => {
                let role = Role::ALL[role];
                model.roles[u] = role;
                service
                    .db()
                    .execute(
                        "UPDATE users SET role = ?1 WHERE id = ?2",
                        noticecast::service::domain::storage::sql::params![
                            role.as_str(),
                            u as i64 + 1
                        ],
                    )
                    .unwrap();
            }
        }

        let now = *clock.lock().unwrap();
        for group in GROUPS {
            let published = service.feed(group).unwrap();
            let doc = decode(&published.body);
            prop_assert_eq!(doc.sequence, published.sequence);
            let want = expected(&model, group, now);
            let mut got: Vec<&str> = doc.notices.iter().map(|n| n.id.as_str()).collect();
            let mut want_ids: Vec<&str> = want.keys().map(String::as_str).collect();
            got.sort();
            want_ids.sort();
            prop_assert_eq!(
                &got,
                &want_ids,
                "group {} at {} after {:?}",
                group,
                now,
                action
            );
            for n in &doc.notices {
                let c = &want[&n.id];
                prop_assert_eq!(&n.title, &c.title);
                prop_assert_eq!(&n.body, &c.body);
                prop_assert_eq!((n.valid_from, n.valid_until), (c.valid_from, c.valid_until));
                prop_assert_eq!((n.category, n.priority), (c.category, c.priority));
            }
            // The sequence moves exactly when the content does, or when the feed is renewed.
            let content = serde_json::to_string(&(&doc.notices, &doc.playlist)).unwrap();
            if let Some((seq, old, generated)) = last.get(group) {
                let renewal_due = now >= *generated + RENEW_AFTER;
                if content != *old || renewal_due {
                    prop_assert!(
                        doc.sequence > *seq,
                        "{} changed without a new sequence",
                        group
                    );
                } else {
                    prop_assert_eq!(
                        doc.sequence,
                        *seq,
                        "{} got a new sequence without a change",
                        group
                    );
                }
            }
            last.insert(group, (doc.sequence, content, doc.generated_at));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn no_unapproved_withdrawn_expired_or_self_approved_revision_reaches_a_feed(
        actions in prop::collection::vec(action(), 1..50)
    ) {
        run_history(&actions)?;
    }
}
