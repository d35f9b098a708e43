//! Encryption of health fields at rest.
//!
//! Member profiles hold special-category data (condition, therapies,
//! medications, free text). A copy of the database alone must not reveal it,
//! so those fields are sealed with XChaCha20-Poly1305 under a key that never
//! enters the database: one master key per installation ([`KeyRing`]), from
//! which each association gets its own keys ([`AssociationKey`]) by HKDF.
//! Equality search works on keyed hashes ([`AssociationKey::search_token`]),
//! never on clear text. Numbers shown to a member (the positions of their
//! live events) are hidden under the same sub-key
//! ([`AssociationKey::hide_number`]), so they tell nothing of anyone else's.

use chacha20poly1305::aead::generic_array::GenericArray;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use data_encoding::{BASE64URL_NOPAD, HEXLOWER, HEXLOWER_PERMISSIVE};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use kindred_domain::{AssociationId, MemberId};
use rand::rngs::OsRng;
use rand::RngCore;
use sha2::Sha256;
use std::fmt;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// Length of the master key and of the encryption sub-keys.
const KEY_LEN: usize = 32;
/// The search sub-key is as long as an HMAC-SHA256 block, so the HMAC can be
/// keyed without a fallible length check.
const SEARCH_KEY_LEN: usize = 64;
/// First byte of every sealed value; lets a later format coexist with this one.
const VERSION: u8 = 1;
const NONCE_LEN: usize = 24;
const TAG_LEN: usize = 16;
/// HKDF salt; a new derivation scheme gets a new salt.
const HKDF_SALT: &[u8] = b"kindred/v1";
/// Where the master key lives inside the data directory.
const KEY_DIR: &str = "keys";
const KEY_FILE: &str = "master.key";
/// A hidden number ([`AssociationKey::hide_number`]): a 16-byte tag and the
/// 8 bytes of the number under a pad, 24 bytes, 32 base64url characters.
const HIDDEN_TAG_LEN: usize = 16;
const HIDDEN_BYTES: usize = HIDDEN_TAG_LEN + 8;
/// Without padding: 24 bytes are exactly 32 characters of 6 bits, so every
/// hidden number has one spelling only.
pub const HIDDEN_NUMBER_LEN: usize = HIDDEN_BYTES / 3 * 4;

/// Where the master key comes from: configured by the operator (required when
/// several nodes share PostgreSQL), else a file in the data directory, created
/// with mode 0600 on first start.
#[derive(Clone)]
pub struct KeyRing {
    /// Zeroized on drop, so the key does not linger in freed memory.
    master: Zeroizing<[u8; KEY_LEN]>,
}

/// Never prints the key: a `{:?}` in a log line must not leak it.
impl fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyRing").field("master", &"<redacted>").finish()
    }
}

/// Why the master key could not be had. Shown to the operator at start-up,
/// so every message fits on one line and none contains key material.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The configured key (KINDRED_MASTER_KEY) is malformed. The detail says
    /// what is wrong with it, never what it is.
    #[error("KINDRED_MASTER_KEY must be 64 hex characters (32 bytes): {0}")]
    Configured(String),
    /// The key file or its directory could not be read, created or trusted.
    #[error("master key file {}: {reason}", path.display())]
    File { path: PathBuf, reason: String },
    /// The operating system could not supply random bytes for a new key.
    #[error("no randomness for a new master key: {0}")]
    Random(String),
}

/// Why a value could not be sealed or opened. Never contains the plaintext.
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    /// The sealed value is not one this key sealed for this member and
    /// field: wrong key, wrong binding, truncated, altered or of an unknown
    /// format version. The reason is fixed text, never data.
    #[error("encrypted value is damaged or belongs elsewhere ({0})")]
    Damaged(&'static str),
    /// Sealing or key derivation failed (no randomness, or the cipher
    /// refused); cannot happen with a working operating system.
    #[error("encryption failed ({0})")]
    Failed(String),
}

impl KeyRing {
    /// `configured`: 64 hex characters (32 bytes), e.g. from
    /// KINDRED_MASTER_KEY. Else reads `{data_dir}/keys/master.key` (raw 32
    /// bytes or 64 hex chars), creating `{data_dir}/keys/` (0700) and the file
    /// (0600, written atomically: temp file + rename) with 32 random bytes
    /// when missing. A file of the wrong size is an error, never silently
    /// replaced: replacing it would make every sealed value unreadable.
    pub fn load_or_create(data_dir: &Path, configured: Option<&str>) -> Result<KeyRing, KeyError> {
        let path = data_dir.join(KEY_DIR).join(KEY_FILE);
        if let Some(text) = configured {
            let ring = KeyRing { master: parse_hex_key(text.trim()).map_err(KeyError::Configured)? };
            ring.warn_if_file_differs(&path);
            return Ok(ring);
        }
        match read_key_file(&path) {
            Ok(master) => Ok(KeyRing { master }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => create_key_file(data_dir, &path),
            Err(e) => Err(file_error(&path, e)),
        }
    }

    /// The key as [`Self::load_or_create`] finds it, but never creating
    /// one: `None` when none is configured and the data directory holds no
    /// key file. For `kindred check` and a restored database, where a new
    /// key would open nothing.
    pub fn load(data_dir: &Path, configured: Option<&str>) -> Result<Option<KeyRing>, KeyError> {
        let path = data_dir.join(KEY_DIR).join(KEY_FILE);
        if let Some(text) = configured {
            return Ok(Some(KeyRing { master: parse_hex_key(text.trim()).map_err(KeyError::Configured)? }));
        }
        match read_key_file(&path) {
            Ok(master) => Ok(Some(KeyRing { master })),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(file_error(&path, e)),
        }
    }

    /// For tests.
    pub fn from_bytes(bytes: [u8; 32]) -> KeyRing {
        KeyRing { master: Zeroizing::new(bytes) }
    }

    /// The key of one association: HKDF-SHA256 from the master key, salt
    /// "kindred/v1", info "association-key:" + association id. Separate
    /// sub-keys for encryption and for search tokens (info suffixes ":seal"
    /// and ":search"), so a search token never reveals anything about the
    /// encryption key and vice versa.
    ///
    /// Returns a `Result` only because the HKDF API is fallible; with these
    /// fixed output lengths it cannot fail.
    pub fn association(&self, association: &AssociationId) -> Result<AssociationKey, CryptoError> {
        let hkdf = Hkdf::<Sha256>::new(Some(HKDF_SALT), self.master.as_slice());
        let info = |suffix: &str| format!("association-key:{}:{suffix}", association.as_str()).into_bytes();
        let mut seal = Zeroizing::new([0u8; KEY_LEN]);
        hkdf.expand(&info("seal"), seal.as_mut_slice())
            .map_err(|e| CryptoError::Failed(format!("key derivation: {e}")))?;
        let mut search = Zeroizing::new([0u8; SEARCH_KEY_LEN]);
        hkdf.expand(&info("search"), search.as_mut_slice())
            .map_err(|e| CryptoError::Failed(format!("key derivation: {e}")))?;
        Ok(AssociationKey { association: association.clone(), seal, search })
    }

    /// Switching from the key file to a configured key (e.g. when moving to
    /// several nodes) with a different key makes everything sealed so far
    /// unreadable; say so loudly instead of failing later, value by value.
    fn warn_if_file_differs(&self, path: &Path) {
        if let Ok(on_disk) = read_key_file(path) {
            if on_disk.as_slice() != self.master.as_slice() {
                tracing::warn!(
                    path = %path.display(),
                    "KINDRED_MASTER_KEY differs from the master key file; values sealed with the file's key cannot be opened"
                );
            }
        }
    }
}

/// Keys of one association. Cheap to derive; derive when needed rather than
/// keeping many around.
#[derive(Clone)]
pub struct AssociationKey {
    association: AssociationId,
    /// XChaCha20-Poly1305 key; zeroized on drop.
    seal: Zeroizing<[u8; KEY_LEN]>,
    /// HMAC-SHA256 key for search tokens; zeroized on drop.
    search: Zeroizing<[u8; SEARCH_KEY_LEN]>,
}

/// Shows which association the key belongs to, never the key.
impl fmt::Debug for AssociationKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AssociationKey").field("association", &self.association).finish_non_exhaustive()
    }
}

impl AssociationKey {
    /// Encrypts one field value of one member. Output: version byte 1 ||
    /// 24-byte random nonce || ciphertext+tag. The associated data binds the
    /// ciphertext to association id, member id and field code (length-prefixed
    /// so that ("ab","c") != ("a","bc")), so it cannot be moved to another
    /// member, field or association.
    ///
    /// Returns a `Result` because the operating system's randomness and the
    /// cipher API are fallible; neither fails in practice.
    pub fn seal(&self, member: &MemberId, field: &str, plaintext: &[u8]) -> Result<Vec<u8>, CryptoError> {
        self.seal_for(member.as_str(), field, plaintext)
    }

    /// [`seal`](Self::seal) for a value that belongs to something other
    /// than a member (e.g. a conversation's key): `subject` takes the
    /// member id's place in the associated data.
    pub fn seal_for(&self, subject: &str, field: &str, plaintext: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let aad = self.associated_data(subject, field);
        seal_with(&self.cipher(), &aad, plaintext)
    }

    /// Decrypts what [`seal`](Self::seal) produced for the same member and
    /// field under the same association key.
    pub fn open(&self, member: &MemberId, field: &str, sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
        self.open_for(member.as_str(), field, sealed)
    }

    /// Opens what [`seal_for`](Self::seal_for) sealed for the same subject and field.
    pub fn open_for(&self, subject: &str, field: &str, sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
        open_with(&self.cipher(), &self.associated_data(subject, field), sealed)
    }

    /// A keyed hash for equality search without clear text in the database:
    /// HMAC-SHA256 under the search sub-key over (purpose, value),
    /// length-prefixed, as lowercase hex (64 chars). `purpose` separates uses,
    /// e.g. "condition" vs "word", so equal values in different uses cannot be
    /// linked. The value is hashed as given: normalise it (case, spaces)
    /// before, the same way when storing and when searching.
    pub fn search_token(&self, purpose: &str, value: &str) -> String {
        HEXLOWER.encode(&self.search_mac(&[purpose.as_bytes(), value.as_bytes()]))
    }

    /// A number shown as text that says nothing of it, bound to `purpose`
    /// (e.g. a member's id), for positions a client must be able to name
    /// again but must not read: a live event's row id counts the events of
    /// everyone, so the number itself would tell one member how many
    /// recipients other members' actions had.
    ///
    /// A synthetic-IV scheme on the search sub-key (HMAC-SHA256, parts
    /// length-prefixed so no other use of the sub-key gives the same input):
    /// tag = HMAC("tag", purpose, number as 8 big-endian bytes), first 16
    /// bytes; pad = HMAC("pad", purpose, tag), first 8 bytes; text =
    /// base64url without padding of tag || (number XOR pad), always
    /// [`HIDDEN_NUMBER_LEN`] (32) characters.
    ///
    /// Deterministic on purpose: the same number for the same purpose is
    /// the same text (a client may compare texts for equality), which is
    /// all it reveals; texts of consecutive numbers share nothing, since
    /// the tag is a keyed hash of the number and the pad one of the tag.
    /// Only the key's holder can make a text that
    /// [`reveal_number`](Self::reveal_number) accepts.
    pub fn hide_number(&self, purpose: &str, number: u64) -> String {
        let tag = self.number_tag(purpose, number);
        let pad = self.number_pad(purpose, &tag);
        let mut bytes = [0u8; HIDDEN_BYTES];
        bytes[..HIDDEN_TAG_LEN].copy_from_slice(&tag);
        for ((out, n), p) in bytes[HIDDEN_TAG_LEN..].iter_mut().zip(number.to_be_bytes()).zip(pad) {
            *out = n ^ p;
        }
        BASE64URL_NOPAD.encode(&bytes)
    }

    /// The number [`hide_number`](Self::hide_number) hid under the same
    /// key and purpose; `None` for any other text (another purpose or
    /// association, altered, of another length, not base64url). The tag
    /// is compared in constant time, so a forger learns nothing from how
    /// long a refusal took.
    pub fn reveal_number(&self, purpose: &str, text: &str) -> Option<u64> {
        if text.len() != HIDDEN_NUMBER_LEN {
            return None;
        }
        let mut bytes = [0u8; HIDDEN_BYTES];
        match BASE64URL_NOPAD.decode_mut(text.as_bytes(), &mut bytes) {
            Ok(HIDDEN_BYTES) => {}
            _ => return None,
        }
        let (tag, masked) = bytes.split_at(HIDDEN_TAG_LEN);
        let pad = self.number_pad(purpose, tag);
        let mut number = [0u8; 8];
        for ((out, m), p) in number.iter_mut().zip(masked).zip(pad) {
            *out = m ^ p;
        }
        let number = u64::from_be_bytes(number);
        crate::totp::constant_time_eq(&self.number_tag(purpose, number), tag).then_some(number)
    }

    fn number_tag(&self, purpose: &str, number: u64) -> [u8; HIDDEN_TAG_LEN] {
        let mac = self.search_mac(&[b"tag", purpose.as_bytes(), &number.to_be_bytes()]);
        let mut tag = [0u8; HIDDEN_TAG_LEN];
        tag.copy_from_slice(&mac[..HIDDEN_TAG_LEN]);
        tag
    }

    fn number_pad(&self, purpose: &str, tag: &[u8]) -> [u8; 8] {
        let mac = self.search_mac(&[b"pad", purpose.as_bytes(), tag]);
        let mut pad = [0u8; 8];
        pad.copy_from_slice(&mac[..8]);
        pad
    }

    /// HMAC-SHA256 under the search sub-key over the parts, length-prefixed.
    fn search_mac(&self, parts: &[&[u8]]) -> [u8; 32] {
        // A 64-byte key is exactly one SHA-256 block: infallible keying.
        let mut mac = <Hmac<Sha256> as KeyInit>::new(GenericArray::from_slice(self.search.as_slice()));
        mac.update(&length_prefixed(parts));
        mac.finalize().into_bytes().into()
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(Key::from_slice(self.seal.as_slice()))
    }

    /// What a sealed value is bound to. The version byte is included so the
    /// header is authenticated too.
    fn associated_data(&self, subject: &str, field: &str) -> Vec<u8> {
        let mut aad = vec![VERSION];
        aad.extend(length_prefixed(&[self.association.as_str().as_bytes(), subject.as_bytes(), field.as_bytes()]));
        aad
    }
}

/// Seals under `cipher`: version byte || 24-byte random nonce ||
/// ciphertext+tag, the associated data authenticated with it.
fn seal_with(cipher: &XChaCha20Poly1305, aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, CryptoError> {
    // 24-byte random nonces: collisions are negligible without any
    // counter, so several nodes can seal under the same key.
    let mut nonce = [0u8; NONCE_LEN];
    OsRng.try_fill_bytes(&mut nonce).map_err(|e| CryptoError::Failed(format!("no randomness for a nonce: {e}")))?;
    let ciphertext = cipher
        .encrypt(&XNonce::from(nonce), Payload { msg: plaintext, aad })
        .map_err(|_| CryptoError::Failed("cipher refused the value".to_owned()))?;
    let mut sealed = Vec::with_capacity(1 + NONCE_LEN + ciphertext.len());
    sealed.push(VERSION);
    sealed.extend_from_slice(&nonce);
    sealed.extend_from_slice(&ciphertext);
    Ok(sealed)
}

fn open_with(cipher: &XChaCha20Poly1305, aad: &[u8], sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let (&version, rest) = sealed.split_first().ok_or(CryptoError::Damaged("empty"))?;
    if version != VERSION {
        return Err(CryptoError::Damaged("unknown format version"));
    }
    if rest.len() < NONCE_LEN + TAG_LEN {
        return Err(CryptoError::Damaged("too short"));
    }
    let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
    cipher
        .decrypt(XNonce::from_slice(nonce), Payload { msg: ciphertext, aad })
        .map_err(|_| CryptoError::Damaged("authentication failed"))
}

/// What a conversation's key is sealed as, under the association key.
pub(crate) const CONVERSATION_KEY_FIELD: &str = "conversation-key";

/// The key of one conversation (messaging): 256 random bits, stored only
/// sealed under the association key ([`ConversationKey::wrap`]). Message
/// bodies and attachments are sealed under it, each bound to association,
/// conversation, item (message or attachment id) and purpose, so nothing
/// sealed opens in another place. Deleting the stored key makes all of
/// them unreadable for good.
pub struct ConversationKey {
    association: AssociationId,
    conversation: String,
    key: Zeroizing<[u8; KEY_LEN]>,
}

/// Names the conversation, never the key.
impl fmt::Debug for ConversationKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConversationKey").field("conversation", &self.conversation).finish_non_exhaustive()
    }
}

impl ConversationKey {
    /// A new random key for a new conversation.
    pub fn random(association: &AssociationId, conversation: &str) -> Result<ConversationKey, CryptoError> {
        let mut key = Zeroizing::new([0u8; KEY_LEN]);
        OsRng.try_fill_bytes(key.as_mut_slice()).map_err(|e| CryptoError::Failed(format!("no randomness: {e}")))?;
        Ok(ConversationKey { association: association.clone(), conversation: conversation.to_owned(), key })
    }

    /// The key sealed under the association key, to be stored.
    pub fn wrap(&self, association_key: &AssociationKey) -> Result<Vec<u8>, CryptoError> {
        association_key.seal_for(&self.conversation, CONVERSATION_KEY_FIELD, self.key.as_slice())
    }

    /// The key from its stored, sealed form.
    pub fn unwrap(
        association_key: &AssociationKey,
        conversation: &str,
        sealed: &[u8],
    ) -> Result<ConversationKey, CryptoError> {
        let bytes = Zeroizing::new(association_key.open_for(conversation, CONVERSATION_KEY_FIELD, sealed)?);
        let key: [u8; KEY_LEN] = bytes.as_slice().try_into().map_err(|_| CryptoError::Damaged("key length"))?;
        Ok(ConversationKey {
            association: association_key.association.clone(),
            conversation: conversation.to_owned(),
            key: Zeroizing::new(key),
        })
    }

    /// Seals one item (a message body, an attachment) of the conversation.
    pub fn seal(&self, item: &str, purpose: &str, plaintext: &[u8]) -> Result<Vec<u8>, CryptoError> {
        seal_with(&self.cipher(), &self.associated_data(item, purpose), plaintext)
    }

    pub fn open(&self, item: &str, purpose: &str, sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
        open_with(&self.cipher(), &self.associated_data(item, purpose), sealed)
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(Key::from_slice(self.key.as_slice()))
    }

    fn associated_data(&self, item: &str, purpose: &str) -> Vec<u8> {
        let mut aad = vec![VERSION];
        aad.extend(length_prefixed(&[
            b"conversation",
            self.association.as_str().as_bytes(),
            self.conversation.as_bytes(),
            item.as_bytes(),
            purpose.as_bytes(),
        ]));
        aad
    }
}

/// Each part preceded by its length (8 bytes, big-endian), so no two
/// different lists of parts give the same bytes.
fn length_prefixed(parts: &[&[u8]]) -> Vec<u8> {
    let mut out = Vec::with_capacity(parts.iter().map(|p| 8 + p.len()).sum());
    for part in parts {
        out.extend_from_slice(&(part.len() as u64).to_be_bytes());
        out.extend_from_slice(part);
    }
    out
}

/// Parses 64 hex characters (either case). The error describes the input's
/// shape only, never its content.
fn parse_hex_key(text: &str) -> Result<Zeroizing<[u8; KEY_LEN]>, String> {
    if text.len() != 2 * KEY_LEN {
        return Err(format!("found {} characters", text.chars().count()));
    }
    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    match HEXLOWER_PERMISSIVE.decode_mut(text.as_bytes(), key.as_mut_slice()) {
        Ok(KEY_LEN) => Ok(key),
        _ => Err("found a character that is not hex".to_owned()),
    }
}

/// Reads a key file: 32 raw bytes, or 64 hex characters (surrounding
/// whitespace allowed, for files written by hand).
fn read_key_file(path: &Path) -> io::Result<Zeroizing<[u8; KEY_LEN]>> {
    let bytes = Zeroizing::new(fs::read(path)?);
    warn_if_readable_by_others(path);
    if let Ok(raw) = <[u8; KEY_LEN]>::try_from(bytes.as_slice()) {
        return Ok(Zeroizing::new(raw));
    }
    let text = std::str::from_utf8(&bytes).map(str::trim).unwrap_or("");
    if text.len() == 2 * KEY_LEN {
        if let Ok(key) = parse_hex_key(text) {
            return Ok(key);
        }
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidData,
        format!(
            "must hold 32 raw bytes or 64 hex characters, found {} bytes; refusing to replace it, as that would make encrypted data unreadable",
            bytes.len()
        ),
    ))
}

#[cfg(unix)]
fn warn_if_readable_by_others(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = fs::metadata(path) {
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            tracing::warn!(
                path = %path.display(),
                mode = format!("{mode:o}"),
                "master key file is accessible to other users; chmod 600 it"
            );
        }
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_path: &Path) {}

/// Creates the key directory and a fresh key file. The file is written under
/// a temporary name and then moved into place, so a crash never leaves a
/// half-written key. The move is a hard link where possible, which fails
/// instead of overwriting: when two processes start at once on the same data
/// directory, both end up with the key that won.
fn create_key_file(data_dir: &Path, path: &Path) -> Result<KeyRing, KeyError> {
    let dir = data_dir.join(KEY_DIR);
    fs::create_dir_all(data_dir).map_err(|e| file_error(&dir, e))?;
    match private_dir_builder().create(&dir) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(file_error(&dir, e)),
    }

    let mut key = Zeroizing::new([0u8; KEY_LEN]);
    OsRng.try_fill_bytes(key.as_mut_slice()).map_err(|e| KeyError::Random(e.to_string()))?;

    let mut suffix = [0u8; 8];
    OsRng.try_fill_bytes(&mut suffix).map_err(|e| KeyError::Random(e.to_string()))?;
    let temp = dir.join(format!("{KEY_FILE}.tmp-{}", HEXLOWER.encode(&suffix)));
    let written = write_private(&temp, key.as_slice()).and_then(|()| {
        match fs::hard_link(&temp, path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(false),
            // File systems without hard links: plain atomic rename.
            Err(_) => fs::rename(&temp, path).map(|()| true),
        }
    });
    // Gone already after a rename; otherwise no longer needed.
    let _ = fs::remove_file(&temp);
    match written {
        Ok(true) => {
            sync_dir(&dir).map_err(|e| file_error(&dir, e))?;
            tracing::info!(path = %path.display(), "created a new master key; back it up, without it encrypted data is lost");
            Ok(KeyRing { master: key })
        }
        // Another process created the key first: use that one.
        Ok(false) => read_key_file(path).map(|master| KeyRing { master }).map_err(|e| file_error(path, e)),
        Err(e) => Err(file_error(path, e)),
    }
}

#[cfg(unix)]
fn private_dir_builder() -> fs::DirBuilder {
    use std::os::unix::fs::DirBuilderExt;
    let mut builder = fs::DirBuilder::new();
    builder.mode(0o700);
    builder
}

#[cfg(not(unix))]
fn private_dir_builder() -> fs::DirBuilder {
    fs::DirBuilder::new()
}

/// Writes a new file readable by the owner only, flushed to disk.
fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Makes the new directory entry durable, so a power cut right after start
/// cannot lose a key that values were already sealed with.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    fs::File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

fn file_error(path: &Path, e: io::Error) -> KeyError {
    KeyError::File { path: path.to_owned(), reason: e.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh directory under the system temp dir, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new() -> Self {
            let mut suffix = [0u8; 8];
            OsRng.fill_bytes(&mut suffix);
            let path = std::env::temp_dir().join(format!("kindred-crypto-test-{}", HEXLOWER.encode(&suffix)));
            fs::create_dir_all(&path).unwrap();
            TempDir(path)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn key() -> AssociationKey {
        KeyRing::from_bytes([7; 32]).association(&AssociationId::random()).unwrap()
    }

    const TEXT: &[u8] = b"Morbus Crohn, seit 2011; Infliximab alle 8 Wochen";

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn round_trip() {
        let key = key();
        let member = MemberId::random();
        let sealed = key.seal(&member, "condition", TEXT).unwrap();
        assert_eq!(sealed[0], 1);
        assert_eq!(sealed.len(), 1 + 24 + TEXT.len() + 16);
        assert_eq!(key.open(&member, "condition", &sealed).unwrap(), TEXT);
        let empty = key.seal(&member, "about", b"").unwrap();
        assert_eq!(key.open(&member, "about", &empty).unwrap(), b"");
    }

    #[test]
    fn ciphertext_does_not_contain_plaintext() {
        let key = key();
        let sealed = key.seal(&MemberId::random(), "condition", TEXT).unwrap();
        assert!(!contains(&sealed, TEXT));
        assert!(!contains(&sealed, b"Crohn"));
    }

    #[test]
    fn same_plaintext_seals_differently() {
        let key = key();
        let member = MemberId::random();
        let a = key.seal(&member, "condition", TEXT).unwrap();
        let b = key.seal(&member, "condition", TEXT).unwrap();
        assert_ne!(a, b);
    }

    #[test]
    fn open_fails_for_another_member_field_or_association() {
        let ring = KeyRing::from_bytes([7; 32]);
        let association = AssociationId::random();
        let key = ring.association(&association).unwrap();
        let member = MemberId::random();
        let sealed = key.seal(&member, "condition", TEXT).unwrap();

        assert!(key.open(&MemberId::random(), "condition", &sealed).is_err());
        assert!(key.open(&member, "medication", &sealed).is_err());
        let other = ring.association(&AssociationId::random()).unwrap();
        assert!(other.open(&member, "condition", &sealed).is_err());
        let other_master = KeyRing::from_bytes([8; 32]).association(&association).unwrap();
        assert!(other_master.open(&member, "condition", &sealed).is_err());
        // The same association derived again opens it.
        let again = ring.association(&association).unwrap();
        assert_eq!(again.open(&member, "condition", &sealed).unwrap(), TEXT);
    }

    #[test]
    fn binding_is_length_prefixed() {
        let key = key();
        let member = MemberId::random();
        let sealed = key.seal(&member, "ab", TEXT).unwrap();
        assert!(key.open(&member, "a", &sealed).is_err());
        assert_ne!(key.search_token("ab", "c"), key.search_token("a", "bc"));
    }

    #[test]
    fn open_fails_for_damaged_values() {
        let key = key();
        let member = MemberId::random();
        let sealed = key.seal(&member, "condition", TEXT).unwrap();

        for i in 0..sealed.len() {
            let mut flipped = sealed.clone();
            flipped[i] ^= 0x01;
            assert!(key.open(&member, "condition", &flipped).is_err(), "byte {i}");
        }
        for len in 0..sealed.len() {
            assert!(key.open(&member, "condition", &sealed[..len]).is_err(), "length {len}");
        }
        let mut version = sealed.clone();
        version[0] = 2;
        let err = key.open(&member, "condition", &version).unwrap_err();
        assert!(err.to_string().contains("version"), "{err}");
    }

    #[test]
    fn errors_do_not_contain_plaintext() {
        let key = key();
        let member = MemberId::random();
        let sealed = key.seal(&member, "condition", TEXT).unwrap();
        let err = key.open(&member, "other", &sealed).unwrap_err();
        let text = format!("{err} {err:?}");
        assert!(!text.contains("Crohn"), "{text}");
    }

    #[test]
    fn search_tokens() {
        let ring = KeyRing::from_bytes([7; 32]);
        let association = AssociationId::random();
        let key = ring.association(&association).unwrap();
        let token = key.search_token("condition", "crohn");
        assert_eq!(token.len(), 64);
        assert!(token.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
        assert!(!token.contains("crohn"));
        // Stable, also across derivations.
        assert_eq!(token, key.search_token("condition", "crohn"));
        assert_eq!(token, ring.association(&association).unwrap().search_token("condition", "crohn"));
        // Differs by purpose, value and association.
        assert_ne!(token, key.search_token("word", "crohn"));
        assert_ne!(token, key.search_token("condition", "colitis"));
        let other = ring.association(&AssociationId::random()).unwrap();
        assert_ne!(token, other.search_token("condition", "crohn"));
    }

    #[test]
    fn hidden_numbers() {
        let ring = KeyRing::from_bytes([7; 32]);
        let association = AssociationId::random();
        let key = ring.association(&association).unwrap();
        let (anna, ben) = ("live-event:anna", "live-event:ben");
        for number in [0, 1, 2, 255, 256, 1 << 40, i64::MAX as u64, u64::MAX] {
            let text = key.hide_number(anna, number);
            assert_eq!(text.len(), HIDDEN_NUMBER_LEN);
            assert!(text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{text}");
            assert_eq!(key.reveal_number(anna, &text), Some(number));
            // The same number for the same purpose: the same text, also
            // from the key derived again.
            assert_eq!(text, key.hide_number(anna, number));
            assert_eq!(text, ring.association(&association).unwrap().hide_number(anna, number));
            // Another member's text differs and does not open for the first.
            let other = key.hide_number(ben, number);
            assert_ne!(text, other);
            assert_eq!(key.reveal_number(anna, &other), None);
            assert_eq!(key.reveal_number(ben, &text), None);
            // Nor does it open in another association.
            assert_eq!(ring.association(&AssociationId::random()).unwrap().reveal_number(anna, &text), None);
        }
    }

    #[test]
    fn hidden_numbers_refuse_damaged_texts() {
        let key = key();
        let purpose = "live-event:anna";
        let text = key.hide_number(purpose, 42);
        // Any character changed to any other base64url character.
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for i in 0..text.len() {
            for &c in alphabet {
                let mut bytes = text.clone().into_bytes();
                if bytes[i] == c {
                    continue;
                }
                bytes[i] = c;
                let altered = String::from_utf8(bytes).unwrap();
                assert_eq!(key.reveal_number(purpose, &altered), None, "{altered}");
            }
        }
        for len in 0..text.len() {
            assert_eq!(key.reveal_number(purpose, &text[..len]), None, "length {len}");
        }
        let longer = format!("{text}A");
        let padded = format!("{text}==");
        let standard = text.replace('-', "+").replace('_', "/");
        for bad in [longer.as_str(), padded.as_str(), "42", "", &"*".repeat(32), &"é".repeat(16)] {
            assert_eq!(key.reveal_number(purpose, bad), None, "{bad}");
        }
        if standard != text {
            assert_eq!(key.reveal_number(purpose, &standard), None);
        }
    }

    #[test]
    fn hidden_consecutive_numbers_share_nothing_visible() {
        // A fixed key: the test sees the same texts every time.
        let key = KeyRing::from_bytes([7; 32]).association(&AssociationId::from_trusted("a".repeat(26))).unwrap();
        let purpose = "live-event:anna";
        let texts: Vec<Vec<u8>> =
            (1000u64..1064).map(|n| BASE64URL_NOPAD.decode(key.hide_number(purpose, n).as_bytes()).unwrap()).collect();
        // Neither the tag nor the masked number keeps a common prefix or
        // suffix across neighbours (as a counter's bytes would), and no
        // order survives: about half of the neighbours compare the other way.
        for pair in texts.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            let equal_bytes = a.iter().zip(b.iter()).filter(|(x, y)| x == y).count();
            assert!(equal_bytes <= 6, "{equal_bytes} equal bytes");
            assert_ne!(a[..2], b[..2]);
            assert_ne!(a[HIDDEN_BYTES - 2..], b[HIDDEN_BYTES - 2..]);
        }
        let descending = texts.windows(2).filter(|p| p[0] > p[1]).count();
        assert!((10..=53).contains(&descending), "{descending} of 63 descend");
    }

    /// The derivation and the format must never change by accident: that
    /// would make every stored value unreadable. Expected values computed
    /// independently (Python hmac/hashlib and `cryptography`'s
    /// ChaCha20Poly1305 with HChaCha20 for the extended nonce).
    #[test]
    fn known_answers() {
        let ring = KeyRing::from_bytes([7; 32]);
        let key = ring.association(&AssociationId::from_trusted("a".repeat(26))).unwrap();
        assert_eq!(
            HEXLOWER.encode(key.seal.as_slice()),
            "07a531b525162f3e90b9f694570fb3aa252a0fe255447d27ad6da407d7dfa700"
        );
        assert_eq!(
            key.search_token("condition", "crohn"),
            "6362787a19ed5a4838c89d24c8ca4c4237b3b2ebd91a054f032fb2174813d342"
        );
        let sealed = HEXLOWER
            .decode(
                b"01000102030405060708090a0b0c0d0e0f10111213141516\
                  1746465543de5673d32f494cc884f25c53be5b87c6dc",
            )
            .unwrap();
        let member = MemberId::from_trusted("b".repeat(26));
        assert_eq!(key.open(&member, "condition", &sealed).unwrap(), b"crohn");
        // Hidden numbers (Python: hmac over the length-prefixed parts,
        // base64.urlsafe_b64encode without the padding).
        let purpose = format!("live-event:{}", "b".repeat(26));
        assert_eq!(key.hide_number(&purpose, 1), "6XhjNUJ9nd5-Uy4lsPULSuDOpFarC7gK");
        assert_eq!(key.hide_number(&purpose, 2), "nNcPPN4byQjMaVELlwHUgQg-cxp43k2K");
    }

    #[test]
    fn debug_does_not_print_keys() {
        let ring = KeyRing::from_bytes([0xab; 32]);
        let shown = format!("{ring:?}");
        assert!(!shown.contains("171") && !shown.contains("ab, "), "{shown}");
        let key = ring.association(&AssociationId::random()).unwrap();
        let shown = format!("{key:?}");
        assert!(shown.contains("AssociationId"), "{shown}");
        assert!(!shown.contains("seal") && !shown.contains("search"), "{shown}");
    }

    #[test]
    fn key_file_is_created_private_and_reused() {
        let dir = TempDir::new();
        let association = AssociationId::random();
        let member = MemberId::random();

        let first = KeyRing::load_or_create(&dir.0, None).unwrap();
        let path = dir.0.join("keys").join("master.key");
        assert_eq!(fs::read(&path).unwrap().len(), 32);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&path), 0o600);
            assert_eq!(mode(&dir.0.join("keys")), 0o700);
        }
        // No temporary file left behind.
        assert_eq!(fs::read_dir(dir.0.join("keys")).unwrap().count(), 1);

        let sealed = first.association(&association).unwrap().seal(&member, "condition", TEXT).unwrap();
        let second = KeyRing::load_or_create(&dir.0, None).unwrap();
        assert_eq!(second.association(&association).unwrap().open(&member, "condition", &sealed).unwrap(), TEXT);
    }

    #[test]
    fn key_file_may_be_hex() {
        let dir = TempDir::new();
        fs::create_dir_all(dir.0.join("keys")).unwrap();
        let hex = "00112233445566778899AABBCCDDEEFF00112233445566778899aabbccddeeff\n";
        fs::write(dir.0.join("keys/master.key"), hex).unwrap();
        let ring = KeyRing::load_or_create(&dir.0, None).unwrap();
        let expected = KeyRing::load_or_create(&dir.0, Some(hex.trim())).unwrap();
        assert_eq!(ring.master.as_slice(), expected.master.as_slice());
        assert_eq!(ring.master[10], 0xaa);
    }

    #[test]
    fn configured_key_wins_over_file() {
        let dir = TempDir::new();
        let from_file = KeyRing::load_or_create(&dir.0, None).unwrap();
        let hex = "ab".repeat(32);
        let configured = KeyRing::load_or_create(&dir.0, Some(&hex)).unwrap();
        assert_eq!(configured.master.as_slice(), &[0xab; 32]);
        assert_ne!(configured.master.as_slice(), from_file.master.as_slice());
        // Configured keys do not need (or create) a key file.
        let empty = TempDir::new();
        KeyRing::load_or_create(&empty.0, Some(&hex)).unwrap();
        assert!(!empty.0.join("keys").exists());
    }

    #[test]
    fn bad_configured_key_is_an_error() {
        let dir = TempDir::new();
        let secretish = "zz".repeat(32);
        for bad in ["", "abcd", &"ab".repeat(31), &"ab".repeat(33), &secretish] {
            let err = KeyRing::load_or_create(&dir.0, Some(bad)).unwrap_err();
            assert!(matches!(err, KeyError::Configured(_)), "{err:?}");
            let text = err.to_string();
            assert!(text.contains("KINDRED_MASTER_KEY"), "{text}");
            assert!(!text.contains(&secretish), "{text}");
            assert!(!text.contains('\n'), "{text}");
        }
        assert!(!dir.0.join("keys").exists());
    }

    #[test]
    fn wrong_size_key_file_is_an_error_and_kept() {
        let dir = TempDir::new();
        fs::create_dir_all(dir.0.join("keys")).unwrap();
        let path = dir.0.join("keys/master.key");
        for content in [&b""[..], &[1u8; 31][..], &[1u8; 33][..], &[b'g'; 64][..]] {
            fs::write(&path, content).unwrap();
            let err = KeyRing::load_or_create(&dir.0, None).unwrap_err();
            assert!(matches!(err, KeyError::File { .. }), "{err:?}");
            assert!(err.to_string().contains("master.key"), "{err}");
            assert!(!err.to_string().contains('\n'), "{err}");
            assert_eq!(fs::read(&path).unwrap(), content);
        }
    }
}
