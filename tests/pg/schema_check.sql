-- Checks `src/service/domain/storage/postgres.sql`, the PostgreSQL schema, on a PostgreSQL 15 or
-- later server: made in a fresh schema it refuses what SQLite's schema refuses, with the same
-- messages, and made a second time in another schema of the same database (as one simple-query
-- batch, as a driver's `batch_execute` sends it) it leaves nothing outside either schema.
-- Run from the repository root (the batch is read with `cat`):
--
--     psql -X -v ON_ERROR_STOP=1 -d DATABASE -f tests/pg/schema_check.sql
--
-- It makes and at the end drops the schemas schema_check_a and schema_check_b; any failed check
-- stops it with an error naming the check.

\set ON_ERROR_STOP 1
\set QUIET 1
-- Results are not shown: a check that fails stops the script with its error (on stderr).
\o /dev/null
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS schema_check_a CASCADE;
DROP SCHEMA IF EXISTS schema_check_b CASCADE;

-- What exists outside the two schemas, to compare at the end.
CREATE TEMP TABLE outside_before AS
    SELECT 'class' AS kind, n.nspname, c.relname AS name FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
    UNION ALL
    SELECT 'proc', n.nspname, p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    UNION ALL
    SELECT 'type', n.nspname, t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    UNION ALL
    SELECT 'trigger', '', tgname FROM pg_trigger
    UNION ALL
    SELECT 'namespace', nspname, '' FROM pg_namespace
    UNION ALL
    SELECT 'extension', extname, '' FROM pg_extension
    UNION ALL
    SELECT 'role', rolname, '' FROM pg_roles;

-- refused(statement, fragment): the statement fails with SQLSTATE 23514 (check_violation) and
-- a message containing fragment; any other outcome stops the script.
CREATE FUNCTION pg_temp.refused(stmt TEXT, fragment TEXT) RETURNS VOID
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE stmt;
    RAISE EXCEPTION 'not refused: %', stmt;
EXCEPTION WHEN check_violation THEN
    IF position(fragment IN SQLERRM) = 0 THEN
        RAISE EXCEPTION 'refused with "%", expected "%": %', SQLERRM, fragment, stmt;
    END IF;
END;
$$;

-- rows(statement, n): the statement deletes or changes exactly n rows.
CREATE FUNCTION pg_temp.rows(stmt TEXT, expected BIGINT) RETURNS VOID
LANGUAGE plpgsql AS $$
DECLARE
    n BIGINT;
BEGIN
    EXECUTE stmt;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n <> expected THEN
        RAISE EXCEPTION '% rows, expected %: %', n, expected, stmt;
    END IF;
END;
$$;

-- An RFC 3339 time `days` days before now, at +08:00, as the service writes them.
CREATE FUNCTION pg_temp.ago(days DOUBLE PRECISION) RETURNS TEXT
LANGUAGE sql AS $$
    SELECT to_char((now() - days * INTERVAL '1 day') AT TIME ZONE 'Asia/Shanghai',
                   'YYYY-MM-DD"T"HH24:MI:SS"+08:00"')
$$;

--------------------------------------------------------------------------------------------------
-- Schema a: made by psql, statement by statement.
CREATE SCHEMA schema_check_a;
SET search_path = schema_check_a;
\ir ../../src/service/domain/storage/postgres.sql

-- Every column name works unquoted (groups, at, key, day, year, start, until, role, value,
-- text, number...), in the select list, WHERE and ORDER BY.
SELECT
    source, identifier, msg_type, notice_id, received_at
FROM alerts WHERE received_at IS NULL ORDER BY
    source, identifier, msg_type, notice_id, received_at;
SELECT
    notice_id, number, reviewer_id, approved_at, confidentiality_confirmed
FROM approvals WHERE confidentiality_confirmed IS NULL ORDER BY
    notice_id, number, reviewer_id, approved_at, confidentiality_confirmed;
SELECT
    sha256, media_type, width, height, bytes, uploaded_by, uploaded_at
FROM assets WHERE uploaded_at IS NULL ORDER BY
    sha256, media_type, width, height, bytes, uploaded_by, uploaded_at;
SELECT
    id, at, actor, action, subject, detail, result, source
FROM audit WHERE source IS NULL ORDER BY
    id, at, actor, action, subject, detail, result, source;
SELECT
    year, text, updated_by, updated_at
FROM calendars WHERE updated_at IS NULL ORDER BY
    year, text, updated_by, updated_at;
SELECT
    screen_id, key, first_seen, last_seen
FROM device_key_candidates WHERE last_seen IS NULL ORDER BY
    screen_id, key, first_seen, last_seen;
SELECT
    screen_id, key, confirmed_by, confirmed_at, retired_at
FROM device_keys WHERE retired_at IS NULL ORDER BY
    screen_id, key, confirmed_by, confirmed_at, retired_at;
SELECT
    group_name, sequence, generated_at, envelope
FROM feed_history WHERE envelope IS NULL ORDER BY
    group_name, sequence, generated_at, envelope;
SELECT
    role, key_id, until, implicit, recorded_at
FROM feed_keys WHERE recorded_at IS NULL ORDER BY
    role, key_id, until, implicit, recorded_at;
SELECT
    key_id, public_key, first_used
FROM feed_public_keys WHERE first_used IS NULL ORDER BY
    key_id, public_key, first_used;
SELECT
    group_name, sequence, generated_ms, blackout_ms
FROM feed_sequences WHERE blackout_ms IS NULL ORDER BY
    group_name, sequence, generated_ms, blackout_ms;
SELECT
    group_name, sequence, content_hash, generated_at, payload, envelope
FROM feeds WHERE envelope IS NULL ORDER BY
    group_name, sequence, content_hash, generated_at, payload, envelope;
SELECT
    group_name, code
FROM group_areas WHERE code IS NULL ORDER BY
    group_name, code;
SELECT
    name, kind, playlist, updated_at, blackout_since, label
FROM groups WHERE label IS NULL ORDER BY
    name, kind, playlist, updated_at, blackout_since, label;
SELECT
    user_id, path, content_type, body, held_at
FROM held_forms WHERE held_at IS NULL ORDER BY
    user_id, path, content_type, body, held_at;
SELECT
    id, created_by, created_at, withdrawn_at, live_revision, withdrawn_by, withdrawn_reason
FROM notices WHERE withdrawn_reason IS NULL ORDER BY
    id, created_by, created_at, withdrawn_at, live_revision, withdrawn_by, withdrawn_reason;
SELECT
    screen_id, record_id, group_name, kind, notice_id, category, day, year
FROM opens WHERE year IS NULL ORDER BY
    screen_id, record_id, group_name, kind, notice_id, category, day, year;
SELECT
    id, screen_id, received_at, envelope
FROM play_envelopes WHERE envelope IS NULL ORDER BY
    id, screen_id, received_at, envelope;
SELECT
    id, group_name, text, author_id, created_at, status, reviewer_id, reviewed_at, reason,
    base
FROM playlist_changes WHERE base IS NULL ORDER BY
    id, group_name, text, author_id, created_at, status, reviewer_id, reviewed_at, reason,
    base;
SELECT
    screen_id, record_id, group_name, kind, notice_id, category, page, start, year,
    duration_s, sequence, start_ms, end_ms, notice_sha256, envelope_id, frame_sha256
FROM plays WHERE frame_sha256 IS NULL ORDER BY
    screen_id, record_id, group_name, kind, notice_id, category, page, start, year,
    duration_s, sequence, start_ms, end_ms, notice_sha256, envelope_id, frame_sha256;
SELECT
    screen_id, record_id, notice_id, start, duration_s, opened, reason, received_at
FROM plays_refused WHERE received_at IS NULL ORDER BY
    screen_id, record_id, notice_id, start, duration_s, opened, reason, received_at;
SELECT
    group_name, reviews, periods, categories, updated_by, updated_at
FROM review_policies WHERE updated_at IS NULL ORDER BY
    group_name, reviews, periods, categories, updated_by, updated_at;
SELECT
    notice_id, number, author_id, created_at, content, status, submitted_at, reviewer_id,
    reviewed_at, reject_reason, confidentiality_confirmed, direct_source, reviews_required
FROM revisions WHERE reviews_required IS NULL ORDER BY
    notice_id, number, author_id, created_at, content, status, submitted_at, reviewer_id,
    reviewed_at, reject_reason, confidentiality_confirmed, direct_source, reviews_required;
SELECT
    id, group_name, token_hash, created_at, last_seen, sequence, uptime_s, adapter,
    last_error, dropped, screenshot_requested, power, clock, refused, device_key,
    device_key_pinned_at, device_key_confirmed_by, device_key_expected,
    device_key_expected_by, label
FROM screens WHERE label IS NULL ORDER BY
    id, group_name, token_hash, created_at, last_seen, sequence, uptime_s, adapter,
    last_error, dropped, screenshot_requested, power, clock, refused, device_key,
    device_key_pinned_at, device_key_confirmed_by, device_key_expected,
    device_key_expected_by, label;
SELECT
    screen_id, taken_at, png
FROM screenshots WHERE png IS NULL ORDER BY
    screen_id, taken_at, png;
SELECT
    token_hash, user_id, csrf, created_at, expires_at
FROM sessions WHERE expires_at IS NULL ORDER BY
    token_hash, user_id, csrf, created_at, expires_at;
SELECT
    name, value
FROM settings WHERE value IS NULL ORDER BY
    name, value;
SELECT
    source, code
FROM source_areas WHERE code IS NULL ORDER BY
    source, code;
SELECT
    name, user_id, token_hash, publish, created_at, revoked_at, revoked_by
FROM sources WHERE revoked_by IS NULL ORDER BY
    name, user_id, token_hash, publish, created_at, revoked_at, revoked_by;
SELECT
    id, name, role, password_hash, created_at, disabled_at, must_change_password
FROM users WHERE must_change_password IS NULL ORDER BY
    id, name, role, password_hash, created_at, disabled_at, must_change_password;

-- Identity columns assign ids, as SQLite's rowid does.
INSERT INTO users (name, role, password_hash, created_at)
    VALUES ('王芳', 'editor', 'h', '2026-01-01T00:00:00+08:00'),
           ('李审', 'reviewer', 'h', '2026-01-01T00:00:00+08:00'),
           ('张审', 'reviewer', 'h', '2026-01-01T00:00:00+08:00'),
           ('预警', 'none', 'h', '2026-01-01T00:00:00+08:00');
DO $$
BEGIN
    IF (SELECT array_agg(id ORDER BY id) FROM users) <> ARRAY[1, 2, 3, 4]::BIGINT[] THEN
        RAISE EXCEPTION 'users.id not assigned 1..4: %', (SELECT array_agg(id) FROM users);
    END IF;
    IF (SELECT must_change_password FROM users WHERE id = 1) <> 0 THEN
        RAISE EXCEPTION 'must_change_password default is not 0';
    END IF;
END;
$$;
SELECT pg_temp.refused($q$INSERT INTO users (name, role, password_hash, created_at)
                          VALUES ('x', 'boss', 'h', 't')$q$, 'users_role_check');
SELECT pg_temp.refused($q$INSERT INTO users (name, role, password_hash, created_at)
                          VALUES ('x', 'admin', 'h', 't')$q$, 'users_role_check');
SELECT pg_temp.refused($q$INSERT INTO users (name, role, password_hash, created_at,
                          must_change_password) VALUES ('x', 'editor', 'h', 't', 2)$q$,
                       'must_change_password_check');
-- Positional inserts keep SQLite's column order.
INSERT INTO sessions VALUES ('h', 1, 'c', '2026-11-30T09:00:00+08:00', '2026-12-30T09:00:00+08:00');

--------------------------------------------------------------------------------------------------
-- The audit log.

-- Both entries are decades old by the clock; only the one 180 days older than the newest may go.
INSERT INTO audit (at, actor, action, subject, detail)
    VALUES ('2000-01-01T00:00:00+00:00', 'a', 'x', 'oldest', '');
INSERT INTO audit (at, actor, action, subject, detail)
    VALUES ('2001-01-01T00:00:00+00:00', 'a', 'x', 'newest', '');
DO $$
BEGIN
    IF (SELECT array_agg(id ORDER BY id) FROM audit) <> ARRAY[1, 2]::BIGINT[]
       OR (SELECT count(*) FROM audit WHERE result = '' AND source = '') <> 2 THEN
        RAISE EXCEPTION 'audit ids or defaults wrong';
    END IF;
END;
$$;
SELECT pg_temp.refused($q$UPDATE audit SET actor = 'b'$q$, 'append-only');
SELECT pg_temp.refused($q$UPDATE audit SET actor = 'b'$q$, 'the audit log is append-only');
SELECT pg_temp.refused($q$DELETE FROM audit WHERE subject = 'newest'$q$,
                       'the audit log is append-only: entries are kept 180 days at least');
SELECT pg_temp.rows($q$DELETE FROM audit WHERE subject = 'oldest'$q$, 1);

-- A young entry: the newest now, and kept.
INSERT INTO audit (at, actor, action, subject, detail, result, source)
    VALUES (pg_temp.ago(0), 'a', 'login', 'young', '', 'success', '10.0.0.1');
SELECT pg_temp.refused($q$DELETE FROM audit WHERE subject = 'young'$q$, 'append-only');
-- 179 days old: kept; 181 days old (and older than the newest by as much): may go.
INSERT INTO audit (at, actor, action, subject, detail)
    VALUES (pg_temp.ago(179), 'a', 'x', '179 days', ''),
           (pg_temp.ago(181), 'a', 'x', '181 days', '');
SELECT pg_temp.refused($q$DELETE FROM audit WHERE subject = '179 days'$q$, 'kept 180 days');
SELECT pg_temp.rows($q$DELETE FROM audit WHERE subject = '181 days'$q$, 1);
-- With a young entry in the log, the 2001 entry is old next to it as well: it may go now.
SELECT pg_temp.rows($q$DELETE FROM audit WHERE subject = 'newest'$q$, 1);
-- A time that does not parse (as SQLite's julianday reads it) counts as now: kept. 'epoch' and
-- 'today' are times to PostgreSQL's own input, not to SQLite's.
INSERT INTO audit (at, actor, action, subject, detail)
    VALUES ('t', 'a', 'x', 'unparsable', ''),
           ('2000-13-01T00:00:00+00:00', 'a', 'x', 'unparsable', ''),
           ('epoch', 'a', 'x', 'unparsable', ''),
           ('Jan 1 2000', 'a', 'x', 'unparsable', '');
SELECT pg_temp.refused($q$DELETE FROM audit WHERE at = 't'$q$, 'append-only');
SELECT pg_temp.refused($q$DELETE FROM audit WHERE at = '2000-13-01T00:00:00+00:00'$q$,
                       'append-only');
SELECT pg_temp.refused($q$DELETE FROM audit WHERE at = 'epoch'$q$, 'append-only');
SELECT pg_temp.refused($q$DELETE FROM audit WHERE at = 'Jan 1 2000'$q$, 'append-only');
-- A statement that would delete young entries with old ones deletes nothing.
INSERT INTO audit (at, actor, action, subject, detail)
    VALUES ('1999-01-01T00:00:00Z', 'a', 'x', 'old', '');
SELECT pg_temp.refused($q$DELETE FROM audit$q$, 'append-only');
SELECT pg_temp.refused($q$TRUNCATE audit$q$, 'append-only');
DO $$
BEGIN
    IF (SELECT count(*) FROM audit) <> 7 THEN
        RAISE EXCEPTION 'audit rows changed by refused statements: %', (SELECT count(*) FROM audit);
    END IF;
END;
$$;
-- The partial index of logins.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_indexes WHERE schemaname = current_schema()
                   AND indexname = 'audit_logins'
                   AND indexdef LIKE '%(actor, source) WHERE (action = ''login''::text)') THEN
        RAISE EXCEPTION 'audit_logins is not the partial index of logins';
    END IF;
END;
$$;

-- julianday as SQLite 3.53 computes it (values from SQLite itself), whatever the session's
-- time zone: a time without an offset is UTC.
SET TimeZone = 'America/New_York';
DO $$
DECLARE
    c RECORD;
BEGIN
    FOR c IN SELECT * FROM (VALUES
        ('2026-01-05T09:00:00+08:00', 2461045.5416666665::DOUBLE PRECISION),
        ('2000-01-01T00:00:00', 2451544.5), ('2000-01-01T00:00:00+00:00', 2451544.5),
        ('2026-02-31', 2461102.5), ('12:00', 2451545), ('2460000.25', 2460000.25),
        ('2026-01-05 09:00:00.5Z', 2461045.8750057872), ('-4713-11-24 12:00', 0),
        ('epoch', NULL), ('today', NULL), ('Jan 5 2026', NULL), ('t', NULL),
        ('2026-01-05T09:00:00+08', NULL), (' 2026-01-05', NULL)) AS v(t, jd)
    LOOP
        IF sqlite_julianday(c.t) IS DISTINCT FROM c.jd THEN
            RAISE EXCEPTION 'julianday(%) = %, SQLite says %', c.t, sqlite_julianday(c.t), c.jd;
        END IF;
    END LOOP;
    IF abs(sqlite_julianday('now')
           - (extract(epoch FROM statement_timestamp())::DOUBLE PRECISION / 86400 + 2440587.5))
       > 1.0 / 86400 THEN
        RAISE EXCEPTION 'julianday(now) is not now';
    END IF;
END;
$$;
RESET TimeZone;

--------------------------------------------------------------------------------------------------
-- Play envelopes are kept as received.
INSERT INTO groups (name, kind, playlist, updated_at)
    VALUES ('g', 'tv', '', '2026-11-27T09:00:00+08:00');
INSERT INTO screens (id, group_name, token_hash, created_at)
    VALUES ('s', 'g', 'x', '2026-11-27T09:00:00+08:00');
INSERT INTO play_envelopes (screen_id, received_at, envelope)
    VALUES ('s', '2026-11-27T09:00:00+08:00', '{}'), ('s', '2026-11-27T09:01:00+08:00', '{}');
DO $$
BEGIN
    IF (SELECT array_agg(id ORDER BY id) FROM play_envelopes) <> ARRAY[1, 2]::BIGINT[] THEN
        RAISE EXCEPTION 'play_envelopes.id not assigned';
    END IF;
    IF (SELECT count(*) FROM screens
        WHERE dropped = 0 AND screenshot_requested = 0 AND refused = 0) <> 1 THEN
        RAISE EXCEPTION 'screens defaults wrong';
    END IF;
END;
$$;
INSERT INTO plays VALUES ('s', 'r1', 'g', 'tv', 'n1', 'c', 1, '2026-11-27T09:00:00+08:00', 2026,
                          1.5, 1, 0, 1500, NULL, 1, NULL);
SELECT pg_temp.refused($q$UPDATE play_envelopes SET envelope = '{"x":1}'$q$,
                       'play envelopes are kept as received');
SELECT pg_temp.refused($q$DELETE FROM play_envelopes WHERE id = 2$q$, 'kept as received');
SELECT pg_temp.refused($q$TRUNCATE play_envelopes CASCADE$q$, 'kept as received');
-- TRUNCATE of what they refer to reaches them through CASCADE, and is refused there too.
SELECT pg_temp.refused($q$TRUNCATE screens CASCADE$q$, 'kept as received');
DO $$
BEGIN
    IF (SELECT count(*) FROM play_envelopes) <> 2 OR (SELECT count(*) FROM plays) <> 1 THEN
        RAISE EXCEPTION 'play envelopes changed by refused statements';
    END IF;
END;
$$;

--------------------------------------------------------------------------------------------------
-- Revisions: four eyes, two reviewers where required.
INSERT INTO sources (name, user_id, token_hash, publish, created_at)
    VALUES ('预警中心', 4, 'st', 'direct', '2026-01-01T00:00:00+08:00');
INSERT INTO notices (id, created_by, created_at) VALUES ('2026-0001', 1, '2026-11-30');
INSERT INTO revisions (notice_id, number, author_id, created_at, content, status, submitted_at,
                       reviews_required)
    VALUES ('2026-0001', 1, 1, '2026-11-30', '{}', 'submitted', '2026-11-30', 2);
INSERT INTO approvals VALUES ('2026-0001', 1, 2, '2026-11-30', 1);
-- One approval (and the author's own, which does not count): refused.
SELECT pg_temp.refused($q$UPDATE revisions SET status = 'approved', reviewer_id = 2,
                                 reviewed_at = '2026-11-30', confidentiality_confirmed = 1
                          WHERE notice_id = '2026-0001' AND number = 1$q$,
                       'this revision needs a second reviewer');
INSERT INTO approvals VALUES ('2026-0001', 1, 1, '2026-11-30', 1);
SELECT pg_temp.refused($q$UPDATE revisions SET status = 'approved', reviewer_id = 2,
                                 reviewed_at = '2026-11-30', confidentiality_confirmed = 1
                          WHERE notice_id = '2026-0001' AND number = 1$q$,
                       'needs a second reviewer');
-- The second approver names only themself: refused too.
SELECT pg_temp.refused($q$UPDATE revisions SET status = 'approved', reviewer_id = 2,
                                 reviewed_at = '2026-11-30', confidentiality_confirmed = 1
                          WHERE notice_id = '2026-0001' AND number = 1$q$,
                       'needs a second reviewer');
-- A second, distinct approver: allowed.
INSERT INTO approvals VALUES ('2026-0001', 1, 3, '2026-11-30', 1);
SELECT pg_temp.rows($q$UPDATE revisions SET status = 'approved', reviewer_id = 2,
                              reviewed_at = '2026-11-30', confidentiality_confirmed = 1
                       WHERE notice_id = '2026-0001' AND number = 1$q$, 1);
SELECT pg_temp.refused($q$INSERT INTO approvals VALUES ('2026-0001', 1, 4, '2026-11-30', 0)$q$,
                       'approvals_confidentiality_confirmed_check');
-- One reviewer is enough where one is required.
INSERT INTO revisions (notice_id, number, author_id, created_at, content, status)
    VALUES ('2026-0001', 2, 1, '2026-12-01', '{}', 'submitted');
SELECT pg_temp.rows($q$UPDATE revisions SET status = 'approved', reviewer_id = 2,
                              confidentiality_confirmed = 1
                       WHERE notice_id = '2026-0001' AND number = 2$q$, 1);
-- As in SQLite, the rule is checked when status is set, not when reviews_required is.
SELECT pg_temp.rows($q$UPDATE revisions SET reviews_required = 2
                       WHERE notice_id = '2026-0001' AND number = 2$q$, 1);
SELECT pg_temp.refused($q$UPDATE revisions SET status = 'approved'
                          WHERE notice_id = '2026-0001' AND number = 2$q$,
                       'needs a second reviewer');
SELECT pg_temp.refused($q$UPDATE revisions SET reviews_required = 3
                          WHERE notice_id = '2026-0001' AND number = 2$q$,
                       'revisions_reviews_required_check');
-- The CHECK: approved needs a reviewer who is not the author and confidentiality confirmed,
-- or a direct source and no reviewer.
SELECT pg_temp.refused($q$INSERT INTO revisions (notice_id, number, author_id, created_at,
                              content, status) VALUES ('2026-0001', 3, 1, 't', '{}', 'approved')$q$,
                       'revisions_check');
SELECT pg_temp.refused($q$INSERT INTO revisions (notice_id, number, author_id, created_at,
                              content, status, reviewer_id, confidentiality_confirmed)
                          VALUES ('2026-0001', 3, 1, 't', '{}', 'approved', 1, 1)$q$,
                       'revisions_check');
SELECT pg_temp.refused($q$INSERT INTO revisions (notice_id, number, author_id, created_at,
                              content, status, reviewer_id, confidentiality_confirmed)
                          VALUES ('2026-0001', 3, 1, 't', '{}', 'approved', 2, 0)$q$,
                       'revisions_check');
SELECT pg_temp.refused($q$INSERT INTO revisions (notice_id, number, author_id, created_at,
                              content, status, reviewer_id, direct_source)
                          VALUES ('2026-0001', 3, 4, 't', '{}', 'approved', 4, '预警中心')$q$,
                       'revisions_check');
SELECT pg_temp.refused($q$INSERT INTO revisions (notice_id, number, author_id, created_at,
                              content, status)
                          VALUES ('2026-0001', 3, 1, 't', '{}', 'published')$q$,
                       'revisions_status_check');
INSERT INTO revisions (notice_id, number, author_id, created_at, content, status, direct_source)
    VALUES ('2026-0001', 3, 4, 't', '{}', 'approved', '预警中心');
INSERT INTO revisions (notice_id, number, author_id, created_at, content, status, reviewer_id,
                       confidentiality_confirmed)
    VALUES ('2026-0001', 4, 1, 't', '{}', 'approved', 2, 1);
-- playlist changes: four eyes too, ids assigned.
INSERT INTO playlist_changes (group_name, text, author_id, created_at, status)
    VALUES ('g', '{}', 1, 't', 'pending');
SELECT pg_temp.refused($q$UPDATE playlist_changes SET status = 'approved', reviewer_id = 1$q$,
                       'playlist_changes_check');
SELECT pg_temp.rows($q$UPDATE playlist_changes SET status = 'approved', reviewer_id = 2
                       WHERE id = 1$q$, 1);

--------------------------------------------------------------------------------------------------
-- The other CHECKs, UNIQUEs, and foreign keys enforced.
SELECT pg_temp.refused($q$INSERT INTO group_areas VALUES ('g', '33010')$q$,
                       'group_areas_code_check');
SELECT pg_temp.refused($q$INSERT INTO source_areas VALUES ('预警中心', '3301021')$q$,
                       'source_areas_code_check');
INSERT INTO group_areas VALUES ('g', '330102');
SELECT pg_temp.refused($q$INSERT INTO feed_keys (role, key_id, recorded_at)
                          VALUES ('previous', 'k', 't')$q$, 'feed_keys_check');
SELECT pg_temp.refused($q$INSERT INTO feed_keys (role, key_id, until, recorded_at)
                          VALUES ('next', 'k', 'u', 't')$q$, 'feed_keys_role_check');
INSERT INTO feed_keys (role, key_id, recorded_at) VALUES ('current', NULL, 't');
INSERT INTO feed_keys (role, key_id, until, recorded_at) VALUES ('previous', 'k0', 'u', 't');
SELECT pg_temp.refused($q$INSERT INTO assets
                          VALUES (repeat('a', 63), 'image/png', 1, 1, '\x00', 'u', 't')$q$,
                       'assets_sha256_check');
SELECT pg_temp.refused($q$INSERT INTO assets
                          VALUES (repeat('a', 64), 'image/gif', 1, 1, '\x00', 'u', 't')$q$,
                       'assets_media_type_check');
SELECT pg_temp.refused($q$INSERT INTO assets
                          VALUES (repeat('a', 64), 'image/png', 0, 1, '\x00', 'u', 't')$q$,
                       'assets_width_check');
INSERT INTO assets VALUES (repeat('a', 64), 'image/png', 1, 1, '\x89504e47', 'u', 't');
SELECT pg_temp.refused($q$INSERT INTO review_policies (group_name, reviews, updated_by, updated_at)
                          VALUES ('g', 3, 'u', 't')$q$, 'review_policies_reviews_check');
INSERT INTO review_policies (group_name, reviews, updated_by, updated_at) VALUES ('g', 2, 'u', 't');
INSERT INTO calendars VALUES (2026, '', 'u', 't');
INSERT INTO held_forms VALUES (1, '/notices', 'application/x-www-form-urlencoded', '\x00', 't');
DO $$
BEGIN
    IF (SELECT count(*) FROM review_policies WHERE periods = '[]' AND categories = '[]') <> 1 THEN
        RAISE EXCEPTION 'review_policies defaults wrong';
    END IF;
    BEGIN
        INSERT INTO users (name, role, password_hash, created_at)
            VALUES ('王芳', 'editor', 'h', 't');
        RAISE EXCEPTION 'a second user of the same name was accepted';
    EXCEPTION WHEN unique_violation THEN
        NULL;
    END;
    BEGIN
        INSERT INTO screens (id, group_name, token_hash, created_at) VALUES ('s2', 'g', 'x', 't');
        RAISE EXCEPTION 'a second screen of the same token was accepted';
    EXCEPTION WHEN unique_violation THEN
        NULL;
    END;
    BEGIN
        INSERT INTO sessions VALUES ('h2', 99, 'c', 't', 't');
        RAISE EXCEPTION 'a session of a missing user was accepted';
    EXCEPTION WHEN foreign_key_violation THEN
        NULL;
    END;
    BEGIN
        DELETE FROM users WHERE id = 1;
        RAISE EXCEPTION 'a user with notices was deleted';
    EXCEPTION WHEN foreign_key_violation THEN
        NULL;
    END;
    BEGIN
        INSERT INTO approvals VALUES ('2026-0001', 9, 2, 't', 1);
        RAISE EXCEPTION 'an approval of a missing revision was accepted';
    EXCEPTION WHEN foreign_key_violation THEN
        NULL;
    END;
END;
$$;

-- Text compares byte by byte, as SQLite's BINARY (whatever the database's locale).
INSERT INTO settings
    VALUES ('b', '1'), ('B', '2'), ('_', '3'), ('a', '4'), ('王', '5'), ('Z', '6');
DO $$
BEGIN
    IF (SELECT string_agg(name, '' ORDER BY name) FROM settings) <> 'BZ_ab王' THEN
        RAISE EXCEPTION 'text is not ordered byte by byte: %',
            (SELECT string_agg(name, '' ORDER BY name) FROM settings);
    END IF;
END;
$$;

--------------------------------------------------------------------------------------------------
-- Schema b: the same script as one simple-query batch (a driver's batch_execute), in the same
-- database.
\set ddl `cat src/service/domain/storage/postgres.sql`
SELECT length(:'ddl') > 10000 AS ddl_read \gset
\if :ddl_read
\else
    \echo 'postgres.sql not read: run this script from the repository root'
    \quit
\endif
CREATE SCHEMA schema_check_b;
SET search_path = schema_check_b;
SELECT :'ddl' \gexec

DO $$
BEGIN
    IF (SELECT count(*) FROM pg_tables WHERE schemaname = 'schema_check_b') <> 30
       OR (SELECT count(*) FROM pg_tables WHERE schemaname = 'schema_check_a') <> 30 THEN
        RAISE EXCEPTION 'each schema should have its 30 tables';
    END IF;
    IF (SELECT count(*) FROM pg_proc WHERE pronamespace = 'schema_check_b'::regnamespace)
       <> (SELECT count(*) FROM pg_proc WHERE pronamespace = 'schema_check_a'::regnamespace)
       OR (SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
           WHERE c.relnamespace = 'schema_check_b'::regnamespace AND NOT t.tgisinternal) <> 7 THEN
        RAISE EXCEPTION 'schema b lacks its functions or triggers';
    END IF;
    IF EXISTS (SELECT 1 FROM users) OR EXISTS (SELECT 1 FROM audit) THEN
        RAISE EXCEPTION 'schema b is not empty';
    END IF;
END;
$$;
-- Its identities start at 1 of their own.
INSERT INTO users (name, role, password_hash, created_at) VALUES ('王芳', 'editor', 'h', 't');
DO $$
BEGIN
    IF (SELECT id FROM users) <> 1 THEN
        RAISE EXCEPTION 'schema b shares an identity';
    END IF;
END;
$$;

-- Each schema's triggers read their own tables, whatever search_path says: b's log has only old
-- entries, a's has a young one.
INSERT INTO audit (at, actor, action, subject, detail)
    VALUES ('2000-01-01T00:00:00+00:00', 'a', 'x', 'oldest', ''),
           ('2001-01-01T00:00:00+00:00', 'a', 'x', 'newest', '');
SET search_path = schema_check_a;
SELECT pg_temp.refused($q$DELETE FROM schema_check_b.audit WHERE subject = 'newest'$q$,
                       'kept 180 days');
SET search_path = pg_catalog;
SELECT pg_temp.refused($q$DELETE FROM schema_check_b.audit WHERE subject = 'newest'$q$,
                       'kept 180 days');
SELECT pg_temp.refused($q$UPDATE schema_check_b.audit SET actor = 'b'$q$, 'append-only');
SELECT pg_temp.rows($q$DELETE FROM schema_check_b.audit WHERE subject = 'oldest'$q$, 1);
-- b's revision needing two reviewers, a's approvals of the same key do not count.
INSERT INTO schema_check_b.users (name, role, password_hash, created_at)
    VALUES ('李审', 'reviewer', 'h', 't');
INSERT INTO schema_check_b.notices (id, created_by, created_at) VALUES ('2026-0001', 1, 't');
INSERT INTO schema_check_b.revisions (notice_id, number, author_id, created_at, content, status,
                                      reviews_required)
    VALUES ('2026-0001', 1, 1, 't', '{}', 'submitted', 2);
INSERT INTO schema_check_b.approvals VALUES ('2026-0001', 1, 2, 't', 1);
SET search_path = schema_check_a;
SELECT pg_temp.refused($q$UPDATE schema_check_b.revisions SET status = 'approved', reviewer_id = 2,
                                 confidentiality_confirmed = 1$q$, 'needs a second reviewer');
RESET search_path;

-- Nothing was made outside the two schemas (temporary objects aside).
DO $$
DECLARE
    extra TEXT;
BEGIN
    SELECT string_agg(kind || ' ' || nspname || '.' || name, ', ') INTO extra FROM (
        SELECT 'class' AS kind, n.nspname, c.relname AS name FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
        UNION ALL
        SELECT 'proc', n.nspname, p.proname FROM pg_proc p
            JOIN pg_namespace n ON n.oid = p.pronamespace
        UNION ALL
        SELECT 'type', n.nspname, t.typname FROM pg_type t
            JOIN pg_namespace n ON n.oid = t.typnamespace
        UNION ALL
        SELECT 'trigger', '', tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname NOT IN ('schema_check_a', 'schema_check_b')
        UNION ALL
        SELECT 'namespace', nspname, '' FROM pg_namespace
        UNION ALL
        SELECT 'extension', extname, '' FROM pg_extension
        UNION ALL
        SELECT 'role', rolname, '' FROM pg_roles
        EXCEPT
        SELECT * FROM outside_before
    ) new
    WHERE nspname NOT IN ('schema_check_a', 'schema_check_b')
      AND nspname NOT LIKE 'pg\_temp\_%' AND nspname NOT LIKE 'pg\_toast%';
    IF extra IS NOT NULL THEN
        RAISE EXCEPTION 'made outside the tenant schemas: %', extra;
    END IF;
END;
$$;

DROP SCHEMA schema_check_a CASCADE;
DROP SCHEMA schema_check_b CASCADE;
\o
\echo 'schema_check: all checks passed'
