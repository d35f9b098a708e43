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

/// What the sealed image is bound to.
pub(crate) const PHOTO_FIELD: &str = "photo-image";
/// Largest upload, in bytes.
pub const MAX_UPLOAD: usize = 8 * 1024 * 1024;
/// Longest side of a stored photo, in pixels.
pub const MAX_SIDE: u32 = 512;
const MAX_DECODED_SIDE: u32 = 10_000;

#[derive(Debug, thiserror::Error)]
pub enum PhotoError {
    #[error("the association has no photo field")]
    NoPhotoField,
    #[error("the file is larger than 8 MB")]
    TooLarge,
    #[error("the file is not a JPEG, PNG or WebP image, or it is damaged")]
    NotAnImage,
    #[error(transparent)]
    Crypto(#[from] CryptoError),
    #[error(transparent)]
    Profile(#[from] ProfileError),
    #[error(transparent)]
    Store(#[from] kindred_store::StoreError),
}

/// Decodes an upload and encodes it anew as a JPEG of at most 512 × 512.
pub fn normalise_photo(bytes: &[u8]) -> Result<Vec<u8>, PhotoError> {
    if bytes.len() > MAX_UPLOAD {
        return Err(PhotoError::TooLarge);
    }
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|_| PhotoError::NotAnImage)?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DECODED_SIDE);
    limits.max_image_height = Some(MAX_DECODED_SIDE);
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let decoded = reader.decode().map_err(|_| PhotoError::NotAnImage)?;
    let shrunk: DynamicImage = if decoded.width() > MAX_SIDE || decoded.height() > MAX_SIDE {
        decoded.thumbnail(MAX_SIDE, MAX_SIDE)
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
        let jpeg = tokio::task::spawn_blocking(move || normalise_photo(&upload))
            .await
            .map_err(|_| PhotoError::NotAnImage)??;
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

    #[test]
    fn anything_else_is_refused() {
        assert!(matches!(normalise_photo(b"<svg onload=alert(1)>"), Err(PhotoError::NotAnImage)));
        assert!(matches!(normalise_photo(&[]), Err(PhotoError::NotAnImage)));
        assert!(matches!(normalise_photo(&vec![0u8; MAX_UPLOAD + 1]), Err(PhotoError::TooLarge)));
    }
}
