//! Spreadsheets: the first sheet with content of an .xlsx (calamine's streaming cell reader, every
//! position checked against the limits before it takes memory), or a .csv (UTF-8, or GBK/GB18030
//! as Chinese Excel saves it), as one table. A first row with a single non-empty cell above the
//! header is the title (a merged title row); otherwise the sheet's name, unless it is Excel's
//! default name.

use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx, XlsxError};

use super::error::{Format, ImportError, ImportWarning, Limit};
use super::gongwen::{Shaped, table_text};
use super::package::Package;
use super::{Limits, Read};

pub(crate) fn read_xlsx(bytes: &[u8], limits: &Limits) -> Result<Read, ImportError> {
    let format = Format::Spreadsheet;
    // calamine inflates parts without a cap of its own: the package is measured first.
    Package::open(bytes, format, limits.unpacked_bytes)?.check_unpacked_size()?;
    let mut book = Xlsx::new(Cursor::new(bytes)).map_err(|e| xlsx_error(format, e))?;
    let names = book.sheet_names();
    let mut chosen: Option<(String, Vec<Vec<String>>)> = None;
    let mut others = Vec::new();
    for name in names {
        if chosen.is_some() {
            // Only whether it holds anything, for the warning.
            let mut cells = book
                .worksheet_cells_reader(&name)
                .map_err(|e| xlsx_error(format, e))?;
            while let Some(cell) = cells.next_cell().map_err(|e| xlsx_error(format, e))? {
                if !cell_string(cell.get_value()).is_empty() {
                    others.push(name.clone());
                    break;
                }
            }
            continue;
        }
        let rows = read_sheet(&mut book, &name, limits)?;
        if !rows.is_empty() {
            chosen = Some((name, rows));
        }
    }
    let Some((name, rows)) = chosen else {
        return Err(ImportError::Empty { format });
    };
    let mut warnings = Vec::new();
    if !others.is_empty() {
        warnings.push(ImportWarning::OtherSheets {
            used: name.clone(),
            others,
        });
    }
    let default_name = is_default_sheet_name(&name);
    Ok(table_read(
        format,
        rows,
        (!default_name).then_some(name),
        warnings,
    ))
}

fn xlsx_error(format: Format, e: XlsxError) -> ImportError {
    match e {
        XlsxError::Password => ImportError::Encrypted { format },
        other => ImportError::damaged(format, other),
    }
}

/// Sheet1, 工作表1, Sheet: names nobody chose.
fn is_default_sheet_name(name: &str) -> bool {
    let stem = name.trim_end_matches(|c: char| c.is_ascii_digit()).trim();
    matches!(stem.to_lowercase().as_str(), "sheet" | "工作表")
}

/// The sheet's non-empty rows, each cut after its last non-empty cell.
fn read_sheet(
    book: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    limits: &Limits,
) -> Result<Vec<Vec<String>>, ImportError> {
    let format = Format::Spreadsheet;
    let mut cells = book
        .worksheet_cells_reader(name)
        .map_err(|e| xlsx_error(format, e))?;
    let mut grid: std::collections::BTreeMap<u32, Vec<String>> = Default::default();
    let mut chars = 0usize;
    while let Some(cell) = cells.next_cell().map_err(|e| xlsx_error(format, e))? {
        let text = cell_string(cell.get_value());
        if text.is_empty() {
            continue;
        }
        let (row, col) = cell.get_position();
        let (row_n, col_n) = (grid.len() + 1, col as usize + 1);
        if col_n > limits.columns || (row_n > limits.rows && !grid.contains_key(&row)) {
            return Err(ImportError::TooLarge(Limit::Table {
                rows: row_n.max(row as usize + 1),
                columns: col_n,
                max_rows: limits.rows,
                max_columns: limits.columns,
            }));
        }
        chars += text.chars().count();
        if chars > limits.text_chars {
            return Err(ImportError::TooLarge(Limit::Text {
                max: limits.text_chars,
            }));
        }
        let line = grid.entry(row).or_default();
        if line.len() <= col as usize {
            line.resize(col as usize + 1, String::new());
        }
        line[col as usize] = text;
    }
    // Columns empty in every row (the sheet starting at column C) are dropped from the left.
    let first = grid
        .values()
        .filter_map(|r| r.iter().position(|c| !c.is_empty()))
        .min()
        .unwrap_or(0);
    Ok(grid
        .into_values()
        .map(|r| r.into_iter().skip(first).collect())
        .collect())
}

/// A cell as Excel shows it in a General format: integers without `.0`, dates as dates.
fn cell_string(value: &DataRef) -> String {
    let text = match value {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => float_string(*f),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        DataRef::DateTime(d) => {
            if d.is_duration() {
                float_string(d.as_f64())
            } else {
                match d.as_datetime() {
                    Some(dt) if dt.time() == chrono::NaiveTime::MIN => {
                        dt.format("%Y-%m-%d").to_string()
                    }
                    Some(dt) if d.as_f64() < 1.0 => dt.format("%H:%M").to_string(),
                    Some(dt) => dt.format("%Y-%m-%d %H:%M").to_string(),
                    None => float_string(d.as_f64()),
                }
            }
        }
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    };
    super::text::cell_text(&text)
}

/// `3` not `3.0`, `0.3` not `0.30000000000000004`: at most ten decimals, trailing zeros cut.
fn float_string(f: f64) -> String {
    if !f.is_finite() {
        return String::new();
    }
    if f.fract() == 0.0 && f.abs() < 1e15 {
        return format!("{}", f as i64);
    }
    let text = format!("{f:.10}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A CSV: UTF-8 (its BOM dropped), else GB18030 (GBK's superset); commas, or tabs where the
/// first line has more tabs than commas.
pub(crate) fn read_csv(bytes: &[u8], limits: &Limits) -> Result<Read, ImportError> {
    let format = Format::Csv;
    let text = super::package::decode(bytes.to_vec())
        .ok_or_else(|| ImportError::damaged(format, "neither UTF-8 nor GB18030 text"))?;
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if first_line.matches('\t').count() > first_line.matches(',').count() {
        b'\t'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut chars = 0usize;
    for record in reader.records() {
        let record = record.map_err(|e| ImportError::damaged(format, e))?;
        let row: Vec<String> = record.iter().map(super::text::cell_text).collect();
        let width = row.iter().rposition(|c| !c.is_empty()).map_or(0, |i| i + 1);
        if width == 0 {
            continue;
        }
        if width > limits.columns || rows.len() >= limits.rows {
            return Err(ImportError::TooLarge(Limit::Table {
                rows: rows.len() + 1,
                columns: width,
                max_rows: limits.rows,
                max_columns: limits.columns,
            }));
        }
        chars += row.iter().map(|c| c.chars().count()).sum::<usize>();
        if chars > limits.text_chars {
            return Err(ImportError::TooLarge(Limit::Text {
                max: limits.text_chars,
            }));
        }
        rows.push(row.into_iter().take(width).collect());
    }
    if rows.is_empty() {
        return Err(ImportError::Empty { format });
    }
    Ok(table_read(format, rows, None, Vec::new()))
}

/// The table as a draft's body, its title row taken out.
fn table_read(
    format: Format,
    mut rows: Vec<Vec<String>>,
    sheet_name: Option<String>,
    warnings: Vec<ImportWarning>,
) -> Read {
    let filled = |r: &Vec<String>| r.iter().filter(|c| !c.is_empty()).count();
    let mut title = sheet_name;
    if rows.len() >= 2 && filled(&rows[0]) == 1 && filled(&rows[1]) >= 2 {
        let row = rows.remove(0);
        title = row.into_iter().find(|c| !c.is_empty());
    }
    let shaped = Shaped {
        title,
        body: table_text(&rows),
        ..Shaped::default()
    };
    Read {
        format,
        shaped,
        images: Vec::new(),
        warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_excel_shows_them() {
        assert_eq!(float_string(3.0), "3");
        assert_eq!(float_string(0.1 + 0.2), "0.3");
        assert_eq!(float_string(-1234.5), "-1234.5");
        assert_eq!(float_string(f64::NAN), "");
    }

    #[test]
    fn default_sheet_names_are_not_titles() {
        assert!(is_default_sheet_name("Sheet1"));
        assert!(is_default_sheet_name("工作表2"));
        assert!(!is_default_sheet_name("低保名单"));
    }
}
