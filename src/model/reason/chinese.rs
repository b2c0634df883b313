//! The Chinese text of each reason: what office staff read in the console.

use super::*;

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
                // The field first, then the rule, then what was typed: a clerk who typed a
                // Chinese name reads which box is wrong and why before the name itself.
                if text.is_empty() {
                    format!("{what}不能为空")
                } else {
                    format!(
                        "{what}只能用小写字母、数字、- 和 _（不以 - 开头，至多 64 个字符）：\
                         “{text}”不是"
                    )
                }
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
            PersonalIdNumber { at, masked } => {
                format!(
                    "第 {at} 个字起是居民身份证号码，个人信息不能上公开屏幕：\
                     请改为遮盖形式 {masked}"
                )
            }
            BankCardNumber { at, masked } => {
                format!("第 {at} 个字起是银行卡号，个人信息不能上公开屏幕：请改为遮盖形式 {masked}")
            }
            TableRowCells {
                line,
                cells,
                header,
            } => format!(
                "第 {line} 行是表格的一行，有 {cells} 格，而表头有 {header} 格：\
                 每行的格数（用制表符分隔）须与表头相同"
            ),
            TableTooManyColumns { line, columns, max } => {
                format!("第 {line} 行起的表格有 {columns} 列，屏幕最多显示 {max} 列")
            }
            TableTooManyRows { line, rows, max } => {
                format!("第 {line} 行起的表格有 {rows} 行，超过 {max} 行，请分成几条公告")
            }
            TableCellTooLong {
                line,
                column,
                chars,
                max,
            } => format!("第 {line} 行第 {column} 格有 {chars} 个字，一格最多 {max} 个字"),
            TableHeaderEmpty { line } => {
                format!("第 {line} 行起的表格，第一行（表头）是空的，请填写各列的名称")
            }
            NotATimeOfDay { .. } => "不是有效的时间，请按“07:30”的格式填写".into(),
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
            NotAnAreaCode { text, .. } => format!("“{text}”{AREA}"),
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
            NoNotice { .. } => "没有这条公告".into(),
            NoGroupNamed { .. } => "没有这个屏幕组".into(),
            NoUserNamed { .. } => "没有这个用户".into(),
            NoScreen { .. } => "没有这台屏幕".into(),
            ScreenEnrolled { id } => {
                format!("屏幕编号“{id}”已登记；该屏幕需要新令牌时，请用“更换令牌”")
            }
            KeyAlreadyConfirmed { id, key } => format!(
                "屏幕 {id} 已确认设备密钥 {key}；屏幕更换后，须先重置设备密钥，再确认新密钥"
            ),
            NoSource { name } => format!("没有名为“{name}”的预警来源"),
            SourceExists { name } => {
                format!("已有名为“{name}”的预警来源（已撤销的来源也占用其名称），请换一个名称")
            }
            SourceRevoked { name } => format!("预警来源“{name}”已撤销"),
            NoTenant { name } => format!("平台上没有“{name}”这个单位"),
            TenantExists { name } => format!("平台上已有“{name}”这个单位"),
            NotATenantName { name } => {
                format!("单位编号只能用小写字母和数字，以字母开头，至多 24 个字符：“{name}”不是")
            }
            NoScreenshot { .. } => "这台屏幕还没有上传截图".into(),
            NoPage => "没有这个页面".into(),
            RolesBySecadmin { .. } => "角色由安全管理员授予".into(),
            OwnRole { .. } => "不能给自己授予角色".into(),
            RoleOnlyOnHost { .. } | AdminRoleOnlyOnHost { .. } => {
                "管理员角色只能由服务器管理员在服务器上用 noticecast user grant 授予或更改".into()
            }
            AdminResetOnlyOnHost { .. } => concat!(
                "管理员的密码只能在服务器上用 noticecast user reset 重置，",
                "管理员账号只能在服务器上停用"
            )
            .into(),
            AccountsBySysadmin { .. } => "编辑和审核账号的密码重置、停用由系统管理员办理".into(),
            OneTimeCodeNotReplaced { .. } => concat!(
                "该账号的主人还没有用一次性密码登录并设置自己的密码，",
                "请在其设置密码后再授予角色"
            )
            .into(),
            TooManyFigures { count, max } => format!("共 {count} 张图片，每条公告至多 {max} 张"),
            AssetNotListed { sha256 } => format!("图片 {sha256} 不在信息流的文件列表中"),
            NoSuchAsset { .. } => "没有这张图片：请先上传图片".into(),
            UnsupportedImageType { media_type } => {
                format!("“{media_type}”不是可以上传的图片类型：请上传 PNG、JPEG 或 WebP 图片")
            }
            NotAnImage { media_type, detail } => {
                format!("文件已损坏或不是 {media_type} 图片：{detail}")
            }
            ImageTooManyPixels {
                width, height, max, ..
            } => format!(
                "图片为 {width}×{height} 像素，超过 {} 万像素的上限（可能是恶意构造的文件）",
                max / 10_000
            ),
            ImageTooManyBytes { bytes, max } => format!(
                "图片有 {:.1} MB，超过 {:.0} MB 的上限",
                *bytes as f64 / 1_048_576.0,
                *max as f64 / 1_048_576.0
            ),
            ImportRefused { zh, .. } => zh.clone(),
            ImportTooSlow { seconds } => format!(
                "读取文件超过 {seconds} 秒仍未完成；请拆分文件，或减少页数、图片后重新保存再导入"
            ),
            NotInBitmapFace { ch, px } => format!(
                "单色LED屏的 {px} 像素点阵字库中没有“{ch}”：\
                 只能用轮廓字体描出，可能显示成零散的点，\
                 请在单色屏上核对，或改用常用字写法"
            ),
            HalfWidthPunctuation {
                line,
                column,
                found,
                replacement,
            } => format!(
                "第 {line} 行第 {column} 个字：中文里用了半角{}“{found}”，应为全角“{replacement}”",
                Reason::mark_name(*found).1
            ),
            ForeignMiddleDot {
                line,
                column,
                found,
            } => format!(
                "第 {line} 行第 {column} 个字：人名中的间隔号“{found}”（U+{:04X}）不规范，\
                 应统一为“·”（U+00B7）",
                *found as u32
            ),
            // No sentence of its own: shown as it is, under the console's headline.
            Detail(text) => text.clone(),
        }
    }
}
