//! `noticecast tenant`: the districts of a city's platform (`domain::tenants`).

use clap::Subcommand;

use super::{CommandError, DataArg};
use crate::service::domain::state::{Options, Service, system_clock};
use crate::service::domain::tenants;

#[derive(Debug, Subcommand)]
pub enum TenantCommand {
    /// Add a district to the platform: its own users, groups, screens, notices, keys, audit log
    /// and report, reached under /t/NAME/ (its console at /t/NAME/console). Then add its
    /// administrators with `user add --tenant NAME`.
    Add {
        #[command(flatten)]
        data: DataArg,
        /// Lower-case letters and digits, a letter first (cj).
        name: String,
        /// The district's name as people write it (澄江县).
        #[arg(long)]
        title: String,
    },
    /// List the platform's districts.
    List {
        #[command(flatten)]
        data: DataArg,
    },
}

/// The platform: the service of the office the data folder belongs to, whatever `--tenant`.
fn platform(data: &DataArg) -> Result<Service, CommandError> {
    let options = Options {
        database: data.database(),
        ..Options::default()
    };
    Ok(Service::open(&data.data, options, system_clock())?)
}

/// Tenant `name` as the platform lists it, or the refusal naming it.
pub(super) fn listed(data: &DataArg, name: &str) -> Result<tenants::Tenant, CommandError> {
    Ok(platform(data)?.read(|conn, _| tenants::get(conn, name))?)
}

pub fn tenant(command: TenantCommand) -> Result<(), CommandError> {
    match command {
        TenantCommand::Add { data, name, title } => {
            if data.tenant.is_some() {
                return Err(CommandError::About {
                    what: "--tenant".into(),
                    source: crate::service::domain::error::Error::invalid(
                        "tenant",
                        crate::model::Reason::NotATenantName {
                            name: "a tenant adds no tenants".into(),
                        },
                    ),
                });
            }
            let platform = platform(&data)?;
            platform.record(|conn, now| tenants::add(conn, "command line", &name, &title, now))?;
            // Its database (schema or file) and its signing key, made now.
            let tenant = DataArg {
                data: data.data.clone(),
                database: data.database.clone(),
                tenant: Some(name.clone()),
            };
            drop(platform);
            super::open(&tenant, Options::default())?;
            eprintln!(
                "added tenant {name} ({title}): its console is /t/{name}/console, its feeds \
                 /t/{name}/feed/GROUP; its signing key is {}; add its administrators with \
                 `noticecast user add --tenant {name}`",
                tenant
                    .folder()
                    .join(crate::service::domain::keys::KEY_FILE)
                    .display()
            );
            Ok(())
        }
        TenantCommand::List { data } => {
            // Each district's health beside its name, as GET /api/platform/tenants gives it.
            let platform = platform(&data)?;
            for t in platform.read(|conn, _| tenants::list(conn))? {
                let district = DataArg {
                    data: data.data.clone(),
                    database: data.database(),
                    tenant: Some(t.name.clone()),
                };
                let service = super::open(&district, Options::default())?;
                let h = service.read(|conn, now| tenants::health(conn, &t, now))?;
                println!(
                    "{}\t{}\t{}\tscreens {} (heard {}, errors {})\tgroups {}\tsigned {}\t\
                     waiting for review {}",
                    t.name,
                    t.title,
                    t.created_at,
                    h.screens,
                    h.screens_heard,
                    h.screens_with_errors,
                    h.groups,
                    h.feeds_signed_at.as_deref().unwrap_or("-"),
                    h.waiting_for_review
                );
            }
            Ok(())
        }
    }
}
