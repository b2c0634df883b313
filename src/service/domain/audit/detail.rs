//! An entry's detail in words an auditor reads. The record stays as stored (it is evidence, and
//! the export's hash chain covers it); this is its reading, for the forms the service writes.
//! A detail of no known form has none: the page shows the record alone.

/// The detail of an entry of `action` (its stored code) in Chinese, when it has a known form.
pub fn detail_zh(action: &str, detail: &str) -> Option<String> {
    let number = |s: &str| s.trim().parse::<u64>().ok();
    if detail.is_empty() {
        return None;
    }
    // Whole phrases.
    let fixed = match detail {
        "new token issued" => Some("已签发新令牌，旧令牌即时失效"),
        "requested" => Some("已请求屏幕上传截图"),
        "wrong name or password" => Some("用户名或密码不正确"),
        _ => None,
    };
    if let Some(fixed) = fixed {
        return Some(fixed.to_string());
    }
    if let Some(bytes) = detail
        .strip_prefix("playlist replaced (")
        .and_then(|r| r.strip_suffix(" bytes)"))
        .and_then(number)
    {
        return Some(format!("播放列表已更新（{bytes} 字节）"));
    }
    if let Some(id) = detail
        .strip_prefix("change ")
        .and_then(|r| r.strip_suffix(" waits for review"))
    {
        return Some(format!("修改 {id} 等待另一人审核"));
    }
    if let Some(source) = detail.strip_prefix("seeded from ") {
        return Some(format!("首次启动时由 {source} 建立"));
    }
    if let Some(rest) = detail.strip_prefix("a form for ")
        && let Some((_, bytes)) = rest.split_once(" (")
        && let Some(bytes) = bytes.split(' ').next().and_then(number)
    {
        return Some(format!(
            "登录超时后提交的表单（{bytes} 字节）已代为保存，待本人重新登录后取回"
        ));
    }
    if let Some(group) = detail.strip_prefix("group ")
        && action.starts_with("screen.")
    {
        return Some(format!("屏幕组 {group}"));
    }
    // 保密审查 confirmed; author NAME; TITLE (an approval, 第二人 prefixed under 提级审核).
    if let Some((step, rest)) = detail.split_once("保密审查 confirmed; author ") {
        let (author, title) = rest.split_once("; ").unwrap_or((rest, ""));
        return Some(format!("{step}保密审查已确认；作者 {author}；《{title}》"));
    }
    // A source's publish mode and areas: `direct; areas 330100 330200`.
    if action.starts_with("source.")
        && let Some((mode, areas)) = detail.split_once("; areas ")
    {
        let mode = match mode {
            "direct" => "直接发布",
            "review" => "须一人审核",
            other => other,
        };
        return Some(format!("{mode}；辖区 {areas}"));
    }
    // A withdrawal's or a rejection's reason, typed by a person.
    if matches!(action, "notice.withdraw" | "notice.reject") {
        return Some(format!("原因：{detail}"));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::detail_zh;

    #[test]
    fn known_forms_read_in_chinese_and_others_not_at_all() {
        let zh = |a: &str, d: &str| detail_zh(a, d).unwrap_or_default();
        assert_eq!(
            zh("group.playlist", "playlist replaced (812 bytes)"),
            "播放列表已更新（812 字节）"
        );
        assert_eq!(
            zh("group.playlist_submit", "change 3 waits for review"),
            "修改 3 等待另一人审核"
        );
        assert_eq!(zh("screen.add", "group plaza-tv"), "屏幕组 plaza-tv");
        assert_eq!(
            zh(
                "notice.approve",
                "保密审查 confirmed; author 王芳; 冬季用电安全提示"
            ),
            "保密审查已确认；作者 王芳；《冬季用电安全提示》"
        );
        assert_eq!(
            zh("source.add", "direct; areas 330100 330200"),
            "直接发布；辖区 330100 330200"
        );
        assert_eq!(zh("notice.withdraw", "活动取消"), "原因：活动取消");
        assert_eq!(detail_zh("login", ""), None);
        assert_eq!(detail_zh("key.rotate", "something new"), None);
    }
}
