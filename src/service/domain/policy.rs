//! 提级审核: a screen group's review policy. Offices are told to review what key screens show,
//! and what any screen shows during major events (重大活动), at a higher level: with two
//! reviewers, a revision reaches such a group's feed only after two different reviewers (neither
//! its author) each approved it and confirmed the confidentiality review.
//!
//! A policy asks for 2 reviews always, or only for notices shown during its periods (dates in
//! Beijing time, both ends included), or only for its categories, or both. A revision needs as
//! many reviews as the strictest policy among the groups it targets, weighed when a reviewer
//! approves it (a policy set while it waits applies). The security administrator sets policies.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::model::{Category, Problem, Timestamp, beijing};
use crate::service::domain::accounts::{Role, User};
use crate::service::domain::audit;
use crate::service::domain::error::Error;
use crate::service::domain::storage::Conn;
use crate::service::domain::storage::policy as store;

/// Dates of a major event, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Period {
    #[schema(value_type = String, example = "2026-12-01")]
    pub from: NaiveDate,
    #[schema(value_type = String, example = "2026-12-03")]
    pub to: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewPolicy {
    /// 1 (the four-eyes rule every notice has) or 2.
    pub reviews: u8,
    /// With 2 reviews: only for notices shown during one of these; none: whenever shown.
    #[serde(default)]
    pub periods: Vec<Period>,
    /// With 2 reviews: only for these categories; none: every category.
    #[serde(default)]
    #[schema(value_type = Vec<String>, example = json!(["public_affairs"]))]
    pub categories: Vec<Category>,
}

impl Default for ReviewPolicy {
    fn default() -> ReviewPolicy {
        ReviewPolicy {
            reviews: 1,
            periods: Vec::new(),
            categories: Vec::new(),
        }
    }
}

impl ReviewPolicy {
    /// How many reviews a notice of `category` shown from `from` until `until` (open: no end)
    /// needs under this policy.
    pub fn reviews_for(&self, category: Category, from: Timestamp, until: Option<Timestamp>) -> u8 {
        if self.reviews < 2 {
            return 1;
        }
        let in_category = self.categories.is_empty() || self.categories.contains(&category);
        let first = beijing(from).date_naive();
        let last = until.map(|u| beijing(u).date_naive());
        let in_period = self.periods.is_empty()
            || self
                .periods
                .iter()
                .any(|p| first <= p.to && last.is_none_or(|last| p.from <= last));
        if in_category && in_period { 2 } else { 1 }
    }

    fn problems(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        if !matches!(self.reviews, 1 | 2) {
            out.push(Problem::new(
                "policy",
                "reviews",
                crate::model::Reason::ReviewsNotOneOrTwo {
                    reviews: self.reviews,
                },
            ));
        }
        for (i, p) in self.periods.iter().enumerate() {
            if p.to < p.from {
                out.push(Problem::new(
                    "policy",
                    format!("periods[{i}]"),
                    crate::model::Reason::EndsBeforeStarts {
                        from: p.from,
                        to: p.to,
                    },
                ));
            }
        }
        if self.reviews == 1 && (!self.periods.is_empty() || !self.categories.is_empty()) {
            out.push(Problem::new(
                "policy",
                "reviews",
                crate::model::Reason::NarrowsOnlyTwo,
            ));
        }
        out
    }

    /// In words, for the console and the audit log.
    pub fn describe(&self) -> String {
        if self.reviews < 2 {
            return "1 reviewer".into();
        }
        let mut text = "2 reviewers".to_string();
        if !self.periods.is_empty() {
            let periods: Vec<String> = self
                .periods
                .iter()
                .map(|p| format!("{}..{}", p.from, p.to))
                .collect();
            text += &format!(" during {}", periods.join(", "));
        }
        if !self.categories.is_empty() {
            let categories: Vec<&str> = self.categories.iter().map(|c| c.as_str()).collect();
            text += &format!(" for {}", categories.join(", "));
        }
        text
    }
}

/// Group `group`'s policy (1 review if none was set).
pub fn get(conn: &Conn, group: &str) -> Result<ReviewPolicy, Error> {
    let row = store::select_policy(conn, group)?;
    let Some((reviews, periods, categories)) = row else {
        return Ok(ReviewPolicy::default());
    };
    let bad = |e: serde_json::Error| Error::Internal(format!("policy of {group}: {e}"));
    Ok(ReviewPolicy {
        reviews,
        periods: serde_json::from_str(&periods).map_err(bad)?,
        categories: serde_json::from_str(&categories).map_err(bad)?,
    })
}

/// Sets group `group`'s policy: the security administrator's alone. Audited.
pub fn set(
    conn: &Conn,
    actor: &User,
    group: &str,
    policy: &ReviewPolicy,
    now: Timestamp,
) -> Result<(), Error> {
    actor.require(&[Role::Secadmin], "set review policies")?;
    if !crate::service::domain::groups::exists(conn, group)? {
        return Err(Error::NotFound(crate::model::Reason::NoGroupNamed {
            name: group.to_string(),
        }));
    }
    let problems = policy.problems();
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    let json =
        |v: serde_json::Result<String>| v.map_err(|e| Error::Internal(format!("policy: {e}")));
    store::upsert_policy(
        conn,
        group,
        policy.reviews,
        &json(serde_json::to_string(&policy.periods))?,
        &json(serde_json::to_string(&policy.categories))?,
        &actor.name,
        &now.to_rfc3339(),
    )?;
    audit::record(
        conn,
        now,
        &actor.name,
        audit::Action::GroupPolicy,
        &format!("group {group}"),
        &policy.describe(),
    )
}

/// How many reviews a notice of `category` shown from `from` until `until` needs: the strictest
/// policy among `groups` (`None`: every group).
pub fn reviews_required(
    conn: &Conn,
    groups: Option<&[String]>,
    category: Category,
    from: Timestamp,
    until: Option<Timestamp>,
) -> Result<u8, Error> {
    let groups: Vec<String> = match groups {
        Some(groups) => groups.to_vec(),
        None => store::policy_groups(conn)?,
    };
    let mut most = 1;
    for group in groups {
        most = most.max(get(conn, &group)?.reviews_for(category, from, until));
    }
    Ok(most)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        chrono::DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn two_reviews_only_where_the_policy_says() {
        let always = ReviewPolicy {
            reviews: 2,
            ..ReviewPolicy::default()
        };
        let from = t("2026-11-30T09:00:00+08:00");
        assert_eq!(always.reviews_for(Category::Policy, from, None), 2);
        assert_eq!(
            ReviewPolicy::default().reviews_for(Category::Policy, from, None),
            1
        );

        let event = ReviewPolicy {
            reviews: 2,
            periods: vec![Period {
                from: day("2026-12-01"),
                to: day("2026-12-03"),
            }],
            categories: vec![],
        };
        // Shown into the event: 2. Ending the day before: 1. Starting on its last day (Beijing
        // time, late evening UTC the day before): 2. Open-ended from before: 2.
        let until = |s| Some(t(s));
        assert_eq!(
            event.reviews_for(Category::Policy, from, until("2026-12-01T08:00:00+08:00")),
            2
        );
        assert_eq!(
            event.reviews_for(Category::Policy, from, until("2026-11-30T23:59:00+08:00")),
            1
        );
        assert_eq!(
            event.reviews_for(Category::Policy, t("2026-12-02T20:00:00Z"), None),
            2
        );
        assert_eq!(
            event.reviews_for(Category::Policy, t("2026-12-03T16:00:00Z"), None),
            1,
            "2026-12-04 in Beijing: after the event"
        );
        assert_eq!(event.reviews_for(Category::Policy, from, None), 2);

        let personnel = ReviewPolicy {
            categories: vec![Category::Personnel],
            ..event.clone()
        };
        assert_eq!(
            personnel.reviews_for(
                Category::Personnel,
                from,
                until("2026-12-02T00:00:00+08:00")
            ),
            2
        );
        assert_eq!(
            personnel.reviews_for(Category::Policy, from, until("2026-12-02T00:00:00+08:00")),
            1
        );
    }

    #[test]
    fn bad_policies_say_why() {
        let backwards = ReviewPolicy {
            reviews: 2,
            periods: vec![Period {
                from: day("2026-12-03"),
                to: day("2026-12-01"),
            }],
            categories: vec![],
        };
        assert!(backwards.problems()[0].to_string().contains("ends"));
        let three = ReviewPolicy {
            reviews: 3,
            ..ReviewPolicy::default()
        };
        assert!(three.problems()[0].to_string().contains("1 or 2"));
    }
}
