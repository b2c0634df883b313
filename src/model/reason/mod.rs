//! What is wrong with one input, with its values: the `reason` of every `Problem`.
//!
//! `Display` gives the English sentence the command line and the API print (`english.rs`); `zh`
//! gives what the staff console shows (`chinese.rs`). Both matches are exhaustive, so a new
//! reason does not compile until it has both texts, and `tests.rs` has a sample of each.

use std::fmt;

use chrono::NaiveDate;

use super::time::Timestamp;

mod chinese;
mod english;
#[cfg(test)]
mod tests;

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
    /// A resident ID number (GB 11643) in text that would reach a public screen; `at` counts
    /// characters from 1.
    PersonalIdNumber {
        at: usize,
        masked: String,
    },
    /// A bank card number (Luhn) in text that would reach a public screen.
    BankCardNumber {
        at: usize,
        masked: String,
    },
    /// A table row (a body line of tab-separated cells) with another number of cells than the
    /// table's header; `line` counts body lines from 1.
    TableRowCells {
        line: usize,
        cells: usize,
        header: usize,
    },
    TableTooManyColumns {
        line: usize,
        columns: usize,
        max: usize,
    },
    TableTooManyRows {
        line: usize,
        rows: usize,
        max: usize,
    },
    TableCellTooLong {
        line: usize,
        column: usize,
        chars: usize,
        max: usize,
    },
    TableHeaderEmpty {
        line: usize,
    },
    /// A time of day that is not `HH:MM` (00:00 to 23:59), as a form field gives it.
    NotATimeOfDay {
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

    // Refusals: what is not there, what this account may not do, what the state does not allow
    // (the domain's `NotFound`, `Forbidden` and `Conflict`).
    NoNotice {
        id: String,
    },
    NoGroupNamed {
        name: String,
    },
    NoUserNamed {
        name: String,
    },
    NoScreen {
        id: String,
    },
    /// Enrolling an id that is enrolled already.
    ScreenEnrolled {
        id: String,
    },
    /// Confirming a key for a screen that has another confirmed (`key`, its id).
    KeyAlreadyConfirmed {
        id: String,
        key: String,
    },
    NoSource {
        name: String,
    },
    /// Adding a source under a name taken (by a revoked source too: its alerts keep the name).
    SourceExists {
        name: String,
    },
    /// Changing or revoking a revoked source.
    SourceRevoked {
        name: String,
    },
    /// A city platform's tenant (a district): not added, added twice, or a name that cannot be
    /// a path segment and a schema name.
    NoTenant {
        name: String,
    },
    TenantExists {
        name: String,
    },
    NotATenantName {
        name: String,
    },
    NoScreenshot {
        id: String,
    },
    NoPage,
    RolesBySecadmin {
        actor_role: String,
    },
    OwnRole {
        name: String,
        role: String,
    },
    RoleOnlyOnHost {
        role: String,
    },
    AdminRoleOnlyOnHost {
        name: String,
        role: String,
    },
    AdminResetOnlyOnHost {
        name: String,
        role: String,
    },
    AccountsBySysadmin {
        actor_role: String,
        name: String,
    },
    OneTimeCodeNotReplaced {
        name: String,
    },
    /// A notice with more figures than `figure::MAX_FIGURES`.
    TooManyFigures {
        count: usize,
        max: usize,
    },
    /// A figure names an asset the feed's `assets` does not list.
    AssetNotListed {
        sha256: String,
    },
    /// A figure names an asset the service does not have (never uploaded).
    NoSuchAsset {
        sha256: String,
    },
    /// An upload's Content-Type is not one of the image types the service takes.
    UnsupportedImageType {
        media_type: String,
    },
    /// The bytes do not decode as the image type they were sent as: the decoder's words.
    NotAnImage {
        media_type: String,
        detail: String,
    },
    /// The header declares more pixels than the service decodes (a decompression bomb, or a
    /// photograph far beyond any screen).
    ImageTooManyPixels {
        width: u32,
        height: u32,
        max: u64,
    },
    /// The upload has more bytes than the service takes.
    ImageTooManyBytes {
        bytes: usize,
        max: usize,
    },
    /// A file given for import (`POST /api/imports`, the console's 导入文件) that yields no
    /// draft: unknown, legacy (.doc, .wps), encrypted, damaged, over a limit, empty. Its two
    /// sentences come from the importer (`import::ImportError`), which names this module and so
    /// cannot be named by it.
    ImportRefused {
        en: String,
        zh: String,
    },
    /// Reading a file for import took longer than the service waits.
    ImportTooSlow {
        seconds: u64,
    },
    /// `check`, a warning: a hanzi a single-colour LED of the feed's group sets in its bitmap
    /// face at `px`, which that face lacks: drawn from an outline face and thresholded, its
    /// strokes break into dots.
    NotInBitmapFace {
        ch: char,
        px: u32,
    },
    /// A warning, not a refusal: a half-width mark typed in Chinese text
    /// (`model::punctuation`); `line` and `column` count from 1.
    HalfWidthPunctuation {
        line: usize,
        column: usize,
        found: char,
        replacement: char,
    },
    /// A warning: a middle dot in a name other than the 间隔号 U+00B7.
    ForeignMiddleDot {
        line: usize,
        column: usize,
        found: char,
    },
    /// A refusal without a Chinese sentence of its own (a rare state conflict, a gate's
    /// detail): the console shows its headline by kind and this text as the detail for the IT
    /// person.
    Detail(String),
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

    /// What a half-width mark is called, in English and in Chinese.
    fn mark_name(c: char) -> (&'static str, &'static str) {
        match c {
            ',' => ("comma", "逗号"),
            '.' => ("full stop", "句号"),
            ':' => ("colon", "冒号"),
            ';' => ("semicolon", "分号"),
            '?' => ("question mark", "问号"),
            '!' => ("exclamation mark", "叹号"),
            '(' | ')' => ("parenthesis", "括号"),
            '"' => ("quotation mark", "引号"),
            '\'' => ("single quotation mark", "单引号"),
            _ => ("mark", "标点"),
        }
    }

    /// Whether the English text contains `text` (for tests and logs).
    pub fn contains(&self, text: &str) -> bool {
        self.to_string().contains(text)
    }
}
