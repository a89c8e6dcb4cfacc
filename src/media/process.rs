//! Turning an upload into what the site serves: proof that it is a JPEG,
//! PNG or WebP image (it must decode), the picture turned upright by its
//! EXIF orientation, a clean original (re-encoded from pixels, so no EXIF,
//! GPS position or other metadata survives) and resized variants in WebP
//! and JPEG for `srcset`.

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use std::io::Cursor;

/// The widths pages ask for; an image narrower than one gets its own width
/// as its largest variant instead.
pub const VARIANT_WIDTHS: [u32; 3] = [480, 960, 1600];
/// Enough for any camera; a bound on what a hostile file can make us allocate.
const MAX_SIDE: u32 = 12_000;
const MAX_ALLOC: u64 = 256 * 1024 * 1024;
const JPEG_QUALITY: u8 = 82;
const WEBP_QUALITY: f32 = 80.0;
const ORIGINAL_JPEG_QUALITY: u8 = 92;
const ORIGINAL_WEBP_QUALITY: f32 = 90.0;

/// Why an upload is not taken, said so the person can act on it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    #[error("Choose a JPEG, PNG or WebP image.")]
    NotAnImage,
    #[error("This {0} file is damaged or incomplete; try saving it again.")]
    Damaged(&'static str),
    #[error("The image is too large: at most {MAX_SIDE} pixels on a side.")]
    TooManyPixels,
    #[error("The image could not be prepared: {0}")]
    Encoding(String),
}

/// A file to store: its name in the image's folder, its media type, its bytes.
#[derive(Debug, Clone)]
pub struct File {
    pub name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// An upload made ready to store.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub width: u32,
    pub height: u32,
    /// The variant widths, smallest first.
    pub widths: Vec<u32>,
    /// The original's file name.
    pub original: String,
    pub files: Vec<File>,
}

fn format_name(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Jpeg => "JPEG",
        ImageFormat::Png => "PNG",
        _ => "WebP",
    }
}

/// The widths of the variants of an image `width` pixels wide.
pub fn variant_widths(width: u32) -> Vec<u32> {
    let mut widths: Vec<u32> = VARIANT_WIDTHS
        .iter()
        .copied()
        .filter(|w| *w < width)
        .collect();
    if widths.len() < VARIANT_WIDTHS.len() {
        widths.push(width);
    }
    widths
}

pub fn prepare(upload: &[u8]) -> Result<Prepared, ImageError> {
    let reader = ImageReader::new(Cursor::new(upload))
        .with_guessed_format()
        .map_err(|_| ImageError::NotAnImage)?;
    let format = match reader.format() {
        Some(f @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)) => f,
        _ => return Err(ImageError::NotAnImage),
    };
    if format == ImageFormat::Jpeg && !jpeg_is_complete(upload) {
        return Err(ImageError::Damaged("JPEG"));
    }
    let mut reader = reader;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| decode_error(&e, format))?;
    let orientation = decoder.orientation().ok();
    let mut picture = DynamicImage::from_decoder(decoder).map_err(|e| decode_error(&e, format))?;
    if let Some(orientation) = orientation {
        picture.apply_orientation(orientation);
    }
    let (width, height) = (picture.width(), picture.height());
    if width == 0 || height == 0 {
        return Err(ImageError::Damaged(format_name(format)));
    }

    let mut files = Vec::new();
    let original = match format {
        ImageFormat::Png => {
            let mut bytes = Vec::new();
            picture
                .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
                .map_err(|e| ImageError::Encoding(e.to_string()))?;
            File {
                name: "original.png".to_owned(),
                content_type: "image/png",
                bytes,
            }
        }
        ImageFormat::WebP => File {
            name: "original.webp".to_owned(),
            content_type: "image/webp",
            bytes: webp(&picture, ORIGINAL_WEBP_QUALITY),
        },
        _ => File {
            name: "original.jpg".to_owned(),
            content_type: "image/jpeg",
            bytes: jpeg(&picture, ORIGINAL_JPEG_QUALITY)?,
        },
    };
    let original_name = original.name.clone();
    files.push(original);
    let widths = variant_widths(width);
    // Largest first, each made from the one before: resizing a 12-megapixel
    // photo once instead of three times is most of the saving, and a
    // CatmullRom step of at most 2:1 keeps the detail.
    let mut variants = Vec::with_capacity(widths.len());
    let mut source = picture;
    for &w in widths.iter().rev() {
        if w != source.width() {
            source = source.resize(w, u32::MAX, FilterType::CatmullRom);
        }
        variants.push((
            File {
                name: format!("{w}.webp"),
                content_type: "image/webp",
                bytes: webp(&source, WEBP_QUALITY),
            },
            File {
                name: format!("{w}.jpg"),
                content_type: "image/jpeg",
                bytes: jpeg(&source, JPEG_QUALITY)?,
            },
        ));
    }
    for (webp, jpeg) in variants.into_iter().rev() {
        files.push(webp);
        files.push(jpeg);
    }
    Ok(Prepared {
        width,
        height,
        widths,
        original: original_name,
        files,
    })
}

/// JPEG decoders quietly fill in what a cut-off file lacks, so the end is
/// checked: a whole file ends its last scan with an end-of-image marker.
/// Scan data cannot hold one (a 0xFF byte in it is followed by 0x00 or a
/// restart marker), and a thumbnail's marker comes before the main scan.
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    bytes
        .windows(2)
        .rposition(|pair| pair == [0xFF, 0xDA])
        .is_some_and(|scan| bytes[scan..].windows(2).any(|pair| pair == [0xFF, 0xD9]))
}

fn decode_error(error: &image::ImageError, format: ImageFormat) -> ImageError {
    match error {
        image::ImageError::Limits(_) => ImageError::TooManyPixels,
        _ => ImageError::Damaged(format_name(format)),
    }
}

/// JPEG has no transparency: transparent parts become white, as they look
/// on the page.
fn flattened(picture: &DynamicImage) -> image::RgbImage {
    if !picture.color().has_alpha() {
        return picture.to_rgb8();
    }
    let rgba = picture.to_rgba8();
    image::RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over_white =
            |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
        image::Rgb([over_white(r), over_white(g), over_white(b)])
    })
}

fn jpeg(picture: &DynamicImage, quality: u8) -> Result<Vec<u8>, ImageError> {
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(&mut bytes, quality)
        .encode_image(&flattened(picture))
        .map_err(|e| ImageError::Encoding(e.to_string()))?;
    Ok(bytes)
}

fn webp(picture: &DynamicImage, quality: f32) -> Vec<u8> {
    let (width, height) = (picture.width(), picture.height());
    if picture.color().has_alpha() {
        let rgba = picture.to_rgba8();
        webp::Encoder::from_rgba(&rgba, width, height)
            .encode(quality)
            .to_vec()
    } else {
        let rgb = picture.to_rgb8();
        webp::Encoder::from_rgb(&rgb, width, height)
            .encode(quality)
            .to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::media::samples::{encoded, gradient, with_exif};

    #[test]
    fn every_accepted_format_gives_a_clean_original_and_variants() {
        let picture = gradient(1200, 800);
        for (format, original) in [
            (ImageFormat::Jpeg, "original.jpg"),
            (ImageFormat::Png, "original.png"),
            (ImageFormat::WebP, "original.webp"),
        ] {
            let prepared = prepare(&encoded(&picture, format)).expect("accepted");
            assert_eq!((prepared.width, prepared.height), (1200, 800));
            assert_eq!(prepared.widths, [480, 960, 1200]);
            assert_eq!(prepared.original, original);
            let names: Vec<&str> = prepared.files.iter().map(|f| f.name.as_str()).collect();
            assert_eq!(
                names,
                [
                    original,
                    "480.webp",
                    "480.jpg",
                    "960.webp",
                    "960.jpg",
                    "1200.webp",
                    "1200.jpg"
                ]
            );
            for file in &prepared.files {
                let back = image::load_from_memory(&file.bytes).expect("decodes");
                let expected_width = file
                    .name
                    .split('.')
                    .next()
                    .and_then(|w| w.parse().ok())
                    .unwrap_or(1200);
                assert_eq!(back.width(), expected_width, "{}", file.name);
                assert_eq!(
                    back.height(),
                    expected_width * 2 / 3,
                    "{}: proportions kept",
                    file.name
                );
            }
        }
    }

    #[test]
    fn metadata_is_stripped_and_the_picture_is_turned_upright() {
        let jpeg = encoded(&gradient(40, 20), ImageFormat::Jpeg);
        let upload = with_exif(&jpeg, 6, "GPS 51.5074 N SECRET");
        assert!(upload.windows(6).any(|w| w == b"SECRET"));
        let prepared = prepare(&upload).expect("accepted");
        assert_eq!(
            (prepared.width, prepared.height),
            (20, 40),
            "rotated a quarter turn"
        );
        for file in &prepared.files {
            assert!(
                !file.bytes.windows(6).any(|w| w == b"SECRET"),
                "{}",
                file.name
            );
            assert!(
                !file.bytes.windows(4).any(|w| w == b"Exif"),
                "{}",
                file.name
            );
        }
    }

    #[test]
    fn small_images_keep_their_size_and_transparency_becomes_white() {
        let clear = DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(
            300,
            200,
            image::Rgba([0, 0, 0, 0]),
        ));
        let prepared = prepare(&encoded(&clear, ImageFormat::Png)).expect("accepted");
        assert_eq!(prepared.widths, [300]);
        let jpeg = prepared
            .files
            .iter()
            .find(|f| f.name == "300.jpg")
            .expect("jpeg");
        let pixel = image::load_from_memory(&jpeg.bytes)
            .expect("decodes")
            .to_rgb8()
            .get_pixel(10, 10)
            .0;
        assert!(pixel.iter().all(|c| *c > 240), "{pixel:?}");
    }

    #[test]
    fn anything_else_is_refused_with_a_reason() {
        let jpeg = encoded(&gradient(64, 64), ImageFormat::Jpeg);
        let photo = encoded(&gradient(300, 200), ImageFormat::Jpeg);
        let png = encoded(&gradient(300, 200), ImageFormat::Png);
        let webp = encoded(&gradient(300, 200), ImageFormat::WebP);
        let gif = encoded_gif();
        let cases: [(&[u8], ImageError); 9] = [
            (b"", ImageError::NotAnImage),
            (b"just some text, named photo.jpg", ImageError::NotAnImage),
            (
                b"<svg xmlns='http://www.w3.org/2000/svg'></svg>",
                ImageError::NotAnImage,
            ),
            (&gif, ImageError::NotAnImage),
            (&jpeg[..jpeg.len() / 3], ImageError::Damaged("JPEG")),
            (&photo[..photo.len() / 2], ImageError::Damaged("JPEG")),
            (&png[..png.len() / 2], ImageError::Damaged("PNG")),
            (&webp[..webp.len() / 2], ImageError::Damaged("WebP")),
            (&huge_png_header(), ImageError::TooManyPixels),
        ];
        for (upload, expected) in cases {
            assert_eq!(
                prepare(upload).map(|_| ()),
                Err(expected.clone()),
                "{expected}"
            );
        }
    }

    fn encoded_gif() -> Vec<u8> {
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec()
    }

    /// A PNG that claims to be 50,000 pixels square: a decompression bomb
    /// is refused before anything is allocated.
    fn huge_png_header() -> Vec<u8> {
        let mut png = encoded(&gradient(8, 8), ImageFormat::Png);
        // IHDR's width and height follow the signature (8), length (4) and type (4).
        png[16..20].copy_from_slice(&50_000u32.to_be_bytes());
        png[20..24].copy_from_slice(&50_000u32.to_be_bytes());
        // The chunk's checksum covers its type and data.
        let crc = crc32(&png[12..29]);
        png[29..33].copy_from_slice(&crc.to_be_bytes());
        png
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &byte in bytes {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
}
