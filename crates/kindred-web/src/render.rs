//! Templates (minijinja, embedded): strict about undefined values, HTML
//! autoescaping, and `t("key", name=value)` for translated text in the
//! page's language.

use crate::i18n;
use fluent_templates::fluent_bundle::FluentValue;
use kindred_domain::settings::FormOfAddress;
use kindred_domain::Language;
use minijinja::value::{Kwargs, Value};
use minijinja::{AutoEscape, Environment, Error, ErrorKind, Output, State, UndefinedBehavior};

pub struct Templates {
    env: Environment<'static>,
}

/// Every template, embedded at build time.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("root.html", include_str!("../templates/root.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("home/member.html", include_str!("../templates/home/member.html")),
    ("home/topic_row.html", include_str!("../templates/home/topic_row.html")),
    ("privacy.html", include_str!("../templates/privacy.html")),
    ("accessibility.html", include_str!("../templates/accessibility.html")),
    ("error.html", include_str!("../templates/error.html")),
    ("confirm.html", include_str!("../templates/confirm.html")),
    ("forms.html", include_str!("../templates/forms.html")),
    ("people.html", include_str!("../templates/people.html")),
    ("account/message.html", include_str!("../templates/account/message.html")),
    ("account/register.html", include_str!("../templates/account/register.html")),
    ("account/confirm_email.html", include_str!("../templates/account/confirm_email.html")),
    ("account/sign_in.html", include_str!("../templates/account/sign_in.html")),
    ("account/second_factor.html", include_str!("../templates/account/second_factor.html")),
    ("account/forgot.html", include_str!("../templates/account/forgot.html")),
    ("account/reset.html", include_str!("../templates/account/reset.html")),
    ("account/account.html", include_str!("../templates/account/account.html")),
    ("account/sessions.html", include_str!("../templates/account/sessions.html")),
    ("account/notification_settings.html", include_str!("../templates/account/notification_settings.html")),
    ("account/data.html", include_str!("../templates/account/data.html")),
    ("account/access_log.html", include_str!("../templates/account/access_log.html")),
    ("account/unsubscribe.html", include_str!("../templates/account/unsubscribe.html")),
    ("account/password.html", include_str!("../templates/account/password.html")),
    ("account/pseudonym.html", include_str!("../templates/account/pseudonym.html")),
    ("account/two_factor.html", include_str!("../templates/account/two_factor.html")),
    ("account/recovery_codes.html", include_str!("../templates/account/recovery_codes.html")),
    ("staff/index.html", include_str!("../templates/staff/index.html")),
    ("staff/verifications.html", include_str!("../templates/staff/verifications.html")),
    ("staff/applicant.html", include_str!("../templates/staff/applicant.html")),
    ("staff/member_list.html", include_str!("../templates/staff/member_list.html")),
    ("staff/letters.html", include_str!("../templates/staff/letters.html")),
    ("staff/invitations.html", include_str!("../templates/staff/invitations.html")),
    ("staff/roles.html", include_str!("../templates/staff/roles.html")),
    ("staff/members.html", include_str!("../templates/staff/members.html")),
    ("staff/audit_log.html", include_str!("../templates/staff/audit_log.html")),
    ("staff/flags.html", include_str!("../templates/staff/flags.html")),
];

/// The passkey pages' templates (`pages::passkeys`).
const PASSKEY_TEMPLATES: [(&str, &str); 2] = [
    ("account/passkeys.html", include_str!("../templates/account/passkeys.html")),
    ("account/passkey_sign_in.html", include_str!("../templates/account/passkey_sign_in.html")),
];

/// The community pages' templates (`pages::profile`, `pages::members`, `pages::contacts`).
const COMMUNITY_TEMPLATES: [(&str, &str); 5] = [
    ("community/profile.html", include_str!("../templates/community/profile.html")),
    ("community/preview.html", include_str!("../templates/community/preview.html")),
    ("community/search.html", include_str!("../templates/community/search.html")),
    ("community/member.html", include_str!("../templates/community/member.html")),
    ("community/contacts.html", include_str!("../templates/community/contacts.html")),
];

/// The group pages' templates (`pages::groups`).
const GROUP_TEMPLATES: [(&str, &str); 4] = [
    ("groups/search.html", include_str!("../templates/groups/search.html")),
    ("groups/new.html", include_str!("../templates/groups/new.html")),
    ("groups/group.html", include_str!("../templates/groups/group.html")),
    ("groups/members.html", include_str!("../templates/groups/members.html")),
];

/// The event pages' templates (`pages::events`).
const EVENT_TEMPLATES: [(&str, &str); 5] = [
    ("events/list.html", include_str!("../templates/events/list.html")),
    ("events/new.html", include_str!("../templates/events/new.html")),
    ("events/event.html", include_str!("../templates/events/event.html")),
    ("events/occurrence.html", include_str!("../templates/events/occurrence.html")),
    ("events/feed.html", include_str!("../templates/events/feed.html")),
];

/// The forum pages' templates (`pages::forum`).
const FORUM_TEMPLATES: [(&str, &str); 9] = [
    ("forum/index.html", include_str!("../templates/forum/index.html")),
    ("forum/topics.html", include_str!("../templates/forum/topics.html")),
    ("forum/topic.html", include_str!("../templates/forum/topic.html")),
    ("forum/post.html", include_str!("../templates/forum/post.html")),
    ("forum/post_parts.html", include_str!("../templates/forum/post_parts.html")),
    ("forum/new.html", include_str!("../templates/forum/new.html")),
    ("forum/edit.html", include_str!("../templates/forum/edit.html")),
    ("forum/history.html", include_str!("../templates/forum/history.html")),
    ("forum/staff.html", include_str!("../templates/forum/staff.html")),
];

/// The forum search and notification pages' templates (`pages::search`, `pages::notifications`).
const SEARCH_TEMPLATES: [(&str, &str); 7] = [
    ("search/search.html", include_str!("../templates/search/search.html")),
    ("calls/call.html", include_str!("../templates/calls/call.html")),
    ("knowledge/list.html", include_str!("../templates/knowledge/list.html")),
    ("knowledge/article.html", include_str!("../templates/knowledge/article.html")),
    ("knowledge/new.html", include_str!("../templates/knowledge/new.html")),
    ("knowledge/review_note.html", include_str!("../templates/knowledge/review_note.html")),
    ("notifications/list.html", include_str!("../templates/notifications/list.html")),
];

/// The messaging pages' templates (`pages::messages`).
const MESSAGE_TEMPLATES: [(&str, &str); 3] = [
    ("messages/list.html", include_str!("../templates/messages/list.html")),
    ("messages/conversation.html", include_str!("../templates/messages/conversation.html")),
    ("messages/new.html", include_str!("../templates/messages/new.html")),
];

/// The moderation pages' templates (`pages::moderation`).
const MODERATION_TEMPLATES: [(&str, &str); 5] = [
    ("moderation/queue.html", include_str!("../templates/moderation/queue.html")),
    ("moderation/message_reports.html", include_str!("../templates/moderation/message_reports.html")),
    ("moderation/message_report.html", include_str!("../templates/moderation/message_report.html")),
    ("moderation/report.html", include_str!("../templates/moderation/report.html")),
    ("moderation/sent.html", include_str!("../templates/moderation/sent.html")),
];

/// The administration pages' templates (`pages::staff` statistics, `pages::settings`).
const ADMINISTRATION_TEMPLATES: [(&str, &str); 3] = [
    ("staff/statistics.html", include_str!("../templates/staff/statistics.html")),
    ("staff/settings_index.html", include_str!("../templates/staff/settings_index.html")),
    ("staff/settings.html", include_str!("../templates/staff/settings.html")),
];

/// The legal pages' and the member's preferences' templates
/// (`pages::association` terms/imprint/contact, `pages::preferences`).
const LEGAL_TEMPLATES: [(&str, &str); 2] = [
    ("legal.html", include_str!("../templates/legal.html")),
    ("account/preferences.html", include_str!("../templates/account/preferences.html")),
];

/// The member's data pages' templates (`pages::consents`, `pages::erasure`).
const DATA_TEMPLATES: [(&str, &str); 4] = [
    ("account/consents.html", include_str!("../templates/account/consents.html")),
    ("account/terms.html", include_str!("../templates/account/terms.html")),
    ("account/delete.html", include_str!("../templates/account/delete.html")),
    ("account/delete_confirm.html", include_str!("../templates/account/delete_confirm.html")),
];

fn translate(state: &State, key: &str, kwargs: Kwargs) -> Result<String, Error> {
    let language = state
        .lookup("lang")
        .and_then(|v| v.as_str().and_then(Language::parse))
        .ok_or_else(|| Error::new(ErrorKind::UndefinedError, "the page has no language"))?;
    // The association's form of address (the layout's `form_of_address`); "Sie" where a page has none.
    let address =
        state.lookup("form_of_address").and_then(|v| v.as_str().and_then(FormOfAddress::parse)).unwrap_or_default();
    let voice = i18n::Voice { language, address };
    let mut args = Vec::new();
    for name in kwargs.args() {
        let value: Value = kwargs.get(name)?;
        let fluent = match value.as_i64() {
            Some(n) => FluentValue::from(n),
            None => FluentValue::from(value.to_string()),
        };
        args.push((name, fluent));
    }
    kwargs.assert_all_used()?;
    Ok(i18n::text(voice, key, &args))
}

/// Writes a value into a page. Text is escaped as minijinja's default
/// formatter does it (`&`, `<`, `>`, `"`, `'`), except `/`: minijinja
/// writes it as `&#x2f;`, five bytes more for every slash of every link
/// (1,249 on a topic page of 50 posts, issue 21), and it protects nothing
/// in text or in a quoted attribute value, the only places the templates
/// put values. Everything else (safe values, numbers, other escapings)
/// goes to minijinja's formatter unchanged.
fn formatter(out: &mut Output, state: &State, value: &Value) -> Result<(), Error> {
    match value.as_str() {
        Some(text) if state.auto_escape() == AutoEscape::Html && !value.is_safe() => Ok(write_html_text(out, text)?),
        _ => minijinja::escape_formatter(out, state, value),
    }
}

/// `text` escaped for HTML text and quoted attribute values.
fn write_html_text(out: &mut impl std::fmt::Write, text: &str) -> std::fmt::Result {
    let mut rest = text;
    while let Some(at) = rest.find(['&', '<', '>', '"', '\'']) {
        out.write_str(&rest[..at])?;
        out.write_str(match rest.as_bytes()[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#x27;",
        })?;
        rest = &rest[at + 1..];
    }
    out.write_str(rest)
}

impl Templates {
    pub fn load() -> Result<Self, String> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.set_formatter(formatter);
        for (name, source) in TEMPLATES {
            env.add_template(name, source).map_err(|e| format!("template {name}: {e}"))?;
        }
        for (name, source) in
            PASSKEY_TEMPLATES.into_iter().chain(COMMUNITY_TEMPLATES).chain(SEARCH_TEMPLATES).chain(MESSAGE_TEMPLATES)
        {
            env.add_template(name, source).map_err(|e| format!("template {name}: {e}"))?;
        }
        for (name, source) in GROUP_TEMPLATES.into_iter().chain(EVENT_TEMPLATES) {
            env.add_template(name, source).map_err(|e| format!("template {name}: {e}"))?;
        }
        for (name, source) in FORUM_TEMPLATES {
            env.add_template(name, source).map_err(|e| format!("template {name}: {e}"))?;
        }
        for (name, source) in ADMINISTRATION_TEMPLATES {
            env.add_template(name, source).map_err(|e| format!("template {name}: {e}"))?;
        }
        for (name, source) in DATA_TEMPLATES {
            env.add_template(name, source).map_err(|e| format!("template {name}: {e}"))?;
        }
        for (name, source) in MODERATION_TEMPLATES {
            env.add_template(name, source).map_err(|e| format!("template {name}: {e}"))?;
        }
        for (name, source) in LEGAL_TEMPLATES {
            env.add_template(name, source).map_err(|e| format!("template {name}: {e}"))?;
        }
        env.add_function("t", translate);
        Ok(Self { env })
    }

    pub fn render(&self, name: &str, context: Value) -> Result<String, Error> {
        self.env.get_template(name)?.render(context)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(source: &str, value: &str) -> String {
        let mut env = Environment::new();
        env.set_formatter(formatter);
        env.add_template("t.html", source).unwrap();
        env.get_template("t.html").unwrap().render(minijinja::context! { v => value }).unwrap()
    }

    #[test]
    fn text_is_escaped_but_slashes_stay() {
        let hostile = "/a/b?x=1&y=\"><script>alert('x')</script>";
        assert_eq!(
            rendered("<a href=\"{{ v }}\">{{ v }}</a>", hostile),
            "<a href=\"/a/b?x=1&amp;y=&quot;&gt;&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;\">\
             /a/b?x=1&amp;y=&quot;&gt;&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;</a>"
        );
        assert_eq!(rendered("{{ v|safe }}", "<b>/</b>"), "<b>/</b>", "safe values are written as they are");
        let mut plain = Environment::new();
        plain.add_template("t.html", "{{ 3 }} {{ none }} {{ [1, 2] }}").unwrap();
        let expected = plain.get_template("t.html").unwrap().render(minijinja::context! {}).unwrap();
        assert_eq!(rendered("{{ 3 }} {{ none }} {{ [1, 2] }}", ""), expected, "other values as minijinja writes them");
    }

    #[test]
    fn a_text_file_is_not_html_escaped() {
        let mut env = Environment::new();
        env.set_formatter(formatter);
        env.add_template("mail.txt", "{{ v }}").unwrap();
        let text = env.get_template("mail.txt").unwrap().render(minijinja::context! { v => "a & b" }).unwrap();
        assert_eq!(text, "a & b");
    }
}
