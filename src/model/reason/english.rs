//! The English text of each reason: what the command line and the API print.

use std::fmt;

use chrono::Datelike;

use super::*;

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Reason::*;
        match self {
            Syntax(detail) => write!(f, "{detail}"),
            CannotRead(e) => write!(f, "cannot read: {e}"),
            CannotReadFolder(e) => write!(f, "cannot read folder: {e}"),
            NotFeedOrPlaylist => write!(f, "not a .json feed or a .toml playlist"),
            NotUtf8 => write!(f, "the payload is not UTF-8"),
            Empty => write!(f, "is empty"),
            TooLong { chars, max } => write!(f, "has {chars} characters, more than {max}"),
            ControlCharacter { code } => write!(f, "contains the control character U+{code:04X}"),
            ControlCharacterInText => write!(f, "contains a control character"),
            NotAName { text, kind } => {
                let what = match kind {
                    NameKind::Group => "a group name",
                    NameKind::Screen => "a screen id",
                    NameKind::Source => "a source name",
                };
                write!(f, "{text:?} is not {what} (a-z, 0-9, - and _)")
            }
            OutOfRange {
                value,
                min,
                max,
                unit,
            } => write!(f, "{value} is outside {min}..={max}{}", unit.suffix()),
            ExpiresNotAfterGenerated { expires, generated } => {
                write!(f, "{expires} is not after generated_at {generated}")
            }
            PlaylistGroupDiffers { playlist, feed } => {
                write!(f, "{playlist:?} differs from the feed's group {feed:?}")
            }
            TooManySigningKeys { count } => {
                write!(f, "lists {count} keys: one, or two during a key rotation")
            }
            NotAPublicKey => write!(
                f,
                "neither the base64 of an Ed25519 public key nor sm2: and an SM2 one"
            ),
            TooManyAssets { count, max } => write!(f, "lists {count} files, more than {max}"),
            NotLowercaseHex64 { text } => write!(f, "{text:?} is not 64 lowercase hex digits"),
            HashListedTwice => write!(f, "is listed twice"),
            NotAWebAddress { text } => write!(f, "{text:?} is not an http:// or https:// address"),
            NotAMediaType { text } => write!(f, "{text:?} is not a media type like image/png"),
            NotAnId { text } => write!(f, "{text:?} must be at most 64 characters without spaces"),
            IdUsedTwice { id } => write!(f, "{id:?} is used by an earlier notice"),
            LevelNotEmergency => write!(
                f,
                "a warning level is for emergency notices only (priority \"emergency\")"
            ),
            NotAfterValidFrom { until, from } => {
                write!(f, "{until} is not after valid_from {from}")
            }
            UrlTooLongForQr { bytes, max } => write!(
                f,
                "is {bytes} bytes, too long for a QR code residents can scan (at most {max})"
            ),
            PeriodEitherOr => write!(f, "give either working_days or end, not both or neither"),
            PeriodDaysOutOfRange { days, max } => write!(f, "{days} is not between 1 and {max}"),
            PeriodEndNotAfterStart { end, start } => {
                write!(f, "{end} is not after the start {start}")
            }
            PeriodOverAYear => write!(f, "more than a year after the start"),
            PeriodHasNoWorkingDay => write!(
                f,
                "the 公示期 has no working day: it ends before its first working day"
            ),
            PeriodStartsBeforeNotice { start, from } => write!(
                f,
                "the 公示期 starts at {} but the notice shows only from {}",
                start.to_rfc3339(),
                from.to_rfc3339()
            ),
            NoticeEndsBeforePeriod { until, ends } => write!(
                f,
                "the notice stops showing at {}, before its 公示期 ends at {}",
                until.to_rfc3339(),
                ends.to_rfc3339()
            ),
            NoGroups => write!(f, "is empty: name the screen groups, or \"*\" for all"),
            NoSuchGroup { name } => write!(f, "there is no screen group {name:?}"),
            NotConfirmed => write!(
                f,
                "the confidentiality review (保密审查) must be confirmed to approve"
            ),
            NoRejectReason => write!(f, "is empty: tell the editor what to change"),
            MissingGlyph { ch } => write!(
                f,
                "no bundled font has {ch} (U+{:04X}): a personnel notice would show a name as 〓",
                *ch as u32
            ),
            MissingGlyphs { chars } => write!(
                f,
                "no bundled font draws {chars}: a personnel notice would show part of a name \
                 as 〓; write the name with characters the screens have, or have a font added \
                 (fonts/README.md)"
            ),
            OverBudget {
                group,
                bytes,
                budget,
                max,
            } => write!(
                f,
                "the feed of group {group} would be {bytes} bytes, over its budget of {budget} \
                 bytes (screens accept at most {max}): withdraw older notices or shorten this one"
            ),
            PushesOut {
                group,
                budget,
                notices,
            } => write!(
                f,
                "the feed of group {group} is at its budget of {budget} bytes while a warning \
                 is in force: this change would push notices {notices} out of it; withdraw \
                 older notices or shorten this one"
            ),
            ChooseCategory => write!(f, "choose a category"),
            ChoosePriority => write!(f, "choose a priority"),
            ChooseLevel => write!(f, "choose a warning level"),
            NotADateTime { text } => {
                write!(f, "{text:?} is not a date and time like 2026-12-01T08:00")
            }
            PeriodStartMissing => write!(f, "give the 公示期's start"),
            NotWorkingDays { text } => write!(f, "{text:?} is not a number of working days"),
            NotARevision => write!(f, "is missing or not a number"),
            TooManyPixels { width, height, max } => write!(
                f,
                "{width}x{height} is {} pixels, more than {max} (two 4K panels)",
                *width as u64 * *height as u64
            ),
            PaletteOnlyForLed { palette } => write!(f, "{palette} is only for LED screens"),
            TooFewLines { px, lines, height } => write!(
                f,
                "{px} pixels leave room for fewer than {lines} lines on a {height}-pixel-high \
                 screen"
            ),
            ExceedsLedHeight { px, height } => {
                write!(f, "{px} pixels exceed the LED height {height}")
            }
            MaxPagesOutOfRange { pages } => write!(
                f,
                "{pages} is not between 2 and 50 (the last page is the closing QR page)"
            ),
            NothingToPlay => write!(f, "is empty: nothing would play"),
            CategoryListedTwice { category } => write!(f, "{category} is listed twice"),
            TransitionTooLong { ms } => write!(f, "{ms} is more than 3000 ms"),
            OnlyForLed => write!(f, "is only for LED screens"),
            OnlyForTerminals => write!(f, "is only for terminal screens"),
            BitsOnlyForRed => write!(
                f,
                "1 is only for single-colour LED screens (kind = \"led\", palette = \"red\")"
            ),
            BitsNotOne { bits } => {
                write!(
                    f,
                    "{bits} is not 1; leave it out for the palette's full depth"
                )
            }
            NotADiagonal { inches } => write!(
                f,
                "{inches} is not a panel diagonal between 7 and 150 inches"
            ),
            NotARightAngle { degrees } => {
                write!(f, "{degrees} is not 0, 90, 180 or 270 degrees")
            }
            NotAnHttpAddress { text } => write!(f, "{text:?} is not an http(s) address"),
            EqualsHoursOn { time } => {
                write!(f, "{time} equals hours.on: leave [hours] out for all day")
            }
            StoredUnreadable(e) => write!(f, "the stored playlist cannot be read: {e}"),
            NotAnInteger { text } => write!(f, "{text:?} is not a whole number"),
            PersonalIdNumber { at, masked } => write!(
                f,
                "has a resident ID number at character {at}: personal data stays off public \
                 screens; write it masked, as {masked}"
            ),
            BankCardNumber { at, masked } => write!(
                f,
                "has a bank card number at character {at}: personal data stays off public \
                 screens; write it masked, as {masked}"
            ),
            TableRowCells {
                line,
                cells,
                header,
            } => write!(
                f,
                "line {line}: a table row of {cells} cells under a header of {header} (cells are \
                 separated by tabs; every row needs as many as the header)"
            ),
            TableTooManyColumns { line, columns, max } => write!(
                f,
                "line {line}: a table of {columns} columns, more than the {max} a screen can show"
            ),
            TableTooManyRows { line, rows, max } => write!(
                f,
                "line {line}: a table of {rows} rows, more than {max}; split it into notices"
            ),
            TableCellTooLong {
                line,
                column,
                chars,
                max,
            } => write!(
                f,
                "line {line}, column {column}: a table cell of {chars} characters, more than {max}"
            ),
            TableHeaderEmpty { line } => write!(
                f,
                "line {line}: the table's first row, its header, has no text"
            ),
            NotATimeOfDay { text } => write!(
                f,
                "{text:?} is not a time of day in HH:MM form (00:00 to 23:59)"
            ),
            NotANumber { text } => write!(f, "{text:?} is not a number"),
            NoFeedUrls => write!(f, "is empty: give the feed's URL, then any mirrors"),
            NotAUrl { text } => write!(f, "{text:?} is not an http:// or https:// URL"),
            TrustedKeyCount { count } => {
                write!(
                    f,
                    "has {count} keys: list one, or two during a key rotation"
                )
            }
            NotAKey(e) => write!(f, "{e}"),
            NoToken => write!(
                f,
                "is empty: `noticecast screen add` prints the screen's token"
            ),
            NotALogLevel { text } => {
                write!(f, "{text:?} is not one of error, warn, info, debug, trace")
            }
            BeforeLineAbove { t_ms, last } => {
                write!(f, "t_ms {t_ms} is before the line above ({last})")
            }
            NotAPoint { xy } => write!(f, "tap_xy {xy} is not a point in pixels"),
            OneOfTapKey => write!(f, "needs exactly one of tap, tap_xy and key"),
            NotInYear { date, year } => write!(f, "{date} is not in {year}"),
            NotACalendarDate { text } => write!(f, "{text:?} is not a date (YYYY-MM-DD)"),
            NotAHolidayPeriod { name, from, to } => {
                write!(f, "{name} from {from} to {to} is not a holiday period")
            }
            NotAWeekend { date } => write!(
                f,
                "{date} is a {:?}: only a weekend day can be worked instead",
                date.weekday()
            ),
            HolidayAndWorkday { date } => {
                write!(f, "{date} is both a holiday and a working day")
            }
            WrongYear { file, year } => write!(f, "the file is for {file}, not {year}"),
            ChangesPast { days } => write!(
                f,
                "changes days before today ({days}): past days are evidence of 公示期 already \
                 counted and stay as they were"
            ),
            NoRemit => write!(
                f,
                "a source needs its remit: the area codes (行政区划代码) it may warn, e.g. 330100"
            ),
            NotAnAreaCode { text, like } => write!(
                f,
                "{text:?} is not a six-digit area code (行政区划代码) like {like}"
            ),
            ScopeNotPublic { scope } => write!(
                f,
                "{scope:?}: only a Public warning is shown on public screens; a Restricted or \
                 Private message is for its addressees"
            ),
            ScopeMissing => write!(
                f,
                "missing: only a warning whose <scope> is Public is shown on public screens"
            ),
            SentInFuture { sent, now } => write!(
                f,
                "{} is later than now ({}): a warning is sent when it is sent",
                sent.to_rfc3339(),
                now.to_rfc3339()
            ),
            NotAreaCodes { codes, count } => write!(
                f,
                "{codes} {} not a six-digit area code (行政区划代码)",
                if *count == 1 { "is" } else { "are" }
            ),
            NoGroupCovers { codes } => write!(
                f,
                "no screen group covers {codes}: give a group these area codes \
                 (noticecast group areas, or the console's group page)"
            ),
            UnknownReferences { source, references } => write!(
                f,
                "names no alert received from source {source}: {references}"
            ),
            GroupDiffers { got, want } => {
                write!(f, "{got:?} differs from the group being edited, {want:?}")
            }
            KindChanged { kind } => write!(
                f,
                "the group's screens are {kind}; a group does not change kind (create a new \
                 group)"
            ),
            NotALoginName { text, max } => write!(
                f,
                "{text:?} must be 1 to {max} letters, digits, - _ or . (not leading)"
            ),
            PasswordTooShort { min } => write!(f, "must be at least {min} characters"),
            OnlySpaces => write!(f, "is only spaces"),
            OneCharacterRepeated => write!(f, "is one character repeated"),
            ContainsUserName => write!(f, "contains the user name"),
            SamePassword => write!(f, "is the current password: choose another one"),
            NotCurrentPassword => write!(f, "is not the current password"),
            RoleNotAtCreation => write!(
                f,
                "is not given at creation: the account has no role until the security \
                 administrator grants one (PUT /api/users/{{name}} with role)"
            ),
            PasswordNotChosen => write!(
                f,
                "is not chosen by an administrator: the account gets a one-time code \
                 (reset_password for an existing account), which its owner replaces at the \
                 first login"
            ),
            KeepTooShort { days, min } => {
                write!(f, "is {days}: the audit log is kept at least {min} days")
            }
            NotVerifiedExport(why) => write!(f, "is not a verified audit export: {why}"),
            NotRfc3339 { text } => write!(f, "{text:?} is not an RFC 3339 time"),
            NeitherJsonNorCsv { text } => write!(f, "{text:?} is neither json nor csv"),
            NotAYear { year } => write!(f, "{year} is not a year between 2000 and 2200"),
            ReviewsNotOneOrTwo { reviews } => write!(f, "is {reviews}: 1 or 2"),
            EndsBeforeStarts { from, to } => write!(f, "ends ({to}) before it starts ({from})"),
            NarrowsOnlyTwo => write!(
                f,
                "is 1: periods and categories only narrow a policy of 2 reviews"
            ),
            NotADate { text } => write!(f, "{text:?} is not a date like 2026-12-01"),
            EventHalfGiven => write!(
                f,
                "give both the first and the last day of the event, or neither"
            ),
            ScreenDiffers { got, want } => {
                write!(f, "{got:?} differs from the screen in the path, {want:?}")
            }
            Negative => write!(f, "is negative"),
            UptimeOutOfRange => write!(f, "is not between 0 and ten years of seconds"),
            NotAKeyId { text } => write!(
                f,
                "{text:?} is not a key id (16 hex digits, as the screen shows it)"
            ),
            NotAPng(e) => write!(f, "is not a PNG image: {e}"),
            ImageTooLarge { width, height } => {
                write!(f, "{width}x{height} is larger than any screen")
            }
            NotAWholePng(e) => write!(f, "is not a whole PNG image: {e}"),
            TooManyRecords { count, max } => write!(f, "{count} records, at most {max} an upload"),
            DroppedOutOfRange { dropped, max } => {
                write!(f, "{dropped} is not between 0 and {max}")
            }
            SequenceTooLarge => write!(f, "is larger than any feed sequence"),
            RecordIdLengths => write!(
                f,
                "id and notice_id must be 1 to 200 and 1 to 64 characters"
            ),
            NotHex64 => write!(f, "is not 64 hex digits"),
            DurationOutOfRange { seconds } => {
                write!(f, "{seconds} is not between 0 and 86400 seconds")
            }
            NoNotice { id } => write!(f, "no notice {id:?}"),
            NoGroupNamed { name } => write!(f, "no screen group named {name:?}"),
            NoUserNamed { name } => write!(f, "no user named {name:?}"),
            NoScreen { id } => write!(f, "no screen {id:?}"),
            ScreenEnrolled { id } => write!(
                f,
                "a screen {id:?} is enrolled; issue it a new token instead"
            ),
            KeyAlreadyConfirmed { id, key } => write!(
                f,
                "screen {id} has device key {key} confirmed: reset it first"
            ),
            NoSource { name } => write!(f, "no alert source named {name:?}"),
            SourceExists { name } => write!(
                f,
                "an alert source named {name:?} exists (a revoked one keeps its name)"
            ),
            SourceRevoked { name } => write!(f, "alert source {name:?} was revoked"),
            NoTenant { name } => write!(f, "no tenant named {name:?} on this platform"),
            TenantExists { name } => write!(f, "a tenant named {name:?} exists"),
            NotATenantName { name } => write!(
                f,
                "{name:?} is not a tenant name: lower-case letters and digits, a letter first, \
                 at most 24"
            ),
            NoScreenshot { id } => write!(f, "no screenshot of screen {id:?} yet"),
            NoPage => write!(f, "no such page"),
            RolesBySecadmin { actor_role } => write!(
                f,
                "roles are granted by the security administrator, not a {actor_role}"
            ),
            OwnRole { name, role } => write!(
                f,
                "nobody grants a role to themselves ({name} asked for {role})"
            ),
            RoleOnlyOnHost { role } => write!(
                f,
                "the {role} role is granted only on the host (noticecast user grant), not \
                 through the console or the API"
            ),
            AdminRoleOnlyOnHost { name, role } => write!(
                f,
                "{name} is a {role}: an administrator's role is changed only on the host \
                 (noticecast user grant)"
            ),
            AdminResetOnlyOnHost { name, role } => write!(
                f,
                "{name} is a {role}: an administrator's password is reset and an \
                 administrator's account disabled only on the host (noticecast user reset, \
                 noticecast user disable), never by another administrator"
            ),
            AccountsBySysadmin { actor_role, name } => write!(
                f,
                "a {actor_role} may not reset the password or the state of {name}: the system \
                 administrator keeps editors' and reviewers' accounts"
            ),
            OneTimeCodeNotReplaced { name } => write!(
                f,
                "{name} has not replaced its one-time code yet: grant a role once its owner has \
                 logged in and chosen a password"
            ),
            TooManyFigures { count, max } => {
                write!(f, "{count} figures, at most {max} a notice")
            }
            AssetNotListed { sha256 } => {
                write!(f, "asset {sha256} is not listed in the feed's assets")
            }
            NoSuchAsset { sha256 } => write!(
                f,
                "no asset {sha256}: upload the image first (POST /api/assets)"
            ),
            UnsupportedImageType { media_type } => write!(
                f,
                "{media_type:?} is not an image type taken here: send image/png, image/jpeg or \
                 image/webp"
            ),
            NotAnImage { media_type, detail } => {
                write!(f, "does not decode as {media_type}: {detail}")
            }
            ImageTooManyPixels { width, height, max } => write!(
                f,
                "{width}x{height} is more than the {max} pixels an image may have (a \
                 decompression bomb, or far beyond any screen)"
            ),
            ImageTooManyBytes { bytes, max } => {
                write!(f, "{bytes} bytes, more than the {max} an image may have")
            }
            ImportRefused { en, .. } => write!(f, "{en}"),
            ImportTooSlow { seconds } => write!(
                f,
                "reading the file took over {seconds} s: split it, or save it again with fewer \
                 pages or images"
            ),
            NotInBitmapFace { ch, px } => write!(
                f,
                "{ch} (U+{:04X}) is not in the {px} px bitmap face of single-colour LED modules: \
                 drawn from an outline face, it may break into dots there",
                *ch as u32
            ),
            HalfWidthPunctuation {
                line,
                column,
                found,
                replacement,
            } => write!(
                f,
                "line {line}, character {column}: a half-width {} '{found}' in Chinese text; \
                 use '{replacement}'",
                Reason::mark_name(*found).0
            ),
            ForeignMiddleDot {
                line,
                column,
                found,
            } => write!(
                f,
                "line {line}, character {column}: the middle dot '{found}' (U+{:04X}) in a name; \
                 names are separated with '·' (U+00B7)",
                *found as u32
            ),
            Detail(text) => write!(f, "{text}"),
        }
    }
}
