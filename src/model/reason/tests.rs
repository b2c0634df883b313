//! Every reason has both texts; the exact texts of a few.

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
        Reason::NoNotice { .. } => 124,
        Reason::NoGroupNamed { .. } => 125,
        Reason::NoUserNamed { .. } => 126,
        Reason::NoScreen { .. } => 127,
        Reason::NoScreenshot { .. } => 128,
        Reason::NoPage => 129,
        Reason::RolesBySecadmin { .. } => 130,
        Reason::OwnRole { .. } => 131,
        Reason::RoleOnlyOnHost { .. } => 132,
        Reason::AdminRoleOnlyOnHost { .. } => 133,
        Reason::AdminResetOnlyOnHost { .. } => 134,
        Reason::AccountsBySysadmin { .. } => 135,
        Reason::OneTimeCodeNotReplaced { .. } => 136,
        Reason::Detail(..) => 137,
        Reason::NotATimeOfDay { .. } => 138,
        Reason::PersonalIdNumber { .. } => 139,
        Reason::BankCardNumber { .. } => 140,
        Reason::TableRowCells { .. } => 141,
        Reason::TableTooManyColumns { .. } => 142,
        Reason::TableTooManyRows { .. } => 143,
        Reason::TableCellTooLong { .. } => 144,
        Reason::TableHeaderEmpty { .. } => 145,
        Reason::TooManyFigures { .. } => 146,
        Reason::AssetNotListed { .. } => 147,
        Reason::NoSuchAsset { .. } => 148,
        Reason::UnsupportedImageType { .. } => 149,
        Reason::NotAnImage { .. } => 150,
        Reason::ImageTooManyPixels { .. } => 151,
        Reason::ImageTooManyBytes { .. } => 152,
        Reason::ImportRefused { .. } => 153,
        Reason::ImportTooSlow { .. } => 154,
        Reason::NotInBitmapFace { .. } => 155,
        Reason::HalfWidthPunctuation { .. } => 156,
        Reason::ForeignMiddleDot { .. } => 157,
        Reason::ScreenEnrolled { .. } => 158,
        Reason::KeyAlreadyConfirmed { .. } => 159,
        Reason::NoSource { .. } => 160,
        Reason::SourceExists { .. } => 161,
        Reason::SourceRevoked { .. } => 162,
        Reason::NoTenant { .. } => 163,
        Reason::TenantExists { .. } => 164,
        Reason::NotATenantName { .. } => 165,
    }
}

const VARIANTS: usize = 166;

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
        Reason::NoNotice { id: "x".into() },
        Reason::NoGroupNamed { name: "x".into() },
        Reason::NoUserNamed { name: "x".into() },
        Reason::NoScreen { id: "x".into() },
        Reason::ScreenEnrolled { id: "x".into() },
        Reason::KeyAlreadyConfirmed {
            id: "x".into(),
            key: "x".into(),
        },
        Reason::NoSource { name: "x".into() },
        Reason::SourceExists { name: "x".into() },
        Reason::SourceRevoked { name: "x".into() },
        Reason::NoTenant { name: "x".into() },
        Reason::TenantExists { name: "x".into() },
        Reason::NotATenantName { name: "x".into() },
        Reason::NoScreenshot { id: "x".into() },
        Reason::NoPage,
        Reason::RolesBySecadmin {
            actor_role: "editor".into(),
        },
        Reason::OwnRole {
            name: "x".into(),
            role: "editor".into(),
        },
        Reason::RoleOnlyOnHost {
            role: "auditor".into(),
        },
        Reason::AdminRoleOnlyOnHost {
            name: "x".into(),
            role: "auditor".into(),
        },
        Reason::AdminResetOnlyOnHost {
            name: "x".into(),
            role: "auditor".into(),
        },
        Reason::AccountsBySysadmin {
            actor_role: "auditor".into(),
            name: "x".into(),
        },
        Reason::OneTimeCodeNotReplaced { name: "x".into() },
        Reason::Detail("detail".into()),
        Reason::NotATimeOfDay {
            text: "25:61".into(),
        },
        Reason::PersonalIdNumber {
            at: 3,
            masked: "5304**********2317".into(),
        },
        Reason::BankCardNumber {
            at: 3,
            masked: "6222***********0128".into(),
        },
        Reason::TableRowCells {
            line: 3,
            cells: 5,
            header: 6,
        },
        Reason::TableTooManyColumns {
            line: 1,
            columns: 21,
            max: 20,
        },
        Reason::TableTooManyRows {
            line: 1,
            rows: 5001,
            max: 5000,
        },
        Reason::TableCellTooLong {
            line: 2,
            column: 1,
            chars: 501,
            max: 500,
        },
        Reason::TableHeaderEmpty { line: 1 },
        Reason::TooManyFigures { count: 61, max: 60 },
        Reason::AssetNotListed {
            sha256: "a".repeat(64),
        },
        Reason::NoSuchAsset {
            sha256: "a".repeat(64),
        },
        Reason::UnsupportedImageType {
            media_type: "image/gif".into(),
        },
        Reason::NotAnImage {
            media_type: "image/png".into(),
            detail: "detail".into(),
        },
        Reason::ImageTooManyPixels {
            width: 100_000,
            height: 100_000,
            max: 40_000_000,
        },
        Reason::ImageTooManyBytes {
            bytes: 30 << 20,
            max: 20 << 20,
        },
        Reason::ImportRefused {
            en: "a legacy Word or WPS file (.doc, .wps): save it as .docx first".into(),
            zh: "这是旧版 Word/WPS 格式，请另存为 .docx 后再导入".into(),
        },
        Reason::ImportTooSlow { seconds: 60 },
        Reason::NotInBitmapFace { ch: '𡘙', px: 16 },
        Reason::HalfWidthPunctuation {
            line: 3,
            column: 12,
            found: ',',
            replacement: '，',
        },
        Reason::ForeignMiddleDot {
            line: 2,
            column: 4,
            found: '・',
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
    // In the console: the field, the rule, then what was typed.
    let chinese_id = Reason::NotAName {
        text: "城关镇".into(),
        kind: NameKind::Screen,
    };
    assert_eq!(
        chinese_id.zh(),
        "屏幕编号只能用小写字母、数字、- 和 _（不以 - 开头，至多 64 个字符）：“城关镇”不是"
    );
    let empty = Reason::NotAName {
        text: String::new(),
        kind: NameKind::Source,
    };
    assert_eq!(empty.zh(), "预警来源名称不能为空");
    let comma = Reason::HalfWidthPunctuation {
        line: 3,
        column: 12,
        found: ',',
        replacement: '，',
    };
    assert_eq!(
        comma.to_string(),
        "line 3, character 12: a half-width comma ',' in Chinese text; use '，'"
    );
    assert_eq!(
        comma.zh(),
        "第 3 行第 12 个字：中文里用了半角逗号“,”，应为全角“，”"
    );
    let dot = Reason::ForeignMiddleDot {
        line: 2,
        column: 4,
        found: '・',
    };
    assert_eq!(
        dot.zh(),
        "第 2 行第 4 个字：人名中的间隔号“・”（U+30FB）不规范，应统一为“·”（U+00B7）"
    );
    assert_eq!(
        Reason::ControlCharacter { code: 0x202e }.to_string(),
        "contains the control character U+202E"
    );
}
