//! What can go wrong in an import, and what an import could do only in part: each with an English
//! `Display` for the log and a Chinese sentence for the office staff who chose the file (`zh`).

use crate::model::personal::PersonalKind;

/// The formats an import reads; named in messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Docx,
    Spreadsheet,
    Csv,
    Pdf,
    Ofd,
}

impl Format {
    /// The name staff know the format by.
    pub fn zh(self) -> &'static str {
        match self {
            Format::Docx => "Word（.docx）",
            Format::Spreadsheet => "Excel",
            Format::Csv => "CSV",
            Format::Pdf => "PDF",
            Format::Ofd => "OFD",
        }
    }
}

/// The accepted types, as an error lists them.
pub const ACCEPTED_ZH: &str =
    "Word（.docx）、Excel（.xlsx）、CSV（.csv）、PDF（.pdf）、OFD（.ofd）";

/// Why a file could not be read, beyond "it is damaged".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Defect {
    #[error("not a zip package")]
    NotZip,
    #[error("the part {0} is missing")]
    MissingPart(String),
    #[error("the XML of {part} is malformed: {detail}")]
    BadXml { part: String, detail: String },
    #[error("the XML of {part} nests deeper than {max} elements")]
    TooDeep { part: String, max: usize },
    #[error("the text of {0} is neither UTF-8 nor GB18030")]
    BadText(String),
    #[error("{0}")]
    Other(String),
}

impl Defect {
    fn zh(&self) -> String {
        match self {
            Defect::NotZip => "文件内容不是完整的压缩包".into(),
            Defect::MissingPart(part) => format!("缺少 {part}"),
            Defect::BadXml { part, .. } => format!("{part} 的内容格式有误"),
            Defect::TooDeep { part, max } => format!("{part} 的层级嵌套超过 {max} 层"),
            Defect::BadText(part) => format!("{part} 的文字编码无法识别"),
            Defect::Other(detail) => detail.clone(),
        }
    }
}

/// A limit an import enforces; each names its number in the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Limit {
    /// The decompressed size of a zip package's parts, in bytes (a zip bomb meets it).
    Unpacked { max: u64 },
    /// A PDF's pages.
    Pages { pages: usize, max: usize },
    /// A table's rows or columns.
    Table {
        rows: usize,
        columns: usize,
        max_rows: usize,
        max_columns: usize,
    },
    /// The text extracted, in characters.
    Text { max: usize },
}

/// An import that produced no draft.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("unknown file type of {name:?}: accepted are .docx, .xlsx, .csv, .pdf, .ofd")]
    UnknownType { name: String },
    #[error("a legacy Word or WPS file (.doc, .wps): save it as .docx first")]
    LegacyWord,
    #[error("a legacy binary spreadsheet (.xls, .et): save it as .xlsx")]
    LegacySheet,
    #[error("the {format:?} file is encrypted or password-protected")]
    Encrypted { format: Format },
    #[error("the {format:?} file is damaged: {defect}")]
    Damaged { format: Format, defect: Defect },
    #[error("over a limit: {0:?}")]
    TooLarge(Limit),
    #[error("the file holds nothing to import")]
    Empty { format: Format },
}

impl ImportError {
    pub(crate) fn damaged(format: Format, detail: impl std::fmt::Display) -> ImportError {
        ImportError::Damaged {
            format,
            defect: Defect::Other(detail.to_string()),
        }
    }

    /// The sentence shown to the staff member who chose the file.
    pub fn zh(&self) -> String {
        match self {
            ImportError::UnknownType { name } => {
                format!("无法识别“{name}”的文件类型。可以导入：{ACCEPTED_ZH}")
            }
            ImportError::LegacyWord => {
                "这是旧版 Word/WPS 格式，请在 Word 或 WPS 中“另存为” .docx 后再导入".into()
            }
            ImportError::LegacySheet => {
                "这是旧版 Excel（.xls）或 WPS 表格（.et）格式，请在 Excel 或 WPS 中“另存为” .xlsx \
                 后再导入"
                    .into()
            }
            ImportError::Encrypted { format } => format!(
                "这个{}文件设置了打开密码（已加密），无法读取；请取消密码后再导入",
                format.zh()
            ),
            ImportError::Damaged { format, defect } => format!(
                "这个{}文件已损坏或不完整，无法读取：{}。请用原软件重新保存后再导入",
                format.zh(),
                defect.zh()
            ),
            ImportError::TooLarge(limit) => match limit {
                Limit::Unpacked { max } => format!(
                    "文件解压后超过 {} MB，超出导入上限；请删去大图片或拆分文件后再导入",
                    max / (1024 * 1024)
                ),
                Limit::Pages { pages, max } => {
                    format!("PDF 共 {pages} 页，超过可导入的 {max} 页；请拆分后再导入")
                }
                Limit::Table {
                    rows,
                    columns,
                    max_rows,
                    max_columns,
                } => format!(
                    "表格有 {rows} 行 {columns} 列，超过可导入的 {max_rows} 行 {max_columns} 列；\
                     请拆分后再导入"
                ),
                Limit::Text { max } => {
                    format!("文件中的文字超过 {max} 字，超出导入上限；请拆分后再导入")
                }
            },
            ImportError::Empty { format } => {
                format!("这个{}文件中没有可导入的文字、表格或图片", format.zh())
            }
        }
    }
}

/// Where in a draft a warning points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Title,
    Body,
    Issuer,
}

impl Field {
    fn zh(self) -> &'static str {
        match self {
            Field::Title => "标题",
            Field::Body => "正文",
            Field::Issuer => "发布单位",
        }
    }
}

/// Something an import did only in part, or found that staff must look at before saving.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportWarning {
    #[error("personal number ({kind:?}) {masked} in the {field:?} at character {at}")]
    Personal {
        kind: PersonalKind,
        field: Field,
        at: usize,
        masked: String,
    },
    #[error("fonts not embedded in the PDF: {fonts:?} (substituted: {substituted})")]
    FontsNotEmbedded {
        fonts: Vec<String>,
        substituted: bool,
    },
    #[error("the PDF has no extractable text: the body is empty")]
    NoText,
    #[error("page {page} could not be rasterised")]
    PageNotDrawn { page: usize },
    #[error("an OFD's text and images were read without its page layout")]
    LayoutNotKept,
    #[error("image {name} was skipped: {why}")]
    ImageSkipped { name: String, why: String },
    #[error("no title found: the file name is the title")]
    TitleFromFileName,
    #[error("no issuing office found in the signature block")]
    NoIssuer,
    #[error("only the first sheet {used:?} was read; not {others:?}")]
    OtherSheets { used: String, others: Vec<String> },
}

impl ImportWarning {
    /// The sentence shown beside the draft.
    pub fn zh(&self) -> String {
        match self {
            ImportWarning::Personal {
                kind,
                field,
                at,
                masked,
            } => {
                let what = match kind {
                    PersonalKind::IdNumber => "身份证号码",
                    PersonalKind::BankCard => "银行卡号",
                    PersonalKind::Mobile => "手机号码",
                };
                format!(
                    "{}第 {at} 个字起有{what} {masked}；公开前请删除或改为遮盖后的写法",
                    field.zh()
                )
            }
            ImportWarning::FontsNotEmbedded { fonts, substituted } => {
                let names = fonts.join("、");
                if *substituted {
                    format!(
                        "PDF 未嵌入字体 {names}，页面图片中这些文字已用替代字体显示，字形可能与\
                         原件不同；请用“嵌入字体”方式重新导出 PDF"
                    )
                } else {
                    format!(
                        "PDF 未嵌入字体 {names}，部分文字可能显示为空白；请用“嵌入字体”方式\
                         重新导出 PDF"
                    )
                }
            }
            ImportWarning::NoText => "PDF 中没有可提取的文字（可能是扫描件），正文为空；\
                 请对照页面图片录入正文"
                .into(),
            ImportWarning::PageNotDrawn { page } => {
                format!("PDF 第 {page} 页无法转为图片，请检查原文件")
            }
            ImportWarning::LayoutNotKept => "OFD 文件只导入了文字和图片，没有保留原版面；\
                 请对照原件检查正文"
                .into(),
            ImportWarning::ImageSkipped { name, why } => format!("图片 {name} 未导入：{why}"),
            ImportWarning::TitleFromFileName => {
                "文件中没有找到标题，已用文件名作标题，请修改".into()
            }
            ImportWarning::NoIssuer => "没有找到落款中的发布单位，请填写".into(),
            ImportWarning::OtherSheets { used, others } => format!(
                "只导入了第一个有内容的工作表“{used}”，其余工作表（{}）未导入",
                others.join("、")
            ),
        }
    }
}
