//! PNG files in and out (frames, reference images).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use super::{Pixels, RenderError};

/// Writes RGBA8 sRGB pixels as a PNG, through a temporary file so a reader never sees half a file.
pub fn write_png(path: &Path, pixels: &Pixels) -> Result<(), RenderError> {
    let err =
        |e: &dyn std::fmt::Display| RenderError::Png(path.display().to_string(), e.to_string());
    let tmp = path.with_extension("png.tmp");
    {
        let file = File::create(&tmp).map_err(|e| err(&e))?;
        encode(BufWriter::new(file), pixels).map_err(|e| err(&e))?;
    }
    std::fs::rename(&tmp, path).map_err(|e| err(&e))
}

/// The PNG file's bytes (previews served over HTTP).
pub fn png_bytes(pixels: &Pixels) -> Result<Vec<u8>, RenderError> {
    let mut out = Vec::new();
    encode(&mut out, pixels).map_err(|e| RenderError::Png("(in memory)".into(), e.to_string()))?;
    Ok(out)
}

fn encode(out: impl Write, pixels: &Pixels) -> Result<(), png::EncodingError> {
    let mut encoder = png::Encoder::new(out, pixels.width, pixels.height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_source_srgb(png::SrgbRenderingIntent::Perceptual);
    // Frames are flat colour and text: the fast encoder is several times quicker than the
    // default and the files are barely larger.
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&pixels.rgba)?;
    writer.finish()
}

/// Reads an 8-bit RGBA or RGB PNG.
pub fn read_png(path: &Path) -> Result<Pixels, ReadPngError> {
    let file = File::open(path).map_err(|e| ReadPngError::Io(path.to_path_buf(), e))?;
    let mut decoder = png::Decoder::new(std::io::BufReader::new(file));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder
        .read_info()
        .map_err(|e| ReadPngError::Decode(path.to_path_buf(), e))?;
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| ReadPngError::TooLarge(path.to_path_buf()))?;
    let mut buf = vec![0; size];
    let info = reader
        .next_frame(&mut buf)
        .map_err(|e| ReadPngError::Decode(path.to_path_buf(), e))?;
    buf.truncate(info.buffer_size());
    let rgba = match info.color_type {
        png::ColorType::Rgba => buf,
        png::ColorType::Rgb => buf
            .chunks(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect(),
        other => {
            return Err(ReadPngError::ColourType(path.to_path_buf(), other));
        }
    };
    Ok(Pixels {
        width: info.width,
        height: info.height,
        rgba,
    })
}

/// Why a PNG could not be read back, naming the file.
#[derive(Debug, thiserror::Error)]
pub enum ReadPngError {
    #[error("{}: {}", .0.display(), .1)]
    Io(std::path::PathBuf, std::io::Error),
    #[error("{}: {}", .0.display(), .1)]
    Decode(std::path::PathBuf, png::DecodingError),
    #[error("{}: image too large", .0.display())]
    TooLarge(std::path::PathBuf),
    #[error("{}: unsupported PNG colour type {:?}", .0.display(), .1)]
    ColourType(std::path::PathBuf, png::ColorType),
}
