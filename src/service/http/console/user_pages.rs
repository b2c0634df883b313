//! The console's accounts: the users page (new accounts, roles, resets, disabling) and everyone's
//! own password change.

use super::error::Page;
use super::form::Fields;
use super::frame::layout;
use super::{page, role_label, see};
use crate::service::domain::accounts::{self, Role};
use crate::service::domain::error::Error;
use crate::service::domain::passwords;
use crate::service::http::guard::{AppState, Session};
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use maud::html;

/// The users page, with the one-time code just given to `code.0` (shown only this once).
fn users_page(service: &AppState, session: &Session, code: Option<(&str, &str)>) -> Page {
    users_page_saying(service, session, code, None)
}

/// The users page, saying what was just changed (`said`).
fn users_page_saying(
    service: &AppState,
    session: &Session,
    code: Option<(&str, &str)>,
    said: Option<&str>,
) -> Page {
    let listed = service.read(|conn, _now| {
        let list = accounts::list_users(conn)?;
        let handovers = list
            .iter()
            .map(|u| accounts::handover(conn, u))
            .collect::<Result<Vec<_>, _>>()?;
        Ok((list, accounts::disabled_users(conn)?, handovers))
    });
    let (list, disabled, handovers) = listed?;
    let role_select = |name: &str, current: Role, roles: &[Role]| {
        html! {
            select name="role" aria-label=(format!("{name} 的角色")) {
                @if !roles.contains(&current) { option value="" selected { (role_label(current)) } }
                @for r in roles { option value=(r.as_str()) selected[current == *r] {
                    (role_label(*r)) } }
            }
        }
    };
    let me = &session.user;
    // What this administrator may change on each account: the same rule the change is checked by.
    let may = |target: &accounts::User, change: accounts::AccountChange| {
        accounts::may_change(me, target, change).is_ok()
    };
    let body = html! {
        @if let Some(said) = said {
            div.ok-box role="status" { p { (said) } }
        }
        @if let Some((name, code)) = code {
            div.ok-box {
                p { "用户 " strong { (name) } " 的一次性密码（只显示这一次）：" }
                pre.token { (code) }
                p.hint {
                    "请当面或通过可靠渠道交给本人。本人用它登录后必须立即设置自己的密码；"
                    "在此之前不能办理任何事项。新账号和重置过密码的账号没有角色，"
                    "须由安全管理员在本人设置密码后授予。"
                }
            }
        }
        p.hint {
            "三员分立：系统管理员新建账号（没有角色、只有一次性密码）、"
            "为编辑和审核重置密码（账号的角色随之暂停）或停用账号；"
            "安全管理员为已设置自己密码的账号授予编辑或审核角色（不能给自己）；"
            "系统管理员、安全管理员、安全审计员的角色授予、密码重置和账号停用"
            "只能由服务器管理员在服务器的命令行上办理（见部署说明）。"
            "任何人都只能通过“修改密码”设置自己的密码。"
        }
        table {
            thead { tr { th { "用户" } th { "角色" } th { "状态" } th { "修改" } } }
            tbody {
                @for (u, handover) in list.iter().zip(&handovers) {
                    @let off = disabled.contains(&u.name);
                    @let role_ok = may(u, accounts::AccountChange { role: Some(Role::Editor),
                        ..Default::default() }) && !u.must_change_password;
                    @let reset_ok = may(u, accounts::AccountChange { reset: true,
                        ..Default::default() });
                    @let state_ok = may(u, accounts::AccountChange { state: true,
                        ..Default::default() });
                    tr {
                        td { (u.name) }
                        td {
                            (role_label(u.role))
                            @if u.must_change_password {
                                br;
                                span.hint { "待本人用一次性密码登录并设置密码" }
                            }
                            @if let Some(h) = handover {
                                br;
                                span.hint {
                                    (h.by) (if h.action == "user.add" { " 新建于 " }
                                        else { " 重置密码于 " }) (h.at)
                                    @if let (Some(at), Some(from)) = (&h.replaced_at,
                                        &h.replaced_from) {
                                        "；一次性密码于 " (at) " 从 " (from) " 被替换"
                                    }
                                }
                                @if h.from_administrators_address {
                                    br;
                                    span.bad { "注意：替换一次性密码的地址是 " (h.by)
                                        " 登录过的地址，可能是管理员本人设置了密码。"
                                        "授予角色前请当面向本人确认密码是本人设置的。" }
                                }
                            }
                        }
                        td { @if off { span.bad { "已停用" } } @else { "在用" } }
                        td {
                            @if role_ok || reset_ok || state_ok {
                                form.inline method="post" action=(format!("/console/users/{}",
                                    u.name)) {
                                    input type="hidden" name="csrf" value=(session.csrf);
                                    @if role_ok {
                                        (role_select(&u.name, u.role, &Role::GRANTED_ONLINE))
                                    }
                                    @if state_ok {
                                        select name="state"
                                            aria-label=(format!("{} 的账号状态", u.name)) {
                                            option value="active" selected[!off] { "在用" }
                                            option value="disabled" selected[off] {
                                                "停用（离职、调岗）"
                                            }
                                        }
                                    }
                                    @if reset_ok {
                                        label { input type="checkbox" name="reset" value="1";
                                            "重置密码（生成一次性密码，角色暂停）" }
                                    }
                                    button type="submit" { "保存" }
                                }
                            } @else if u.id == me.id {
                                span.hint { "自己的账号：请用“修改密码”" }
                            } @else if u.role.is_administrator() {
                                span.hint { "管理员账号只能在服务器上管理" }
                            } @else if me.role == Role::Secadmin && u.must_change_password {
                                span.hint { "待本人设置密码后再授予角色" }
                            } @else {
                                span.hint { "由系统管理员管理" }
                            }
                        }
                    }
                }
            }
        }
        @if me.role == Role::Sysadmin {
            h2 { "新建用户" }
            p.hint {
                "新账号没有角色，只有一个一次性密码（保存后显示一次）。"
                "本人登录并设置自己的密码后，由安全管理员授予编辑或审核角色。"
            }
            form.inline method="post" action="/console/users" {
                input type="hidden" name="csrf" value=(session.csrf);
                label { "用户名" input name="name" required; }
                button type="submit" { "新建" }
            }
        }
    };
    Ok(page(
        StatusCode::OK,
        layout(Some(&session.user), Some(&session.csrf), "用户", body),
    ))
}

#[derive(serde::Deserialize)]
pub struct UsersQuery {
    /// The account just changed: the page says so.
    changed: Option<String>,
}

pub async fn users(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    axum::extract::Query(q): axum::extract::Query<UsersQuery>,
) -> Page {
    let said = q
        .changed
        .map(|name| format!("已保存对用户 {name} 的修改。"));
    users_page_saying(&service, &session, None, said.as_deref())
}

pub async fn add_user(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    body: Bytes,
) -> Page {
    let f = Fields::parse(&body);
    let name = f.get("name").trim().to_string();
    let (user, code) =
        service.change(|conn, now| accounts::add_account(conn, &session.user, &name, now))?;
    users_page(&service, &session, Some((&user.name, &code)))
}

pub async fn change_user(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    Path(name): Path<String>,
    body: Bytes,
) -> Page {
    let f = Fields::parse(&body);
    let role = Role::parse(f.get("role"));
    let reset = f.get("reset") == "1";
    let disabled = match f.get("state") {
        "disabled" => Some(true),
        "active" => Some(false),
        _ => None,
    };
    let result = service.change(|conn, now| {
        accounts::change_account(conn, &session.user, &name, role, reset, disabled, now)
    });
    Ok(match result? {
        (user, Some(code)) => users_page(&service, &session, Some((&user.name, &code)))?,
        (user, None) => see(&format!(
            "/console/users?changed={}",
            form_urlencoded::byte_serialize(user.name.as_bytes()).collect::<String>()
        )),
    })
}

/// 修改密码: everyone's own, and the first thing an account with a one-time code does.
fn password_form(session: &Session, problem: Option<&str>, done: bool) -> Response {
    let user = &session.user;
    let body = html! {
        @if user.must_change_password {
            p.notice {
                "您现在使用的是一次性密码。请先设置您自己的密码；设置之前不能办理其他事项。"
            }
        } @else if user.role == Role::Unassigned {
            p.notice { "您的账号还没有角色。安全管理员为您授予角色后，才能办理业务。" }
        }
        @if done { div.ok-box { p { "密码已修改。您在其他地方的登录已全部退出。" } } }
        @if let Some(problem) = problem { div.error role="alert" { p { (problem) } } }
        form method="post" action="/console/password" {
            input type="hidden" name="csrf" value=(session.csrf);
            label { "当前密码（或一次性密码）" input name="current" type="password"
                autocomplete="current-password" required; }
            label { "新密码（至少 " (passwords::MIN_PASSWORD_CHARS) " 个字符，不能包含用户名）"
                input name="new" type="password" minlength=(passwords::MIN_PASSWORD_CHARS)
                autocomplete="new-password" required; }
            label { "再输入一次新密码"
                input name="again" type="password" autocomplete="new-password" required; }
            button type="submit" { "修改密码" }
        }
    };
    let status = if problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    page(
        status,
        layout(Some(user), Some(&session.csrf), "修改密码", body),
    )
}

pub async fn password_page(Extension(session): Extension<Session>) -> Response {
    password_form(&session, None, false)
}

pub async fn change_password(
    State(service): State<AppState>,
    Extension(session): Extension<Session>,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> Page {
    let f = Fields::parse(&body);
    let (current, new) = (f.get("current").to_string(), f.get("new").to_string());
    if new != f.get("again") {
        return Ok(password_form(
            &session,
            Some("两次输入的新密码不一致。"),
            false,
        ));
    }
    // The current password through the login's gate and limit, counted against this session
    // alone (see the API's twin).
    let client = Some(crate::service::domain::limits::session_limit_key(
        &session.csrf,
    ));
    match service
        .login(
            &session.user.name,
            current.clone(),
            client,
            None,
            "password change",
        )
        .await
    {
        Ok(user) if user.id == session.user.id => {}
        Ok(_) | Err(Error::Unauthenticated(_)) => {
            return Ok(password_form(
                &session,
                Some("当前密码（或一次性密码）不正确。"),
                false,
            ));
        }
        Err(Error::TooManyAttempts { retry_after_s }) => {
            let wait = format!("{} 秒", retry_after_s);
            return Ok(password_form(
                &session,
                Some(&format!("密码错误次数过多，请 {wait}后再试。")),
                false,
            ));
        }
        Err(e) => return Err(e.into()),
    }
    let keep =
        crate::service::http::guard::cookie(&headers, crate::service::http::guard::SESSION_COOKIE);
    let changed = service.record(|conn, now| {
        accounts::set_own_password(conn, &session.user, &current, &new, keep.as_deref(), now)
    });
    match changed {
        Ok(()) => {
            let session = Session {
                user: accounts::User {
                    must_change_password: false,
                    ..session.user.clone()
                },
                csrf: session.csrf.clone(),
            };
            Ok(password_form(&session, None, true))
        }
        Err(Error::Invalid(list)) => {
            let why: Vec<String> = list
                .iter()
                .map(|p| format!("新密码{}", p.reason.zh()))
                .collect();
            Ok(password_form(
                &session,
                Some(&format!("{}。", why.join("；"))),
                false,
            ))
        }
        Err(e) => Err(e.into()),
    }
}
