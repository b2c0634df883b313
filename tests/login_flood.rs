//! Issue 17, high 2, in a process of its own: the peak memory it measures is the process's, so
//! no other test may run beside it.

mod common;

use axum::http::StatusCode;
use common::service::Harness;
use noticecast::service::domain::accounts::Role;

const T0: &str = "2026-11-27T09:00:00+08:00";

fn office() -> Harness {
    let h = Harness::new(T0);
    h.add_user("admin", Role::Sysadmin);
    h.add_user("王芳", Role::Editor);
    h
}

/// The process's peak resident memory, in MiB (Linux).
fn peak_rss_mib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    line.split_whitespace()
        .nth(1)
        .unwrap()
        .parse::<u64>()
        .unwrap()
        / 1024
}

/// High 2: each wrong password ran argon2 (19 MiB) with nothing bounding how many at once; 300
/// simultaneous logins took the process to 5.2 GB.
#[test]
fn high_2_three_hundred_simultaneous_logins_run_a_bounded_number_of_password_checks() {
    let h = office();
    // Distinct names: the per-name limit is not what stops them.
    let statuses = h.all_at_once(
        (0..300)
            .map(|i| common::service::wrong_login(&format!("user{i}")))
            .collect(),
    );
    let gate = &h.service.password_checks;
    let most = gate.most_running.load(std::sync::atomic::Ordering::SeqCst);
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get().max(2));
    assert!(
        most >= 1 && most <= cores,
        "{most} checks ran at once on {cores} cores"
    );
    let busy = common::service::count(&statuses, StatusCode::SERVICE_UNAVAILABLE);
    let wrong = common::service::count(&statuses, StatusCode::UNAUTHORIZED);
    assert_eq!(busy + wrong, 300, "{statuses:?}");
    assert!(busy > 0, "beyond the queue, logins are turned away at once");
    assert!(peak_rss_mib() < 300, "peak {} MiB", peak_rss_mib());
}
