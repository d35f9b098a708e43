//! Sending e-mail: one plain-text message to one recipient, handed to an
//! SMTP server, or written as a file into an outbox directory when no server
//! is configured (development, tests, demo).
//!
//! Messages are built with lettre's typed builders, so a subject or an
//! address can never add a header of its own. The body is sent as `7bit` or
//! `8bit` whenever its lines allow, so that links stay whole in the raw
//! message (and in the outbox files that tests read).
//!
//! Nothing here logs a recipient, a subject or a body: mail carries personal
//! data. Errors do not carry them either, nor the SMTP password.

use kindred_domain::EmailAddress;
use lettre::message::header::{ContentTransferEncoding, ContentType, HeaderName, HeaderValue, MessageId};
use lettre::message::{Body, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use rand::rngs::OsRng;
use rand::RngCore;
use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

const LIST_UNSUBSCRIBE: HeaderName = HeaderName::new_from_ascii_str("List-Unsubscribe");
const LIST_UNSUBSCRIBE_POST: HeaderName = HeaderName::new_from_ascii_str("List-Unsubscribe-Post");
const CONTENT_LANGUAGE: HeaderName = HeaderName::new_from_ascii_str("Content-Language");

/// A mail id fit for a file name and a Message-ID: 8 to 64 lowercase
/// letters and digits.
fn is_mail_id(id: &str) -> bool {
    (8..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// How long the SMTP server may take to answer a command.
const SMTP_TIMEOUT: Duration = Duration::from_secs(15);

/// One message to one recipient, plain text (UTF-8), optionally with an
/// HTML alternative and the headers of a notification mail.
#[derive(Clone)]
pub struct Mail {
    pub to: EmailAddress,
    pub subject: String,
    pub text: String,
    /// A simple HTML part; with it the mail is multipart/alternative.
    pub html: Option<String>,
    /// `Content-Language` (the HTML part carries it as `lang` too).
    pub language: Option<&'static str>,
    /// The sender's display name (the association's name); the address is
    /// the configured one.
    pub sender_name: Option<String>,
    /// Names the mail for good: the `Message-ID` and, in the outbox, the
    /// file. A mail sent again under the same id after a crash is not
    /// written twice to the outbox, and has the same Message-ID for SMTP.
    pub id: Option<String>,
    /// The one-click unsubscribe link of RFC 8058 (`List-Unsubscribe` and
    /// `List-Unsubscribe-Post`).
    pub unsubscribe: Option<String>,
}

impl Mail {
    /// A plain-text mail with no extras.
    pub fn plain(to: EmailAddress, subject: String, text: String) -> Mail {
        Mail { to, subject, text, html: None, language: None, sender_name: None, id: None, unsubscribe: None }
    }
}

/// Never prints the recipient, subject or text: a `{:?}` in a log line must
/// not leak personal data.
impl fmt::Debug for Mail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Mail(..)")
    }
}

/// Where mail goes.
#[derive(Clone, Debug)]
pub enum MailConfig {
    /// No SMTP server configured: each mail is written as `{dir}/<timestamp>-<random>.eml`.
    Outbox {
        dir: PathBuf,
    },
    Smtp(SmtpConfig),
}

/// An SMTP server to hand mail to.
#[derive(Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    pub security: SmtpSecurity,
    pub username: Option<String>,
    pub password: Option<String>,
}

/// Never prints the password.
impl fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

/// How the connection to the SMTP server is protected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// Implicit TLS from the first byte (usually port 465).
    Tls,
    /// Plain connection upgraded with STARTTLS, which is required: a server
    /// that does not offer it gets no mail (usually port 587).
    StartTls,
    /// No encryption at all; only for a relay on the same machine or a
    /// private network. Refuses credentials.
    None,
}

impl SmtpSecurity {
    /// `"tls"`, `"starttls"` or `"none"`.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "tls" => Some(Self::Tls),
            "starttls" => Some(Self::StartTls),
            "none" => Some(Self::None),
            _ => None,
        }
    }

    /// The name [`SmtpSecurity::parse`] reads.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Tls => "tls",
            Self::StartTls => "starttls",
            Self::None => "none",
        }
    }

    /// The usual port for this kind of connection.
    pub fn default_port(self) -> u16 {
        match self {
            Self::Tls => 465,
            Self::StartTls => 587,
            Self::None => 25,
        }
    }
}

impl fmt::Display for SmtpSecurity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a mail could not be sent, or the mailer not be set up. Messages fit on
/// one line and contain neither the recipient, the content nor a password.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The sender (configuration) or the recipient is not an address lettre
    /// accepts. `what` says which; the address itself is not repeated.
    #[error("{what} is not a usable e-mail address: {reason}")]
    Address { what: &'static str, reason: String },
    /// The SMTP settings do not fit together.
    #[error("SMTP configuration: {0}")]
    Config(String),
    /// The message could not be put together.
    #[error("the message could not be built: {0}")]
    Build(String),
    /// The outbox directory or file could not be written.
    #[error("outbox {}: {source}", path.display())]
    Outbox { path: PathBuf, source: io::Error },
    /// The SMTP server could not be reached or refused the mail.
    #[error("SMTP: {0}")]
    Smtp(String),
}

/// Checks a sender address such as `Kindred <no-reply@example.org>` or
/// `no-reply@example.org`, as [`Mailer::new`] would; for the configuration.
pub fn check_sender(from: &str) -> Result<(), MailError> {
    parse_sender(from).map(|_| ())
}

fn parse_sender(from: &str) -> Result<Mailbox, MailError> {
    from.trim().parse::<Mailbox>().map_err(|e| MailError::Address { what: "the sender", reason: e.to_string() })
}

/// Sends mail. Cheap to clone; build it once at start-up.
#[derive(Clone)]
pub struct Mailer {
    from: Mailbox,
    transport: Transport,
}

#[derive(Clone)]
enum Transport {
    Outbox {
        dir: PathBuf,
    },
    Smtp {
        transport: Arc<AsyncSmtpTransport<Tokio1Executor>>,
        host: String,
        port: u16,
        security: SmtpSecurity,
        /// Kept only to scrub it from error messages.
        password: Option<String>,
    },
}

impl fmt::Debug for Mailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Mailer({})", self.describe())
    }
}

impl Mailer {
    /// `from` is the sender address, e.g. "Kindred <no-reply@example.org>" or a bare address.
    ///
    /// Does no I/O: the outbox directory is created by the first `send`, and
    /// the SMTP server is first contacted then.
    pub fn new(config: MailConfig, from: &str) -> Result<Mailer, MailError> {
        let from = parse_sender(from)?;
        let transport = match config {
            MailConfig::Outbox { dir } => Transport::Outbox { dir },
            MailConfig::Smtp(smtp) => smtp_transport(smtp)?,
        };
        Ok(Mailer { from, transport })
    }

    /// Sends one mail; returns once the SMTP server has accepted it or the
    /// file is complete in the outbox.
    pub async fn send(&self, mail: Mail) -> Result<(), MailError> {
        let to = mail.to.as_str().to_owned();
        let id = mail.id.clone();
        let message = self.build(mail)?;
        match &self.transport {
            Transport::Outbox { dir } => {
                let bytes = message.formatted();
                let target = dir.clone();
                let path = tokio::task::spawn_blocking(move || write_to_outbox(&target, &bytes, id.as_deref()))
                    .await
                    .map_err(|e| MailError::Outbox { path: dir.clone(), source: io::Error::other(e.to_string()) })??;
                tracing::info!(path = %path.display(), "mail written to the outbox");
                Ok(())
            }
            Transport::Smtp { transport, host, port, password, .. } => {
                transport
                    .send(message)
                    .await
                    .map_err(|e| MailError::Smtp(scrub(&e.to_string(), &to, password.as_deref())))?;
                tracing::info!(server = %format_args!("{host}:{port}"), "mail handed to the SMTP server");
                Ok(())
            }
        }
    }

    /// For logs and the README: "outbox /path" or "smtp host:port (starttls)".
    pub fn describe(&self) -> String {
        match &self.transport {
            Transport::Outbox { dir } => format!("outbox {}", dir.display()),
            Transport::Smtp { host, port, security, .. } => format!("smtp {host}:{port} ({security})"),
        }
    }

    /// The complete RFC 5322 message.
    fn build(&self, mail: Mail) -> Result<Message, MailError> {
        let to: Address = mail.to.as_str().parse().map_err(|e: lettre::address::AddressError| MailError::Address {
            what: "the recipient",
            reason: e.to_string(),
        })?;
        let local = mail.id.as_deref().filter(|id| is_mail_id(id)).map_or_else(|| random_base32(20), str::to_owned);
        let message_id = format!("<{local}@{}>", self.from.email.domain());
        let from = match mail.sender_name.as_deref().map(one_line).filter(|n| !n.trim().is_empty()) {
            Some(name) => Mailbox::new(Some(name), self.from.email.clone()),
            None => self.from.clone(),
        };
        let mut builder = Message::builder()
            .from(from)
            .to(Mailbox::new(None, to))
            .subject(one_line(&mail.subject))
            .date_now()
            .header(MessageId::from(message_id));
        if let Some(language) = mail.language {
            builder = builder.raw_header(HeaderValue::new(CONTENT_LANGUAGE, language.to_owned()));
        }
        if let Some(link) = mail.unsubscribe.as_deref().filter(|l| l.is_ascii() && !l.contains(['<', '>', ' '])) {
            builder = builder
                .raw_header(HeaderValue::new(LIST_UNSUBSCRIBE, format!("<{link}>")))
                .raw_header(HeaderValue::new(LIST_UNSUBSCRIBE_POST, "List-Unsubscribe=One-Click".to_owned()));
        }
        let plain = SinglePart::builder().header(ContentType::TEXT_PLAIN).body(text_body(mail.text));
        match mail.html {
            Some(html) => builder.multipart(
                MultiPart::alternative()
                    .singlepart(plain)
                    .singlepart(SinglePart::builder().header(ContentType::TEXT_HTML).body(text_body(html))),
            ),
            None => builder.singlepart(plain),
        }
        .map_err(|e| MailError::Build(e.to_string()))
    }
}

fn smtp_transport(smtp: SmtpConfig) -> Result<Transport, MailError> {
    let SmtpConfig { host, port, security, username, password } = smtp;
    if host.trim().is_empty() {
        return Err(MailError::Config("the host is empty".into()));
    }
    if port == 0 {
        return Err(MailError::Config("the port must not be 0".into()));
    }
    let credentials = match (username, password.clone()) {
        (Some(user), Some(password)) => Some(Credentials::new(user, password)),
        (None, None) => None,
        _ => return Err(MailError::Config("a user name and a password go together".into())),
    };
    if credentials.is_some() && security == SmtpSecurity::None {
        return Err(MailError::Config("security \"none\" would send the password unencrypted".into()));
    }
    let builder = match security {
        SmtpSecurity::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&host),
        SmtpSecurity::StartTls => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&host),
        SmtpSecurity::None => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&host)),
    }
    .map_err(|e| MailError::Config(format!("no TLS for {host}: {e}")))?;
    let builder = builder.port(port).timeout(Some(SMTP_TIMEOUT));
    let builder = match credentials {
        Some(credentials) => builder.credentials(credentials),
        None => builder,
    };
    Ok(Transport::Smtp { transport: Arc::new(builder.build()), host, port, security, password })
}

/// Control characters (line breaks, tabs) become spaces. lettre would
/// encode them safely, but a subject shows on one line.
fn one_line(text: &str) -> String {
    text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// An SMTP error without the recipient's address (servers like to quote it
/// in a refusal) and without the password.
fn scrub(text: &str, to: &str, password: Option<&str>) -> String {
    let text = text.replace(to, "<recipient>");
    match password.filter(|p| !p.is_empty()) {
        Some(password) => text.replace(password, "<redacted>"),
        None => text,
    }
}

/// `7bit` for ASCII, `8bit` for UTF-8, as long as every line fits the
/// 998-byte limit of RFC 5322; else whatever lettre finds best. lettre's
/// own choice would pick quoted-printable for lines over 76 characters,
/// which breaks links (`token=` becomes `token=3D`) for anyone who reads
/// the raw message, so the text is passed as it is, with CRLF line ends.
fn text_body(text: String) -> Body {
    let crlf = text.replace('\r', "").replace('\n', "\r\n");
    let fits = crlf.split("\r\n").all(|line| line.len() <= 998) && !crlf.contains('\0');
    if fits {
        let encoding =
            if crlf.is_ascii() { ContentTransferEncoding::SevenBit } else { ContentTransferEncoding::EightBit };
        Body::dangerous_pre_encoded(crlf.into_bytes(), encoding)
    } else {
        Body::new(text)
    }
}

/// The stem of a mail's file name as a marker names it (`….eml`, a plain
/// name in the outbox); `None` for anything else.
fn outbox_stem(name: &str) -> Option<String> {
    let stem = name.strip_suffix(".eml")?;
    let plain = !stem.is_empty()
        && !stem.starts_with('.')
        && stem.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'));
    plain.then(|| stem.to_owned())
}

/// Lowercase base32 of random bytes from the operating system; `bytes * 8 / 5` characters.
fn random_base32(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    OsRng.fill_bytes(&mut buf);
    data_encoding::BASE32_NOPAD.encode(&buf).to_ascii_lowercase()
}

/// Writes one message as `{dir}/20261122T101500.123456Z-abcdefgh.eml`: into a
/// hidden `.tmp` file first (0600), then renamed, so that a reader never sees
/// half a message. Creates the directory (0700) if needed.
///
/// A mail with an id is named `…-{id}.eml`, and a hidden marker `.id-{id}`
/// holding that name is written first; when the marker's file is there
/// already, the mail was delivered before and nothing is written (when only
/// the marker is, the mail is written under the name it holds).
fn write_to_outbox(dir: &Path, message: &[u8], id: Option<&str>) -> Result<PathBuf, MailError> {
    let failed = |path: &Path| {
        let path = path.to_path_buf();
        move |source| MailError::Outbox { path, source }
    };
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(failed(dir))?;

    let id = id.filter(|id| is_mail_id(id));
    let now = chrono::Utc::now().format("%Y%m%dT%H%M%S%.6fZ");
    let stem = match id {
        None => format!("{now}-{}", random_base32(5)),
        Some(id) => {
            // The marker `.id-{id}` names the mail's file, written before
            // the mail: a second send finds it in one look, not by reading
            // a directory of thousands of mails.
            let marker = dir.join(format!(".id-{id}"));
            match std::fs::read_to_string(&marker).ok().and_then(|name| outbox_stem(name.trim())) {
                Some(stem) => {
                    let path = dir.join(format!("{stem}.eml"));
                    if path.exists() {
                        return Ok(path);
                    }
                    // Named, never written (a crash between): written now.
                    stem
                }
                None => {
                    let stem = format!("{now}-{id}");
                    let written = (|| {
                        let mut file = std::fs::File::create(&marker)?;
                        file.write_all(format!("{stem}.eml").as_bytes())?;
                        file.sync_all()
                    })();
                    written.map_err(failed(&marker))?;
                    stem
                }
            }
        }
    };
    let temp = dir.join(format!(".{stem}.tmp"));
    let path = dir.join(format!("{stem}.eml"));
    let written = (|| {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&temp)?;
        file.write_all(message)?;
        file.sync_all()?;
        std::fs::rename(&temp, &path)
    })();
    if let Err(source) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(failed(&path)(source));
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader};
    use std::net::TcpListener;

    struct TempDir(PathBuf);

    impl TempDir {
        fn new() -> TempDir {
            let dir = std::env::temp_dir().join(format!("kindred-mail-{}", random_base32(10)));
            TempDir(dir)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn mail(to: &str, subject: &str, text: &str) -> Mail {
        Mail::plain(EmailAddress::parse(to).unwrap(), subject.into(), text.into())
    }

    fn eml_files(dir: &Path) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        files.sort();
        files
    }

    /// The header block of a raw message, unfolded, as (name, value) pairs.
    fn headers(raw: &str) -> Vec<(String, String)> {
        let head = raw.split("\r\n\r\n").next().unwrap();
        let mut out: Vec<(String, String)> = Vec::new();
        for line in head.split("\r\n") {
            if line.starts_with(' ') || line.starts_with('\t') {
                out.last_mut().unwrap().1.push_str(line);
            } else {
                let (name, value) = line.split_once(':').unwrap();
                out.push((name.to_ascii_lowercase(), value.trim().to_owned()));
            }
        }
        out
    }

    fn header(raw: &str, name: &str) -> Option<String> {
        headers(raw).into_iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    const TEXT: &str = "Hallo Jürgen,\n\nbitte bestätige deine Adresse (Größe egal):\nhttps://x/a/demo/confirm?token=abc\n\nDein Kindred-Team ÄÖÜ ß\n";

    #[tokio::test]
    async fn the_outbox_gets_one_complete_private_file_per_mail() {
        let tmp = TempDir::new();
        let dir = tmp.0.join("data").join("outbox");
        let mailer = Mailer::new(MailConfig::Outbox { dir: dir.clone() }, "Kindred <no-reply@example.org>").unwrap();
        assert_eq!(mailer.describe(), format!("outbox {}", dir.display()));
        assert!(!dir.exists(), "new does no I/O");

        mailer.send(mail("anna@example.org", "Bestätige deine Adresse", TEXT)).await.unwrap();
        let files = eml_files(&dir);
        assert_eq!(files.len(), 1);
        let name = files[0].file_name().unwrap().to_str().unwrap().to_owned();
        // 20261122T101500.123456Z-abcdefgh.eml
        assert_eq!(name.len(), 23 + 1 + 8 + 4, "{name}");
        assert!(name.ends_with(".eml") && name.as_bytes()[8] == b'T' && name.as_bytes()[22] == b'Z', "{name}");

        let raw = std::fs::read_to_string(&files[0]).unwrap();
        assert_eq!(header(&raw, "to").unwrap(), "anna@example.org");
        assert_eq!(header(&raw, "from").unwrap(), "Kindred <no-reply@example.org>");
        assert!(header(&raw, "date").is_some());
        let id = header(&raw, "message-id").unwrap();
        assert!(id.starts_with('<') && id.ends_with("@example.org>"), "{id}");
        assert_eq!(header(&raw, "content-type").unwrap().to_ascii_lowercase(), "text/plain; charset=utf-8");
        assert_eq!(header(&raw, "content-transfer-encoding").unwrap(), "8bit");
        // The non-ASCII subject is RFC 2047 encoded; it decodes to the original.
        let subject = header(&raw, "subject").unwrap();
        assert!(subject.starts_with("=?utf-8?"), "{subject}");
        // The body is the text as written (with CRLF line ends): umlauts and the link whole.
        let body = raw.split_once("\r\n\r\n").unwrap().1;
        assert_eq!(body, format!("{}\r\n", TEXT.replace('\n', "\r\n")));
        assert!(raw.lines().any(|l| l.trim_end() == "https://x/a/demo/confirm?token=abc"));

        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&files[0]), 0o600);
            assert_eq!(mode(&dir), 0o700);
        }
    }

    #[tokio::test]
    async fn a_mail_with_an_id_is_written_once_and_found_by_its_marker() {
        let tmp = TempDir::new();
        let mailer = Mailer::new(MailConfig::Outbox { dir: tmp.0.clone() }, "no-reply@localhost").unwrap();
        let with_id = |id: &str| Mail { id: Some(id.to_owned()), ..mail("a@example.org", "digest", "text") };
        let emls = |dir: &Path| -> Vec<PathBuf> {
            eml_files(dir).into_iter().filter(|p| p.extension().is_some_and(|e| e == "eml")).collect()
        };
        mailer.send(with_id("firstmail0001")).await.unwrap();
        mailer.send(with_id("firstmail0001")).await.unwrap();
        let files = emls(&tmp.0);
        assert_eq!(files.len(), 1, "{files:?}");
        assert!(files[0].to_str().unwrap().ends_with("-firstmail0001.eml"));
        let marker = std::fs::read_to_string(tmp.0.join(".id-firstmail0001")).unwrap();
        assert_eq!(Some(marker.as_str()), files[0].file_name().and_then(|n| n.to_str()));
        // A marker whose mail was never written (a crash between): written under its name.
        std::fs::write(tmp.0.join(".id-secondmail002"), "20261124T000000.000000Z-secondmail002.eml").unwrap();
        mailer.send(with_id("secondmail002")).await.unwrap();
        assert!(tmp.0.join("20261124T000000.000000Z-secondmail002.eml").exists());
        // A marker naming something outside the outbox is not followed.
        std::fs::write(tmp.0.join(".id-thirdmail0003"), "../../etc/passwd.eml").unwrap();
        mailer.send(with_id("thirdmail0003")).await.unwrap();
        assert_eq!(emls(&tmp.0).len(), 3);
        assert!(!tmp.0.join("../../etc/passwd.eml").exists());
    }

    #[tokio::test]
    async fn two_mails_make_two_files_in_time_order() {
        let tmp = TempDir::new();
        let mailer = Mailer::new(MailConfig::Outbox { dir: tmp.0.clone() }, "no-reply@localhost").unwrap();
        mailer.send(mail("a@example.org", "one", "first")).await.unwrap();
        mailer.send(mail("b@example.org", "two", "second")).await.unwrap();
        let files = eml_files(&tmp.0);
        assert_eq!(files.len(), 2, "no temporary files are left: {files:?}");
        let first = std::fs::read_to_string(&files[0]).unwrap();
        let second = std::fs::read_to_string(&files[1]).unwrap();
        assert_eq!(header(&first, "subject").unwrap(), "one");
        assert_eq!(header(&second, "subject").unwrap(), "two");
        assert_eq!(header(&first, "content-transfer-encoding").unwrap(), "7bit");
        assert!(first.ends_with("\r\n\r\nfirst\r\n"));
    }

    #[tokio::test]
    async fn long_lines_fall_back_to_an_encoding_that_keeps_them_valid() {
        let tmp = TempDir::new();
        let mailer = Mailer::new(MailConfig::Outbox { dir: tmp.0.clone() }, "no-reply@example.org").unwrap();
        mailer.send(mail("a@example.org", "long", &"ü".repeat(800))).await.unwrap();
        let raw = std::fs::read_to_string(&eml_files(&tmp.0)[0]).unwrap();
        assert_ne!(header(&raw, "content-transfer-encoding").unwrap(), "8bit");
        assert!(raw.split("\r\n").all(|l| l.len() <= 998));
    }

    #[tokio::test]
    async fn a_subject_cannot_add_headers() {
        let tmp = TempDir::new();
        let mailer = Mailer::new(MailConfig::Outbox { dir: tmp.0.clone() }, "no-reply@example.org").unwrap();
        mailer.send(mail("a@example.org", "Hi\r\nBcc: x@y\r\n\r\nbody?", "text")).await.unwrap();
        let raw = std::fs::read_to_string(&eml_files(&tmp.0)[0]).unwrap();
        let names: Vec<String> = headers(&raw).into_iter().map(|(n, _)| n).collect();
        assert!(!names.iter().any(|n| n == "bcc"), "{raw}");
        assert_eq!(names.iter().filter(|n| *n == "subject").count(), 1);
        assert!(!raw.split("\r\n").any(|l| l.to_ascii_lowercase().starts_with("bcc:")), "{raw}");
        assert_eq!(header(&raw, "subject").unwrap(), "Hi  Bcc: x@y    body?");
        assert!(raw.ends_with("\r\n\r\ntext\r\n"), "{raw}");
    }

    #[test]
    fn senders_and_settings_are_checked() {
        assert!(check_sender("Kindred <no-reply@example.org>").is_ok());
        assert!(check_sender("no-reply@localhost").is_ok());
        assert!(check_sender("\"Kindred e.V.\" <no-reply@example.org>").is_ok());
        for bad in ["", "Kindred", "Kindred <no-reply>", "a@b@c", "<x@example.org"] {
            assert!(matches!(check_sender(bad), Err(MailError::Address { what: "the sender", .. })), "{bad:?}");
        }
        let smtp = |security, username: Option<&str>, password: Option<&str>| {
            Mailer::new(
                MailConfig::Smtp(SmtpConfig {
                    host: "smtp.example.org".into(),
                    port: security_port(security),
                    security,
                    username: username.map(Into::into),
                    password: password.map(Into::into),
                }),
                "no-reply@example.org",
            )
        };
        fn security_port(s: SmtpSecurity) -> u16 {
            s.default_port()
        }
        assert_eq!(
            smtp(SmtpSecurity::StartTls, Some("u"), Some("p")).unwrap().describe(),
            "smtp smtp.example.org:587 (starttls)"
        );
        assert_eq!(smtp(SmtpSecurity::Tls, None, None).unwrap().describe(), "smtp smtp.example.org:465 (tls)");
        assert_eq!(smtp(SmtpSecurity::None, None, None).unwrap().describe(), "smtp smtp.example.org:25 (none)");
        assert!(matches!(smtp(SmtpSecurity::None, Some("u"), Some("p")), Err(MailError::Config(_))));
        assert!(matches!(smtp(SmtpSecurity::Tls, Some("u"), None), Err(MailError::Config(_))));
        assert!(matches!(smtp(SmtpSecurity::Tls, None, Some("p")), Err(MailError::Config(_))));
    }

    #[test]
    fn security_names_and_debug_output() {
        for s in [SmtpSecurity::Tls, SmtpSecurity::StartTls, SmtpSecurity::None] {
            assert_eq!(SmtpSecurity::parse(s.as_str()), Some(s));
        }
        assert_eq!(SmtpSecurity::parse("STARTTLS"), None);
        assert_eq!(SmtpSecurity::parse("ssl"), None);
        let config = SmtpConfig {
            host: "h".into(),
            port: 1,
            security: SmtpSecurity::Tls,
            username: Some("u".into()),
            password: Some("hunter2".into()),
        };
        let shown = format!("{config:?}");
        assert!(!shown.contains("hunter2") && shown.contains("<redacted>"), "{shown}");
        let shown = format!("{:?}", mail("anna@example.org", "secret subject", "secret text"));
        assert!(!shown.contains("anna") && !shown.contains("secret"), "{shown}");
    }

    /// A fake SMTP server for one session on a blocking thread; returns what
    /// the client sent between DATA and the final dot, and all commands.
    fn fake_smtp_server() -> (u16, std::thread::JoinHandle<(Vec<String>, String)>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let handle = std::thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
            let mut writer = stream.try_clone().unwrap();
            let mut reader = BufReader::new(stream);
            let mut commands = Vec::new();
            let mut data = String::new();
            writer.write_all(b"220 fake.test ESMTP\r\n").unwrap();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap() == 0 {
                    break;
                }
                let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                commands.push(line.trim_end().to_owned());
                let reply: &[u8] = match verb.as_str() {
                    "EHLO" => b"250-fake.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n",
                    "HELO" | "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 OK\r\n",
                    "DATA" => {
                        writer.write_all(b"354 go ahead\r\n").unwrap();
                        loop {
                            let mut l = String::new();
                            reader.read_line(&mut l).unwrap();
                            if l == ".\r\n" || l.is_empty() {
                                break;
                            }
                            data.push_str(&l);
                        }
                        b"250 queued\r\n"
                    }
                    "QUIT" => {
                        writer.write_all(b"221 bye\r\n").unwrap();
                        break;
                    }
                    _ => b"502 not here\r\n",
                };
                writer.write_all(reply).unwrap();
            }
            (commands, data)
        });
        (port, handle)
    }

    #[tokio::test]
    async fn smtp_hands_the_message_to_the_server() {
        let (port, server) = fake_smtp_server();
        let config = MailConfig::Smtp(SmtpConfig {
            host: "127.0.0.1".into(),
            port,
            security: SmtpSecurity::None,
            username: None,
            password: None,
        });
        let mailer = Mailer::new(config, "Kindred <no-reply@example.org>").unwrap();
        assert_eq!(mailer.describe(), format!("smtp 127.0.0.1:{port} (none)"));
        mailer.send(mail("anna@example.org", "Willkommen bei Kindred", TEXT)).await.unwrap();
        drop(mailer);
        let (commands, data) = tokio::task::spawn_blocking(move || server.join().unwrap()).await.unwrap();
        assert!(commands.iter().any(|c| c.starts_with("MAIL FROM:<no-reply@example.org>")), "{commands:?}");
        assert!(commands.iter().any(|c| c == "RCPT TO:<anna@example.org>"), "{commands:?}");
        assert!(data.contains("Subject: Willkommen bei Kindred\r\n"), "{data}");
        assert!(data.contains("https://x/a/demo/confirm?token=abc\r\n"), "{data}");
        assert!(data.contains("Jürgen"), "{data}");
    }

    #[test]
    fn scrubbing_removes_recipient_and_password() {
        let text = "permanent error (550): <anna@example.org> unknown; AUTH hunter2 refused";
        let clean = scrub(text, "anna@example.org", Some("hunter2"));
        assert_eq!(clean, "permanent error (550): <<recipient>> unknown; AUTH <redacted> refused");
        assert_eq!(scrub("x", "a@b.c", Some("")), "x");
    }

    #[tokio::test]
    async fn smtp_errors_name_neither_recipient_nor_password() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let config = MailConfig::Smtp(SmtpConfig {
            host: "127.0.0.1".into(),
            port,
            security: SmtpSecurity::None,
            username: None,
            password: None,
        });
        let mailer = Mailer::new(config, "no-reply@example.org").unwrap();
        let err = mailer.send(mail("anna@example.org", "s", "t")).await.unwrap_err();
        assert!(matches!(err, MailError::Smtp(_)), "{err}");
        assert!(!err.to_string().contains("anna"), "{err}");
    }
}
