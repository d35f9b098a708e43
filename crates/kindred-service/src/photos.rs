//! service::photos — a member's profile photo. The upload is decoded
//! (within size limits), shrunk to at most 512 × 512 pixels and encoded anew
//! as JPEG: nothing of the original file survives, so neither does its
//! metadata (camera, place, time). The result is sealed like a health field
//! and shown only to those the member's choice for the `photo` field allows
//! (`members::member_photo`).

use crate::crypto::CryptoError;
use crate::profiles::{field, ProfileError};
use crate::sessions::Caller;
use crate::{Association, Kindred};
use image::{DynamicImage, ImageReader, Limits};
use kindred_domain::profile::FieldValue;
use kindred_domain::Visibility;
use std::io::Cursor;
use std::sync::OnceLock;
use tokio::sync::Semaphore;

/// What the sealed image is bound to.
pub(crate) const PHOTO_FIELD: &str = "photo-image";
/// Largest upload, in bytes.
pub const MAX_UPLOAD: usize = 8 * 1024 * 1024;
/// Longest side of a stored photo, in pixels.
pub const MAX_SIDE: u32 = 512;
/// Longest side of an upload, in pixels.
const MAX_DECODED_SIDE: u32 = 10_000;
/// Most pixels an upload may have: 40 megapixels (7,746 × 5,164 at 3:2) —
/// every ordinary phone and most cameras, not the 48–200 MP full-resolution
/// modes of some phones, whose owners are asked to send a smaller copy.
/// Checked in the file's header, before anything is decoded: a file of a
/// few hundred bytes can declare 10,000 × 10,000 pixels (400 MB decoded).
pub const MAX_PIXELS: u64 = 40_000_000;
/// What the decoder may allocate for one image: 40 MP at four bytes each,
/// and room for the decoder's own buffers. 16-bit images of that size go
/// beyond it and are refused like too many pixels.
const MAX_DECODE_BYTES: u64 = 192 * 1024 * 1024;
/// Decodes running at once, across the process: with [`MAX_DECODE_BYTES`]
/// each, uploads can never take more than about 400 MB together, however
/// many arrive at once; the others wait their turn.
const CONCURRENT_DECODES: usize = 2;

#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    #[error("the association has no photo field")]
    NoPhotoField,
    #[error("the file is larger than 8 MB")]
    TooLarge,
    #[error("the file is not a JPEG, PNG or WebP image, or it is damaged")]
    NotAnImage,
    #[error("the image has {width} × {height} pixels; at most 40 megapixels are accepted")]
    TooManyPixels { width: u32, height: u32 },
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Profile(#[from] ProfileError),
    #[error(transparent)]
    Store(#[from] kindred_store::StoreError),
}

/// A reader of an upload, its format guessed from the bytes. The header
/// is read for the dimensions first, without limits (some decoders refuse
/// a header whose image would not fit them, and we want to say why), then
/// the image is decoded by a second reader with the decoder's limits set.
fn reader(bytes: &[u8], limits: Limits) -> Result<ImageReader<Cursor<&[u8]>>, PhotoError> {
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|_| PhotoError::NotAnImage)?;
    reader.limits(limits);
    Ok(reader)
}

/// What the decoder may take for one image.
fn decode_limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DECODED_SIDE);
    limits.max_image_height = Some(MAX_DECODED_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    limits
}

/// The permits for [`CONCURRENT_DECODES`].
pub(crate) fn decodes() -> &'static Semaphore {
    static DECODES: OnceLock<Semaphore> = OnceLock::new();
    DECODES.get_or_init(|| Semaphore::new(CONCURRENT_DECODES))
}

/// Decodes an upload and encodes it anew as a JPEG of at most 512 × 512.
pub fn normalise_photo(bytes: &[u8]) -> Result<Vec<u8>, PhotoError> {
    normalise_image(bytes, MAX_SIDE)
}

/// Decodes an image upload (within the same limits) and encodes it anew as
/// a JPEG whose longer side is at most `max_side`: nothing of the file,
/// metadata included, survives. For photos and message attachments.
pub fn normalise_image(bytes: &[u8], max_side: u32) -> Result<Vec<u8>, PhotoError> {
    if bytes.len() > MAX_UPLOAD {
        return Err(PhotoError::TooLarge);
    }
    let (width, height) = reader(bytes, Limits::no_limits())?.into_dimensions().map_err(|_| PhotoError::NotAnImage)?;
    if width > MAX_DECODED_SIDE || height > MAX_DECODED_SIDE || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(PhotoError::TooManyPixels { width, height });
    }
    let decoded = reader(bytes, decode_limits())?.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => PhotoError::TooManyPixels { width, height },
        _ => PhotoError::NotAnImage,
    })?;
    let shrunk: DynamicImage = if decoded.width() > max_side || decoded.height() > max_side {
        decoded.thumbnail(max_side, max_side)
    } else {
        decoded
    };
    let rgb = DynamicImage::ImageRgb8(shrunk.to_rgb8());
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85);
    rgb.write_with_encoder(encoder).map_err(|_| PhotoError::NotAnImage)?;
    Ok(out)
}

impl Kindred {
    /// Stores a new photo for the caller. The `photo` field keeps its
    /// visibility (the association's default for a first photo).
    pub async fn set_photo(
        &self,
        association: &Association,
        caller: &Caller,
        upload: Vec<u8>,
    ) -> Result<(), PhotoError> {
        let spec = field(association, "photo").ok_or(PhotoError::NoPhotoField)?.clone();
        let jpeg = {
            let _permit = decodes().acquire().await.map_err(|_| PhotoError::NotAnImage)?;
            tokio::task::spawn_blocking(move || normalise_photo(&upload))
                .await
                .map_err(|_| PhotoError::NotAnImage)??
        };
        let member = &caller.member.id;
        let key = self.keys.association(&association.id)?;
        let sealed = key.seal(member, PHOTO_FIELD, &jpeg)?;
        let now = self.clock.now();
        self.store.put_photo(&association.id, member, &sealed, "image/jpeg", now).await?;
        let visibility = self
            .store
            .profile_values(&association.id, member)
            .await?
            .into_iter()
            .find(|r| r.field == "photo")
            .and_then(|r| Visibility::parse(&r.visibility))
            .unwrap_or(spec.default_visibility);
        // The field's value is a version, so that a new photo gets a new address.
        let version = FieldValue::Text(now.timestamp_micros().to_string());
        let entry = crate::profiles::ProfileEntry { field: spec.code.clone(), value: version, visibility };
        self.store_profile(association, member, &[entry]).await?;
        Ok(())
    }

    /// Removes the caller's photo; false when there was none.
    pub async fn remove_photo(&self, association: &Association, caller: &Caller) -> Result<bool, PhotoError> {
        let member = &caller.member.id;
        let removed = self.store.delete_photo(&association.id, member).await?;
        self.store.clear_profile_values(&association.id, member, &["photo"]).await?;
        Ok(removed)
    }

    /// The caller's own photo.
    pub async fn own_photo(&self, association: &Association, caller: &Caller) -> Result<Option<Vec<u8>>, PhotoError> {
        let member = &caller.member.id;
        let Some(photo) = self.store.photo(&association.id, member).await? else { return Ok(None) };
        let key = self.keys.association(&association.id)?;
        Ok(Some(key.open(member, PHOTO_FIELD, &photo.sealed_image)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_with_text_chunk(width: u32, height: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
        let mut png = Vec::new();
        DynamicImage::ImageRgb8(img)
            .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap_or_else(|e| panic!("{e}"));
        // Insert a tEXt chunk after IHDR (8-byte signature + 25-byte IHDR chunk).
        let text = b"Comment\0GPS 54.3233 10.1228 Kiel";
        let mut chunk = Vec::new();
        chunk.extend_from_slice(&(text.len() as u32).to_be_bytes());
        chunk.extend_from_slice(b"tEXt");
        chunk.extend_from_slice(text);
        chunk.extend_from_slice(&[0, 0, 0, 0]); // a wrong CRC: decoders skip ancillary chunks
        let mut out = png[..33].to_vec();
        out.extend_from_slice(&chunk);
        out.extend_from_slice(&png[33..]);
        out
    }

    #[test]
    fn photos_are_shrunk_and_lose_their_metadata() {
        let upload = png_with_text_chunk(1200, 800);
        let jpeg = normalise_photo(&upload).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(&jpeg[..2], &[0xFF, 0xD8], "a JPEG");
        let again = image::load_from_memory(&jpeg).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((again.width(), again.height()), (512, 341));
        assert!(!jpeg.windows(3).any(|w| w == b"GPS"));
    }

    /// A PNG that is only a signature and a header declaring `width` ×
    /// `height` RGBA pixels (with a correct checksum), and an empty end.
    fn png_header(width: u32, height: u32) -> Vec<u8> {
        fn crc(bytes: &[u8]) -> u32 {
            let mut crc = 0xFFFF_FFFFu32;
            for byte in bytes {
                crc ^= u32::from(*byte);
                for _ in 0..8 {
                    crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
                }
            }
            !crc
        }
        let mut ihdr = b"IHDR".to_vec();
        ihdr.extend_from_slice(&width.to_be_bytes());
        ihdr.extend_from_slice(&height.to_be_bytes());
        ihdr.extend_from_slice(&[8, 6, 0, 0, 0]);
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend_from_slice(&13u32.to_be_bytes());
        png.extend_from_slice(&ihdr);
        png.extend_from_slice(&crc(&ihdr).to_be_bytes());
        // An empty IDAT: decoders read the header up to the first one.
        png.extend_from_slice(&0u32.to_be_bytes());
        png.extend_from_slice(b"IDAT");
        png.extend_from_slice(&crc(b"IDAT").to_be_bytes());
        png.extend_from_slice(&0u32.to_be_bytes());
        png.extend_from_slice(b"IEND");
        png.extend_from_slice(&crc(b"IEND").to_be_bytes());
        png
    }

    #[test]
    fn a_decompression_bomb_is_refused_from_its_header() {
        let bomb = png_header(10_000, 10_000);
        assert!(bomb.len() < 100);
        let (width, height) = reader(&bomb, Limits::no_limits())
            .and_then(|r| r.into_dimensions().map_err(|_| PhotoError::NotAnImage))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((width, height), (10_000, 10_000), "the header reads");
        assert!(matches!(normalise_photo(&bomb), Err(PhotoError::TooManyPixels { width: 10_000, height: 10_000 })));
        assert!(matches!(normalise_photo(&png_header(8_000, 5_001)), Err(PhotoError::TooManyPixels { .. })));
        assert!(matches!(normalise_photo(&png_header(20_000, 10)), Err(PhotoError::TooManyPixels { .. })));
        // Within the limits, a header without pixel data is just a damaged file.
        assert!(matches!(normalise_photo(&png_header(800, 600)), Err(PhotoError::NotAnImage)));
    }

    #[test]
    fn anything_else_is_refused() {
        assert!(matches!(normalise_photo(b"<svg onload=alert(1)>"), Err(PhotoError::NotAnImage)));
        assert!(matches!(normalise_photo(&[]), Err(PhotoError::NotAnImage)));
        assert!(matches!(normalise_photo(&vec![0u8; MAX_UPLOAD + 1]), Err(PhotoError::TooLarge)));
    }
}
