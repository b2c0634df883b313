//! A zip package (.docx, .xlsx, .ofd) read part by part, every read capped: what a part's header
//! declares is not trusted, the bytes actually inflated are counted (`take`), so a zip bomb ends
//! in `Limit::Unpacked`, not in memory exhaustion. XML parts are parsed with DTDs refused and a
//! node limit; the readers walk the tree without recursion, so deep nesting is harmless.

use std::io::{Cursor, Read};

use zip::ZipArchive;
use zip::result::ZipError;

use super::error::{Defect, Format, ImportError, Limit};

pub(crate) struct Package<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
    format: Format,
    /// Bytes that may still be inflated, over all parts.
    budget: u64,
    max: u64,
}

/// The most XML nodes in one part: a 100-page Word document has about half a million.
const NODES_LIMIT: u32 = 4_000_000;

impl<'a> Package<'a> {
    pub(crate) fn open(bytes: &'a [u8], format: Format, max: u64) -> Result<Self, ImportError> {
        let archive = ZipArchive::new(Cursor::new(bytes)).map_err(|e| match e {
            ZipError::InvalidArchive(_) | ZipError::Io(_) => ImportError::Damaged {
                format,
                defect: Defect::NotZip,
            },
            other => ImportError::damaged(format, other),
        })?;
        Ok(Package {
            archive,
            format,
            budget: max,
            max,
        })
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        self.archive
            .index_for_name(name.trim_start_matches('/'))
            .is_some()
    }

    /// The part's bytes, or `None` where the package has no such part.
    pub(crate) fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, ImportError> {
        let format = self.format;
        let Some(index) = self.archive.index_for_name(name.trim_start_matches('/')) else {
            return Ok(None);
        };
        let entry = self.archive.by_index(index).map_err(|e| match e {
            ZipError::UnsupportedArchive(what) if what.contains("assword") => {
                ImportError::Encrypted { format }
            }
            other => ImportError::damaged(format, other),
        })?;
        let over = ImportError::TooLarge(Limit::Unpacked { max: self.max });
        if entry.size() > self.budget {
            return Err(over);
        }
        let mut bytes = Vec::new();
        entry
            .take(self.budget + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| ImportError::damaged(format, format!("{name}: {e}")))?;
        let used = bytes.len() as u64;
        if used > self.budget {
            return Err(over);
        }
        self.budget -= used;
        Ok(Some(bytes))
    }

    /// A part's text: UTF-8 (its BOM dropped), else GB18030, which some OFD writers use.
    pub(crate) fn read_text(&mut self, name: &str) -> Result<Option<String>, ImportError> {
        let format = self.format;
        let Some(bytes) = self.read(name)? else {
            return Ok(None);
        };
        decode(bytes).map(Some).ok_or_else(|| ImportError::Damaged {
            format,
            defect: Defect::BadText(name.into()),
        })
    }

    pub(crate) fn read_text_required(&mut self, name: &str) -> Result<String, ImportError> {
        let format = self.format;
        self.read_text(name)?.ok_or_else(|| ImportError::Damaged {
            format,
            defect: Defect::MissingPart(name.trim_start_matches('/').to_string()),
        })
    }

    /// Inflates every part once, counting: a package within the limit is then safe to hand to a
    /// reader (calamine) that reads parts without a cap of its own.
    pub(crate) fn check_unpacked_size(&mut self) -> Result<(), ImportError> {
        let format = self.format;
        let mut left = self.max;
        for index in 0..self.archive.len() {
            let entry = self.archive.by_index(index).map_err(|e| match e {
                ZipError::UnsupportedArchive(what) if what.contains("assword") => {
                    ImportError::Encrypted { format }
                }
                other => ImportError::damaged(format, other),
            })?;
            let read = std::io::copy(&mut entry.take(left + 1), &mut std::io::sink())
                .map_err(|e| ImportError::damaged(format, e))?;
            if read > left {
                return Err(ImportError::TooLarge(Limit::Unpacked { max: self.max }));
            }
            left -= read;
        }
        Ok(())
    }
}

pub(crate) fn decode(bytes: Vec<u8>) -> Option<String> {
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    match String::from_utf8(bytes) {
        Ok(text) => Some(text),
        Err(e) => {
            let (text, _, bad) = encoding_rs::GB18030.decode(e.as_bytes());
            (!bad).then(|| text.into_owned())
        }
    }
}

/// Parses a part's XML: no DTD (no entity expansion), at most `NODES_LIMIT` nodes.
pub(crate) fn parse_xml<'t>(
    text: &'t str,
    part: &str,
    format: Format,
) -> Result<roxmltree::Document<'t>, ImportError> {
    if crate::model::xml::too_deep(text.as_bytes(), MAX_DEPTH) {
        return Err(ImportError::Damaged {
            format,
            defect: Defect::TooDeep {
                part: part.to_string(),
                max: MAX_DEPTH,
            },
        });
    }
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        nodes_limit: NODES_LIMIT,
    };
    roxmltree::Document::parse_with_options(text, options).map_err(|e| ImportError::Damaged {
        format,
        defect: Defect::BadXml {
            part: part.to_string(),
            detail: e.to_string(),
        },
    })
}

/// The deepest element nesting a part may have. roxmltree's tokenizer recurses once per level,
/// so a part nested a hundred thousand deep would overflow the stack (an abort, not a panic);
/// Word's deepest real nesting (tables in tables, drawings in cells) stays under a hundred.
const MAX_DEPTH: usize = 256;

/// A part's path from a reference relative to `base` (a folder, `""` for the root): `..` and
/// `.` resolved, a leading `/` meaning the package root.
pub(crate) fn join(base: &str, reference: &str) -> String {
    let reference = reference.replace('\\', "/");
    let mut parts: Vec<&str> = if reference.starts_with('/') {
        Vec::new()
    } else {
        base.split('/').filter(|p| !p.is_empty()).collect()
    };
    for piece in reference.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// The folder of a part's path.
pub(crate) fn folder(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_resolve_against_their_folder() {
        assert_eq!(join("word", "media/image1.png"), "word/media/image1.png");
        assert_eq!(join("word", "/word/media/a.png"), "word/media/a.png");
        assert_eq!(
            join("Doc_0/Pages/Page_0", "../../Res/a.jpg"),
            "Doc_0/Res/a.jpg"
        );
        assert_eq!(join("", "../../etc/passwd"), "etc/passwd");
        assert_eq!(folder("Doc_0/Document.xml"), "Doc_0");
    }

    #[test]
    fn gbk_text_decodes_when_it_is_not_utf8() {
        let (gbk, _, _) = encoding_rs::GBK.encode("公告");
        assert_eq!(decode(gbk.into_owned()).as_deref(), Some("公告"));
        assert_eq!(decode(b"\xEF\xBB\xBFabc".to_vec()).as_deref(), Some("abc"));
    }
}
