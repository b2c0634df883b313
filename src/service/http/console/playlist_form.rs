//! A group's playlist as a Chinese form: every key a labelled field with its unit and a line of
//! explanation, grouped as office staff think of them. The form edits the stored TOML text in
//! place (`toml_edit`), so the IT person's comments and the keys the form does not show survive
//! a save; the result goes through the same validation as a raw edit, and a bad edit never
//! replaces the last good playlist.

use maud::{Markup, html};
use toml_edit::{DocumentMut, Item, Value, value};

use super::form::Fields;
use crate::model::{Category, Problem, ScreenKind};

/// How a field is typed.
#[derive(Clone, Copy)]
enum Input {
    Text,
    /// A whole number, or (`false`) any number.
    Number(bool),
    Time,
    Choice(&'static [(&'static str, &'static str)]),
}

/// Which screens a field applies to.
#[derive(Clone, Copy, PartialEq)]
enum For {
    All,
    Tv,
    Led,
    NotLed,
    Terminal,
}

impl For {
    fn applies(self, kind: ScreenKind) -> bool {
        match self {
            For::All => true,
            For::Tv => kind == ScreenKind::Tv,
            For::Led => kind == ScreenKind::Led,
            For::NotLed => kind != ScreenKind::Led,
            For::Terminal => kind == ScreenKind::Terminal,
        }
    }
}

struct Field {
    /// The TOML key, `table.key`, as problems name it.
    key: &'static str,
    label: &'static str,
    unit: &'static str,
    hint: &'static str,
    input: Input,
    applies: For,
    /// May be left empty (the key is then removed and its default applies).
    optional: bool,
}

const fn f(
    key: &'static str,
    label: &'static str,
    unit: &'static str,
    hint: &'static str,
    input: Input,
    applies: For,
    optional: bool,
) -> Field {
    Field {
        key,
        label,
        unit,
        hint,
        input,
        applies,
        optional,
    }
}

const TRANSITIONS: &[(&str, &str)] = &[("cut", "直接切换"), ("fade", "淡入"), ("slide", "滑入")];
const ORDERS: &[(&str, &str)] = &[("category", "按类别顺序"), ("newest", "最新的在前")];

use For::*;
use Input::*;

/// The last section's title: the panel itself, changed by an admin.
const HARDWARE: &str = "屏幕硬件（信息管理员填写）";

/// The form's sections, as a clerk thinks of them; the hardware last, for the IT person.
const SECTIONS: &[(&str, &[Field])] = &[
    (
        "显示内容",
        &[
            f(
                "name",
                "屏幕标题",
                "",
                "显示在屏幕顶部，一般为单位名称，如“云岭区政务公开”。",
                Text,
                All,
                false,
            ),
            f(
                "rotation.order",
                "播放顺序",
                "",
                "按下方的类别顺序轮播，或不分类别、最新的在前。",
                Choice(ORDERS),
                All,
                false,
            ),
            f(
                "public_url",
                "公众阅读网址",
                "",
                "没有全文链接、又超过最多页数的长公告，显示指向此网址加公告编号的二维码，\
                 居民可用手机读全文。",
                Text,
                NotLed,
                true,
            ),
            f(
                "rotation.max_pages",
                "每条最多页数",
                "页",
                "超过的长公告只显示前几页，最后一页为“扫码阅读全文”的二维码（2–50，默认 3）。",
                Number(true),
                Tv,
                true,
            ),
        ],
    ),
    (
        "播放节奏",
        &[
            f(
                "dwell.base_s",
                "每页基础停留",
                "秒",
                "每页至少停留的时间，再加上按字数计算的阅读时间。",
                Number(false),
                All,
                false,
            ),
            f(
                "dwell.chars_per_s",
                "阅读速度",
                "字/秒",
                "按此速度计算读完一页需要的时间；老年读者多的地方可调慢（如 2）。",
                Number(false),
                All,
                false,
            ),
            f(
                "dwell.min_s",
                "每页最短停留",
                "秒",
                "字少的页面也至少停留这么久。",
                Number(false),
                All,
                false,
            ),
            f(
                "dwell.max_s",
                "每页最长停留",
                "秒",
                "字多的页面最多停留这么久。",
                Number(false),
                All,
                false,
            ),
            f(
                "transition.kind",
                "切换方式",
                "",
                "一页换到下一页的方式。",
                Choice(TRANSITIONS),
                NotLed,
                true,
            ),
            f(
                "transition.duration_ms",
                "切换时长",
                "毫秒",
                "淡入或滑入用的时间。",
                Number(true),
                NotLed,
                true,
            ),
        ],
    ),
    (
        "滚动字幕",
        &[
            f(
                "ticker.text",
                "滚动字幕文字",
                "",
                "在屏幕底部循环滚动，如服务热线、办公时间；留空则不显示滚动字幕。\
                 发布预警时只滚动预警标题。",
                Text,
                NotLed,
                true,
            ),
            f(
                "ticker.speed_px_s",
                "滚动字幕速度",
                "像素/秒",
                "越大越快；一般 60–120。",
                Number(false),
                NotLed,
                true,
            ),
            f(
                "marquee.speed_px_s",
                "走字速度",
                "像素/秒",
                "LED 屏上公告文字移动的速度；一般 40–80。",
                Number(false),
                Led,
                true,
            ),
        ],
    ),
    (
        "开关机",
        &[
            f(
                "hours.on",
                "开机时间",
                "",
                "每天此时开始播放（北京时间）。开机、关机都留空表示全天播放；\
                 预警在关机时段也会播放。",
                Time,
                All,
                true,
            ),
            f(
                "hours.off",
                "关机时间",
                "",
                "每天此时屏幕黑屏待机；早于开机时间表示跨过午夜。",
                Time,
                All,
                true,
            ),
        ],
    ),
    (
        "触摸设置",
        &[
            f(
                "touch.idle_s",
                "无人操作返回时间",
                "秒",
                "多久没人触摸后开始倒计时返回轮播（10–3600）。",
                Number(true),
                Terminal,
                true,
            ),
            f(
                "touch.countdown_s",
                "返回倒计时",
                "秒",
                "倒计时的长度（5–120）。",
                Number(true),
                Terminal,
                true,
            ),
            f(
                "touch.public_url",
                "手机阅读网址",
                "",
                "没有全文链接的公告，“手机看”二维码指向此网址加公告编号。",
                Text,
                Terminal,
                true,
            ),
            f(
                "touch.diagonal_in",
                "触摸屏尺寸",
                "英寸",
                "屏幕对角线长度，用来按毫米确定按钮和字的大小。",
                Number(false),
                Terminal,
                true,
            ),
        ],
    ),
    (
        HARDWARE,
        &[
            f(
                "screen.width",
                "屏幕宽度",
                "像素",
                "屏幕的分辨率（宽）。",
                Number(true),
                All,
                false,
            ),
            f(
                "screen.height",
                "屏幕高度",
                "像素",
                "屏幕的分辨率（高）。",
                Number(true),
                All,
                false,
            ),
            f(
                "screen.diagonal_in",
                "屏幕尺寸",
                "英寸",
                "对角线长度；填写后二维码按实际尺寸放大到 15 厘米以上，便于扫码。",
                Number(false),
                NotLed,
                true,
            ),
            f(
                "type.title_px",
                "标题字号",
                "像素",
                "",
                Number(false),
                All,
                false,
            ),
            f(
                "type.body_px",
                "正文字号",
                "像素",
                "正文至少要能排下 6 行（LED 屏 1 行）。",
                Number(false),
                All,
                false,
            ),
            f(
                "type.line_height",
                "行距",
                "倍",
                "1.3 到 3.0；老年读者多的地方宜用 1.6 以上。",
                Number(false),
                All,
                false,
            ),
        ],
    ),
];

/// The six categories, the order key and the checkbox name of each.
fn category_fields() -> impl Iterator<Item = (Category, String, String)> {
    Category::ALL.into_iter().map(|c| {
        (
            c,
            format!("order_{}", c.as_str()),
            format!("show_{}", c.as_str()),
        )
    })
}

fn get<'d>(doc: &'d DocumentMut, key: &str) -> Option<&'d Item> {
    let (table, k) = key.split_once('.').unwrap_or(("", key));
    if table.is_empty() {
        doc.get(k)
    } else {
        doc.get(table)?.get(k)
    }
}

/// A key's value as the form shows it.
fn shown(doc: &DocumentMut, key: &str) -> String {
    match get(doc, key).and_then(Item::as_value) {
        Some(Value::String(s)) => s.value().clone(),
        Some(Value::Integer(i)) => i.value().to_string(),
        Some(Value::Float(x)) => x.value().to_string(),
        Some(v) => v.to_string().trim().to_string(),
        None => String::new(),
    }
}

fn kind_of(doc: &DocumentMut) -> ScreenKind {
    match doc.get("kind").and_then(Item::as_str) {
        Some("led") => ScreenKind::Led,
        Some("terminal") => ScreenKind::Terminal,
        _ => ScreenKind::Tv,
    }
}

fn problem(key: &str, reason: crate::model::Reason) -> Problem {
    Problem {
        file: "播放列表".into(),
        path: key.into(),
        reason,
    }
}

/// The stored playlist text with the form's fields written into it, and the problems the form
/// alone can see (a number that is not one), each naming its field's key; a value in error is
/// written as typed, so the form shows it again. The playlist's own validation comes after, on
/// the text.
pub fn apply(stored: &str, fields: &Fields) -> (String, Vec<Problem>) {
    let mut doc: DocumentMut = match stored.parse() {
        Ok(doc) => doc,
        Err(e) => {
            let why = crate::model::Reason::StoredUnreadable(e.to_string());
            return (stored.to_string(), vec![problem("playlist", why)]);
        }
    };
    let kind = kind_of(&doc);
    let mut problems = Vec::new();
    for (_, list) in SECTIONS {
        for field in list.iter().filter(|f| f.applies.applies(kind)) {
            // A field the form did not send (shown disabled: the hardware, to an editor) stays.
            if !fields.has(field.key) {
                continue;
            }
            let text = fields.get(field.key).trim();
            let (table, k) = field.key.split_once('.').unwrap_or(("", field.key));
            if text.is_empty() {
                if field.optional {
                    if table.is_empty() {
                        doc.remove(k);
                    } else if let Some(t) = doc.get_mut(table).and_then(Item::as_table_like_mut) {
                        t.remove(k);
                    }
                } else {
                    problems.push(problem(field.key, crate::model::Reason::Empty));
                }
                continue;
            }
            let item = match field.input {
                Number(true) => match text.parse::<i64>() {
                    Ok(n) => value(n),
                    Err(_) => {
                        problems.push(problem(
                            field.key,
                            crate::model::Reason::NotAnInteger { text: text.into() },
                        ));
                        value(text)
                    }
                },
                Number(false) => match text.parse::<f64>() {
                    // Whole numbers stay integers, as the IT person wrote them.
                    Ok(x) if x.fract() == 0.0 && x.abs() < 1e9 => value(x as i64),
                    Ok(x) if x.is_finite() => value(x),
                    _ => {
                        problems.push(problem(
                            field.key,
                            crate::model::Reason::NotANumber { text: text.into() },
                        ));
                        value(text)
                    }
                },
                Time => {
                    // Checked here, as the numbers are, so staff read what a time looks like
                    // instead of the parser's message about the stored text.
                    if crate::model::ClockTime::try_from(text.to_string()).is_err() {
                        problems.push(problem(
                            field.key,
                            crate::model::Reason::NotATimeOfDay { text: text.into() },
                        ));
                    }
                    value(text)
                }
                Text | Choice(_) => value(text),
            };
            if table.is_empty() {
                doc[k] = item;
            } else {
                if doc.get(table).is_none() {
                    doc[table] = toml_edit::table();
                }
                doc[table][k] = item;
            }
        }
    }
    // The categories in the order given, the unticked left out (when the form has them).
    if category_fields().any(|(_, order, _)| fields.has(&order)) {
        let mut chosen: Vec<(i64, Category)> = Vec::new();
        for (c, order, show) in category_fields() {
            if fields.get(&show).is_empty() {
                continue;
            }
            let n = fields.get(&order).trim().parse::<i64>().unwrap_or(99);
            chosen.push((n, c));
        }
        chosen.sort_by_key(|(n, _)| *n);
        let mut array = toml_edit::Array::new();
        for (_, c) in &chosen {
            array.push(c.as_str());
        }
        if doc.get("rotation").is_none() {
            doc["rotation"] = toml_edit::table();
        }
        doc["rotation"]["categories"] = value(array);
    }
    // A ticker without text, hours without times: the whole table goes.
    for (table, needed) in [("ticker", "text"), ("hours", "on"), ("hours", "off")] {
        let missing = doc.get(table).is_some_and(|t| t.get(needed).is_none());
        if missing {
            doc.remove(table);
        }
    }
    if doc
        .get("transition")
        .is_some_and(|t| t.get("kind").is_none())
    {
        doc.remove("transition");
    }
    (doc.to_string(), problems)
}

/// The field a problem's path belongs to.
fn belongs(path: &str, key: &str) -> bool {
    path == key || path.starts_with(&format!("{key}[")) || path.starts_with(&format!("{key}."))
}

/// The form's fields for the playlist `text` (as stored, or as just edited), each with its
/// problems beside it. `editable` is false for staff who may only look; the hardware section
/// only for admins (`hardware`).
pub fn fields(text: &str, errors: &[Problem], editable: bool, hardware: bool) -> Markup {
    let doc: DocumentMut = text.parse().unwrap_or_default();
    let kind = kind_of(&doc);
    let categories: Vec<String> = get(&doc, "rotation.categories")
        .and_then(Item::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let errors_for = |key: &str| -> Vec<String> {
        errors
            .iter()
            .filter(|p| belongs(&p.path, key))
            .map(|p| p.reason.zh())
            .collect()
    };
    html! {
        @for (title, list) in SECTIONS {
            @let shown_fields: Vec<&Field> =
                list.iter().filter(|f| f.applies.applies(kind)).collect();
            @let editable = editable && (hardware || !title.starts_with(HARDWARE));
            @if !shown_fields.is_empty() {
                fieldset.playlist {
                    legend { (title) }
                    @if *title == "显示内容" {
                        div.field {
                            span.label { "类别顺序" }
                            p.hint {
                                "勾选要播放的类别，按序号从小到大轮播（紧急公告不论类别都播放）。"
                            }
                            ol.categories {
                                @for (c, order, show) in category_fields() {
                                    @let at = categories.iter().position(|x| x == c.as_str());
                                    li {
                                        label.inline {
                                            input type="checkbox" name=(show) value="1"
                                                checked[at.is_some()] disabled[!editable];
                                            (c.label())
                                        }
                                        label.inline {
                                            "序号"
                                            input type="number" name=(order) min="1" max="6"
                                                size="2"
                                                value=(at.map_or(String::new(),
                                                    |i| (i + 1).to_string()))
                                                disabled[!editable];
                                        }
                                    }
                                }
                            }
                            @for e in errors_for("rotation.categories") { p.field-error { (e) } }
                        }
                    }
                    @for field in shown_fields {
                        @let current = shown(&doc, field.key);
                        div.field {
                            label {
                                span.label {
                                    (field.label)
                                    @if !field.unit.is_empty() { "（" (field.unit) "）" }
                                }
                                @match field.input {
                                    Choice(options) => {
                                        select name=(field.key) disabled[!editable] {
                                            @if field.optional { option value="" { "（默认）" } }
                                            @for (v, l) in options {
                                                option value=(v) selected[current == *v] { (l) }
                                            }
                                        }
                                    }
                                    Time => input type="time" name=(field.key) value=(current)
                                        disabled[!editable];,
                                    Number(whole) => input type="number" name=(field.key)
                                        value=(current)
                                        step=(if whole { "1" } else { "any" })
                                        disabled[!editable];,
                                    Text => input type="text" name=(field.key) value=(current)
                                        disabled[!editable];,
                                }
                            }
                            @if !field.hint.is_empty() { p.hint { (field.hint) } }
                            @for e in errors_for(field.key) { p.field-error role="alert" { (e) } }
                        }
                    }
                }
            }
        }
    }
}

/// The label of the field a problem's path names, or 播放列表.
pub fn label_of(path: &str) -> &'static str {
    if belongs(path, "rotation.categories") {
        return "类别顺序";
    }
    SECTIONS
        .iter()
        .flat_map(|(_, list)| list.iter())
        .find(|f| belongs(path, f.key))
        .map_or("播放列表", |f| f.label)
}

/// Problems that no field of the form shows, to list above it.
pub fn unplaced(text: &str, errors: &[Problem]) -> Vec<Problem> {
    let doc: DocumentMut = text.parse().unwrap_or_default();
    let kind = kind_of(&doc);
    errors
        .iter()
        .filter(|p| {
            !belongs(&p.path, "rotation.categories")
                && !SECTIONS.iter().any(|(_, list)| {
                    list.iter()
                        .any(|f| f.applies.applies(kind) && belongs(&p.path, f.key))
                })
        })
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORED: &str = "# The plaza TV.\ngroup = \"plaza-tv\"\nname = \"云岭区政务公开\"\n\
        kind = \"tv\"\n\n[screen]\nwidth = 1920\nheight = 1080\npalette = \"full\"\n\n[type]\n\
        title_px = 60\nbody_px = 46\nline_height = 1.6\n\n[rotation]\n\
        categories = [\"policy\", \"services\"]\norder = \"category\"\n\n# Reading time.\n\
        [dwell]\nbase_s = 3.0\nchars_per_s = 2.5\nmin_s = 12.0\nmax_s = 150.0\n\n[ticker]\n\
        speed_px_s = 90.0\ntext = \"热线 12345\"\n";

    fn form(pairs: &[(&str, &str)]) -> Fields {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in pairs {
            s.append_pair(k, v);
        }
        Fields::parse(s.finish().as_bytes())
    }

    fn all_fields(changes: &[(&str, &str)]) -> Vec<(String, String)> {
        let doc: DocumentMut = STORED.parse().unwrap();
        let mut out: Vec<(String, String)> = SECTIONS
            .iter()
            .flat_map(|(_, l)| l.iter())
            .map(|f| (f.key.to_string(), shown(&doc, f.key)))
            .collect();
        for (k, v) in changes {
            out.retain(|(x, _)| x != k);
            out.push((k.to_string(), v.to_string()));
        }
        out
    }

    #[test]
    fn the_form_edits_the_text_and_keeps_its_comments() {
        let mut pairs = all_fields(&[
            ("ticker.text", "新的滚动字幕"),
            ("dwell.chars_per_s", "2"),
            ("hours.on", "07:30"),
            ("hours.off", "22:00"),
        ]);
        for (k, v) in [
            ("show_services", "1"),
            ("order_services", "1"),
            ("show_policy", "1"),
            ("order_policy", "2"),
        ] {
            pairs.push((k.into(), v.into()));
        }
        let refs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let (text, problems) = apply(STORED, &form(&refs));
        assert!(problems.is_empty(), "{problems:?}");
        assert!(text.contains("# The plaza TV."), "{text}");
        assert!(text.contains("# Reading time."), "{text}");
        let p = crate::model::Playlist::from_toml(&text, "form").unwrap();
        assert_eq!(p.ticker.unwrap().text.as_deref(), Some("新的滚动字幕"));
        assert_eq!(p.dwell.chars_per_s, 2.0);
        assert_eq!(
            p.rotation.categories,
            [Category::Services, Category::Policy]
        );
        let hours = p.hours.unwrap();
        assert_eq!((hours.on.0, hours.off.0), (7 * 60 + 30, 22 * 60));
    }

    #[test]
    fn an_empty_ticker_text_removes_the_ticker_and_a_bad_number_is_named() {
        let pairs = all_fields(&[("ticker.text", ""), ("show_policy", "1")]);
        let refs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let (text, _) = apply(STORED, &form(&refs));
        assert!(!text.contains("[ticker]"), "{text}");
        let pairs = all_fields(&[("dwell.min_s", "十二")]);
        let refs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect();
        let (text, errors) = apply(STORED, &form(&refs));
        assert_eq!(errors[0].path, "dwell.min_s");
        assert!(errors[0].reason.zh().contains("不是数字"));
        // Shown again as typed.
        assert!(text.contains("min_s = \"十二\""), "{text}");
    }

    /// A time of day typed wrong is named in the form's terms, not the parser's message about
    /// the stored text (found comparing the console before and after issue 26's move).
    #[test]
    fn a_bad_time_of_day_is_named_in_chinese() {
        for bad in ["25:61", "abc", "8:00", "7am"] {
            let pairs = all_fields(&[("hours.on", bad), ("hours.off", "22:00")]);
            let refs: Vec<(&str, &str)> = pairs
                .iter()
                .map(|(a, b)| (a.as_str(), b.as_str()))
                .collect();
            let (_, errors) = apply(STORED, &form(&refs));
            assert_eq!(errors.len(), 1, "{bad}: {errors:?}");
            assert_eq!(errors[0].path, "hours.on");
            assert_eq!(
                errors[0].reason.zh(),
                "不是有效的时间，请按“07:30”的格式填写"
            );
        }
    }
}
