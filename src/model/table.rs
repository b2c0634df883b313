//! Tables in a notice's body: consecutive lines of tab-separated cells, what Word, WPS and Excel
//! put on the clipboard, the first row the header (a 拟录用人员公示, a 低保 list, a 村务财务
//! 收支 table).
//!
//! The body stays plain text, so a table travels through the API, the feed and the review diff
//! as what the clerk pasted. `blocks` reads it for layout; `problems` is the validation every
//! door applies (a row with another number of cells than the header names its line).

use super::reason::Reason;

/// The most columns a table may have: more is a spreadsheet, not a notice.
pub const MAX_TABLE_COLUMNS: usize = 20;
/// The most rows (header included) a table may have.
pub const MAX_TABLE_ROWS: usize = 5_000;
/// The longest cell, in characters.
pub const MAX_CELL_CHARS: usize = 500;

/// A table of a body: the header's cells and the rows', trimmed, as many in each row as in the
/// header (`blocks` pads or joins a row that differs; validation refuses one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// The body line (from 1) the header is on.
    pub line: usize,
}

impl Table {
    pub fn columns(&self) -> usize {
        self.header.len()
    }

    /// Whether column `col` holds numbers (every non-empty cell of it): set flush right, so
    /// the digits of amounts line up.
    pub fn is_numeric(&self, col: usize) -> bool {
        let mut any = false;
        for row in &self.rows {
            let cell = row.get(col).map_or("", |c| c.as_str());
            if cell.is_empty() {
                continue;
            }
            if !is_number(cell) {
                return false;
            }
            any = true;
        }
        any
    }

    /// A row as one line of 表头：值 pairs, for a card or a marquee.
    pub fn row_pairs(&self, row: usize) -> Vec<(String, String)> {
        self.header
            .iter()
            .zip(&self.rows[row])
            .map(|(h, c)| (h.clone(), c.clone()))
            .collect()
    }
}

/// 1,234.50 · -12 · 35% · ¥800 · 1200元: an amount, a count or a share.
fn is_number(cell: &str) -> bool {
    let s = cell.trim_start_matches(['¥', '￥', '-', '+', '－']);
    let s = s.trim_end_matches(['%', '％', '元', '万', '人', '户', '亩']);
    !s.is_empty()
        && s.chars().any(|c| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ','))
}

/// One part of a body: paragraphs of text, or a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// Text as the body has it (paragraphs split by blank lines), tables taken out.
    Text(String),
    Table(Table),
}

/// The cells of a body line, if it is a table row: it holds a tab.
fn cells(line: &str) -> Option<Vec<String>> {
    line.contains('\t')
        .then(|| line.split('\t').map(|c| c.trim().to_string()).collect())
}

/// A run of table lines: where it starts (from 0) and its lines.
fn runs(body: &str) -> Vec<(usize, Vec<&str>)> {
    let mut out: Vec<(usize, Vec<&str>)> = Vec::new();
    let mut prev_table = false;
    for (i, line) in body.split('\n').enumerate() {
        let table = line.contains('\t');
        match out.last_mut() {
            Some((_, lines)) if table && prev_table => lines.push(line),
            _ if table => out.push((i, vec![line])),
            _ => {}
        }
        prev_table = table;
    }
    out
}

/// The body as text and tables, in order. Lenient, for layout: a row with fewer cells than the
/// header is padded, one with more has its last cells joined. A lone line with tabs (no row
/// under it) is not a table: its tabs read as wide spaces.
pub fn blocks(body: &str) -> Vec<Block> {
    let lines: Vec<&str> = body.split('\n').collect();
    let mut out = Vec::new();
    let mut text_from = 0;
    let push_text = |out: &mut Vec<Block>, from: usize, to: usize| {
        let text = lines[from..to].join("\n").replace('\t', "　　");
        if !text.trim().is_empty() {
            out.push(Block::Text(text));
        }
    };
    for (start, run) in runs(body) {
        if run.len() < 2 {
            continue;
        }
        push_text(&mut out, text_from, start);
        text_from = start + run.len();
        let mut rows = run.iter().filter_map(|l| cells(l));
        let header = rows.next().expect("a run has lines");
        let n = header.len();
        let rows = rows
            .map(|mut row| {
                if row.len() > n {
                    let rest = row.split_off(n - 1).join(" ");
                    row.push(rest);
                }
                row.resize(n, String::new());
                row
            })
            .collect();
        out.push(Block::Table(Table {
            header,
            rows,
            line: start + 1,
        }));
    }
    push_text(&mut out, text_from, lines.len());
    out
}

/// Whether the body holds a table.
pub fn has_table(body: &str) -> bool {
    runs(body).iter().any(|(_, run)| run.len() >= 2)
}

/// What is wrong with the body's tables: rows whose number of cells differs from the header's
/// (naming the line), too many columns or rows, a cell too long, a header of empty cells.
pub fn problems(body: &str) -> Vec<Reason> {
    let mut out = Vec::new();
    for (start, run) in runs(body) {
        if run.len() < 2 {
            continue;
        }
        let line = start + 1;
        let header = cells(run[0]).expect("a run's lines hold tabs");
        let columns = header.len();
        if columns > MAX_TABLE_COLUMNS {
            out.push(Reason::TableTooManyColumns {
                line,
                columns,
                max: MAX_TABLE_COLUMNS,
            });
            continue;
        }
        if run.len() > MAX_TABLE_ROWS {
            out.push(Reason::TableTooManyRows {
                line,
                rows: run.len(),
                max: MAX_TABLE_ROWS,
            });
            continue;
        }
        if header.iter().all(String::is_empty) {
            out.push(Reason::TableHeaderEmpty { line });
        }
        for (k, text) in run.iter().enumerate() {
            let row = cells(text).expect("a run's lines hold tabs");
            if row.len() != columns {
                out.push(Reason::TableRowCells {
                    line: line + k,
                    cells: row.len(),
                    header: columns,
                });
            }
            if let Some((col, chars)) = row
                .iter()
                .map(|c| c.chars().count())
                .enumerate()
                .find(|(_, n)| *n > MAX_CELL_CHARS)
            {
                out.push(Reason::TableCellTooLong {
                    line: line + k,
                    column: col + 1,
                    chars,
                    max: MAX_CELL_CHARS,
                });
            }
            // Ten problems say enough about one table.
            if out.len() >= 10 {
                return out;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PASTED: &str = "经研究，拟录用以下人员：\n\n\
        姓名\t性别\t出生年月\t学历\t毕业院校\t拟录用职位\n\
        张三\t男\t1998.05\t本科\t云南大学\t综合管理岗\n\
        李四\t女\t1999.11\t硕士研究生\t昆明理工大学\t财务岗\n\n公示期为7个工作日。";

    #[test]
    fn tab_separated_lines_are_a_table_with_its_header() {
        let blocks = blocks(PASTED);
        assert_eq!(blocks.len(), 3);
        assert_eq!(blocks[0], Block::Text("经研究，拟录用以下人员：\n".into()));
        let Block::Table(table) = &blocks[1] else {
            panic!("a table: {blocks:?}")
        };
        assert_eq!(table.header[4], "毕业院校");
        assert_eq!(table.rows.len(), 2);
        assert_eq!(table.rows[1][3], "硕士研究生");
        assert_eq!(table.line, 3);
        assert_eq!(blocks[2], Block::Text("\n公示期为7个工作日。".into()));
        assert!(problems(PASTED).is_empty());
        assert!(has_table(PASTED));
    }

    #[test]
    fn a_row_with_another_number_of_cells_names_its_line() {
        let body = "姓名\t金额\n张三\t800\n李四\t600\t多余\n王五";
        assert_eq!(
            problems(body),
            [Reason::TableRowCells {
                line: 3,
                cells: 3,
                header: 2
            }]
        );
        // Layout still reads it: the extra cell joins the last.
        let Block::Table(t) = &blocks(body)[0] else {
            panic!()
        };
        assert_eq!(t.rows[1], ["李四", "600 多余"]);
    }

    #[test]
    fn limits_are_named() {
        let wide = vec!["列"; MAX_TABLE_COLUMNS + 1].join("\t");
        let body = format!("{wide}\n{wide}");
        assert!(matches!(
            problems(&body)[..],
            [Reason::TableTooManyColumns { line: 1, .. }]
        ));
        let long = "字".repeat(MAX_CELL_CHARS + 1);
        let body = format!("甲\t乙\n{long}\t1");
        assert!(matches!(
            problems(&body)[..],
            [Reason::TableCellTooLong {
                line: 2,
                column: 1,
                ..
            }]
        ));
        assert!(matches!(
            problems("\t\n1\t2")[..],
            [Reason::TableHeaderEmpty { line: 1 }]
        ));
    }

    #[test]
    fn a_lone_tab_line_is_text() {
        assert!(!has_table("联系人\t张老师"));
        assert_eq!(
            blocks("联系人\t张老师"),
            [Block::Text("联系人　　张老师".into())]
        );
        assert!(problems("联系人\t张老师").is_empty());
    }

    #[test]
    fn numeric_columns_are_recognised() {
        let Block::Table(t) = &blocks("户主\t金额\t比例\n张三\t1,200.50\t35%\n李四\t\t￥800")[0]
        else {
            panic!()
        };
        assert!(!t.is_numeric(0));
        assert!(t.is_numeric(1));
        assert!(t.is_numeric(2));
    }
}
