//! Files for the import tests, built in the test: a .docx and an .ofd as their writers lay them
//! out (zip parts with handmade XML), a small PNG, and a PDF written object by object with its
//! cross-reference table.

#![allow(dead_code)]

use std::io::Write;

use zip::write::SimpleFileOptions;

/// A zip package of `(name, bytes)` parts, deflated as Word and OFD writers do.
pub fn zip(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        out.start_file(*name, options).unwrap();
        out.write_all(bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// A `width`×`height` PNG of one colour.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().unwrap();
    writer
        .write_image_data(&vec![200; (width * height * 3) as usize])
        .unwrap();
    writer.finish().unwrap();
    out
}

const W_NS: &str = concat!(
    r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" "#,
    r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" "#,
    r#"xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" "#,
    r#"xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" "#,
    r#"xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" "#,
    r#"xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" "#,
    r#"xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape""#,
);

/// A paragraph as Word writes one: properties, then runs (`<w:r>` bodies given whole).
pub fn para(ppr: &str, runs: &[&str]) -> String {
    let runs: String = runs.iter().map(|r| format!("<w:r>{r}</w:r>")).collect();
    format!("<w:p><w:pPr>{ppr}</w:pPr>{runs}</w:p>")
}

pub fn text(t: &str) -> String {
    format!(r#"<w:t xml:space="preserve">{t}</w:t>"#)
}

/// A run of a centred paragraph in 小标宋 2号 (22 pt).
pub fn big(t: &str) -> String {
    format!(r#"<w:rPr><w:sz w:val="44"/></w:rPr>{}"#, text(t))
}

/// An inline picture, with its alternative text, as Word 2016 writes it.
pub fn drawing(rel: &str, alt: &str) -> String {
    format!(
        concat!(
            r#"<w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">"#,
            r#"<wp:extent cx="1270000" cy="952500"/>"#,
            r#"<wp:docPr id="1" name="图片 1" descr="{alt}"/><a:graphic>"#,
            r#"<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">"#,
            r#"<pic:pic><pic:nvPicPr><pic:cNvPr id="1" name="image1.png"/><pic:cNvPicPr/>"#,
            r#"</pic:nvPicPr><pic:blipFill><a:blip r:embed="{rel}"/><a:stretch><a:fillRect/>"#,
            r#"</a:stretch></pic:blipFill><pic:spPr/></pic:pic></a:graphicData></a:graphic>"#,
            r#"</wp:inline></w:drawing>"#,
        ),
        alt = alt,
        rel = rel
    )
}

/// A table cell with its properties and paragraphs.
pub fn cell(tcpr: &str, paras: &[&str]) -> String {
    let ps: String = paras.iter().map(|t| para("", &[&text(t)])).collect();
    format!("<w:tc><w:tcPr>{tcpr}</w:tcPr>{ps}</w:tc>")
}

pub fn row(cells: &[String]) -> String {
    format!("<w:tr>{}</w:tr>", cells.concat())
}

/// Where Office's relationship types live.
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// A .docx of `body` (the children of `w:body`), with a Title style `a3` and the given media.
pub fn docx(body: &str, media: &[(&str, &str, Vec<u8>)]) -> Vec<u8> {
    let document = format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document {W_NS} mc:Ignorable="w14 wp14">"#,
            r#"<w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body>"#,
            r#"</w:document>"#,
        ),
        W_NS = W_NS,
        body = body
    );
    let styles = concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
        r#"<w:style w:type="paragraph" w:default="1" w:styleId="a">"#,
        r#"<w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="1">"#,
        r#"<w:name w:val="heading 1"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr>"#,
        r#"<w:b/><w:sz w:val="32"/></w:rPr></w:style>"#,
        r#"<w:style w:type="paragraph" w:styleId="a3"><w:name w:val="Title"/><w:pPr>"#,
        r#"<w:jc w:val="center"/></w:pPr><w:rPr><w:b/><w:sz w:val="44"/></w:rPr>"#,
        r#"</w:style></w:styles>"#,
    );
    let rels: String = media
        .iter()
        .map(|(id, name, _)| {
            format!(r#"<Relationship Id="{id}" Type="{REL}/image" Target="media/{name}"/>"#)
        })
        .collect();
    let rels = format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
            r#"<Relationship Id="rId1" "#,
            r#"Type="{REL}/styles" "#,
            r#"Target="styles.xml"/>"#,
            r#"<Relationship Id="rId9" "#,
            r#"Type="{REL}/hyperlink" "#,
            r#"Target="https://example.gov.cn/" TargetMode="External"/>{rels}</Relationships>"#,
        ),
        REL = REL,
        rels = rels
    );
    let types = concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
        r#"<Default Extension="png" ContentType="image/png"/>"#,
        r#"<Default Extension="rels" "#,
        r#"ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
        r#"<Default Extension="xml" ContentType="application/xml"/>"#,
        r#"<Override PartName="/word/document.xml" "#,
        r#"ContentType="application/vnd.openxmlformats-officedocument."#,
        r#"wordprocessingml.document.main+xml"/>"#,
        r#"</Types>"#,
    );
    let root_rels = concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
        r#"<Relationship Id="rId1" "#,
        r#"Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/"#,
        r#"officeDocument" "#,
        r#"Target="word/document.xml"/>"#,
        r#"</Relationships>"#,
    );
    let media_paths: Vec<(String, &[u8])> = media
        .iter()
        .map(|(_, name, bytes)| (format!("word/media/{name}"), bytes.as_slice()))
        .collect();
    let mut parts: Vec<(&str, &[u8])> = vec![
        ("[Content_Types].xml", types.as_bytes()),
        ("_rels/.rels", root_rels.as_bytes()),
        ("word/document.xml", document.as_bytes()),
        ("word/styles.xml", styles.as_bytes()),
        ("word/_rels/document.xml.rels", rels.as_bytes()),
    ];
    parts.extend(media_paths.iter().map(|(n, b)| (n.as_str(), *b)));
    zip(&parts)
}

/// One text object of an OFD page: `text` at (`x`, `y`) mm, `size` mm, characters `size` apart.
pub fn ofd_text(id: u32, x: f32, y: f32, size: f32, text: &str) -> String {
    let n = text.chars().count();
    let width = n as f32 * size;
    let delta = if n > 1 {
        format!(r#" DeltaX="g {} {size}""#, n - 1)
    } else {
        String::new()
    };
    format!(
        concat!(
            r#"<ofd:TextObject ID="{id}" Boundary="{x} {} {width} {size}" Font="3" Size="{size}">"#,
            r#"<ofd:TextCode X="0" Y="{size}"{delta}>{text}</ofd:TextCode></ofd:TextObject>"#,
        ),
        y - size,
        id = id,
        x = x,
        width = width,
        size = size,
        delta = delta,
        text = text,
    )
}

/// An OFD package: one document, the given pages (their layers' objects), and `image_1.png`
/// as resource 9 in `DocumentRes.xml`.
pub fn ofd(pages: &[String], image: &[u8]) -> Vec<u8> {
    let ns = r#"xmlns:ofd="http://www.ofdspec.org/2016""#;
    let root = format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
            r#"<ofd:OFD {ns} Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo>"#,
            r#"<ofd:DocID>a1</ofd:DocID></ofd:DocInfo>"#,
            r#"<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>"#,
        ),
        ns = ns
    );
    let page_list: String = (0..pages.len())
        .map(|i| {
            format!(
                r#"<ofd:Page ID="{}" BaseLoc="Pages/Page_{i}/Content.xml"/>"#,
                i + 10
            )
        })
        .collect();
    let document = format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?><ofd:Document {ns}><ofd:CommonData>"#,
            r#"<ofd:MaxUnitID>99</ofd:MaxUnitID><ofd:PageArea>"#,
            r#"<ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>"#,
            r#"<ofd:PublicRes>PublicRes.xml</ofd:PublicRes>"#,
            r#"<ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes></ofd:CommonData>"#,
            r#"<ofd:Pages>{page_list}</ofd:Pages></ofd:Document>"#,
        ),
        ns = ns,
        page_list = page_list
    );
    let public = format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?><ofd:Res {ns} BaseLoc="Res"><ofd:Fonts>"#,
            r#"<ofd:Font ID="3" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>"#,
        ),
        ns = ns
    );
    let doc_res = format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?><ofd:Res {ns} BaseLoc="Res">"#,
            r#"<ofd:MultiMedias><ofd:MultiMedia ID="9" Type="Image" Format="PNG">"#,
            r#"<ofd:MediaFile>image_1.png</ofd:MediaFile></ofd:MultiMedia></ofd:MultiMedias>"#,
            r#"</ofd:Res>"#,
        ),
        ns = ns
    );
    let contents: Vec<(String, String)> = pages
        .iter()
        .enumerate()
        .map(|(i, objects)| {
            (
                format!("Doc_0/Pages/Page_{i}/Content.xml"),
                format!(
                    concat!(
                        r#"<?xml version="1.0" encoding="UTF-8"?><ofd:Page {ns}><ofd:Content>"#,
                        r#"<ofd:Layer ID="{}">{objects}</ofd:Layer></ofd:Content></ofd:Page>"#,
                    ),
                    i + 50,
                    ns = ns,
                    objects = objects,
                ),
            )
        })
        .collect();
    let mut parts: Vec<(&str, &[u8])> = vec![
        ("OFD.xml", root.as_bytes()),
        ("Doc_0/Document.xml", document.as_bytes()),
        ("Doc_0/PublicRes.xml", public.as_bytes()),
        ("Doc_0/DocumentRes.xml", doc_res.as_bytes()),
        ("Doc_0/Res/image_1.png", image),
    ];
    parts.extend(contents.iter().map(|(n, c)| (n.as_str(), c.as_bytes())));
    zip(&parts)
}

/// A PDF of `objects` (object 1 the catalog, numbered from 1), with its xref table and
/// `trailer_extra` in the trailer.
pub fn pdf(objects: &[Vec<u8>], trailer_extra: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R {trailer_extra} >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A stream object.
pub fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut out = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    out.extend_from_slice(data);
    out.extend_from_slice(b"\nendstream");
    out
}

/// Text as a UCS-2 hex string, for a font encoded with `UniGB-UCS2-H`.
pub fn ucs2(text: &str) -> String {
    let hex: String = text.encode_utf16().map(|u| format!("{u:04X}")).collect();
    format!("<{hex}>")
}

/// A font from the repository's fonts/.
pub fn font_file(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fonts")
            .join(name),
    )
    .unwrap()
}

/// A one-page 公文 PDF repeated `pages` times (issue 27's tests and `cargo bench --bench import`):
/// its title and 落款 in SimSun, not embedded, a line in an embedded TrueType font, one in a
/// standard font. Object 3 is the first page; `pages` pages share its content.
pub fn gongwen_pdf(pages: usize) -> Vec<u8> {
    gongwen_pdf_saying(pages, "各位居民：")
}

/// [`gongwen_pdf`] with `line` in place of its 主送机关 line.
pub fn gongwen_pdf_saying(pages: usize, line: &str) -> Vec<u8> {
    let content = format!(
        "BT /F2 22 Tf 220.5 760 Td {} Tj ET\n\
         BT /F2 16 Tf 90 700 Td {} Tj ET\n\
         BT /F3 16 Tf 122 672 Td (Water supply stops on 1 December.) Tj ET\n\
         BT /F1 16 Tf 90 644 Td (Standard font text.) Tj ET\n\
         BT /F2 16 Tf 380 560 Td {} Tj ET\n\
         BT /F2 16 Tf 380 532 Td {} Tj ET\n",
        ucs2("关于停水的通知"),
        ucs2(line),
        ucs2("某某水务公司"),
        ucs2("2026年12月1日"),
    );
    let ttf = font_file("WenQuanYiBitmapSong-16px.ttf");
    let kids: String = (0..pages)
        .map(|i| format!("{} 0 R ", if i == 0 { 3 } else { 11 + i }))
        .collect();
    let page = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R \
                /Resources << /Font << /F1 5 0 R /F2 6 0 R /F3 8 0 R >> >> >>";
    let widths = vec!["600"; 95].join(" ");
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!("<< /Type /Pages /Kids [{kids}] /Count {pages} >>").into_bytes(),
        page.as_bytes().to_vec(),
        stream("", content.as_bytes()),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /UniGB-UCS2-H \
           /DescendantFonts [7 0 R] >>"
            .to_vec(),
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /DW 1000 \
           /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 5 >> \
           /FontDescriptor 9 0 R >>"
            .to_vec(),
        format!(
            "<< /Type /Font /Subtype /TrueType /BaseFont /WenQuanYiBitmapSong /FirstChar 32 \
             /LastChar 126 /Widths [{widths}] /Encoding /WinAnsiEncoding /FontDescriptor 10 0 R >>"
        )
        .into_bytes(),
        b"<< /Type /FontDescriptor /FontName /SimSun /Flags 6 /FontBBox [0 -141 1000 859] \
           /ItalicAngle 0 /Ascent 859 /Descent -141 /CapHeight 700 /StemV 80 >>"
            .to_vec(),
        b"<< /Type /FontDescriptor /FontName /WenQuanYiBitmapSong /Flags 32 \
           /FontBBox [0 -200 1000 800] /ItalicAngle 0 /Ascent 800 /Descent -200 \
           /CapHeight 700 /StemV 80 /FontFile2 11 0 R >>"
            .to_vec(),
        stream(&format!("/Length1 {}", ttf.len()), &ttf),
    ];
    for _ in 1..pages {
        objects.push(page.as_bytes().to_vec());
    }
    pdf(&objects, "")
}
