//! The actions an audit entry records: their stored codes (fixed forever: the export's hash
//! chain covers them) and their names as an auditor reads them.

/// What an audit entry records. `as_str` is the text stored in the log (and covered by the
/// export's hash chain): it never changes for an existing action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    NoticeCreate,
    NoticeEdit,
    NoticeSubmit,
    NoticeApprove,
    NoticeReject,
    NoticeWithdraw,
    /// An image uploaded for notices' figures (a new one; the same image again is not).
    AssetUpload,
    /// A file read into a draft for the notice form (`imports`): its name, format and size.
    DocumentImport,
    Login,
    LoginFailed,
    Logout,
    /// A form sent after its session ended, kept for its sender (`sessions::hold_form`).
    FormHeld,
    AccessDenied,
    UserAdd,
    UserChange,
    UserReset,
    UserPassword,
    /// Written by earlier versions; read back from old logs.
    UserRole,
    GroupCreate,
    /// A group's name for staff changed (`groups::set_label`).
    GroupLabel,
    GroupPlaylist,
    GroupPlaylistSubmit,
    GroupPlaylistApprove,
    GroupPlaylistReject,
    GroupAreas,
    GroupBlackout,
    GroupBlackoutLift,
    GroupPolicy,
    ScreenAdd,
    /// A screen's name for staff changed.
    ScreenLabel,
    ScreenToken,
    ScreenDeviceKeyReset,
    ScreenDeviceKeyCandidate,
    ScreenDeviceKeyExpect,
    ScreenDeviceKeyConfirm,
    ScreenScreenshot,
    SourceAdd,
    SourceAreas,
    /// A source's token refused from then on (`alerts::revoke_source`), with the reason.
    SourceRevoke,
    CalendarPut,
    KeyCreate,
    KeyRecord,
    KeyRotate,
    TenantAdd,
    AuditPrune,
    AuditExport,
    /// An alert received, by what became of it.
    Alert(Disposition),
}

impl Action {
    /// Every action, for tests and for reading the log back.
    pub const ALL: &[Action] = &[
        Action::NoticeCreate,
        Action::NoticeEdit,
        Action::NoticeSubmit,
        Action::NoticeApprove,
        Action::NoticeReject,
        Action::NoticeWithdraw,
        Action::AssetUpload,
        Action::DocumentImport,
        Action::Login,
        Action::LoginFailed,
        Action::Logout,
        Action::FormHeld,
        Action::AccessDenied,
        Action::UserAdd,
        Action::UserChange,
        Action::UserReset,
        Action::UserPassword,
        Action::UserRole,
        Action::GroupCreate,
        Action::GroupLabel,
        Action::GroupPlaylist,
        Action::GroupPlaylistSubmit,
        Action::GroupPlaylistApprove,
        Action::GroupPlaylistReject,
        Action::GroupAreas,
        Action::GroupBlackout,
        Action::GroupBlackoutLift,
        Action::GroupPolicy,
        Action::ScreenAdd,
        Action::ScreenLabel,
        Action::ScreenToken,
        Action::ScreenDeviceKeyReset,
        Action::ScreenDeviceKeyCandidate,
        Action::ScreenDeviceKeyExpect,
        Action::ScreenDeviceKeyConfirm,
        Action::ScreenScreenshot,
        Action::SourceAdd,
        Action::SourceAreas,
        Action::SourceRevoke,
        Action::CalendarPut,
        Action::KeyCreate,
        Action::KeyRecord,
        Action::KeyRotate,
        Action::TenantAdd,
        Action::AuditPrune,
        Action::AuditExport,
        Action::Alert(Disposition::Published),
        Action::Alert(Disposition::Held),
        Action::Alert(Disposition::Submitted),
        Action::Alert(Disposition::Updated),
        Action::Alert(Disposition::Cancelled),
        Action::Alert(Disposition::Duplicate),
        Action::Alert(Disposition::Ignored),
    ];

    /// As stored in the log.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::NoticeCreate => "notice.create",
            Action::NoticeEdit => "notice.edit",
            Action::NoticeSubmit => "notice.submit",
            Action::NoticeApprove => "notice.approve",
            Action::NoticeReject => "notice.reject",
            Action::NoticeWithdraw => "notice.withdraw",
            Action::Login => "login",
            Action::LoginFailed => "login.failed",
            Action::Logout => "logout",
            Action::FormHeld => "session.form_held",
            Action::AccessDenied => "access.denied",
            Action::UserAdd => "user.add",
            Action::UserChange => "user.change",
            Action::UserReset => "user.reset",
            Action::UserPassword => "user.password",
            Action::UserRole => "user.role",
            Action::GroupCreate => "group.create",
            Action::GroupLabel => "group.label",
            Action::GroupPlaylist => "group.playlist",
            Action::GroupPlaylistSubmit => "group.playlist.submit",
            Action::GroupPlaylistApprove => "group.playlist.approve",
            Action::GroupPlaylistReject => "group.playlist.reject",
            Action::GroupAreas => "group.areas",
            Action::GroupBlackout => "group.blackout",
            Action::GroupBlackoutLift => "group.blackout_lift",
            Action::GroupPolicy => "group.policy",
            Action::ScreenAdd => "screen.add",
            Action::ScreenLabel => "screen.label",
            Action::ScreenToken => "screen.token",
            Action::ScreenDeviceKeyReset => "screen.device_key.reset",
            Action::ScreenDeviceKeyCandidate => "screen.device_key.candidate",
            Action::ScreenDeviceKeyExpect => "screen.device_key.expect",
            Action::ScreenDeviceKeyConfirm => "screen.device_key.confirm",
            Action::ScreenScreenshot => "screen.screenshot",
            Action::AssetUpload => "asset.upload",
            Action::DocumentImport => "document.import",
            Action::SourceAdd => "source.add",
            Action::SourceAreas => "source.areas",
            Action::SourceRevoke => "source.revoke",
            Action::CalendarPut => "calendar.put",
            Action::KeyCreate => "key.create",
            Action::KeyRecord => "key.record",
            Action::KeyRotate => "key.rotate",
            Action::TenantAdd => "tenant.add",
            Action::AuditPrune => "audit.prune",
            Action::AuditExport => "audit.export",
            Action::Alert(Disposition::Published) => "alert.published",
            Action::Alert(Disposition::Held) => "alert.held",
            Action::Alert(Disposition::Submitted) => "alert.submitted",
            Action::Alert(Disposition::Updated) => "alert.updated",
            Action::Alert(Disposition::Cancelled) => "alert.cancelled",
            Action::Alert(Disposition::Duplicate) => "alert.duplicate",
            Action::Alert(Disposition::Ignored) => "alert.ignored",
        }
    }

    /// What the console's audit page calls it.
    pub fn zh(self) -> &'static str {
        match self {
            Action::NoticeCreate => "新建公告",
            Action::NoticeEdit => "修改公告",
            Action::NoticeSubmit => "提交审核",
            Action::NoticeApprove => "批准发布",
            Action::NoticeReject => "退回",
            Action::NoticeWithdraw => "撤回",
            Action::Login => "登录",
            Action::LoginFailed => "登录失败",
            Action::Logout => "退出",
            Action::FormHeld => "登录超时后提交的表单已代为保存",
            Action::AccessDenied => "越权访问被拒绝",
            Action::UserAdd => "新建用户",
            Action::UserChange => "修改用户",
            Action::UserReset => "重置密码（一次性密码）",
            Action::UserPassword => "本人修改密码",
            Action::UserRole => "修改角色",
            Action::GroupCreate => "新建屏幕组",
            Action::GroupLabel => "屏幕组改名",
            Action::GroupPlaylist => "修改播放列表",
            Action::GroupPlaylistSubmit => "提交播放列表审核",
            Action::GroupPlaylistApprove => "批准播放列表",
            Action::GroupPlaylistReject => "退回播放列表",
            Action::GroupAreas => "设置预警区域",
            Action::GroupBlackout => "暂停或恢复播放",
            Action::GroupBlackoutLift => "恢复播放",
            Action::GroupPolicy => "设置审核策略",
            Action::ScreenAdd => "登记屏幕",
            Action::ScreenLabel => "屏幕改名",
            Action::ScreenToken => "更换屏幕令牌",
            Action::ScreenDeviceKeyReset => "重置屏幕设备密钥",
            Action::ScreenDeviceKeyCandidate => "屏幕提交设备密钥",
            Action::ScreenDeviceKeyExpect => "预设屏幕设备密钥",
            Action::ScreenDeviceKeyConfirm => "确认屏幕设备密钥",
            Action::ScreenScreenshot => "请求屏幕截图",
            Action::AssetUpload => "上传图片",
            Action::DocumentImport => "导入文件",
            Action::SourceAdd => "新增预警来源",
            Action::SourceAreas => "设置预警来源区域",
            Action::SourceRevoke => "撤销预警来源",
            Action::CalendarPut => "更新节假日安排",
            Action::KeyCreate => "生成签名密钥",
            Action::KeyRecord => "登记签名密钥",
            Action::KeyRotate => "更换签名密钥",
            Action::TenantAdd => "添加平台单位",
            Action::AuditPrune => "清理过期记录",
            Action::AuditExport => "导出操作记录",
            Action::Alert(_) => "接收预警",
        }
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An action's stored text is not one this build knows (the entry is shown as stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownAction(pub String);

impl std::str::FromStr for Action {
    type Err = UnknownAction;
    fn from_str(s: &str) -> Result<Action, UnknownAction> {
        Action::ALL
            .iter()
            .copied()
            .find(|a| a.as_str() == s)
            .ok_or_else(|| UnknownAction(s.to_string()))
    }
}

#[cfg(test)]
mod action_tests {
    use super::Action;

    #[test]
    fn every_action_round_trips_and_reads_in_chinese() {
        for a in Action::ALL {
            assert!(!a.as_str().is_empty() && !a.zh().is_empty(), "{a:?}");
            assert_eq!(a.as_str().parse::<Action>(), Ok(*a));
        }
        let mut stored: Vec<&str> = Action::ALL.iter().map(|a| a.as_str()).collect();
        stored.sort();
        stored.dedup();
        assert_eq!(
            stored.len(),
            Action::ALL.len(),
            "two actions store the same text"
        );
        assert!("notice.frobnicate".parse::<Action>().is_err());
    }
}

/// What became of an alert: the `result` of its `Outcome` (and of its audit entry,
/// `alert.<result>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Disposition {
    /// Published to its groups.
    Published,
    /// Published, but every group it is for is on standby.
    Held,
    /// Waits for a reviewer.
    Submitted,
    Updated,
    Cancelled,
    /// Received before: the notice it became is answered again.
    Duplicate,
    /// Not an Actual message.
    Ignored,
}

impl Disposition {
    pub const ALL: [Disposition; 7] = [
        Disposition::Published,
        Disposition::Held,
        Disposition::Submitted,
        Disposition::Updated,
        Disposition::Cancelled,
        Disposition::Duplicate,
        Disposition::Ignored,
    ];

    /// As the API answers it.
    pub fn as_str(self) -> &'static str {
        match self {
            Disposition::Published => "published",
            Disposition::Held => "held",
            Disposition::Submitted => "submitted",
            Disposition::Updated => "updated",
            Disposition::Cancelled => "cancelled",
            Disposition::Duplicate => "duplicate",
            Disposition::Ignored => "ignored",
        }
    }

    pub fn parse(text: &str) -> Option<Disposition> {
        Disposition::ALL.into_iter().find(|d| d.as_str() == text)
    }

    pub fn zh(self) -> &'static str {
        match self {
            Disposition::Published => "已发布",
            Disposition::Held => "已发布，待恢复播放后显示",
            Disposition::Submitted => "待审核",
            Disposition::Updated => "已更新",
            Disposition::Cancelled => "已解除",
            Disposition::Duplicate => "重复收到",
            Disposition::Ignored => "已忽略（非正式预警）",
        }
    }
}
