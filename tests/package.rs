//! The Debian package: `cargo deb` packs it, and `dpkg-deb` finds the binary, fonts, units,
//! helper and journald drop-in in it, the screen's configuration as a conffile, the run-time
//! dependencies of the kiosk player, and a postinst that enables nothing. Needs cargo-deb
//! (`.ci/run` installs it); without it this test fails.
//!
//! The package is packed around the binary this test run already built (`--no-build --profile
//! dev`, fast compression): what is checked here is the package's layout, and a second, release
//! build inside the tests cost CI nearly ten minutes. Releases are built with plain `cargo deb`
//! (docs/DEPLOY.md).

mod common;

use std::path::Path;
use std::process::Command;

fn dpkg_deb(args: &[&str], deb: &Path) -> String {
    let out = Command::new("dpkg-deb")
        .args(args)
        .arg(deb)
        .output()
        .expect("dpkg-deb (Debian's dpkg)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_debian_package_holds_the_player_the_service_and_their_units() {
    let out_dir = tempfile::tempdir().unwrap();
    // The target folder that holds this run's `noticecast` (target/debug/noticecast).
    let binary = Path::new(env!("CARGO_BIN_EXE_noticecast"));
    let target = binary.parent().and_then(Path::parent).unwrap();
    let built = Command::new(env!("CARGO"))
        .args([
            "deb",
            "--locked",
            "--no-build",
            "--profile",
            "dev",
            "--fast",
            "--output",
        ])
        .arg(out_dir.path())
        .env("CARGO_TARGET_DIR", target)
        .current_dir(common::root())
        .output()
        .expect("cargo");
    assert!(
        built.status.success(),
        "cargo deb failed (is cargo-deb installed? `cargo install cargo-deb --locked`): {}",
        String::from_utf8_lossy(&built.stderr)
    );
    let deb = std::fs::read_dir(out_dir.path())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|e| e == "deb"))
        .expect("a .deb");
    let name = deb.file_name().unwrap().to_str().unwrap();
    assert_eq!(
        name,
        format!("noticecast_{}_amd64.deb", env!("CARGO_PKG_VERSION")),
        "{name}"
    );

    let control = dpkg_deb(&["--field"], &deb);
    let depends = control
        .lines()
        .find(|l| l.starts_with("Depends:"))
        .unwrap_or_else(|| panic!("no Depends: {control}"));
    for needed in ["cage", "xwayland", "libvulkan1", "mesa-vulkan-drivers"] {
        assert!(depends.contains(needed), "{needed} missing: {depends}");
    }

    let contents = dpkg_deb(&["--contents"], &deb);
    for file in [
        "./usr/bin/noticecast",
        "./usr/share/noticecast/fonts/NotoSansSC-Regular.ttf",
        "./usr/share/noticecast/fonts/NotoSansSC-Bold.ttf",
        "./usr/share/noticecast/fonts/OFL.txt",
        "./usr/share/noticecast/fonts/WenQuanYiBitmapSong-16px.ttf",
        "./usr/share/noticecast/fonts/WenQuanYi-COPYING.txt",
        "./usr/lib/noticecast/wait-for-display",
        "./lib/systemd/system/noticecast-player.service",
        "./lib/systemd/system/noticecast-service.service",
        "./usr/lib/systemd/journald.conf.d/noticecast.conf",
        "./etc/noticecast/player.toml",
        "./usr/share/doc/noticecast/DEPLOY.md",
    ] {
        assert!(
            contents.lines().any(|l| l.ends_with(file)),
            "{file} missing:\n{contents}"
        );
    }
    // The binary finds its fonts beside it: ../share/noticecast/fonts from /usr/bin.
    assert!(contents.contains("-rwxr-xr-x") && contents.contains("./usr/bin/noticecast"));

    let control_dir = tempfile::tempdir().unwrap();
    let status = Command::new("dpkg-deb")
        .arg("--control")
        .arg(&deb)
        .arg(control_dir.path())
        .status()
        .unwrap();
    assert!(status.success());
    let conffiles = std::fs::read_to_string(control_dir.path().join("conffiles")).unwrap();
    assert!(
        conffiles
            .lines()
            .any(|l| l == "/etc/noticecast/player.toml"),
        "{conffiles}"
    );
    let postinst = std::fs::read_to_string(control_dir.path().join("postinst")).unwrap();
    assert!(postinst.contains("adduser --system"), "{postinst}");
    assert!(
        !postinst.contains("systemctl enable") && !postinst.contains("deb-systemd-helper enable"),
        "the kiosk unit is installed, not enabled: {postinst}"
    );
}
