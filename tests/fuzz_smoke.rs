//! A short run of every coverage-guided fuzz target (issue 17): the parsers of outside input
//! under AFL++ for 15 s each from the tests' corpus, 0 crashes and 0 hangs over 5 s. The hour-
//! long runs are in docs/fuzzing.md. Needs cargo-afl (`.ci/run` installs it); without it this
//! test fails, it never skips.

use std::process::Command;

#[test]
fn every_fuzz_target_runs_without_a_crash_or_a_hang() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(root.join("tests/fuzz/smoke"))
        // The fuzz build is its own (instrumented) build: not the tests' target folder.
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("RUSTFLAGS")
        .output()
        .expect("tests/fuzz/smoke runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(out.status.success(), "{stdout}\n{stderr}");
    for target in [
        "feed",
        "envelope",
        "playlist",
        "player_config",
        "input_script",
        "alert",
    ] {
        let line = stdout
            .lines()
            .find(|l| l.starts_with(&format!("{target}: ")))
            .unwrap_or_else(|| panic!("no summary for {target}:\n{stdout}"));
        assert!(line.ends_with(" 0 crashes, 0 hangs"), "{line}");
        // It really ran: thousands of inputs, not zero.
        let execs: u64 = line
            .split(", ")
            .nth(1)
            .and_then(|s| s.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        assert!(execs > 1000, "{line}");
    }
}
