//! service::transfer — moving one association to another deployment
//! (`kindred association export` / `import`, docs/association-transfer.md).
//!
//! The keys of an association derive from the deployment's master key, so
//! its sealed data cannot simply be copied. The export opens every value
//! sealed under the association key ([`SEALED`]) and finds the input of
//! every keyed hash that can be found ([`BLIND`]); the import seals and
//! hashes them again under the target's keys. Conversation keys are sealed
//! values like the others (opened, sealed again), so the messages and
//! attachments sealed under them travel as they are; a conversation whose
//! key was deleted stays unreadable. Keyed hashes whose input nobody knows
//! (recovery codes, invitation codes, the member list) cannot travel: their
//! tables stay behind ([`LEFT_BEHIND`]).
//!
//! The file holds all this in clear only inside XChaCha20-Poly1305, under a
//! key that Argon2id derives from the operator's passphrase. Ids are kept:
//! the import refuses an association whose id, slug or host names the
//! target already has, and writes everything in one transaction.

use crate::crypto::{AssociationKey, CryptoError};
use crate::{association_config, Kindred};
use argon2::{Algorithm, Argon2, Params, Version};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use chrono::{DateTime, Utc};
use data_encoding::BASE64;
use kindred_domain::id::random_token;
use kindred_domain::profile::FieldValue;
use kindred_domain::search::pseudonym_prefixes;
use kindred_domain::{AssociationId, MemberId, Slug};
use kindred_store::{Cell, StoreError, TableRows, TransferClash};
use rand::rngs::OsRng;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use zeroize::Zeroizing;

/// The tables that move, in the order they are written (a row's parents
/// first). `associations` is read by its id, the others by `association_id`.
pub const MOVED: &[&str] = &[
    "associations",
    "association_hosts",
    "members",
    "consents",
    "audit_log",
    "blocks",
    "contacts",
    "contact_requests",
    "disclosure_requests",
    "community_groups",
    "group_members",
    "group_tags",
    "conversations",
    "conversation_keys",
    "conversation_members",
    "messages",
    "message_attachments",
    "message_reports",
    "message_report_items",
    "message_tallies",
    "calls",
    "call_members",
    "events",
    "event_occurrences",
    "event_occurrence_changes",
    "event_registrations",
    "event_reminders",
    "exports",
    "forum_categories",
    "topics",
    "posts",
    "post_edits",
    "post_search",
    "articles",
    "article_codes",
    "reactions",
    "topic_reads",
    "topic_subscriptions",
    "letters",
    "mail_records",
    "moderation_actions",
    "notification_settings",
    "notifications",
    "passkeys",
    "photos",
    "profile_values",
    "search_terms",
    "pseudonym_terms",
    "quiet_hours",
    "reports",
    "staff_flags",
    "verification_requests",
    "verifications",
];

/// The tables that do not move, and why. With [`MOVED`], every table of
/// the schema: a test fails when a table is in neither.
pub const LEFT_BEHIND: &[(&str, &str)] = &[
    ("attempts", "throttling counters under keyed hashes; they start afresh"),
    ("call_signals", "set-up messages of calls in progress, kept for a minute"),
    ("calendar_feeds", "feed addresses derive from the deployment's key; members subscribe again"),
    ("email_tokens", "links in mails already sent (confirm, reset) point to the old deployment; members ask again"),
    ("invitations", "keyed hashes of codes nobody keeps; unused codes stop working, staff issue new ones"),
    ("job_leases", "the deployment's background jobs, not an association's"),
    ("live_events", "live delivery, kept for minutes"),
    ("live_tickets", "live delivery, kept for minutes"),
    ("member_list", "keyed hashes of the association's member list; staff import the list again"),
    ("pseudonym_reservations", "keyed hashes of erased members' pseudonyms; they become free at once"),
    ("recovery_codes", "keyed hashes of codes only members have; members make new ones"),
    (
        "registration_decoys",
        "stand-ins for registrations of known addresses; the unconfirmed account moves, unreachable, and expires",
    ),
    ("sessions", "every session and API token ends; members sign in again"),
    ("webauthn_challenges", "passkey ceremonies in progress, kept for minutes"),
];

/// What a sealed value is bound to besides association and subject.
#[derive(Clone, Copy)]
enum Field {
    Fixed(&'static str),
    /// Derived from another column of the row.
    Of(&'static str, fn(&str) -> String),
}

/// A column sealed under the association key (`AssociationKey::seal_for`):
/// the subject is the value of another column of the row.
#[derive(Clone, Copy)]
struct Sealed {
    table: &'static str,
    column: &'static str,
    subject: &'static str,
    field: Field,
}

fn same(s: &str) -> String {
    s.to_owned()
}

/// Every column sealed under the association key. (Messages and
/// attachments are sealed under their conversation's key, which is one of
/// these: they travel as they are.)
const SEALED: &[Sealed] = &[
    Sealed {
        table: "members",
        column: "totp_secret",
        subject: "id",
        field: Field::Fixed(crate::second_factor::TOTP_FIELD),
    },
    Sealed {
        table: "members",
        column: "totp_pending",
        subject: "id",
        field: Field::Fixed(crate::second_factor::TOTP_FIELD),
    },
    Sealed {
        table: "contact_requests",
        column: "sealed_message",
        subject: "from_id",
        field: Field::Of("id", crate::contacts::message_field),
    },
    Sealed {
        table: "conversation_keys",
        column: "sealed_key",
        subject: "conversation_id",
        field: Field::Fixed(crate::crypto::CONVERSATION_KEY_FIELD),
    },
    Sealed {
        table: "message_report_items",
        column: "sealed_body",
        subject: "report_id",
        field: Field::Of("message_id", crate::messaging::report_field),
    },
    Sealed {
        table: "photos",
        column: "sealed_image",
        subject: "member_id",
        field: Field::Fixed(crate::photos::PHOTO_FIELD),
    },
    Sealed { table: "profile_values", column: "sealed_value", subject: "member_id", field: Field::Of("field", same) },
    Sealed {
        table: "exports",
        column: "sealed_zip",
        subject: "member_id",
        field: Field::Of("id", crate::export::field_field),
    },
    Sealed {
        table: "letters",
        column: "sealed_address",
        subject: "member_id",
        field: Field::Fixed(crate::admission::LETTER_FIELD),
    },
];

/// A column of keyed hashes (`AssociationKey::search_token`) that moves:
/// the export finds each hash's input, the import hashes it again. A row
/// whose hash has no known input is left out where `drop_unknown`, else
/// kept as it is (it then matches nothing, as before for a stale hash).
struct Blind {
    table: &'static str,
    column: &'static str,
    drop_unknown: bool,
}

const BLIND: &[Blind] = &[
    Blind { table: "search_terms", column: "token", drop_unknown: true },
    Blind { table: "pseudonym_terms", column: "token", drop_unknown: true },
    Blind { table: "posts", column: "author_seal", drop_unknown: false },
    Blind { table: "topics", column: "author_seal", drop_unknown: false },
    Blind { table: "letters", column: "code_hash", drop_unknown: false },
];

/// The environment variable the passphrase may come from.
pub const PASSPHRASE_ENV: &str = "KINDRED_TRANSFER_PASSPHRASE";
/// Shortest passphrase an export accepts.
pub const MIN_PASSPHRASE: usize = 12;

const MAGIC: &[u8] = b"KINDRED-ASSOCIATION-TRANSFER\n";
const FORMAT: u8 = 1;
const SALT_LEN: usize = 16;
const NONCE_LEN: usize = 24;
/// Argon2id as OWASP recommends it (46 MiB, one pass, one lane).
const ARGON_MEMORY_KIB: u32 = 46 * 1024;
const ARGON_PASSES: u32 = 1;
const ARGON_LANES: u32 = 1;
/// A file asking for more memory than this is refused.
const ARGON_MEMORY_LIMIT_KIB: u32 = 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    #[error("there is no association with the slug {0}")]
    UnknownAssociation(String),
    #[error("the passphrase must be at least {MIN_PASSPHRASE} characters long")]
    WeakPassphrase,
    #[error("the passphrase does not open this file, or the file is damaged")]
    WrongPassphrase,
    #[error("this is not an association transfer file of a version this Kindred reads")]
    NotATransfer,
    #[error("the file does not fit this version of Kindred: {0}")]
    Incompatible(String),
    #[error("the target already has {0}; nothing was imported")]
    Clash(String),
    #[error("slug {0}")]
    Slug(String),
    #[error("sealed data of {table}: {source}")]
    Seal { table: String, source: CryptoError },
    #[error("encryption: {0}")]
    Crypto(#[from] CryptoError),
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// One value in the file.
#[derive(Debug, Clone, Serialize, Deserialize)]
enum FileCell {
    N,
    I(i64),
    R(f64),
    B(bool),
    T(String),
    /// Bytes, base64.
    X(String),
    D(DateTime<Utc>),
    /// A value opened from its seal (base64); sealed again on import.
    Open(String),
    /// A keyed hash's input; hashed again on import, the first `len` hex
    /// digits kept.
    Hash {
        purpose: String,
        value: String,
        len: usize,
    },
}

#[derive(Debug, Serialize, Deserialize)]
struct FileTable {
    table: String,
    columns: Vec<String>,
    rows: Vec<Vec<FileCell>>,
}

/// The content of a transfer file, once opened ([`read_transfer_file`]).
#[derive(Debug, Serialize, Deserialize)]
pub struct TransferFile {
    association_id: String,
    slug: String,
    exported_at: DateTime<Utc>,
    tables: Vec<FileTable>,
}

/// What an export or import did, for the operator.
#[derive(Debug, Clone, Default)]
pub struct TransferSummary {
    pub slug: String,
    pub members: usize,
    pub rows: usize,
    /// Sealed values that could not be opened (already unreadable): moved as they are.
    pub unreadable: usize,
    /// Keyed hashes without a known input: left out or kept unmatched.
    pub unresolved: usize,
}

fn cell_to_file(cell: Cell) -> FileCell {
    match cell {
        Cell::Null => FileCell::N,
        Cell::Int(n) => FileCell::I(n),
        Cell::Real(x) => FileCell::R(x),
        Cell::Bool(b) => FileCell::B(b),
        Cell::Text(s) => FileCell::T(s),
        Cell::Bytes(b) => FileCell::X(BASE64.encode(&b)),
        Cell::Time(at) => FileCell::D(at),
    }
}

fn text_of(cells: &[Cell], index: Option<usize>) -> Option<&str> {
    match index.and_then(|i| cells.get(i)) {
        Some(Cell::Text(s)) => Some(s),
        _ => None,
    }
}

fn bytes_of(cells: &[Cell], index: Option<usize>) -> Option<&[u8]> {
    match index.and_then(|i| cells.get(i)) {
        Some(Cell::Bytes(b)) => Some(b),
        _ => None,
    }
}

fn field_of(field: Field, columns: &[String], text: impl Fn(usize) -> Option<String>) -> Option<String> {
    match field {
        Field::Fixed(f) => Some(f.to_owned()),
        Field::Of(column, derive) => {
            let index = columns.iter().position(|c| c == column)?;
            text(index).map(|v| derive(&v))
        }
    }
}

/// Derives the file key from the passphrase.
fn file_key(
    passphrase: &str,
    salt: &[u8],
    memory: u32,
    passes: u32,
    lanes: u32,
) -> Result<Zeroizing<[u8; 32]>, TransferError> {
    let params = Params::new(memory, passes, lanes, Some(32)).map_err(|_| TransferError::NotATransfer)?;
    let mut key = Zeroizing::new([0u8; 32]);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), salt, key.as_mut_slice())
        .map_err(|e| CryptoError::Failed(format!("passphrase key: {e}")))?;
    Ok(key)
}

/// The file: MAGIC, format, Argon2 memory/passes/lanes (u32 LE each),
/// salt, nonce, then the JSON sealed with the header as associated data.
pub fn seal_file(passphrase: &str, json: &[u8]) -> Result<Vec<u8>, TransferError> {
    if passphrase.chars().count() < MIN_PASSPHRASE {
        return Err(TransferError::WeakPassphrase);
    }
    let mut salt = [0u8; SALT_LEN];
    let mut nonce = [0u8; NONCE_LEN];
    OsRng.try_fill_bytes(&mut salt).map_err(|e| CryptoError::Failed(format!("no randomness: {e}")))?;
    OsRng.try_fill_bytes(&mut nonce).map_err(|e| CryptoError::Failed(format!("no randomness: {e}")))?;
    let mut header = MAGIC.to_vec();
    header.push(FORMAT);
    for n in [ARGON_MEMORY_KIB, ARGON_PASSES, ARGON_LANES] {
        header.extend_from_slice(&n.to_le_bytes());
    }
    header.extend_from_slice(&salt);
    header.extend_from_slice(&nonce);
    let key = file_key(passphrase, &salt, ARGON_MEMORY_KIB, ARGON_PASSES, ARGON_LANES)?;
    let cipher = XChaCha20Poly1305::new(Key::from_slice(key.as_slice()));
    let body = cipher
        .encrypt(XNonce::from_slice(&nonce), Payload { msg: json, aad: &header })
        .map_err(|_| CryptoError::Failed("cipher refused the file".to_owned()))?;
    let mut out = header;
    out.extend_from_slice(&body);
    Ok(out)
}

/// Opens what [`seal_file`] wrote.
pub fn open_file(passphrase: &str, file: &[u8]) -> Result<Zeroizing<Vec<u8>>, TransferError> {
    let rest = file.strip_prefix(MAGIC).ok_or(TransferError::NotATransfer)?;
    let (&format, rest) = rest.split_first().ok_or(TransferError::NotATransfer)?;
    if format != FORMAT {
        return Err(TransferError::NotATransfer);
    }
    let header_len = MAGIC.len() + 1 + 12 + SALT_LEN + NONCE_LEN;
    if file.len() < header_len + 16 {
        return Err(TransferError::NotATransfer);
    }
    let number = |i: usize| -> u32 {
        let mut b = [0u8; 4];
        b.copy_from_slice(&rest[i * 4..i * 4 + 4]);
        u32::from_le_bytes(b)
    };
    let (memory, passes, lanes) = (number(0), number(1), number(2));
    if memory > ARGON_MEMORY_LIMIT_KIB || passes > 16 || lanes > 16 {
        return Err(TransferError::NotATransfer);
    }
    let salt = &rest[12..12 + SALT_LEN];
    let nonce = &rest[12 + SALT_LEN..12 + SALT_LEN + NONCE_LEN];
    let (header, body) = file.split_at(header_len);
    let key = file_key(passphrase, salt, memory, passes, lanes)?;
    let cipher = XChaCha20Poly1305::new(Key::from_slice(key.as_slice()));
    cipher
        .decrypt(XNonce::from_slice(nonce), Payload { msg: body, aad: header })
        .map(Zeroizing::new)
        .map_err(|_| TransferError::WrongPassphrase)
}

impl Kindred {
    /// The association `slug`, sealed under `passphrase`: the bytes of the
    /// transfer file.
    pub async fn export_association(
        &self,
        slug: &str,
        passphrase: &str,
    ) -> Result<(Vec<u8>, TransferSummary), TransferError> {
        if passphrase.chars().count() < MIN_PASSPHRASE {
            return Err(TransferError::WeakPassphrase);
        }
        let association = self
            .association(slug)
            .await
            .map_err(|e| TransferError::Incompatible(e.to_string()))?
            .ok_or_else(|| TransferError::UnknownAssociation(slug.to_owned()))?;
        let key = self.keys.association(&association.id)?;
        let tables = self.store.transfer_read(association.id.as_str(), MOVED).await?;
        let mut summary = TransferSummary { slug: slug.to_owned(), ..TransferSummary::default() };

        let inputs = known_hash_inputs(&key, &association.settings, &tables);
        let member_ids: Vec<String> = tables
            .iter()
            .find(|t| t.table == "members")
            .map(|t| t.rows.iter().filter_map(|r| text_of(r, t.column("id")).map(str::to_owned)).collect())
            .unwrap_or_default();
        summary.members = member_ids.len();

        let mut file_tables = Vec::with_capacity(tables.len());
        for table in tables {
            let sealed: Vec<(usize, Sealed)> = SEALED
                .iter()
                .filter(|s| s.table == table.table)
                .filter_map(|s| table.column(s.column).map(|i| (i, *s)))
                .collect();
            let blind: Vec<(usize, &Blind)> = BLIND
                .iter()
                .filter(|b| b.table == table.table)
                .filter_map(|b| table.column(b.column).map(|i| (i, b)))
                .collect();
            let seal_purpose = match table.table.as_str() {
                "posts" => Some(crate::forum::POST_SEAL),
                "topics" => Some(crate::forum::TOPIC_SEAL),
                _ => None,
            };
            let id_index = table.column("id");
            let mut rows = Vec::with_capacity(table.rows.len());
            'rows: for row in &table.rows {
                let mut out: Vec<FileCell> = Vec::with_capacity(row.len());
                for (i, cell) in row.iter().enumerate() {
                    if let Some((_, spec)) = sealed.iter().find(|(at, _)| *at == i) {
                        if let Some(bytes) = bytes_of(row, Some(i)) {
                            let subject = text_of(row, table.column(spec.subject));
                            let field =
                                field_of(spec.field, &table.columns, |j| text_of(row, Some(j)).map(str::to_owned));
                            let opened = match (subject, field) {
                                (Some(subject), Some(field)) => key.open_for(subject, &field, bytes).ok(),
                                _ => None,
                            };
                            match opened {
                                Some(clear) => out.push(FileCell::Open(BASE64.encode(&clear))),
                                None => {
                                    summary.unreadable += 1;
                                    out.push(cell_to_file(cell.clone()));
                                }
                            }
                            continue;
                        }
                    }
                    if let Some((_, spec)) = blind.iter().find(|(at, _)| *at == i) {
                        if let Some(hash) = text_of(row, Some(i)) {
                            let found = inputs.get(hash).cloned().or_else(|| {
                                // An anonymous author's seal: whose is it?
                                let purpose = seal_purpose?;
                                let thing = text_of(row, id_index)?;
                                member_ids.iter().find_map(|m| {
                                    let value = format!("{thing}|{m}");
                                    (key.search_token(purpose, &value) == hash).then(|| (purpose.to_owned(), value))
                                })
                            });
                            match found {
                                Some((purpose, value)) => out.push(FileCell::Hash { purpose, value, len: hash.len() }),
                                None => {
                                    summary.unresolved += 1;
                                    if spec.drop_unknown {
                                        continue 'rows;
                                    }
                                    out.push(cell_to_file(cell.clone()));
                                }
                            }
                            continue;
                        }
                    }
                    out.push(cell_to_file(cell.clone()));
                }
                rows.push(out);
            }
            summary.rows += rows.len();
            file_tables.push(FileTable { table: table.table, columns: table.columns, rows });
        }
        let payload = TransferFile {
            association_id: association.id.as_str().to_owned(),
            slug: association.slug.to_string(),
            exported_at: self.clock.now(),
            tables: file_tables,
        };
        let json = Zeroizing::new(
            serde_json::to_vec(&payload).map_err(|e| CryptoError::Failed(format!("cannot write the file: {e}")))?,
        );
        Ok((seal_file(passphrase, &json)?, summary))
    }

    /// Imports a transfer file: every sealed value sealed again and every
    /// keyed hash computed again under this deployment's keys, in one
    /// transaction. `new_slug` renames the association on the way.
    pub async fn import_association(
        &self,
        payload: TransferFile,
        new_slug: Option<&str>,
    ) -> Result<TransferSummary, TransferError> {
        let id = AssociationId::parse(&payload.association_id)
            .ok_or_else(|| TransferError::Incompatible("the association id is malformed".into()))?;
        let slug = match new_slug {
            Some(s) => Slug::parse(s).map_err(|e| TransferError::Slug(e.to_string()))?,
            None => Slug::parse(&payload.slug).map_err(|e| TransferError::Slug(e.to_string()))?,
        };
        let key = self.keys.association(&id)?;
        let payload_exported_at = payload.exported_at;
        let mut summary = TransferSummary { slug: slug.to_string(), ..TransferSummary::default() };
        let mut hosts = Vec::new();
        let mut tables = Vec::with_capacity(payload.tables.len());
        let mut last = None;
        for table in payload.tables {
            // Only the tables that move, in their order: a file cannot
            // write anywhere else.
            let position = MOVED.iter().position(|t| *t == table.table);
            if position.is_none() || position <= last {
                return Err(TransferError::Incompatible(format!("unexpected table {:?}", truncate(&table.table))));
            }
            last = position;
            let owner = if table.table == "associations" { "id" } else { "association_id" };
            let owner_index = table
                .columns
                .iter()
                .position(|c| c == owner)
                .ok_or_else(|| TransferError::Incompatible(format!("{} without {owner}", table.table)))?;
            let sealed: Vec<(usize, Sealed)> = SEALED
                .iter()
                .filter(|s| s.table == table.table)
                .filter_map(|s| table.columns.iter().position(|c| c == s.column).map(|i| (i, *s)))
                .collect();
            let mut rows = Vec::with_capacity(table.rows.len());
            for row in table.rows {
                if row.len() != table.columns.len() {
                    return Err(TransferError::Incompatible(format!("a row of {} is incomplete", table.table)));
                }
                let plain = |j: usize| match row.get(j) {
                    Some(FileCell::T(s)) => Some(s.clone()),
                    _ => None,
                };
                if plain(owner_index).as_deref() != Some(id.as_str()) {
                    return Err(TransferError::Incompatible(format!("a row of {} belongs elsewhere", table.table)));
                }
                let mut cells = Vec::with_capacity(row.len());
                for (i, cell) in row.iter().enumerate() {
                    cells.push(match cell {
                        FileCell::N => Cell::Null,
                        FileCell::I(n) => Cell::Int(*n),
                        FileCell::R(x) => Cell::Real(*x),
                        FileCell::B(b) => Cell::Bool(*b),
                        FileCell::T(s) => Cell::Text(s.clone()),
                        FileCell::D(at) => Cell::Time(*at),
                        FileCell::X(b64) => Cell::Bytes(decode(b64, &table.table)?),
                        FileCell::Open(b64) => {
                            let clear = Zeroizing::new(decode(b64, &table.table)?);
                            let (_, spec) = sealed.iter().find(|(at, _)| *at == i).ok_or_else(|| {
                                TransferError::Incompatible(format!(
                                    "an opened value in {} where none belongs",
                                    table.table
                                ))
                            })?;
                            let subject = table.columns.iter().position(|c| c == spec.subject).and_then(plain);
                            let field = field_of(spec.field, &table.columns, plain);
                            let (Some(subject), Some(field)) = (subject, field) else {
                                return Err(TransferError::Incompatible(format!(
                                    "a sealed value of {} lacks its owner",
                                    table.table
                                )));
                            };
                            let sealed = key
                                .seal_for(&subject, &field, &clear)
                                .map_err(|source| TransferError::Seal { table: table.table.clone(), source })?;
                            Cell::Bytes(sealed)
                        }
                        FileCell::Hash { purpose, value, len } => {
                            let mut token = key.search_token(purpose, value);
                            token.truncate(*len);
                            Cell::Text(token)
                        }
                    });
                }
                if table.table == "associations" {
                    if let Some(i) = table.columns.iter().position(|c| c == "slug") {
                        cells[i] = Cell::Text(slug.to_string());
                    }
                    if let Some(i) = table.columns.iter().position(|c| c == "settings") {
                        match &cells[i] {
                            Cell::Text(settings) => {
                                association_config::from_stored(settings)
                                    .map_err(|e| TransferError::Incompatible(format!("the settings: {e}")))?;
                            }
                            _ => return Err(TransferError::Incompatible("the settings are missing".into())),
                        }
                    }
                }
                if table.table == "association_hosts" {
                    if let Some(host) = table.columns.iter().position(|c| c == "host").and_then(plain) {
                        hosts.push(host);
                    }
                }
                if table.table == "members" {
                    summary.members += 1;
                }
                rows.push(cells);
            }
            summary.rows += rows.len();
            tables.push(TableRows { table: table.table, columns: table.columns, rows });
        }
        if !matches!(tables.first(), Some(t) if t.table == "associations" && t.rows.len() == 1) {
            return Err(TransferError::Incompatible("the association itself is missing".into()));
        }
        // The move itself goes into the association's audit log, with the rest.
        let audit_columns = ["id", "association_id", "at", "actor_id", "action", "target_id", "detail"];
        let audit = match tables.iter_mut().find(|t| t.table == "audit_log") {
            Some(table) => table,
            None => {
                tables.push(TableRows {
                    table: "audit_log".into(),
                    columns: audit_columns.iter().map(|c| (*c).to_owned()).collect(),
                    rows: Vec::new(),
                });
                let last = tables.len() - 1;
                &mut tables[last]
            }
        };
        let entry_id = random_token();
        let row = audit
            .columns
            .iter()
            .map(|column| match column.as_str() {
                "id" => Cell::Text(entry_id.chars().take(26).collect()),
                "association_id" => Cell::Text(id.as_str().to_owned()),
                "at" => Cell::Time(self.clock.now()),
                "action" => Cell::Text("association.imported".into()),
                "detail" => Cell::Text(format!("exported at {}", payload_exported_at.to_rfc3339())),
                _ => Cell::Null,
            })
            .collect();
        audit.rows.push(row);
        let clashes = self.store.transfer_clashes(id.as_str(), slug.as_str(), &hosts).await?;
        if let Some(clash) = clashes.first() {
            return Err(TransferError::Clash(match clash {
                TransferClash::Id(id) => format!("this association (id {id}); it was imported before"),
                TransferClash::Slug(s) => format!("an association with the slug {s}; choose another with --slug"),
                TransferClash::Host(h) => format!("an association at the host name {h}"),
            }));
        }
        self.store.transfer_write(&tables).await.map_err(|e| match e {
            StoreError::Conflict(_) => TransferError::Clash("an association with this id, slug or host name".into()),
            other => TransferError::Store(other),
        })?;
        Ok(summary)
    }
}

/// Opens a transfer file with its passphrase (before any database is touched).
pub fn read_transfer_file(file: &[u8], passphrase: &str) -> Result<TransferFile, TransferError> {
    let json = open_file(passphrase, file)?;
    serde_json::from_slice(&json).map_err(|e| TransferError::Incompatible(format!("unreadable content: {e}")))
}

fn truncate(s: &str) -> String {
    s.chars().take(60).collect()
}

fn decode(b64: &str, table: &str) -> Result<Vec<u8>, TransferError> {
    BASE64.decode(b64.as_bytes()).map_err(|_| TransferError::Incompatible(format!("damaged bytes in {table}")))
}

/// The inputs of keyed hashes that the association's own data tells:
/// search terms of profile values, prefixes of pseudonyms, codes of
/// letters not yet confirmed. (Anonymous authors' seals are found row by
/// row.)
fn known_hash_inputs(
    key: &AssociationKey,
    settings: &kindred_domain::settings::AssociationSettings,
    tables: &[TableRows],
) -> HashMap<String, (String, String)> {
    let mut inputs = HashMap::new();
    let mut add = |purpose: &str, value: String, truncate: Option<usize>| {
        let mut token = key.search_token(purpose, &value);
        if let Some(len) = truncate {
            token.truncate(len);
        }
        inputs.insert(token, (purpose.to_owned(), value));
    };
    for table in tables {
        match table.table.as_str() {
            "members" => {
                for row in &table.rows {
                    if let Some(pseudonym) = text_of(row, table.column("pseudonym")) {
                        for prefix in pseudonym_prefixes(pseudonym) {
                            add(crate::members::PSEUDONYM_PURPOSE, prefix, Some(crate::members::PSEUDONYM_TOKEN_LEN));
                        }
                    }
                }
            }
            "profile_values" => {
                for row in &table.rows {
                    let (Some(member), Some(code)) =
                        (text_of(row, table.column("member_id")), text_of(row, table.column("field")))
                    else {
                        continue;
                    };
                    let Some(spec) = settings.profile_fields.iter().find(|f| f.code.as_str() == code) else { continue };
                    let text = match (
                        text_of(row, table.column("clear_value")),
                        bytes_of(row, table.column("sealed_value")),
                    ) {
                        (Some(clear), _) => Some(clear.to_owned()),
                        (None, Some(sealed)) => key
                            .open(&MemberId::from_trusted(member.to_owned()), code, sealed)
                            .ok()
                            .and_then(|b| String::from_utf8(b).ok()),
                        _ => None,
                    };
                    let Some(value) = text.and_then(|t| FieldValue::decode(spec.kind, &t)) else { continue };
                    for (purpose, value) in crate::profiles::term_inputs(spec, &value) {
                        add(&purpose, value, None);
                    }
                }
            }
            "letters" => {
                for row in &table.rows {
                    let (Some(member), Some(sealed)) =
                        (text_of(row, table.column("member_id")), bytes_of(row, table.column("sealed_address")))
                    else {
                        continue;
                    };
                    let Ok(json) =
                        key.open(&MemberId::from_trusted(member.to_owned()), crate::admission::LETTER_FIELD, sealed)
                    else {
                        continue;
                    };
                    if let Ok(address) = serde_json::from_slice::<crate::admission::LetterAddress>(&json) {
                        add("letter-code", address.code.replace('-', ""), None);
                    }
                }
            }
            _ => {}
        }
    }
    inputs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_opens_only_with_its_passphrase() {
        let json = br#"{"condition":"Morbus Crohn"}"#;
        let file = seal_file("correct horse battery", json).unwrap();
        assert!(!file.windows(5).any(|w| w == b"Crohn"));
        assert_eq!(open_file("correct horse battery", &file).unwrap().as_slice(), json);
        assert!(matches!(open_file("wrong horse battery", &file), Err(TransferError::WrongPassphrase)));
        let mut damaged = file.clone();
        let last = damaged.len() - 1;
        damaged[last] ^= 1;
        assert!(matches!(open_file("correct horse battery", &damaged), Err(TransferError::WrongPassphrase)));
        assert!(matches!(open_file("correct horse battery", b"hello"), Err(TransferError::NotATransfer)));
        assert!(matches!(open_file("correct horse battery", &file[..40]), Err(TransferError::NotATransfer)));
        assert!(matches!(seal_file("short", json), Err(TransferError::WeakPassphrase)));
    }

    #[test]
    fn every_table_is_named_once() {
        let mut all: Vec<&str> = MOVED.to_vec();
        all.extend(LEFT_BEHIND.iter().map(|(t, _)| *t));
        let mut sorted = all.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), all.len(), "a table named twice");
        for spec in SEALED {
            assert!(MOVED.contains(&spec.table), "{}", spec.table);
        }
        for spec in BLIND {
            assert!(MOVED.contains(&spec.table), "{}", spec.table);
        }
    }
}
