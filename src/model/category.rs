//! The disclosure categories a notice is filed under: shared by the feed (each notice's) and the
//! playlist (a touch terminal's menu), so it sits below both.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The disclosure categories of the annual government information disclosure report.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 人事任免
    Personnel,
    /// 政策及规范性文件
    Policy,
    /// 规划计划报告动态
    Reports,
    /// 重大项目惠民实事
    Projects,
    /// 社会公益事业、科教文卫、安全生产应急管理
    PublicAffairs,
    /// 其他及服务类信息
    Services,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Category::Personnel,
        Category::Policy,
        Category::Reports,
        Category::Projects,
        Category::PublicAffairs,
        Category::Services,
    ];

    /// The category named `name` as `as_str` writes it (`public_affairs`).
    pub fn parse(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// The short label shown on screens.
    pub fn label(self) -> &'static str {
        match self {
            Category::Personnel => "人事任免",
            Category::Policy => "政策文件",
            Category::Reports => "规划报告",
            Category::Projects => "重大项目",
            Category::PublicAffairs => "公益事业",
            Category::Services => "便民服务",
        }
    }

    /// The full name used in the disclosure report.
    pub fn full_name(self) -> &'static str {
        match self {
            Category::Personnel => "人事任免",
            Category::Policy => "政策及规范性文件",
            Category::Reports => "规划计划报告动态",
            Category::Projects => "重大项目惠民实事",
            Category::PublicAffairs => "社会公益事业、科教文卫、安全生产应急管理",
            Category::Services => "其他及服务类信息",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Personnel => "personnel",
            Category::Policy => "policy",
            Category::Reports => "reports",
            Category::Projects => "projects",
            Category::PublicAffairs => "public_affairs",
            Category::Services => "services",
        }
    }
}
