//! service::notices — the e-mails Kindred sends, in the member's language.
//! Plain text: it reads well in every mail program and screen reader.
//! Mails never contain health data, and never say more about the account
//! than the recipient already knows.

use crate::mail::Mail;
use crate::sessions::Member;
use crate::{Association, Kindred};
use kindred_domain::settings::FormOfAddress;
use kindred_domain::{EmailAddress, Language};

pub(crate) enum Notice<'a> {
    /// The link that confirms a new registration.
    ConfirmEmail {
        link: &'a str,
    },
    /// Someone registered with an address that already has an account.
    AlreadyRegistered {
        sign_in: &'a str,
        reset: &'a str,
    },
    PasswordReset {
        link: &'a str,
    },
    PasswordChanged,
    /// A second factor was set up, replaced or removed. Says what, not how
    /// or from where: the mail goes to the owner, who knows the rest.
    SignInChanged {
        change: SignInChange,
    },
    /// The association verified the account.
    Verified {
        sign_in: &'a str,
    },
    /// Staff declined the request to verify the account, with their
    /// message (their words, quoted; nothing of who wrote it).
    Declined {
        message: &'a str,
        account: &'a str,
    },
    /// The account has not been used for a long time and will be erased
    /// on `date` (YYYY-MM-DD) unless its owner signs in (retention).
    InactiveAccount {
        sign_in: &'a str,
        date: &'a str,
    },
}

/// A change of how a member signs in, announced by mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SignInChange {
    AppAdded,
    AppReplaced,
    AppRemoved,
    PasskeyAdded,
    PasskeyRemoved,
}

/// The change in a sentence's words, e.g. "a passkey was added".
fn change_text(change: SignInChange, language: Language) -> &'static str {
    use Language::{De, En, Nl};
    use SignInChange::*;
    match (change, language) {
        (AppAdded, De) => "eine Authenticator-App wurde eingerichtet",
        (AppAdded, Nl) => "er is een authenticator-app ingesteld",
        (AppAdded, En) => "an authenticator app was set up",
        (AppReplaced, De) => "die Authenticator-App wurde durch eine neue ersetzt, die Wiederherstellungscodes ebenso",
        (AppReplaced, Nl) => "de authenticator-app is door een nieuwe vervangen, de herstelcodes ook",
        (AppReplaced, En) => "the authenticator app was replaced by a new one, and so were the recovery codes",
        (AppRemoved, De) => "die Authenticator-App wurde entfernt",
        (AppRemoved, Nl) => "de authenticator-app is verwijderd",
        (AppRemoved, En) => "the authenticator app was removed",
        (PasskeyAdded, De) => "ein Passkey wurde hinzugefügt",
        (PasskeyAdded, Nl) => "er is een passkey toegevoegd",
        (PasskeyAdded, En) => "a passkey was added",
        (PasskeyRemoved, De) => "ein Passkey wurde entfernt",
        (PasskeyRemoved, Nl) => "er is een passkey verwijderd",
        (PasskeyRemoved, En) => "a passkey was removed",
    }
}

fn texts(notice: &Notice<'_>, language: Language, site: &str) -> (String, String) {
    use Language::{De, En, Nl};
    match (notice, language) {
        (Notice::ConfirmEmail { link }, De) => (
            format!("Bitte bestätigen Sie Ihre E-Mail-Adresse – {site}"),
            format!("Guten Tag,\n\nSie haben sich bei {site} registriert. Bitte bestätigen Sie Ihre E-Mail-Adresse mit diesem Link (er gilt 48 Stunden und nur einmal):\n\n{link}\n\nWenn Sie sich nicht registriert haben, können Sie diese E-Mail ignorieren.\n"),
        ),
        (Notice::ConfirmEmail { link }, Nl) => (
            format!("Bevestig uw e-mailadres – {site}"),
            format!("Goedendag,\n\nU hebt zich aangemeld bij {site}. Bevestig uw e-mailadres met deze link (48 uur en één keer geldig):\n\n{link}\n\nHebt u zich niet aangemeld? Dan kunt u deze e-mail negeren.\n"),
        ),
        (Notice::ConfirmEmail { link }, En) => (
            format!("Please confirm your e-mail address – {site}"),
            format!("Hello,\n\nYou registered with {site}. Please confirm your e-mail address with this link (valid for 48 hours, once):\n\n{link}\n\nIf you did not register, you can ignore this e-mail.\n"),
        ),
        (Notice::AlreadyRegistered { sign_in, reset }, De) => (
            format!("Registrierung mit Ihrer Adresse – {site}"),
            format!("Guten Tag,\n\njemand hat versucht, sich mit Ihrer E-Mail-Adresse bei {site} zu registrieren. Für diese Adresse gibt es schon ein Konto.\n\nWaren Sie das? Dann melden Sie sich hier an:\n{sign_in}\n\nPasswort vergessen? Hier können Sie es neu setzen:\n{reset}\n\nWenn Sie das nicht waren, müssen Sie nichts tun.\n"),
        ),
        (Notice::AlreadyRegistered { sign_in, reset }, Nl) => (
            format!("Aanmelding met uw adres – {site}"),
            format!("Goedendag,\n\nIemand probeerde zich met uw e-mailadres aan te melden bij {site}. Voor dit adres bestaat al een account.\n\nWas u dat? Log dan hier in:\n{sign_in}\n\nWachtwoord vergeten? Stel hier een nieuw in:\n{reset}\n\nWas u het niet, dan hoeft u niets te doen.\n"),
        ),
        (Notice::AlreadyRegistered { sign_in, reset }, En) => (
            format!("Registration with your address – {site}"),
            format!("Hello,\n\nSomeone tried to register with your e-mail address at {site}. This address already has an account.\n\nWas it you? Then sign in here:\n{sign_in}\n\nForgot your password? Set a new one here:\n{reset}\n\nIf it was not you, you need not do anything.\n"),
        ),
        (Notice::PasswordReset { link }, De) => (
            format!("Neues Passwort festlegen – {site}"),
            format!("Guten Tag,\n\nfür Ihr Konto bei {site} wurde ein neues Passwort angefordert. Mit diesem Link legen Sie es fest (er gilt eine Stunde und nur einmal):\n\n{link}\n\nDanach sind Sie auf allen Geräten abgemeldet. Wenn Sie nichts angefordert haben, ignorieren Sie diese E-Mail; Ihr Passwort bleibt dann unverändert.\n"),
        ),
        (Notice::PasswordReset { link }, Nl) => (
            format!("Nieuw wachtwoord instellen – {site}"),
            format!("Goedendag,\n\nEr is een nieuw wachtwoord aangevraagd voor uw account bij {site}. Met deze link stelt u het in (één uur en één keer geldig):\n\n{link}\n\nDaarna bent u op alle apparaten uitgelogd. Hebt u niets aangevraagd, negeer deze e-mail dan; uw wachtwoord blijft ongewijzigd.\n"),
        ),
        (Notice::PasswordReset { link }, En) => (
            format!("Set a new password – {site}"),
            format!("Hello,\n\nA new password was requested for your account at {site}. Set it with this link (valid for one hour, once):\n\n{link}\n\nAfterwards you are signed out on all devices. If you did not ask for this, ignore this e-mail; your password stays as it is.\n"),
        ),
        (Notice::PasswordChanged, De) => (
            format!("Ihr Passwort wurde geändert – {site}"),
            format!("Guten Tag,\n\ndas Passwort Ihres Kontos bei {site} wurde soeben geändert. Wenn Sie das nicht waren, setzen Sie bitte sofort ein neues Passwort über „Passwort vergessen“ und wenden Sie sich an Ihren Verein.\n"),
        ),
        (Notice::PasswordChanged, Nl) => (
            format!("Uw wachtwoord is gewijzigd – {site}"),
            format!("Goedendag,\n\nHet wachtwoord van uw account bij {site} is zojuist gewijzigd. Was u dat niet? Stel dan meteen een nieuw wachtwoord in via ‘Wachtwoord vergeten’ en neem contact op met uw vereniging.\n"),
        ),
        (Notice::PasswordChanged, En) => (
            format!("Your password was changed – {site}"),
            format!("Hello,\n\nThe password of your account at {site} was just changed. If this was not you, please set a new password at once with \"Forgot password\" and contact your association.\n"),
        ),
        (Notice::SignInChanged { change }, De) => (
            format!("Ihre Anmeldeeinstellungen wurden geändert – {site}"),
            format!("Guten Tag,\n\ndie Anmeldung an Ihrem Konto bei {site} wurde soeben geändert: {}.\n\nWenn Sie das nicht waren, setzen Sie bitte sofort ein neues Passwort über „Passwort vergessen“ (damit werden alle Geräte abgemeldet) und wenden Sie sich an Ihren Verein.\n", change_text(*change, De)),
        ),
        (Notice::SignInChanged { change }, Nl) => (
            format!("Uw inloginstellingen zijn gewijzigd – {site}"),
            format!("Goedendag,\n\nBij uw account bij {site} is zojuist het inloggen gewijzigd: {}.\n\nWas u dat niet? Stel dan meteen een nieuw wachtwoord in via ‘Wachtwoord vergeten’ (daarmee wordt u op alle apparaten uitgelogd) en neem contact op met uw vereniging.\n", change_text(*change, Nl)),
        ),
        (Notice::SignInChanged { change }, En) => (
            format!("Your sign-in settings changed – {site}"),
            format!("Hello,\n\nThe way you sign in to your account at {site} was just changed: {}.\n\nIf this was not you, please set a new password at once with \"Forgot password\" (this signs out every device) and contact your association.\n", change_text(*change, En)),
        ),
        (Notice::Verified { sign_in }, De) => (
            format!("Willkommen – Ihr Konto ist freigeschaltet – {site}"),
            format!("Guten Tag,\n\n{site} hat Ihr Konto bestätigt. Sie können sich jetzt anmelden und die Gemeinschaft nutzen:\n\n{sign_in}\n"),
        ),
        (Notice::Verified { sign_in }, Nl) => (
            format!("Welkom – uw account is geactiveerd – {site}"),
            format!("Goedendag,\n\n{site} heeft uw account bevestigd. U kunt nu inloggen en meedoen:\n\n{sign_in}\n"),
        ),
        (Notice::Verified { sign_in }, En) => (
            format!("Welcome – your account is active – {site}"),
            format!("Hello,\n\n{site} has verified your account. You can now sign in and join the community:\n\n{sign_in}\n"),
        ),
        (Notice::Declined { message, account }, De) => (
            format!("Ihre Anfrage zur Freischaltung – {site}"),
            format!("Guten Tag,\n\n{site} konnte Ihr Konto noch nicht freischalten. Die Nachricht des Vereins dazu:\n\n{message}\n\nSie können die Freischaltung nach dem Anmelden auf einem anderen Weg erneut beantragen:\n{account}\n"),
        ),
        (Notice::Declined { message, account }, Nl) => (
            format!("Uw verzoek om activering – {site}"),
            format!("Goedendag,\n\n{site} kon uw account nog niet activeren. Het bericht van de vereniging hierover:\n\n{message}\n\nNa het inloggen kunt u de activering opnieuw aanvragen, ook op een andere manier:\n{account}\n"),
        ),
        (Notice::Declined { message, account }, En) => (
            format!("Your request to be verified – {site}"),
            format!("Hello,\n\n{site} could not verify your account yet. The association's message about it:\n\n{message}\n\nAfter signing in you can ask again, by another way too:\n{account}\n"),
        ),
        (Notice::InactiveAccount { sign_in, date }, De) => (
            format!("Ihr Konto wird bald gelöscht – {site}"),
            format!("Guten Tag,\n\nSie haben sich lange nicht bei {site} angemeldet. Nach den Regeln des Vereins wird Ihr Konto mit allem, was dazu gehört, am {date} gelöscht.\n\nMöchten Sie es behalten? Dann melden Sie sich vorher einmal an:\n{sign_in}\n\nWenn Sie es nicht mehr brauchen, müssen Sie nichts tun.\n"),
        ),
        (Notice::InactiveAccount { sign_in, date }, Nl) => (
            format!("Uw account wordt binnenkort verwijderd – {site}"),
            format!("Goedendag,\n\nU hebt lang niet ingelogd bij {site}. Volgens de regels van de vereniging wordt uw account met alles wat erbij hoort op {date} verwijderd.\n\nWilt u het houden? Log dan daarvoor één keer in:\n{sign_in}\n\nHebt u het niet meer nodig, dan hoeft u niets te doen.\n"),
        ),
        (Notice::InactiveAccount { sign_in, date }, En) => (
            format!("Your account will be erased soon – {site}"),
            format!("Hello,\n\nYou have not signed in at {site} for a long time. By the association's rules, your account and everything in it will be erased on {date}.\n\nWould you like to keep it? Then sign in once before then:\n{sign_in}\n\nIf you no longer need it, you need not do anything.\n"),
        ),
    }
}

/// The German texts for an association that says "du".
fn du_texts(notice: &Notice<'_>, site: &str) -> (String, String) {
    match notice {
        Notice::ConfirmEmail { link } => (
            format!("Bitte bestätige deine E-Mail-Adresse – {site}"),
            format!("Hallo,\n\ndu hast dich bei {site} registriert. Bitte bestätige deine E-Mail-Adresse mit diesem Link (er gilt 48 Stunden und nur einmal):\n\n{link}\n\nWenn du dich nicht registriert hast, kannst du diese E-Mail ignorieren.\n"),
        ),
        Notice::AlreadyRegistered { sign_in, reset } => (
            format!("Registrierung mit deiner Adresse – {site}"),
            format!("Hallo,\n\njemand hat versucht, sich mit deiner E-Mail-Adresse bei {site} zu registrieren. Für diese Adresse gibt es schon ein Konto.\n\nWarst du das? Dann melde dich hier an:\n{sign_in}\n\nPasswort vergessen? Hier kannst du es neu setzen:\n{reset}\n\nWenn du das nicht warst, musst du nichts tun.\n"),
        ),
        Notice::PasswordReset { link } => (
            format!("Neues Passwort festlegen – {site}"),
            format!("Hallo,\n\nfür dein Konto bei {site} wurde ein neues Passwort angefordert. Mit diesem Link legst du es fest (er gilt eine Stunde und nur einmal):\n\n{link}\n\nDanach bist du auf allen Geräten abgemeldet. Wenn du nichts angefordert hast, ignoriere diese E-Mail; dein Passwort bleibt dann unverändert.\n"),
        ),
        Notice::PasswordChanged => (
            format!("Dein Passwort wurde geändert – {site}"),
            format!("Hallo,\n\ndas Passwort deines Kontos bei {site} wurde soeben geändert. Wenn du das nicht warst, setze bitte sofort ein neues Passwort über „Passwort vergessen“ und wende dich an deinen Verein.\n"),
        ),
        Notice::SignInChanged { change } => (
            format!("Deine Anmeldeeinstellungen wurden geändert – {site}"),
            format!("Hallo,\n\ndie Anmeldung an deinem Konto bei {site} wurde soeben geändert: {}.\n\nWenn du das nicht warst, setze bitte sofort ein neues Passwort über „Passwort vergessen“ (damit werden alle Geräte abgemeldet) und wende dich an deinen Verein.\n", change_text(*change, Language::De)),
        ),
        Notice::Verified { sign_in } => (
            format!("Willkommen – dein Konto ist freigeschaltet – {site}"),
            format!("Hallo,\n\n{site} hat dein Konto bestätigt. Du kannst dich jetzt anmelden und die Gemeinschaft nutzen:\n\n{sign_in}\n"),
        ),
        Notice::Declined { message, account } => (
            format!("Deine Anfrage zur Freischaltung – {site}"),
            format!("Hallo,\n\n{site} konnte dein Konto noch nicht freischalten. Die Nachricht des Vereins dazu:\n\n{message}\n\nDu kannst die Freischaltung nach dem Anmelden auf einem anderen Weg erneut beantragen:\n{account}\n"),
        ),
        Notice::InactiveAccount { sign_in, date } => (
            format!("Dein Konto wird bald gelöscht – {site}"),
            format!("Hallo,\n\ndu hast dich lange nicht bei {site} angemeldet. Nach den Regeln des Vereins wird dein Konto mit allem, was dazu gehört, am {date} gelöscht.\n\nMöchtest du es behalten? Dann melde dich vorher einmal an:\n{sign_in}\n\nWenn du es nicht mehr brauchst, musst du nichts tun.\n"),
        ),
    }
}

/// Every link to the association's pages (mails put each on a line of its
/// own) gets `lang=` of the mail's language, so that it opens in the
/// member's language even in a browser that is not signed in or prefers
/// another one. A link that already names a language keeps it.
fn links_in_language(text: &str, base: &str, language: Language) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        let is_link = body.starts_with(base) && !body.contains(char::is_whitespace);
        let named = body.contains("?lang=") || body.contains("&lang=");
        if is_link && !named {
            let (address, fragment) = match body.find('#') {
                Some(at) => body.split_at(at),
                None => (body, ""),
            };
            let joiner = if address.contains('?') { '&' } else { '?' };
            out.push_str(&format!("{address}{joiner}lang={}{fragment}{end}", language.code()));
        } else {
            out.push_str(line);
        }
    }
    out
}

impl Kindred {
    /// Where the association's pages are, for links in mails: its first
    /// host name if it has one, else below the server's public address.
    pub fn association_url(&self, association: &Association) -> String {
        match association.settings.hosts.first() {
            Some(host) => format!("https://{host}"),
            None => format!("{}/a/{}", self.public_url.trim_end_matches('/'), association.slug),
        }
    }

    /// Tells the member by mail that how they sign in changed — not to an
    /// address not yet confirmed: it may not be theirs (a decoy's is
    /// another account's, `Store::register_member`).
    pub(crate) fn announce_sign_in_change(&self, association: &Association, member: &Member, change: SignInChange) {
        if member.status == kindred_domain::AccountStatus::EmailUnconfirmed {
            return;
        }
        self.notify(association, &member.email, member.language.as_deref(), Notice::SignInChanged { change });
    }

    /// Sends a notice in the background: the answer to the request does
    /// not wait for (or reveal) the mail server. Failures are logged.
    pub(crate) fn notify(&self, association: &Association, to: &str, language: Option<&str>, notice: Notice<'_>) {
        let Ok(to) = EmailAddress::parse(to) else {
            tracing::warn!("a notice was not sent: the stored address does not parse");
            return;
        };
        let language = language
            .and_then(Language::parse)
            .filter(|l| association.settings.languages.contains(l))
            .unwrap_or(association.settings.default_language);
        let site = association.settings.name.get(language);
        let (subject, text) = match (language, association.settings.form_of_address) {
            (Language::De, FormOfAddress::Du) => du_texts(&notice, site),
            _ => texts(&notice, language, site),
        };
        let text = links_in_language(&text, &self.association_url(association), language);
        let mailer = self.mailer.clone();
        tokio::spawn(async move {
            if let Err(error) = mailer.send(Mail::plain(to, subject, text)).await {
                tracing::error!(%error, "sending a mail failed");
            }
        });
    }
}

#[cfg(test)]
mod language_link_tests {
    use super::*;

    #[test]
    fn links_to_the_association_carry_the_language() {
        let base = "https://example.org/a/demo";
        let text = "Hello,\n\nhttps://example.org/a/demo/confirm-email?token=abc\nhttps://example.org/a/demo/groups/x#new\nhttps://example.org/a/demo/account?lang=en\nhttps://elsewhere.example/a\nSee https://example.org/a/demo in text\n";
        let out = links_in_language(text, base, Language::De);
        assert_eq!(
            out,
            "Hello,\n\nhttps://example.org/a/demo/confirm-email?token=abc&lang=de\nhttps://example.org/a/demo/groups/x?lang=de#new\nhttps://example.org/a/demo/account?lang=en\nhttps://elsewhere.example/a\nSee https://example.org/a/demo in text\n"
        );
    }
}

#[cfg(test)]
mod du_tests {
    use super::*;

    #[test]
    fn du_mails_say_du_throughout() {
        let notices = [
            Notice::ConfirmEmail { link: "L" },
            Notice::AlreadyRegistered { sign_in: "S", reset: "R" },
            Notice::PasswordReset { link: "L" },
            Notice::PasswordChanged,
            Notice::SignInChanged { change: SignInChange::PasskeyAdded },
            Notice::Verified { sign_in: "S" },
            Notice::Declined { message: "M", account: "A" },
            Notice::InactiveAccount { sign_in: "S", date: "2027-01-01" },
        ];
        let sie = ["Sie", "Ihr", "Ihre", "Ihren", "Ihrem", "Ihrer", "Ihnen"];
        for notice in &notices {
            let (subject, text) = du_texts(notice, "MS Nord");
            let words: Vec<&str> = subject
                .split(|c: char| !c.is_alphanumeric())
                .chain(text.split(|c: char| !c.is_alphanumeric()))
                .collect();
            assert!(!words.iter().any(|w| sie.contains(w)), "{subject}\n{text}");
            assert!(words
                .iter()
                .any(|w| ["du", "dein", "deine", "deinem", "deines", "dich"].contains(&w.to_lowercase().as_str())));
            // The same links as the Sie mail.
            let (_, formal) = texts(notice, Language::De, "MS Nord");
            let links = |t: &str| t.lines().filter(|l| l.len() == 1).map(str::to_owned).collect::<Vec<_>>();
            assert_eq!(links(&text), links(&formal));
        }
    }
}
