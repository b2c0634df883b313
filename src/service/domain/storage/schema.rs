//! The schema: numbered SQL scripts, each moving the database one version up. `storage::open`
//! applies those a database has not had yet, in order.

/// Each entry moves the schema one version up. Never edit a published entry: add one.
pub(super) const MIGRATIONS: &[&str] = &[
    // 1: users and sessions, notices with their revisions, the audit log, screen groups and their
    // published feeds, screens and their play records.
    r#"
    CREATE TABLE users (
        id            INTEGER PRIMARY KEY,
        name          TEXT NOT NULL UNIQUE,
        role          TEXT NOT NULL CHECK (role IN ('editor', 'reviewer', 'admin')),
        password_hash TEXT NOT NULL,
        created_at    TEXT NOT NULL
    );
    CREATE TABLE sessions (
        token_hash  TEXT PRIMARY KEY,
        user_id     INTEGER NOT NULL REFERENCES users(id),
        csrf        TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        expires_at  TEXT NOT NULL
    );
    CREATE TABLE groups (
        name        TEXT PRIMARY KEY,
        kind        TEXT NOT NULL,
        playlist    TEXT NOT NULL,
        updated_at  TEXT NOT NULL
    );
    CREATE TABLE notices (
        id            TEXT PRIMARY KEY,
        created_by    INTEGER NOT NULL REFERENCES users(id),
        created_at    TEXT NOT NULL,
        withdrawn_at  TEXT,
        live_revision INTEGER
    );
    CREATE TABLE revisions (
        notice_id     TEXT NOT NULL REFERENCES notices(id),
        number        INTEGER NOT NULL,
        author_id     INTEGER NOT NULL REFERENCES users(id),
        created_at    TEXT NOT NULL,
        content       TEXT NOT NULL,
        status        TEXT NOT NULL
                      CHECK (status IN ('draft', 'submitted', 'approved', 'rejected',
                                        'superseded')),
        submitted_at  TEXT,
        reviewer_id   INTEGER REFERENCES users(id),
        reviewed_at   TEXT,
        reject_reason TEXT,
        confidentiality_confirmed INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (notice_id, number),
        -- Four eyes, enforced by the database as well as the code.
        CHECK (status <> 'approved' OR (reviewer_id IS NOT NULL AND reviewer_id <> author_id
                                       AND confidentiality_confirmed = 1))
    );
    CREATE TABLE audit (
        id      INTEGER PRIMARY KEY,
        at      TEXT NOT NULL,
        actor   TEXT NOT NULL,
        action  TEXT NOT NULL,
        subject TEXT NOT NULL,
        detail  TEXT NOT NULL
    );
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TABLE feeds (
        group_name   TEXT PRIMARY KEY REFERENCES groups(name),
        sequence     INTEGER NOT NULL,
        content_hash TEXT NOT NULL,
        generated_at TEXT NOT NULL,
        payload      TEXT NOT NULL,
        envelope     TEXT NOT NULL
    );
    CREATE TABLE screens (
        id          TEXT PRIMARY KEY,
        group_name  TEXT NOT NULL REFERENCES groups(name),
        token_hash  TEXT NOT NULL UNIQUE,
        created_at  TEXT NOT NULL,
        last_seen   TEXT,
        sequence    INTEGER,
        uptime_s    INTEGER,
        adapter     TEXT,
        last_error  TEXT,
        dropped     INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE plays (
        screen_id   TEXT NOT NULL REFERENCES screens(id),
        record_id   TEXT NOT NULL,
        group_name  TEXT NOT NULL,
        kind        TEXT NOT NULL,
        notice_id   TEXT NOT NULL,
        category    TEXT NOT NULL,
        page        INTEGER NOT NULL,
        start       TEXT NOT NULL,
        year        INTEGER NOT NULL,
        duration_s  REAL NOT NULL,
        sequence    INTEGER NOT NULL,
        PRIMARY KEY (screen_id, record_id)
    );
    CREATE INDEX plays_by_year ON plays (year, group_name, category);
    "#,
    // 2: remote screenshots: staff ask, the screen's next heartbeat answer passes it on, the
    // screen uploads what it shows; the latest one per screen is kept.
    r#"
    ALTER TABLE screens ADD COLUMN screenshot_requested INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE screenshots (
        screen_id  TEXT PRIMARY KEY REFERENCES screens(id),
        taken_at   TEXT NOT NULL,
        png        BLOB NOT NULL
    );
    "#,
    // 3: the display's power as the screen reads it over HDMI-CEC, and whether its clock is
    // synchronised.
    r#"
    ALTER TABLE screens ADD COLUMN power TEXT;
    ALTER TABLE screens ADD COLUMN clock TEXT;
    "#,
    // 4: notices residents opened on touch terminals, per day (nothing personal: no time of day).
    r#"
    CREATE TABLE opens (
        screen_id   TEXT NOT NULL REFERENCES screens(id),
        record_id   TEXT NOT NULL,
        group_name  TEXT NOT NULL,
        kind        TEXT NOT NULL,
        notice_id   TEXT NOT NULL,
        category    TEXT NOT NULL,
        day         TEXT NOT NULL,
        year        INTEGER NOT NULL,
        PRIMARY KEY (screen_id, record_id)
    );
    CREATE INDEX opens_by_year ON opens (year, group_name, category);
    "#,
    // 5: warnings from the warning system. Alert sources (each with a user row of its own, which
    // cannot log in, as the author of what it sends), the alerts received, the administrative
    // area codes of each group, a group's blackout. A source trusted to publish directly is the
    // authority for its revisions: `revisions` is rebuilt so that the database accepts an
    // approved revision without a second person only when a direct source published it.
    r#"
    CREATE TABLE sources (
        name        TEXT PRIMARY KEY,
        user_id     INTEGER NOT NULL UNIQUE REFERENCES users(id),
        token_hash  TEXT NOT NULL UNIQUE,
        publish     TEXT NOT NULL CHECK (publish IN ('direct', 'review')),
        created_at  TEXT NOT NULL
    );
    CREATE TABLE alerts (
        source      TEXT NOT NULL REFERENCES sources(name),
        identifier  TEXT NOT NULL,
        msg_type    TEXT NOT NULL,
        notice_id   TEXT NOT NULL REFERENCES notices(id),
        received_at TEXT NOT NULL,
        PRIMARY KEY (source, identifier)
    );
    CREATE TABLE group_areas (
        group_name  TEXT NOT NULL REFERENCES groups(name),
        code        TEXT NOT NULL CHECK (length(code) = 6),
        PRIMARY KEY (group_name, code)
    );
    ALTER TABLE groups ADD COLUMN blackout_since TEXT;
    CREATE TABLE revisions_new (
        notice_id     TEXT NOT NULL REFERENCES notices(id),
        number        INTEGER NOT NULL,
        author_id     INTEGER NOT NULL REFERENCES users(id),
        created_at    TEXT NOT NULL,
        content       TEXT NOT NULL,
        status        TEXT NOT NULL
                      CHECK (status IN ('draft', 'submitted', 'approved', 'rejected',
                                        'superseded')),
        submitted_at  TEXT,
        reviewer_id   INTEGER REFERENCES users(id),
        reviewed_at   TEXT,
        reject_reason TEXT,
        confidentiality_confirmed INTEGER NOT NULL DEFAULT 0,
        direct_source TEXT REFERENCES sources(name),
        PRIMARY KEY (notice_id, number),
        CHECK (status <> 'approved'
               OR (reviewer_id IS NOT NULL AND reviewer_id <> author_id
                   AND confidentiality_confirmed = 1)
               OR (direct_source IS NOT NULL AND reviewer_id IS NULL))
    );
    INSERT INTO revisions_new
        SELECT notice_id, number, author_id, created_at, content, status, submitted_at,
               reviewer_id, reviewed_at, reject_reason, confidentiality_confirmed, NULL
        FROM revisions;
    DROP TABLE revisions;
    ALTER TABLE revisions_new RENAME TO revisions;
    "#,
    // 6: numbers a screen sent that SQLite stored as REAL (an INTEGER overflowed: 2^63 - 1 added
    // twice), which made every screens page fail: saturated back to integers. Screens' numbers
    // are now validated and added with saturation (`screens::MAX_COUNT`).
    r#"
    UPDATE screens SET dropped = CAST(MIN(MAX(dropped, 0), 1000000000000) AS INTEGER)
        WHERE typeof(dropped) NOT IN ('integer', 'null');
    UPDATE screens SET uptime_s = CAST(MIN(MAX(uptime_s, 0), 1000000000000) AS INTEGER)
        WHERE typeof(uptime_s) NOT IN ('integer', 'null');
    UPDATE screens SET sequence = CAST(MIN(MAX(sequence, 0), 9000000000000000000) AS INTEGER)
        WHERE typeof(sequence) NOT IN ('integer', 'null');
    -- Plausible plays only (`plays::record_plays`): each play's interval in milliseconds, to
    -- find overlaps within a screen; refused records kept apart with the reason, counted per
    -- screen.
    ALTER TABLE plays ADD COLUMN start_ms INTEGER;
    ALTER TABLE plays ADD COLUMN end_ms INTEGER;
    CREATE INDEX plays_by_screen_time ON plays (screen_id, start_ms);
    ALTER TABLE screens ADD COLUMN refused INTEGER NOT NULL DEFAULT 0;
    -- A user who left is disabled, not deleted: the audit log and the revisions keep naming them.
    ALTER TABLE users ADD COLUMN disabled_at TEXT;
    -- A playlist edit that changes what residents read or scan (the header's name, the ticker's
    -- text, the terminals' QR address) waits here for a second person (`groups::put_playlist`).
    CREATE TABLE playlist_changes (
        id          INTEGER PRIMARY KEY,
        group_name  TEXT NOT NULL REFERENCES groups(name),
        text        TEXT NOT NULL,
        author_id   INTEGER NOT NULL REFERENCES users(id),
        created_at  TEXT NOT NULL,
        status      TEXT NOT NULL
                    CHECK (status IN ('pending', 'approved', 'rejected', 'superseded')),
        reviewer_id INTEGER REFERENCES users(id),
        reviewed_at TEXT,
        reason      TEXT,
        CHECK (status <> 'approved' OR (reviewer_id IS NOT NULL AND reviewer_id <> author_id))
    );
    CREATE TABLE plays_refused (
        screen_id   TEXT NOT NULL REFERENCES screens(id),
        record_id   TEXT NOT NULL,
        notice_id   TEXT NOT NULL,
        start       TEXT NOT NULL,
        duration_s  REAL NOT NULL,
        opened      INTEGER NOT NULL,
        reason      TEXT NOT NULL,
        received_at TEXT NOT NULL,
        PRIMARY KEY (screen_id, record_id)
    );
    "#,
    // 7: 公示证明 (issue 14): the screen's device key, pinned at its first heartbeat; its
    // signed play uploads kept as received, never changed or deleted; the notice text each play
    // showed; the signed feeds that carried a notice with a 公示期.
    r#"
    ALTER TABLE screens ADD COLUMN device_key TEXT;
    ALTER TABLE screens ADD COLUMN device_key_pinned_at TEXT;
    CREATE TABLE play_envelopes (
        id          INTEGER PRIMARY KEY,
        screen_id   TEXT NOT NULL REFERENCES screens(id),
        received_at TEXT NOT NULL,
        envelope    TEXT NOT NULL
    );
    CREATE TRIGGER play_envelopes_no_update BEFORE UPDATE ON play_envelopes
        BEGIN SELECT RAISE(ABORT, 'play envelopes are kept as received'); END;
    CREATE TRIGGER play_envelopes_no_delete BEFORE DELETE ON play_envelopes
        BEGIN SELECT RAISE(ABORT, 'play envelopes are kept as received'); END;
    ALTER TABLE plays ADD COLUMN notice_sha256 TEXT;
    ALTER TABLE plays ADD COLUMN envelope_id INTEGER REFERENCES play_envelopes(id);
    ALTER TABLE plays ADD COLUMN frame_sha256 TEXT;
    CREATE INDEX plays_by_notice ON plays (notice_id, start_ms);
    CREATE TABLE feed_history (
        group_name   TEXT NOT NULL,
        sequence     INTEGER NOT NULL,
        generated_at TEXT NOT NULL,
        envelope     TEXT NOT NULL,
        PRIMARY KEY (group_name, sequence)
    );
    -- A year's working-day calendar as an admin replaced it (`service::calendar`).
    CREATE TABLE calendars (
        year       INTEGER PRIMARY KEY,
        text       TEXT NOT NULL,
        updated_by TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    "#,
    // 8: what a public-sector deployment is held to (issue 15). 三员分立: the administrator's role
    // split in three, an existing admin becoming the system administrator (the table is rebuilt
    // for its CHECK, with foreign keys off as every migration runs). 提级审核: a review policy per
    // group, and the approvals of a revision that needs two reviewers. The audit log gains each
    // entry's result and source address (older entries: unknown, '') and a retention period.
    r#"
    CREATE TABLE users_new (
        id            INTEGER PRIMARY KEY,
        name          TEXT NOT NULL UNIQUE,
        role          TEXT NOT NULL
                      CHECK (role IN ('editor', 'reviewer', 'sysadmin', 'secadmin', 'auditor')),
        password_hash TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        disabled_at   TEXT
    );
    INSERT INTO users_new (id, name, role, password_hash, created_at, disabled_at)
        SELECT id, name, CASE role WHEN 'admin' THEN 'sysadmin' ELSE role END, password_hash,
               created_at, disabled_at
        FROM users;
    ALTER TABLE audit ADD COLUMN result TEXT NOT NULL DEFAULT '';
    ALTER TABLE audit ADD COLUMN source TEXT NOT NULL DEFAULT '';
    -- Kept at least 180 days (`audit::MIN_RETENTION_DAYS`); older entries may be pruned after
    -- they were exported for archiving (`noticecast audit prune`).
    DROP TRIGGER audit_no_delete;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        -- A time that does not parse counts as now: kept.
        WHEN COALESCE(julianday(OLD.at), julianday('now')) >= julianday('now') - 180
        BEGIN
            SELECT RAISE(ABORT, 'the audit log is append-only: entries are kept 180 days at least');
        END;
    INSERT INTO audit (at, actor, action, subject, detail, result, source)
        SELECT strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'), 'migration 8', 'user.role',
               'user ' || name, 'role sysadmin (admin split: 三员分立)', 'success', 'database'
        FROM users WHERE role = 'admin';
    DROP TABLE users;
    ALTER TABLE users_new RENAME TO users;
    CREATE TABLE review_policies (
        group_name  TEXT PRIMARY KEY REFERENCES groups(name),
        reviews     INTEGER NOT NULL CHECK (reviews IN (1, 2)),
        -- JSON: [{"from": "2026-12-01", "to": "2026-12-03"}, ...]; none: always.
        periods     TEXT NOT NULL DEFAULT '[]',
        -- JSON: ["public_affairs", ...]; none: every category.
        categories  TEXT NOT NULL DEFAULT '[]',
        updated_by  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
    );
    ALTER TABLE revisions ADD COLUMN reviews_required INTEGER NOT NULL DEFAULT 1
        CHECK (reviews_required IN (1, 2));
    CREATE TABLE approvals (
        notice_id   TEXT NOT NULL,
        number      INTEGER NOT NULL,
        reviewer_id INTEGER NOT NULL REFERENCES users(id),
        approved_at TEXT NOT NULL,
        confidentiality_confirmed INTEGER NOT NULL CHECK (confidentiality_confirmed = 1),
        PRIMARY KEY (notice_id, number, reviewer_id),
        FOREIGN KEY (notice_id, number) REFERENCES revisions(notice_id, number)
    );
    -- Two reviewers, neither the author, for a revision that needs them: the database refuses
    -- the approval as well as the code.
    CREATE TRIGGER revisions_two_reviewers BEFORE UPDATE OF status ON revisions
        WHEN NEW.status = 'approved' AND NEW.reviews_required = 2 AND NOT EXISTS (
            SELECT 1 FROM approvals a
            WHERE a.notice_id = NEW.notice_id AND a.number = NEW.number
              AND a.reviewer_id <> NEW.reviewer_id AND a.reviewer_id <> NEW.author_id)
        BEGIN SELECT RAISE(ABORT, 'this revision needs a second reviewer'); END;
    "#,
    // 9: evidence no single administrator can make (issue 25). A screen's device key counts only
    // once a security administrator confirmed it by comparing its id with the one the screen
    // shows: until then the keys screens present are candidates (a copied token's key among
    // them), and keys pinned at a first heartbeat before this version become candidates again.
    // Every feed signed for a group is remembered by sequence, with its standby, so a play of a
    // feed the group never had, or during a standby, is not counted.
    r#"
    CREATE TABLE device_key_candidates (
        screen_id  TEXT NOT NULL REFERENCES screens(id),
        key        TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen  TEXT NOT NULL,
        PRIMARY KEY (screen_id, key)
    );
    INSERT INTO device_key_candidates (screen_id, key, first_seen, last_seen)
        SELECT id, device_key, COALESCE(device_key_pinned_at, created_at),
               COALESCE(last_seen, device_key_pinned_at, created_at)
        FROM screens WHERE device_key IS NOT NULL;
    -- Every key confirmed for a screen, kept when it is reset: a replaced box's evidence counts
    -- up to its key's retirement. A key pinned before this version vouches for what it signed
    -- until now (the rules it was pinned under); confirmed, it counts on.
    CREATE TABLE device_keys (
        screen_id    TEXT NOT NULL REFERENCES screens(id),
        key          TEXT NOT NULL,
        confirmed_by TEXT NOT NULL,
        confirmed_at TEXT NOT NULL,
        retired_at   TEXT,
        PRIMARY KEY (screen_id, key)
    );
    INSERT INTO device_keys (screen_id, key, confirmed_by, confirmed_at, retired_at)
        SELECT id, device_key, 'pinned at its first heartbeat (before migration 9)',
               COALESCE(device_key_pinned_at, created_at),
               strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')
        FROM screens WHERE device_key IS NOT NULL;
    UPDATE screens SET device_key = NULL, device_key_pinned_at = NULL
        WHERE device_key IS NOT NULL;
    ALTER TABLE screens ADD COLUMN device_key_confirmed_by TEXT;
    -- A key id the security administrator read off the screen before its heartbeat brought it.
    ALTER TABLE screens ADD COLUMN device_key_expected TEXT;
    ALTER TABLE screens ADD COLUMN device_key_expected_by TEXT;
    CREATE TABLE feed_sequences (
        group_name   TEXT NOT NULL,
        sequence     INTEGER NOT NULL,
        generated_ms INTEGER NOT NULL,
        -- When the group went on standby, for a feed signed during one.
        blackout_ms  INTEGER,
        PRIMARY KEY (group_name, sequence)
    );
    CREATE INDEX feed_sequences_by_time ON feed_sequences (group_name, generated_ms);
    -- Every feed key that signed a feed kept as evidence, public half only: a 公示证明 made after
    -- two rotations still checks the feeds the first key signed.
    CREATE TABLE feed_public_keys (
        key_id     TEXT PRIMARY KEY,
        public_key TEXT NOT NULL,
        first_used TEXT NOT NULL
    );
    -- The playlist a pending edit was made on: approved later, only the keys it changed apply.
    ALTER TABLE playlist_changes ADD COLUMN base TEXT;
    INSERT OR IGNORE INTO feed_sequences (group_name, sequence, generated_ms, blackout_ms)
        SELECT group_name, sequence,
               CAST(round((julianday(generated_at) - 2440587.5) * 86400000) AS INTEGER),
               CAST(round((julianday(json_extract(payload, '$.blackout.since')) - 2440587.5)
                          * 86400000) AS INTEGER)
        FROM feeds;
    INSERT OR IGNORE INTO feed_sequences (group_name, sequence, generated_ms)
        SELECT group_name, sequence,
               CAST(round((julianday(generated_at) - 2440587.5) * 86400000) AS INTEGER)
        FROM feed_history;
    INSERT INTO audit (at, actor, action, subject, detail, result, source)
        SELECT strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'), 'migration 9', 'screen.device_key',
               'screen ' || screen_id, 'pinned key awaits a security administrator''s confirmation',
               'success', 'database'
        FROM device_key_candidates;
    "#,
    // 10: accounts (issue 25: 三员分立 reduced to one administrator). An account may have no role
    // ('none': made by the system administrator, waiting for the security administrator's
    // grant, or reset over the API), and a password may be a one-time code its owner must
    // replace at the first login (`must_change_password`); the users table is rebuilt for its
    // CHECK, as in migration 8. The audit log's delete trigger also measures an entry's age from
    // the newest entry, not only from the clock: a clock set forward for `audit prune` alone no
    // longer makes minutes-old entries look 180 days old. An index of the logins by name and
    // address, for the login limit.
    r#"
    CREATE TABLE users_new (
        id            INTEGER PRIMARY KEY,
        name          TEXT NOT NULL UNIQUE,
        role          TEXT NOT NULL
                      CHECK (role IN ('editor', 'reviewer', 'sysadmin', 'secadmin', 'auditor',
                                      'none')),
        password_hash TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        disabled_at   TEXT,
        must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1))
    );
    INSERT INTO users_new (id, name, role, password_hash, created_at, disabled_at)
        SELECT id, name, role, password_hash, created_at, disabled_at FROM users;
    DROP TABLE users;
    ALTER TABLE users_new RENAME TO users;
    DROP TRIGGER audit_no_delete;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        -- A time that does not parse counts as now: kept.
        WHEN COALESCE(julianday(OLD.at), julianday('now')) >= julianday('now') - 180
          OR COALESCE(julianday(OLD.at), 0) >= (SELECT MAX(julianday(at)) FROM audit) - 180
        BEGIN
            SELECT RAISE(ABORT, 'the audit log is append-only: entries are kept 180 days at least');
        END;
    -- Where each name has logged in from: the login limit does not hold back a name at an
    -- address it is known at (`accounts::logged_in_from`).
    CREATE INDEX audit_logins ON audit (actor, source) WHERE action = 'login';
    "#,
    // 11: alert sources and feed keys (issue 25). Each alert source's remit: the administrative
    // area codes (行政区划代码) it may warn, each covering the areas inside it as a group's codes
    // do. Any source token could
    // once put a warning on every group. A source without a row here (one added before this) is
    // refused until it is given its remit (`noticecast source areas`): no remit is no area.
    //
    // And the feed keys as the office knows them (`keys::Recorded`): which key id is current,
    // which is the previous one and until when it signs, written when a key is made and by
    // `noticecast key rotate`, checked against the key files at every start. A key file planted
    // or an `until` edited by hand once changed what every screen trusted, silently. A database
    // whose feeds were signed before this is marked (key id NULL): the key files' ids are
    // recorded at its next start.
    r#"
    CREATE TABLE source_areas (
        source      TEXT NOT NULL REFERENCES sources(name),
        code        TEXT NOT NULL CHECK (length(code) = 6),
        PRIMARY KEY (source, code)
    );
    CREATE TABLE feed_keys (
        role        TEXT PRIMARY KEY CHECK (role IN ('current', 'previous')),
        key_id      TEXT,
        -- The previous key's end of signing.
        until       TEXT CHECK (role = 'current' OR until IS NOT NULL),
        -- 1: made by a command that publishes nothing (user add before the first serve), so
        -- `serve --suite` may still replace it.
        implicit    INTEGER NOT NULL DEFAULT 0,
        recorded_at TEXT NOT NULL
    );
    INSERT INTO feed_keys (role, key_id, recorded_at)
        SELECT 'current', NULL, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')
        WHERE EXISTS (SELECT 1 FROM feeds);
    "#,
    // 12: images uploaded as assets (`POST /api/assets`), keyed by the SHA-256 of the bytes
    // kept: the service's own encoding of the decoded pixels, so the same image uploaded twice
    // is one row. Screens fetch them by that hash (`GET /assets/{sha256}`). A notice's figures
    // name them inside the revision's content (JSON), like every other field of a notice.
    // And the address screens reach the service at (`serve --public-url`), which the assets'
    // URLs in feeds are made from: recorded by `serve`, so that `export` signs the same feeds.
    r#"
    CREATE TABLE settings (
        name  TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE assets (
        sha256      TEXT PRIMARY KEY CHECK (length(sha256) = 64),
        media_type  TEXT NOT NULL CHECK (media_type IN ('image/png', 'image/jpeg')),
        width       INTEGER NOT NULL CHECK (width > 0),
        height      INTEGER NOT NULL CHECK (height > 0),
        bytes       BLOB NOT NULL,
        uploaded_by TEXT NOT NULL,
        uploaded_at TEXT NOT NULL
    );
    "#,
    // 13: who withdrew a notice and why (issue 29): a withdrawal needs a reason, kept with the
    // notice as well as in the audit log.
    r#"
    ALTER TABLE notices ADD COLUMN withdrawn_by TEXT;
    ALTER TABLE notices ADD COLUMN withdrawn_reason TEXT;
    "#,
    // 14: the names staff read (issue 29): a group's and a screen's label in Chinese
    // (城关镇广场大屏, 溪口村触摸屏). The ids stay the keys, for feeds, tokens and the IT person.
    r#"
    ALTER TABLE groups ADD COLUMN label TEXT;
    ALTER TABLE screens ADD COLUMN label TEXT;
    "#,
    // 15: a notice form sent after its session ended (issue 29), kept for the user who sent it
    // until they log in again (one per user: the latest), then given back in the form.
    r#"
    CREATE TABLE held_forms (
        user_id      INTEGER PRIMARY KEY REFERENCES users(id),
        path         TEXT NOT NULL,
        content_type TEXT NOT NULL,
        body         BLOB NOT NULL,
        held_at      TEXT NOT NULL
    );
    "#,
    // 16: a revoked alert source (issue 29: the security administrator's console). Its row
    // stays, since its alerts and the notices they became name it, but its token is refused
    // from then on; who revoked it and when are shown with the source.
    r#"
    ALTER TABLE sources ADD COLUMN revoked_at TEXT;
    ALTER TABLE sources ADD COLUMN revoked_by TEXT;
    "#,
    // 17: the tenants of a city's platform (issue 30), kept in the platform's own database (the
    // default tenant's): each district's data is a database of its own (SQLite: a file under
    // tenants/NAME; PostgreSQL: the schema tenant_NAME), so this list is all they share.
    TENANTS,
    // 18: failed logins where several nodes see them (issue 30): each node's limiter counts
    // what all of them counted, so a guesser gains nothing by changing nodes or waiting for a
    // restart. Only a shared database (PostgreSQL) writes here; one process needs no record.
    LOGIN_FAILURES,
];

/// Migration 18, the same text for both engines.
pub const LOGIN_FAILURES: &str = r#"
    CREATE TABLE login_failures (
        key    TEXT NOT NULL,
        at_ms  BIGINT NOT NULL
    );
    CREATE INDEX login_failures_by_key ON login_failures (key, at_ms);
    CREATE INDEX login_failures_by_time ON login_failures (at_ms);
    "#;

/// Migration 17, the same text for both engines.
pub const TENANTS: &str = r#"
    CREATE TABLE tenants (
        name        TEXT PRIMARY KEY,
        title       TEXT NOT NULL,
        created_by  TEXT NOT NULL,
        created_at  TEXT NOT NULL
    );
    "#;
