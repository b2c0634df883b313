//! What is wrong with one input, with its values: the `reason` of every `Problem`.
//!
//! `Display` gives the English sentence the command line and the API print; `zh` gives what the
//! staff console shows. Both are written here, side by side, so a new reason cannot reach the
//! console without its Chinese: the match in `zh` is exhaustive.

use std::fmt;

use chrono::{Datelike, NaiveDate};

use super::time::Timestamp;

/// What kind of name a `Reason::NotAName` is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    Group,
    Screen,
    Source,
}

/// What follows a range in `Reason::OutOfRange`: its unit, or why the range is what it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    None,
    Pixels,
    Seconds,
    PixelsPerSecond,
    Inches,
    RefreshesPerSecond,
    /// `type.line_height`: elderly readers need at least 1.3.
    LineHeight,
}

impl Unit {
    fn suffix(self) -> &'static str {
        match self {
            Unit::None => "",
            Unit::Pixels => " pixels",
            Unit::Seconds => " seconds",
            Unit::PixelsPerSecond => " pixels per second",
            Unit::Inches => " inches",
            Unit::RefreshesPerSecond => " refreshes a second",
            Unit::LineHeight => " (elderly readers need at least 1.3)",
        }
    }
}

/// What is wrong, with the values that say how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// Text another library wrote (a JSON or TOML parser, an I/O error, a key's parser): shown
    /// as it is, after a Chinese preface in the console.
    Syntax(String),
    /// The file or folder could not be read (the I/O error).
    CannotRead(String),
    CannotReadFolder(String),
    NotFeedOrPlaylist,
    NotUtf8,

    // Text fields.
    Empty,
    TooLong {
        chars: usize,
        max: usize,
    },
    ControlCharacter {
        code: u32,
    },
    /// Anywhere in a ticker's text.
    ControlCharacterInText,
    NotAName {
        text: String,
        kind: NameKind,
    },
    /// A value outside `min..=max` (both as written in the message, `min_s` included; boxed to
    /// keep a `Problem` small).
    OutOfRange {
        value: String,
        min: Box<str>,
        max: Box<str>,
        unit: Unit,
    },

    // Feeds and notices.
    ExpiresNotAfterGenerated {
        expires: Timestamp,
        generated: Timestamp,
    },
    PlaylistGroupDiffers {
        playlist: String,
        feed: String,
    },
    TooManySigningKeys {
        count: usize,
    },
    NotAPublicKey,
    TooManyAssets {
        count: usize,
        max: usize,
    },
    NotLowercaseHex64 {
        text: String,
    },
    HashListedTwice,
    NotAWebAddress {
        text: String,
    },
    NotAMediaType {
        text: String,
    },
    NotAnId {
        text: String,
    },
    IdUsedTwice {
        id: String,
    },
    LevelNotEmergency,
    NotAfterValidFrom {
        until: Timestamp,
        from: Timestamp,
    },
    UrlTooLongForQr {
        bytes: usize,
        max: usize,
    },
    PeriodEitherOr,
    PeriodDaysOutOfRange {
        days: u32,
        max: u32,
    },
    PeriodEndNotAfterStart {
        end: Timestamp,
        start: Timestamp,
    },
    PeriodOverAYear,
    PeriodHasNoWorkingDay,
    PeriodStartsBeforeNotice {
        start: Timestamp,
        from: Timestamp,
    },
    NoticeEndsBeforePeriod {
        until: Timestamp,
        ends: Timestamp,
    },
    NoGroups,
    NoSuchGroup {
        name: String,
    },
    NotConfirmed,
    NoRejectReason,
    /// `validate`: a character no bundled font has, in a personnel notice.
    MissingGlyph {
        ch: char,
    },
    /// The service: characters no bundled font draws, in a personnel notice.
    MissingGlyphs {
        chars: String,
    },
    OverBudget {
        group: String,
        bytes: usize,
        budget: usize,
        max: usize,
    },
    PushesOut {
        group: String,
        budget: usize,
        notices: String,
    },

    // The notice form.
    ChooseCategory,
    ChoosePriority,
    ChooseLevel,
    NotADateTime {
        text: String,
    },
    PeriodStartMissing,
    NotWorkingDays {
        text: String,
    },
    NotARevision,

    // Playlists and the playlist form.
    TooManyPixels {
        width: u32,
        height: u32,
        max: u64,
    },
    PaletteOnlyForLed {
        palette: String,
    },
    TooFewLines {
        px: String,
        lines: String,
        height: u32,
    },
    ExceedsLedHeight {
        px: String,
        height: u32,
    },
    MaxPagesOutOfRange {
        pages: u32,
    },
    NothingToPlay,
    CategoryListedTwice {
        category: String,
    },
    TransitionTooLong {
        ms: u32,
    },
    OnlyForLed,
    OnlyForTerminals,
    BitsOnlyForRed,
    BitsNotOne {
        bits: u8,
    },
    NotADiagonal {
        inches: String,
    },
    NotARightAngle {
        degrees: u16,
    },
    NotAnHttpAddress {
        text: String,
    },
    EqualsHoursOn {
        time: String,
    },
    StoredUnreadable(String),
    NotAnInteger {
        text: String,
    },
    NotANumber {
        text: String,
    },

    // Screen configuration.
    NoFeedUrls,
    NotAUrl {
        text: String,
    },
    TrustedKeyCount {
        count: usize,
    },
    NotAKey(String),
    NoToken,
    NotALogLevel {
        text: String,
    },

    // Touch scripts.
    BeforeLineAbove {
        t_ms: u64,
        last: u64,
    },
    NotAPoint {
        xy: String,
    },
    OneOfTapKey,

    // Calendars.
    NotInYear {
        date: NaiveDate,
        year: i32,
    },
    NotACalendarDate {
        text: String,
    },
    NotAHolidayPeriod {
        name: String,
        from: NaiveDate,
        to: NaiveDate,
    },
    NotAWeekend {
        date: NaiveDate,
    },
    HolidayAndWorkday {
        date: NaiveDate,
    },
    WrongYear {
        file: i32,
        year: i32,
    },
    ChangesPast {
        days: String,
    },

    // Alerts and their sources.
    NoRemit,
    NotAnAreaCode {
        text: String,
        like: u32,
    },
    ScopeNotPublic {
        scope: String,
    },
    ScopeMissing,
    SentInFuture {
        sent: Timestamp,
        now: Timestamp,
    },
    NotAreaCodes {
        codes: String,
        count: usize,
    },
    NoGroupCovers {
        codes: String,
    },
    UnknownReferences {
        source: String,
        references: String,
    },

    // Groups.
    GroupDiffers {
        got: String,
        want: String,
    },
    KindChanged {
        kind: String,
    },

    // Accounts and passwords.
    NotALoginName {
        text: String,
        max: usize,
    },
    PasswordTooShort {
        min: usize,
    },
    OnlySpaces,
    OneCharacterRepeated,
    ContainsUserName,
    SamePassword,
    NotCurrentPassword,
    RoleNotAtCreation,
    PasswordNotChosen,

    // Audit log and reports.
    KeepTooShort {
        days: i64,
        min: i64,
    },
    NotVerifiedExport(String),
    NotRfc3339 {
        text: String,
    },
    NeitherJsonNorCsv {
        text: String,
    },
    NotAYear {
        year: i32,
    },

    // Review policy.
    ReviewsNotOneOrTwo {
        reviews: u8,
    },
    EndsBeforeStarts {
        from: NaiveDate,
        to: NaiveDate,
    },
    NarrowsOnlyTwo,
    NotADate {
        text: String,
    },
    EventHalfGiven,

    // Screens: heartbeats, screenshots and plays.
    ScreenDiffers {
        got: String,
        want: String,
    },
    Negative,
    UptimeOutOfRange,
    NotAKeyId {
        text: String,
    },
    NotAPng(String),
    ImageTooLarge {
        width: u32,
        height: u32,
    },
    NotAWholePng(String),
    TooManyRecords {
        count: usize,
        max: usize,
    },
    DroppedOutOfRange {
        dropped: i64,
        max: i64,
    },
    SequenceTooLarge,
    RecordIdLengths,
    NotHex64,
    DurationOutOfRange {
        seconds: String,
    },
}

impl Reason {
    /// A value outside `min..=max`, each written as `Display` writes it.
    pub fn out_of_range(
        value: impl fmt::Display,
        min: impl fmt::Display,
        max: impl fmt::Display,
        unit: Unit,
    ) -> Reason {
        Reason::OutOfRange {
            value: value.to_string(),
            min: min.to_string().into(),
            max: max.to_string().into(),
            unit,
        }
    }

    /// Whether the English text contains `text` (for tests and logs).
    pub fn contains(&self, text: &str) -> bool {
        self.to_string().contains(text)
    }
}

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
        }
    }
}

/// Bytes as the console writes a feed's size: megabytes with one decimal.
fn mb(bytes: usize) -> String {
    format!("{:.1}", bytes as f64 / 1048576.0)
}

impl Reason {
    /// The same in Chinese, as office staff read it in the console.
    pub fn zh(&self) -> String {
        use Reason::*;
        const EMPTY: &str = "不能为空";
        const CONTROL: &str = "含有不可见的控制字符，请删除后重新输入";
        const WEB: &str = "不是以 http:// 或 https:// 开头的网址";
        const AREA: &str = "不是六位行政区划代码（如 330102）";
        match self {
            Syntax(detail) => format!("格式有误：{detail}"),
            CannotRead(e) => format!("无法读取：{e}"),
            CannotReadFolder(e) => format!("无法读取文件夹：{e}"),
            NotFeedOrPlaylist => "不是 .json 信息流或 .toml 播放列表".into(),
            NotUtf8 => "内容不是 UTF-8 编码".into(),
            Empty | NothingToPlay | NoGroups | NoRejectReason | NoFeedUrls | NoToken => {
                EMPTY.into()
            }
            TooLong { chars, max } => format!("共 {chars} 字，超过了 {max} 字的上限"),
            ControlCharacter { .. } | ControlCharacterInText => CONTROL.into(),
            NotAName { text, kind } => {
                let what = match kind {
                    NameKind::Group => "屏幕组名称",
                    NameKind::Screen => "屏幕编号",
                    NameKind::Source => "预警来源名称",
                };
                format!("“{text}”不是有效的{what}（只能用小写字母、数字、- 和 _）")
            }
            OutOfRange {
                value, min, max, ..
            } => {
                let min = min.replace("min_s", "最短停留时间");
                format!("{value} 超出允许范围（{min} 至 {max}）")
            }
            ExpiresNotAfterGenerated { .. } => "过期时间必须晚于生成时间".into(),
            PlaylistGroupDiffers { playlist, feed } => {
                format!("播放列表的屏幕组“{playlist}”与信息流的屏幕组“{feed}”不一致")
            }
            TooManySigningKeys { count } => {
                format!("列出了 {count} 个签名公钥：应为一个，轮换密钥期间为两个")
            }
            NotAPublicKey => "不是 Ed25519 公钥的 base64，也不是以 sm2: 开头的 SM2 公钥".into(),
            TooManyAssets { count, max } => format!("列出了 {count} 个文件，超过了 {max} 个"),
            NotLowercaseHex64 { text } => format!("“{text}”不是 64 位小写十六进制数字"),
            HashListedTwice => "重复列出".into(),
            NotAWebAddress { .. } | NotAnHttpAddress { .. } | NotAUrl { .. } => WEB.into(),
            NotAMediaType { text } => format!("“{text}”不是 image/png 这样的媒体类型"),
            NotAnId { text } => format!("“{text}”须为不含空格、至多 64 个字符的编号"),
            IdUsedTwice { id } => format!("编号“{id}”已被前面的公告使用"),
            LevelNotEmergency => "只有紧急公告才能设置预警级别".into(),
            NotAfterValidFrom { .. } => "截止时间必须晚于生效时间".into(),
            UrlTooLongForQr { bytes, max } => {
                format!("网址长 {bytes} 字节，生成的二维码过密，居民难以扫描（至多 {max} 字节）")
            }
            PeriodEitherOr => "公示工作日数与公示结束时间请二选一填写".into(),
            PeriodDaysOutOfRange { .. } | NotWorkingDays { .. } => {
                "公示工作日数须为 1 至 60 之间的整数".into()
            }
            PeriodEndNotAfterStart { .. } => "公示结束时间必须晚于公示开始时间".into(),
            PeriodOverAYear => "公示结束时间不能晚于公示开始时间一年以上".into(),
            PeriodHasNoWorkingDay => "公示期内没有工作日，请调整公示开始或结束时间".into(),
            PeriodStartsBeforeNotice { .. } => {
                "公示开始时间早于公告生效时间，公告须在整个公示期内显示".into()
            }
            NoticeEndsBeforePeriod { .. } => {
                "截止时间早于公示期结束，公告须在整个公示期内显示".into()
            }
            NoSuchGroup { .. } => "没有这个屏幕组".into(),
            NotConfirmed => "批准前须确认已通过保密审查".into(),
            MissingGlyph { ch } => format!(
                "屏幕字库中没有“{ch}”：人事任免公告中的姓名不能显示为〓，请改用可显示的写法或\
                 请信息管理员增补字库"
            ),
            MissingGlyphs { chars } => format!(
                "屏幕字库中没有“{chars}”：人事任免公告中的姓名不能显示为〓，请改用可显示的写法或\
                 请信息管理员增补字库"
            ),
            OverBudget {
                group,
                bytes,
                budget,
                ..
            } => format!(
                "屏幕组 {group} 的信息流将达 {} MB，超过 {} MB 的上限（超过后屏幕将拒收、停在旧\
                 内容上）：请先撤回较早的公告，或缩短本条",
                mb(*bytes),
                mb(*budget)
            ),
            PushesOut { group, notices, .. } => format!(
                "屏幕组 {group} 的信息流已达上限且有预警正在发布：本次修改会把公告 {notices} \
                 挤出信息流；请先撤回较早的公告，或缩短本条"
            ),
            ChooseCategory => "请选择类别".into(),
            ChoosePriority => "请选择优先级".into(),
            ChooseLevel => "请选择预警级别".into(),
            NotADateTime { .. } => "不是有效的日期时间，请按“2026-12-01 08:00”的格式填写".into(),
            PeriodStartMissing => "请填写公示开始时间".into(),
            NotARevision => "缺少版本号，或版本号不是数字".into(),
            TooManyPixels { width, height, max } => format!(
                "{width}×{height} 共 {} 像素，超过了 {max} 像素（两块 4K 屏）的上限",
                *width as u64 * *height as u64
            ),
            PaletteOnlyForLed { palette } => format!("{palette} 色彩只适用于 LED 屏"),
            TooFewLines { lines, .. } => format!("字号过大：屏幕上排不下 {lines} 行正文"),
            ExceedsLedHeight { .. } => "字号超过了 LED 屏的高度".into(),
            MaxPagesOutOfRange { pages } => {
                format!("{pages} 不在 2 到 50 之间（最后一页是扫码阅读全文的二维码页）")
            }
            CategoryListedTwice { .. } => "重复列出".into(),
            TransitionTooLong { ms } => format!("{ms} 毫秒超过了 3000 毫秒的上限"),
            OnlyForLed => "只适用于 LED 屏".into(),
            OnlyForTerminals => "只适用于触摸查询终端".into(),
            BitsOnlyForRed => "1 位色深只适用于单色（红色）LED 屏".into(),
            BitsNotOne { bits } => format!("{bits} 不是 1；要用色彩的全部色深请留空"),
            NotADiagonal { inches } => format!("{inches} 不是 7 至 150 英寸之间的屏幕尺寸"),
            NotARightAngle { degrees } => format!("{degrees} 不是 0、90、180 或 270 度"),
            EqualsHoursOn { .. } => "与开机时间相同；全天播放请把开机、关机时间都留空".into(),
            StoredUnreadable(e) => format!("存储的播放列表无法读取：{e}"),
            NotAnInteger { text } => format!("“{text}”不是整数"),
            NotANumber { text } => format!("“{text}”不是数字"),
            TrustedKeyCount { count } => {
                format!("列出了 {count} 个公钥：应为一个，轮换密钥期间为两个")
            }
            NotAKey(e) => format!("不是有效的公钥：{e}"),
            NotALogLevel { text } => {
                format!("“{text}”不是 error、warn、info、debug、trace 之一")
            }
            BeforeLineAbove { t_ms, last } => {
                format!("t_ms {t_ms} 早于上一行（{last}）")
            }
            NotAPoint { xy } => format!("tap_xy {xy} 不是以像素表示的点"),
            OneOfTapKey => "tap、tap_xy、key 三者须有且只有一个".into(),
            NotInYear { date, year } => format!("{date} 不在 {year} 年内"),
            NotACalendarDate { text } => format!("“{text}”不是日期（YYYY-MM-DD）"),
            NotAHolidayPeriod { name, from, to } => {
                format!("{name}（{from} 至 {to}）不是有效的放假时段")
            }
            NotAWeekend { date } => format!("{date} 不是周末：只有周末才能调为工作日"),
            HolidayAndWorkday { date } => format!("{date} 既是假日又是工作日"),
            WrongYear { file, year } => format!("文件是 {file} 年的，不是 {year} 年的"),
            ChangesPast { days } => {
                format!("改动了今天以前的日期（{days}）：过去的日期是已计算公示期的依据，不能更改")
            }
            NoRemit => "预警来源须填写其可发布预警的行政区划代码，如 330100".into(),
            NotAnAreaCode { .. } => AREA.into(),
            NotAreaCodes { codes, count } => {
                if *count == 1 {
                    AREA.into()
                } else {
                    format!("{codes} {AREA}")
                }
            }
            ScopeNotPublic { scope } => format!(
                "“{scope}”：只有 Public（公开）预警才在公共屏幕上显示，Restricted 或 Private \
                 消息只发给其收件人"
            ),
            ScopeMissing => "缺少 scope：只有 Public（公开）预警才在公共屏幕上显示".into(),
            SentInFuture { .. } => "发布时间晚于当前时间".into(),
            NoGroupCovers { codes } => {
                format!("没有屏幕组覆盖 {codes}：请为某个屏幕组设置这些行政区划代码（屏幕组页面）")
            }
            UnknownReferences { source, references } => {
                format!("没有收到过来源 {source} 的这些预警：{references}")
            }
            GroupDiffers { got, want } => {
                format!("“{got}”与正在编辑的屏幕组“{want}”不一致")
            }
            KindChanged { .. } => "屏幕组不能更改屏幕类型（请新建一个屏幕组）".into(),
            NotALoginName { text, max } => {
                format!("“{text}”须为 1 至 {max} 个字母、数字、- _ 或 .（不能以符号开头）")
            }
            PasswordTooShort { min } => format!("至少需要 {min} 个字符"),
            OnlySpaces => "不能只有空格".into(),
            OneCharacterRepeated => "不能是同一个字符的重复".into(),
            ContainsUserName => "不能包含用户名".into(),
            SamePassword => "新密码不能与当前密码相同".into(),
            NotCurrentPassword => "当前密码（或一次性密码）不正确".into(),
            RoleNotAtCreation => "创建账号时不能指定角色：角色由安全管理员另行授予".into(),
            PasswordNotChosen => {
                "密码不由管理员选定：账号会得到一次性密码，由其主人首次登录时更换".into()
            }
            KeepTooShort { days, min } => {
                format!("{days} 天过短：审计日志至少保留 {min} 天")
            }
            NotVerifiedExport(why) => format!("不是经过验证的审计日志导出文件：{why}"),
            NotRfc3339 { text } => format!("“{text}”不是 RFC 3339 格式的时间"),
            NeitherJsonNorCsv { text } => format!("“{text}”既不是 json 也不是 csv"),
            NotAYear { year } => format!("{year} 不是 2000 至 2200 之间的年份"),
            ReviewsNotOneOrTwo { reviews } => format!("审核人数为 {reviews}：应为 1 或 2"),
            EndsBeforeStarts { from, to } => format!("结束日期（{to}）早于开始日期（{from}）"),
            NarrowsOnlyTwo => "只有两名审核人员的策略才能限定时段和类别".into(),
            NotADate { text } => format!("“{text}”不是日期，请按 2026-12-01 的格式填写"),
            EventHalfGiven => "请同时填写重大活动的开始和结束日期，或两项都不填".into(),
            ScreenDiffers { got, want } => {
                format!("“{got}”与路径中的屏幕“{want}”不一致")
            }
            Negative => "不能为负数".into(),
            UptimeOutOfRange => "运行时间不在 0 至十年之间".into(),
            NotAKeyId { text } => {
                format!("“{text}”不是密钥编号（屏幕上显示的 16 位十六进制数字）")
            }
            NotAPng(e) => format!("不是 PNG 图片：{e}"),
            ImageTooLarge { width, height } => {
                format!("{width}×{height} 比任何屏幕都大")
            }
            NotAWholePng(e) => format!("不是完整的 PNG 图片：{e}"),
            TooManyRecords { count, max } => {
                format!("共 {count} 条记录，每次上传至多 {max} 条")
            }
            DroppedOutOfRange { dropped, max } => format!("{dropped} 不在 0 至 {max} 之间"),
            SequenceTooLarge => "比任何信息流序号都大".into(),
            RecordIdLengths => "id 须为 1 至 200 个字符，notice_id 须为 1 至 64 个字符".into(),
            NotHex64 => "不是 64 位十六进制数字".into(),
            DurationOutOfRange { seconds } => {
                format!("{seconds} 不在 0 至 86400 秒之间")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Which variant: a match without a wildcard, so a new variant fails to compile here until
    /// it has a number, and the test below fails until it has a sample.
    fn variant(r: &Reason) -> usize {
        match r {
            Reason::Syntax(..) => 0,
            Reason::CannotRead(..) => 1,
            Reason::CannotReadFolder(..) => 2,
            Reason::NotFeedOrPlaylist => 3,
            Reason::NotUtf8 => 4,
            Reason::Empty => 5,
            Reason::TooLong { .. } => 6,
            Reason::ControlCharacter { .. } => 7,
            Reason::ControlCharacterInText => 8,
            Reason::NotAName { .. } => 9,
            Reason::OutOfRange { .. } => 10,
            Reason::ExpiresNotAfterGenerated { .. } => 11,
            Reason::PlaylistGroupDiffers { .. } => 12,
            Reason::TooManySigningKeys { .. } => 13,
            Reason::NotAPublicKey => 14,
            Reason::TooManyAssets { .. } => 15,
            Reason::NotLowercaseHex64 { .. } => 16,
            Reason::HashListedTwice => 17,
            Reason::NotAWebAddress { .. } => 18,
            Reason::NotAMediaType { .. } => 19,
            Reason::NotAnId { .. } => 20,
            Reason::IdUsedTwice { .. } => 21,
            Reason::LevelNotEmergency => 22,
            Reason::NotAfterValidFrom { .. } => 23,
            Reason::UrlTooLongForQr { .. } => 24,
            Reason::PeriodEitherOr => 25,
            Reason::PeriodDaysOutOfRange { .. } => 26,
            Reason::PeriodEndNotAfterStart { .. } => 27,
            Reason::PeriodOverAYear => 28,
            Reason::PeriodHasNoWorkingDay => 29,
            Reason::PeriodStartsBeforeNotice { .. } => 30,
            Reason::NoticeEndsBeforePeriod { .. } => 31,
            Reason::NoGroups => 32,
            Reason::NoSuchGroup { .. } => 33,
            Reason::NotConfirmed => 34,
            Reason::NoRejectReason => 35,
            Reason::MissingGlyph { .. } => 36,
            Reason::MissingGlyphs { .. } => 37,
            Reason::OverBudget { .. } => 38,
            Reason::PushesOut { .. } => 39,
            Reason::ChooseCategory => 40,
            Reason::ChoosePriority => 41,
            Reason::ChooseLevel => 42,
            Reason::NotADateTime { .. } => 43,
            Reason::PeriodStartMissing => 44,
            Reason::NotWorkingDays { .. } => 45,
            Reason::NotARevision => 46,
            Reason::TooManyPixels { .. } => 47,
            Reason::PaletteOnlyForLed { .. } => 48,
            Reason::TooFewLines { .. } => 49,
            Reason::ExceedsLedHeight { .. } => 50,
            Reason::MaxPagesOutOfRange { .. } => 51,
            Reason::NothingToPlay => 52,
            Reason::CategoryListedTwice { .. } => 53,
            Reason::TransitionTooLong { .. } => 54,
            Reason::OnlyForLed => 55,
            Reason::OnlyForTerminals => 56,
            Reason::BitsOnlyForRed => 57,
            Reason::BitsNotOne { .. } => 58,
            Reason::NotADiagonal { .. } => 59,
            Reason::NotARightAngle { .. } => 60,
            Reason::NotAnHttpAddress { .. } => 61,
            Reason::EqualsHoursOn { .. } => 62,
            Reason::StoredUnreadable(..) => 63,
            Reason::NotAnInteger { .. } => 64,
            Reason::NotANumber { .. } => 65,
            Reason::NoFeedUrls => 66,
            Reason::NotAUrl { .. } => 67,
            Reason::TrustedKeyCount { .. } => 68,
            Reason::NotAKey(..) => 69,
            Reason::NoToken => 70,
            Reason::NotALogLevel { .. } => 71,
            Reason::BeforeLineAbove { .. } => 72,
            Reason::NotAPoint { .. } => 73,
            Reason::OneOfTapKey => 74,
            Reason::NotInYear { .. } => 75,
            Reason::NotACalendarDate { .. } => 76,
            Reason::NotAHolidayPeriod { .. } => 77,
            Reason::NotAWeekend { .. } => 78,
            Reason::HolidayAndWorkday { .. } => 79,
            Reason::WrongYear { .. } => 80,
            Reason::ChangesPast { .. } => 81,
            Reason::NoRemit => 82,
            Reason::NotAnAreaCode { .. } => 83,
            Reason::ScopeNotPublic { .. } => 84,
            Reason::ScopeMissing => 85,
            Reason::SentInFuture { .. } => 86,
            Reason::NotAreaCodes { .. } => 87,
            Reason::NoGroupCovers { .. } => 88,
            Reason::UnknownReferences { .. } => 89,
            Reason::GroupDiffers { .. } => 90,
            Reason::KindChanged { .. } => 91,
            Reason::NotALoginName { .. } => 92,
            Reason::PasswordTooShort { .. } => 93,
            Reason::OnlySpaces => 94,
            Reason::OneCharacterRepeated => 95,
            Reason::ContainsUserName => 96,
            Reason::SamePassword => 97,
            Reason::NotCurrentPassword => 98,
            Reason::RoleNotAtCreation => 99,
            Reason::PasswordNotChosen => 100,
            Reason::KeepTooShort { .. } => 101,
            Reason::NotVerifiedExport(..) => 102,
            Reason::NotRfc3339 { .. } => 103,
            Reason::NeitherJsonNorCsv { .. } => 104,
            Reason::NotAYear { .. } => 105,
            Reason::ReviewsNotOneOrTwo { .. } => 106,
            Reason::EndsBeforeStarts { .. } => 107,
            Reason::NarrowsOnlyTwo => 108,
            Reason::NotADate { .. } => 109,
            Reason::EventHalfGiven => 110,
            Reason::ScreenDiffers { .. } => 111,
            Reason::Negative => 112,
            Reason::UptimeOutOfRange => 113,
            Reason::NotAKeyId { .. } => 114,
            Reason::NotAPng(..) => 115,
            Reason::ImageTooLarge { .. } => 116,
            Reason::NotAWholePng(..) => 117,
            Reason::TooManyRecords { .. } => 118,
            Reason::DroppedOutOfRange { .. } => 119,
            Reason::SequenceTooLarge => 120,
            Reason::RecordIdLengths => 121,
            Reason::NotHex64 => 122,
            Reason::DurationOutOfRange { .. } => 123,
        }
    }

    const VARIANTS: usize = 124;

    fn samples() -> Vec<Reason> {
        let t = Timestamp::parse_from_rfc3339("2026-12-01T08:00:00+08:00").unwrap();
        let d = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        vec![
            Reason::Syntax("detail".into()),
            Reason::CannotRead("detail".into()),
            Reason::CannotReadFolder("detail".into()),
            Reason::NotFeedOrPlaylist,
            Reason::NotUtf8,
            Reason::Empty,
            Reason::TooLong { chars: 2, max: 2 },
            Reason::ControlCharacter { code: 2 },
            Reason::ControlCharacterInText,
            Reason::NotAName {
                text: "x".into(),
                kind: NameKind::Group,
            },
            Reason::OutOfRange {
                value: "x".into(),
                min: "1".into(),
                max: "1".into(),
                unit: Unit::Seconds,
            },
            Reason::ExpiresNotAfterGenerated {
                expires: t,
                generated: t,
            },
            Reason::PlaylistGroupDiffers {
                playlist: "x".into(),
                feed: "x".into(),
            },
            Reason::TooManySigningKeys { count: 2 },
            Reason::NotAPublicKey,
            Reason::TooManyAssets { count: 2, max: 2 },
            Reason::NotLowercaseHex64 { text: "x".into() },
            Reason::HashListedTwice,
            Reason::NotAWebAddress { text: "x".into() },
            Reason::NotAMediaType { text: "x".into() },
            Reason::NotAnId { text: "x".into() },
            Reason::IdUsedTwice { id: "x".into() },
            Reason::LevelNotEmergency,
            Reason::NotAfterValidFrom { until: t, from: t },
            Reason::UrlTooLongForQr { bytes: 2, max: 2 },
            Reason::PeriodEitherOr,
            Reason::PeriodDaysOutOfRange { days: 2, max: 2 },
            Reason::PeriodEndNotAfterStart { end: t, start: t },
            Reason::PeriodOverAYear,
            Reason::PeriodHasNoWorkingDay,
            Reason::PeriodStartsBeforeNotice { start: t, from: t },
            Reason::NoticeEndsBeforePeriod { until: t, ends: t },
            Reason::NoGroups,
            Reason::NoSuchGroup { name: "x".into() },
            Reason::NotConfirmed,
            Reason::NoRejectReason,
            Reason::MissingGlyph { ch: '〓' },
            Reason::MissingGlyphs { chars: "x".into() },
            Reason::OverBudget {
                group: "x".into(),
                bytes: 2,
                budget: 2,
                max: 2,
            },
            Reason::PushesOut {
                group: "x".into(),
                budget: 2,
                notices: "x".into(),
            },
            Reason::ChooseCategory,
            Reason::ChoosePriority,
            Reason::ChooseLevel,
            Reason::NotADateTime { text: "x".into() },
            Reason::PeriodStartMissing,
            Reason::NotWorkingDays { text: "x".into() },
            Reason::NotARevision,
            Reason::TooManyPixels {
                width: 2,
                height: 2,
                max: 2,
            },
            Reason::PaletteOnlyForLed {
                palette: "x".into(),
            },
            Reason::TooFewLines {
                px: "x".into(),
                lines: "x".into(),
                height: 2,
            },
            Reason::ExceedsLedHeight {
                px: "x".into(),
                height: 2,
            },
            Reason::MaxPagesOutOfRange { pages: 2 },
            Reason::NothingToPlay,
            Reason::CategoryListedTwice {
                category: "x".into(),
            },
            Reason::TransitionTooLong { ms: 2 },
            Reason::OnlyForLed,
            Reason::OnlyForTerminals,
            Reason::BitsOnlyForRed,
            Reason::BitsNotOne { bits: 2 },
            Reason::NotADiagonal { inches: "x".into() },
            Reason::NotARightAngle { degrees: 2 },
            Reason::NotAnHttpAddress { text: "x".into() },
            Reason::EqualsHoursOn { time: "x".into() },
            Reason::StoredUnreadable("detail".into()),
            Reason::NotAnInteger { text: "x".into() },
            Reason::NotANumber { text: "x".into() },
            Reason::NoFeedUrls,
            Reason::NotAUrl { text: "x".into() },
            Reason::TrustedKeyCount { count: 2 },
            Reason::NotAKey("detail".into()),
            Reason::NoToken,
            Reason::NotALogLevel { text: "x".into() },
            Reason::BeforeLineAbove { t_ms: 2, last: 2 },
            Reason::NotAPoint { xy: "x".into() },
            Reason::OneOfTapKey,
            Reason::NotInYear {
                date: d,
                year: 2026,
            },
            Reason::NotACalendarDate { text: "x".into() },
            Reason::NotAHolidayPeriod {
                name: "x".into(),
                from: d,
                to: d,
            },
            Reason::NotAWeekend { date: d },
            Reason::HolidayAndWorkday { date: d },
            Reason::WrongYear {
                file: 2026,
                year: 2026,
            },
            Reason::ChangesPast { days: "x".into() },
            Reason::NoRemit,
            Reason::NotAnAreaCode {
                text: "x".into(),
                like: 2,
            },
            Reason::ScopeNotPublic { scope: "x".into() },
            Reason::ScopeMissing,
            Reason::SentInFuture { sent: t, now: t },
            Reason::NotAreaCodes {
                codes: "x".into(),
                count: 2,
            },
            Reason::NoGroupCovers { codes: "x".into() },
            Reason::UnknownReferences {
                source: "x".into(),
                references: "x".into(),
            },
            Reason::GroupDiffers {
                got: "x".into(),
                want: "x".into(),
            },
            Reason::KindChanged { kind: "x".into() },
            Reason::NotALoginName {
                text: "x".into(),
                max: 2,
            },
            Reason::PasswordTooShort { min: 2 },
            Reason::OnlySpaces,
            Reason::OneCharacterRepeated,
            Reason::ContainsUserName,
            Reason::SamePassword,
            Reason::NotCurrentPassword,
            Reason::RoleNotAtCreation,
            Reason::PasswordNotChosen,
            Reason::KeepTooShort { days: 2, min: 2 },
            Reason::NotVerifiedExport("detail".into()),
            Reason::NotRfc3339 { text: "x".into() },
            Reason::NeitherJsonNorCsv { text: "x".into() },
            Reason::NotAYear { year: 2026 },
            Reason::ReviewsNotOneOrTwo { reviews: 2 },
            Reason::EndsBeforeStarts { from: d, to: d },
            Reason::NarrowsOnlyTwo,
            Reason::NotADate { text: "x".into() },
            Reason::EventHalfGiven,
            Reason::ScreenDiffers {
                got: "x".into(),
                want: "x".into(),
            },
            Reason::Negative,
            Reason::UptimeOutOfRange,
            Reason::NotAKeyId { text: "x".into() },
            Reason::NotAPng("detail".into()),
            Reason::ImageTooLarge {
                width: 2,
                height: 2,
            },
            Reason::NotAWholePng("detail".into()),
            Reason::TooManyRecords { count: 2, max: 2 },
            Reason::DroppedOutOfRange { dropped: 2, max: 2 },
            Reason::SequenceTooLarge,
            Reason::RecordIdLengths,
            Reason::NotHex64,
            Reason::DurationOutOfRange {
                seconds: "x".into(),
            },
        ]
    }

    #[test]
    fn every_reason_reads_in_english_and_chinese() {
        let samples = samples();
        let mut seen = [false; VARIANTS];
        for r in &samples {
            seen[variant(r)] = true;
            assert!(!r.to_string().trim().is_empty(), "{r:?}: no English");
            assert!(!r.zh().trim().is_empty(), "{r:?}: no Chinese");
        }
        let missing: Vec<usize> = (0..VARIANTS).filter(|&i| !seen[i]).collect();
        assert!(missing.is_empty(), "variants without a sample: {missing:?}");
    }

    #[test]
    fn reasons_say_what_they_said_as_prose() {
        assert_eq!(
            Reason::out_of_range(2.5, "min_s", 3600, Unit::Seconds).to_string(),
            "2.5 is outside min_s..=3600 seconds"
        );
        assert_eq!(
            Reason::out_of_range(2.5, "min_s", 3600, Unit::Seconds).zh(),
            "2.5 超出允许范围（最短停留时间 至 3600）"
        );
        let over = Reason::OverBudget {
            group: "plaza-tv".into(),
            bytes: 3 * 1048576,
            budget: 2 * 1048576,
            max: 4 * 1048576,
        };
        assert!(
            over.zh()
                .starts_with("屏幕组 plaza-tv 的信息流将达 3.0 MB，超过 2.0 MB 的上限")
        );
        assert_eq!(
            Reason::NotAName {
                text: "Plaza TV".into(),
                kind: NameKind::Group
            }
            .to_string(),
            "\"Plaza TV\" is not a group name (a-z, 0-9, - and _)"
        );
        assert_eq!(
            Reason::ControlCharacter { code: 0x202e }.to_string(),
            "contains the control character U+202E"
        );
    }
}
