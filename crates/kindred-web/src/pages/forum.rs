//! The forum pages: the categories, a category's or a group's topics, a
//! topic with its posts and the reply composer, the new-topic composer,
//! editing and the edit history of one's posts, and the admins' category
//! settings (`/staff/forum`). Every read and write goes through
//! `service::forum`; nothing here decides who may see what. Work without
//! JavaScript: reactions, subscriptions, quoting and deleting are forms
//! and links.

use super::association::AssociationPage;
use super::community::member;
use super::confirm::{ask, ask_on_get, confirmed, Confirm};
use super::forms::{signed_in_post, Problems};
use super::layout::{render_status, Section};
use super::respond::{internal, link, post_href, see_other};
use super::text::{tr, when, when_exact, When};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Form;
use fluent_templates::fluent_bundle::FluentValue;
use kindred_domain::reaction::{PostReaction, ReactionToggle};
use kindred_domain::{MemberId, TopicId};
use kindred_service::admission::StaffPower;
use kindred_service::forum::{
    Author, CategoryInput, CategoryView, ForumActionError, PostPlace, PostView, QuoteSource, ReplyInput, TopicInput,
    TopicList, REACTIONS,
};
use kindred_service::sessions::Caller;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Not found, not allowed and failures as the error pages say them.
fn failed(error: ForumActionError) -> Response {
    match error {
        ForumActionError::NotFound => StatusCode::NOT_FOUND.into_response(),
        ForumActionError::Forbidden | ForumActionError::Locked => StatusCode::FORBIDDEN.into_response(),
        ForumActionError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY.into_response(),
        other => internal(other),
    }
}

fn args(page: &AssociationPage, key: &str, values: &[(&str, FluentValue<'static>)]) -> String {
    super::text::tr_args(page, key, values)
}

/// A problem of a forum form, in the page's words.
fn problems_of(page: &AssociationPage, error: &ForumActionError) -> Problems {
    let mut problems = Problems::default();
    if let ForumActionError::Invalid(list) = error {
        for (field, problem) in list {
            let (id, key) = match *field {
                "title" => ("title", "forum-problem-title"),
                "anonymous" => ("anonymous", "forum-problem-anonymous"),
                "quote_of" => ("body", "forum-problem-quote"),
                "name" => ("name", "forum-problem-name"),
                "description" => ("description", "forum-problem-description"),
                "position" => ("position", "forum-problem-position"),
                "category_id" | "group_id" => ("title", "forum-problem-place"),
                _ => ("body", "forum-problem-body"),
            };
            problems.add(id, super::text::character_problem(page, problem).unwrap_or_else(|| tr(page, key)));
        }
    }
    problems
}

#[derive(Serialize)]
struct AuthorView {
    /// member, alias or anonymous.
    kind: &'static str,
    label: String,
    href: Option<String>,
    badge: Option<String>,
    /// The author's photo where the viewer may see it (`Kindred::faces`);
    /// never for an alias, anonymous or former author.
    photo: Option<String>,
}

fn author_view(page: &AssociationPage, author: &Author, faces: &Faces) -> AuthorView {
    match author {
        Author::Member { id, pseudonym, badge } => AuthorView {
            kind: "member",
            label: pseudonym.clone(),
            href: Some(link(page, &format!("/members/{id}"), &[])),
            badge: badge.clone(),
            photo: faces.get(id).map(|version| super::people::face_src(page, id, version)),
        },
        Author::Alias(alias) => {
            AuthorView { kind: "alias", label: alias.clone(), href: None, badge: None, photo: None }
        }
        Author::Hidden => {
            AuthorView { kind: "anonymous", label: tr(page, "forum-anonymous"), href: None, badge: None, photo: None }
        }
        Author::Former => {
            AuthorView { kind: "former", label: tr(page, "forum-former-member"), href: None, badge: None, photo: None }
        }
    }
}

/// Photo versions of authors whose photo the viewer may see.
type Faces = HashMap<MemberId, String>;

/// The faces of the named authors of `posts` (`Author::Member` of a post
/// that is not anonymous: an alias or anonymous post never shows one).
async fn post_faces(state: &AppState, page: &AssociationPage, caller: &Caller, posts: &[PostView]) -> Faces {
    let named: Vec<MemberId> = posts
        .iter()
        .filter(|p| !p.anonymous && p.html.is_some())
        .filter_map(|p| match &p.author {
            Author::Member { id, .. } => Some(id.clone()),
            _ => None,
        })
        .collect();
    // A face is an ornament: a failure to look them up shows placeholders.
    state.kindred.faces(&page.tenant.association, caller, &named).await.unwrap_or_default()
}

/// The signed-in member who may use the community, or the response.
fn member_of<'a>(state: &AppState, page: &'a AssociationPage) -> Result<&'a Caller, Box<Response>> {
    member(state, page)
}

fn member_post_of<'a>(state: &AppState, page: &'a AssociationPage, csrf: &str) -> Result<&'a Caller, Box<Response>> {
    signed_in_post(state, page, csrf)?;
    member_of(state, page)
}

// ------------------------------------------------------------------ categories

#[derive(Serialize)]
struct CategoryRow {
    href: String,
    name: String,
    description: String,
    topics: String,
    posts: String,
    last: Option<When>,
    anonymous_allowed: bool,
    ask_professional: bool,
}

fn category_row(page: &AssociationPage, c: &CategoryView) -> CategoryRow {
    CategoryRow {
        href: link(page, &format!("/forum/categories/{}", c.id), &[]),
        name: c.name.clone(),
        description: c.description.clone(),
        topics: args(page, "forum-topic-count", &[("count", FluentValue::from(i64::from(c.topic_count)))]),
        posts: args(page, "forum-post-count", &[("count", FluentValue::from(i64::from(c.post_count)))]),
        last: c.last_post_at.map(|at| when(page, at)),
        anonymous_allowed: c.anonymous_allowed,
        ask_professional: c.ask_professional,
    }
}

pub async fn index(State(state): State<AppState>, page: AssociationPage) -> Response {
    let caller = match member_of(&state, &page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let categories = match state.kindred.forum_categories(&page.tenant.association, caller).await {
        Ok(list) => list,
        Err(error) => return failed(error),
    };
    let rows: Vec<CategoryRow> = categories.iter().map(|c| category_row(&page, c)).collect();
    let values = minijinja::context! { categories => rows };
    render_status(&state, StatusCode::OK, "forum/index.html", page.layout("/forum", Section::Forum), values)
}

// ------------------------------------------------------------------ topic lists

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    cursor: Option<String>,
}

#[derive(Serialize)]
struct TopicRow {
    href: String,
    title: String,
    pinned: bool,
    locked: bool,
    hidden: bool,
    unread: bool,
    replies: String,
    last: When,
    author: AuthorView,
}

#[allow(clippy::too_many_arguments)]
fn render_topics(
    state: &AppState,
    page: &AssociationPage,
    path: &str,
    title: &str,
    description: &str,
    back: (String, String),
    new_href: String,
    list: TopicList,
) -> Response {
    let rows: Vec<TopicRow> = list
        .topics
        .iter()
        .map(|t| TopicRow {
            href: link(page, &format!("/forum/topics/{}", t.id), &[]),
            title: t.title.clone(),
            pinned: t.pinned,
            locked: t.locked,
            hidden: t.hidden,
            unread: t.unread,
            replies: args(page, "forum-post-count", &[("count", FluentValue::from(i64::from(t.post_count)))]),
            last: when(page, t.last_post_at),
            author: author_view(page, &t.author, &Faces::new()),
        })
        .collect();
    let next_href = list.next_cursor.as_deref().map(|c| link(page, path, &[("cursor", c)]));
    let values = minijinja::context! {
        title => title,
        description => description,
        back_href => back.0,
        back_label => back.1,
        new_href => if list.can_post { Some(new_href) } else { None },
        topics => rows,
        next_href => next_href,
    };
    render_status(state, StatusCode::OK, "forum/topics.html", page.layout(path, Section::Forum), values)
}

pub async fn category(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Query(query): Query<ListQuery>,
) -> Response {
    let caller = match member_of(&state, &page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let result = state.kindred.category_topics(&page.tenant.association, caller, &id, query.cursor.as_deref()).await;
    let (category, list) = match result {
        Ok(found) => found,
        Err(error) => return failed(error),
    };
    let path = format!("/forum/categories/{}", category.id);
    let back = (link(&page, "/forum", &[]), tr(&page, "forum-title"));
    let new_href = link(&page, "/forum/new", &[("category", &category.id)]);
    render_topics(&state, &page, &path, &category.name, &category.description, back, new_href, list)
}

pub async fn group_forum(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Query(query): Query<ListQuery>,
) -> Response {
    let caller = match member_of(&state, &page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let result = state.kindred.group_topics(&page.tenant.association, caller, &id, query.cursor.as_deref()).await;
    let (group, list) = match result {
        Ok(found) => found,
        Err(error) => return failed(error),
    };
    let path = format!("/groups/{}/forum", group.id);
    let title = args(&page, "forum-group-title", &[("group", FluentValue::from(group.record.name.clone()))]);
    let back = (link(&page, &format!("/groups/{}", group.id), &[]), group.record.name.clone());
    let new_href = link(&page, "/forum/new", &[("group", group.id.as_str())]);
    render_topics(&state, &page, &path, &title, "", back, new_href, list)
}

// ------------------------------------------------------------------ a topic

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TopicQuery {
    after: Option<String>,
    quote: Option<String>,
    done: Option<String>,
}

#[derive(Serialize)]
struct ReactionButton {
    kind: &'static str,
    label: String,
    count: i64,
    mine: bool,
}

#[derive(Serialize)]
struct PostRow {
    id: String,
    number: i32,
    author: Option<AuthorView>,
    professional: bool,
    html: Option<String>,
    written: Option<When>,
    edited: Option<When>,
    hidden: bool,
    hidden_reason: Option<String>,
    deleted: bool,
    own: bool,
    quote_href: Option<String>,
    edit_href: Option<String>,
    history_href: Option<String>,
    /// The post's own page (`/forum/topics/{topic}/posts/{number}`), where
    /// the reactions, quoting, reporting, editing and deleting are.
    more_href: String,
    /// Whether any reaction has a count: the topic page sums them up.
    reacted: bool,
    reactions: Vec<ReactionButton>,
}

/// The reactions' names in the page's language, looked up once for a page
/// of posts rather than once for each button (200 Fluent lookups were a
/// twentieth of a topic page's time).
fn reaction_labels(page: &AssociationPage) -> Vec<String> {
    REACTIONS.iter().map(|kind| tr(page, &format!("forum-reaction-{kind}"))).collect()
}

/// Where a post is shown: among the topic's posts (its text and the sum
/// of its reactions, the rest behind its link) or on its own page (the
/// reaction buttons, quote, edit). A topic page of 50 posts builds only
/// what it shows (issue 21).
#[derive(Clone, Copy, PartialEq, Eq)]
enum ShownIn {
    Topic,
    OwnPage,
}

fn post_row(
    page: &AssociationPage,
    topic: &str,
    post: &PostView,
    can_reply: bool,
    faces: &Faces,
    labels: &[String],
    shown_in: ShownIn,
) -> PostRow {
    let content = post.html.is_some();
    let own_page = shown_in == ShownIn::OwnPage;
    let reactions = if content {
        REACTIONS
            .iter()
            .zip(labels)
            .filter_map(|(kind, label)| {
                let found = post.reactions.iter().find(|r| r.kind == *kind);
                let count = found.map_or(0, |r| r.count);
                // In the topic, only the reactions the sum names.
                (own_page || count > 0).then(|| ReactionButton {
                    kind,
                    label: label.clone(),
                    count,
                    mine: found.is_some_and(|r| r.mine),
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    PostRow {
        id: post.id.clone(),
        number: post.number,
        author: (content && !post.deleted).then(|| author_view(page, &post.author, faces)),
        professional: post.professional,
        html: post.html.clone(),
        written: post.created_at.map(|at| when_exact(page, at)),
        edited: post.edited_at.map(|at| when_exact(page, at)),
        hidden: post.hidden,
        hidden_reason: post.hidden_reason.clone(),
        deleted: post.deleted,
        own: post.own,
        quote_href: (own_page && content && can_reply)
            .then(|| format!("{}#reply", link(page, &format!("/forum/topics/{topic}"), &[("quote", &post.id)]))),
        edit_href: (own_page && content && post.own)
            .then(|| link(page, &format!("/forum/posts/{}/edit", post.id), &[])),
        history_href: (content && post.edited_at.is_some())
            .then(|| link(page, &format!("/forum/posts/{}/history", post.id), &[])),
        more_href: link(page, &format!("/forum/topics/{topic}/posts/{}", post.number), &[]),
        reacted: reactions.iter().any(|r| r.count > 0),
        reactions,
    }
}

/// The text a reply quoting `source` starts with: the attribution, then
/// the quoted lines. Attributed by the post's number, not its author: the
/// text becomes the replier's, shown to everyone who reads the reply, also
/// to members the quoted author is in a block with (the number leads to
/// the post, which the forum leaves out for them).
fn quote_text(page: &AssociationPage, source: &QuoteSource) -> String {
    let number = FluentValue::from(i64::from(source.number));
    let mut text = format!("> {}\n", args(page, "forum-quote-from", &[("number", number)]));
    for line in source.body.lines() {
        text.push_str("> ");
        text.push_str(line);
        text.push('\n');
    }
    text.push('\n');
    text
}

/// The reply composer's content when the topic page is shown again: after
/// a problem, or with the preview of the draft (`preview`, safe HTML).
#[derive(Default)]
struct Draft<'a> {
    body: &'a str,
    anonymous: bool,
    quote_of: Option<String>,
    preview: Option<String>,
    /// The mention picker, after a step of it (`mention_step`).
    mention: MentionStep,
}

// ------------------------------------------------------------------ the mention picker

/// The composer's mention picker (issue 14): find a member by (part of)
/// their pseudonym through the privacy-safe member search
/// (`pages::people::pick`) and add `@[Their Name]` to the draft. Without
/// JavaScript it is two more buttons of the composer's own form, so the
/// draft comes back as it was, as with "Preview"; nothing is saved.
#[derive(Serialize, Default)]
struct MentionStep {
    picked: super::people::Picked,
    /// The mention just added to the end of the draft.
    added: Option<String>,
}

/// How a mention of `name` is written so that the forum's parser
/// (`kindred_domain::markdown`) reads it whole: `@Name` for one word of
/// letters and digits, `@[Name With Spaces]` otherwise. `None` for what
/// is no possible name (a pseudonym's characters only, at most 60).
fn mention_text(name: &str) -> Option<String> {
    let name = name.trim();
    let count = name.chars().count();
    let shape = name.chars().next().is_some_and(char::is_alphanumeric)
        && name.chars().all(|c| c.is_alphanumeric() || matches!(c, ' ' | '.' | '_' | '-'));
    if count == 0 || count > 60 || !shape {
        return None;
    }
    if name.chars().all(char::is_alphanumeric) {
        Some(format!("@{name}"))
    } else {
        Some(format!("@[{name}]"))
    }
}

/// The fields of the mention picker in a composer's form.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MentionFields {
    /// What was typed into the picker's search field.
    mention_pick: String,
    /// Present when "Find" was pressed.
    mention_find: Option<String>,
    /// The pseudonym chosen from the results.
    mention_add: Option<String>,
}

/// A step of the mention picker when the form asks for one: the draft
/// (with the chosen mention added at its end) and what the picker shows.
/// `None` when the form is for posting or previewing.
async fn mention_step(
    state: &AppState,
    page: &AssociationPage,
    caller: &Caller,
    body: &str,
    fields: &MentionFields,
) -> Option<Result<(String, MentionStep), Box<Response>>> {
    if let Some(chosen) = fields.mention_add.as_deref() {
        let mut draft = body.to_owned();
        let added = mention_text(chosen);
        if let Some(text) = &added {
            if !draft.is_empty() && !draft.ends_with(char::is_whitespace) {
                draft.push(' ');
            }
            draft.push_str(text);
            draft.push(' ');
        }
        return Some(Ok((draft, MentionStep { picked: Default::default(), added })));
    }
    fields.mention_find.as_ref()?;
    Some(match super::people::pick(state, page, caller, &fields.mention_pick).await {
        Ok(picked) => Ok((body.to_owned(), MentionStep { picked, added: None })),
        Err(response) => Err(response),
    })
}

const TOPIC_NOTICES: [&str; 6] = ["posted", "edited", "deleted", "subscribed", "unsubscribed", "reacted"];

#[allow(clippy::too_many_arguments)]
async fn render_topic(
    state: &AppState,
    page: &AssociationPage,
    caller: &Caller,
    topic: &str,
    after: Option<i32>,
    draft: Draft<'_>,
    problems: Problems,
    notice: Option<&str>,
    status: StatusCode,
) -> Response {
    let association = &page.tenant.association;
    let view = match state.kindred.topic_page(association, caller, topic, after).await {
        Ok(view) => view,
        Err(error) => return failed(error),
    };
    let t = &view.topic;
    let path = format!("/forum/topics/{}", t.id);
    let faces = post_faces(state, page, caller, &view.posts).await;
    let labels = reaction_labels(page);
    let posts: Vec<PostRow> =
        view.posts.iter().map(|p| post_row(page, &t.id, p, t.can_reply, &faces, &labels, ShownIn::Topic)).collect();
    let back = match (&t.category_id, &t.group_id) {
        (Some(c), _) => link(page, &format!("/forum/categories/{c}"), &[]),
        (_, Some(g)) => link(page, &format!("/groups/{g}/forum"), &[]),
        _ => link(page, "/forum", &[]),
    };
    let next_href = view.next_after.map(|n| link(page, &path, &[("after", &n.to_string())]));
    let first_href = after.filter(|a| *a > 0).map(|_| link(page, &path, &[]));
    let values = minijinja::context! {
        topic_id => t.id.clone(),
        title => t.title.clone(),
        place => t.place_name.clone(),
        back_href => back,
        pinned => t.pinned,
        locked => t.locked,
        hidden => t.hidden,
        hidden_reason => t.hidden_reason.clone(),
        alias_mode => t.alias_mode,
        subscribed => t.subscribed,
        can_reply => t.can_reply,
        anonymous_allowed => t.anonymous_allowed,
        posts => posts,
        next_href => next_href,
        first_href => first_href,
        csrf => page.session.csrf(),
        body => draft.body,
        anonymous => draft.anonymous,
        quote_of => draft.quote_of,
        preview => draft.preview,
        // Mentions in alias groups are by alias, not found by pseudonym.
        mention_picker => t.can_reply && !t.alias_mode,
        mention => draft.mention,
        problems => problems,
        notice => notice.filter(|n| TOPIC_NOTICES.contains(n)).map(|n| tr(page, &format!("forum-done-{n}"))),
    };
    render_status(state, status, "forum/topic.html", page.layout(&path, Section::Forum), values)
}

pub async fn topic(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Query(query): Query<TopicQuery>,
) -> Response {
    let caller = match member_of(&state, &page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let after = query.after.as_deref().and_then(|a| a.trim().parse::<i32>().ok());
    let (body, quote_of) = match query.quote.as_deref().filter(|q| !q.trim().is_empty()) {
        None => (String::new(), None),
        Some(post) => match state.kindred.quote_source(&page.tenant.association, caller, post.trim()).await {
            Ok(source) => (quote_text(&page, &source), Some(source.post_id)),
            Err(ForumActionError::NotFound) => (String::new(), None),
            Err(error) => return failed(error),
        },
    };
    render_topic(
        &state,
        &page,
        caller,
        &id,
        after,
        Draft { body: &body, quote_of, ..Draft::default() },
        Problems::default(),
        query.done.as_deref(),
        StatusCode::OK,
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReplyForm {
    csrf: String,
    body: String,
    anonymous: Option<String>,
    quote_of: String,
    /// Present when the composer's "Preview" button was used: render the
    /// draft above the form, save nothing.
    preview: Option<String>,
    #[serde(flatten)]
    mention: MentionFields,
}

pub async fn reply(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<ReplyForm>,
) -> Response {
    let caller = match member_post_of(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let quote_of = Some(form.quote_of.trim().to_owned()).filter(|q| !q.is_empty());
    let input = ReplyInput { body: form.body.clone(), anonymous: form.anonymous.is_some(), quote_of: quote_of.clone() };
    if let Some(step) = mention_step(&state, &page, caller, &form.body, &form.mention).await {
        let (body, mention) = match step {
            Ok(step) => step,
            Err(response) => return *response,
        };
        let draft = Draft { body: &body, anonymous: input.anonymous, quote_of, preview: None, mention };
        return render_topic(&state, &page, caller, &id, None, draft, Problems::default(), None, StatusCode::OK).await;
    }
    if form.preview.is_some() {
        return match state.kindred.preview_reply(&page.tenant.association, caller, &id, &input).await {
            Ok(html) => {
                let draft = Draft {
                    body: &form.body,
                    anonymous: input.anonymous,
                    quote_of,
                    preview: Some(html),
                    ..Draft::default()
                };
                render_topic(&state, &page, caller, &id, None, draft, Problems::default(), None, StatusCode::OK).await
            }
            Err(error @ ForumActionError::Invalid(_)) => {
                let problems = problems_of(&page, &error);
                let draft = Draft { body: &form.body, anonymous: input.anonymous, quote_of, ..Draft::default() };
                render_topic(&state, &page, caller, &id, None, draft, problems, None, StatusCode::UNPROCESSABLE_ENTITY)
                    .await
            }
            Err(error) => failed(error),
        };
    }
    match state.kindred.reply(&page.tenant.association, caller, &id, &input).await {
        // To the new post on its page of the topic: the fragment's target takes focus.
        Ok(post) => match state.kindred.post_place(&page.tenant.association, caller, post.as_str()).await {
            Ok(place) => back_to_post(&page, &place, "posted"),
            Err(error) => failed(error),
        },
        Err(error @ ForumActionError::Invalid(_)) => {
            let problems = problems_of(&page, &error);
            let draft = Draft { body: &form.body, anonymous: input.anonymous, quote_of, ..Draft::default() };
            render_topic(&state, &page, caller, &id, None, draft, problems, None, StatusCode::UNPROCESSABLE_ENTITY)
                .await
        }
        Err(error) => failed(error),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ToggleForm {
    csrf: String,
    /// "1" to switch on, anything else to switch off.
    on: String,
    /// The topic to go back to.
    topic: String,
    /// Deleting: the post's number, for the confirmation page's way back.
    number: String,
    /// Deleting: present once the member confirmed (`pages::confirm`).
    confirm: Option<String>,
}

fn back_to_topic(page: &AssociationPage, topic: &str, done: &str) -> Response {
    match TopicId::parse(topic.trim()) {
        Some(id) => see_other(&link(page, &format!("/forum/topics/{id}"), &[("done", done)])),
        None => see_other(&link(page, "/forum", &[])),
    }
}

pub async fn subscription(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<ToggleForm>,
) -> Response {
    let caller = match member_post_of(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let on = form.on == "1";
    match state.kindred.set_subscription(&page.tenant.association, caller, &id, on).await {
        Ok(()) => back_to_topic(&page, &id, if on { "subscribed" } else { "unsubscribed" }),
        Err(error) => failed(error),
    }
}

/// A post's reaction form: one per post, one button per reaction, the
/// pressed button's `name="reaction"` and `value="KIND:on|off"`
/// (`ReactionToggle`) saying what to do.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReactForm {
    csrf: String,
    reaction: String,
}

pub async fn react(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<ReactForm>,
) -> Response {
    let caller = match member_post_of(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    // A value no button of ours sends changes nothing (422, as for an unknown kind).
    let Some(toggle) = ReactionToggle::parse(&form.reaction) else {
        return StatusCode::UNPROCESSABLE_ENTITY.into_response();
    };
    match state.kindred.react(&page.tenant.association, caller, &id, None, toggle.kind.as_str(), toggle.on).await {
        Ok(place) => back_to_post(&page, &place, "reacted"),
        Err(error) => failed(error),
    }
}

/// A topic page's single reaction form (issue 21, second pass): the only
/// CSRF field of the reactions, every button of every post joining it by
/// its `form` attribute, the pressed button's `value="NUMBER:KIND:on|off"`
/// (`PostReaction`, the post by its number in the topic) saying what to do. The per-post form above stays for
/// pages and scripts that still use it.
pub async fn topic_react(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, topic)): Path<(String, String)>,
    Form(form): Form<ReactForm>,
) -> Response {
    let caller = match member_post_of(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    // A value no button of ours sends changes nothing (422, as on the per-post form).
    let Some(pressed) = PostReaction::parse(&form.reaction) else {
        return StatusCode::UNPROCESSABLE_ENTITY.into_response();
    };
    let (post, toggle) = (&pressed.post, pressed.toggle);
    let association = &page.tenant.association;
    match state.kindred.react_in_topic(association, caller, &topic, post, toggle.kind.as_str(), toggle.on).await {
        Ok((_, place)) => back_to_post(&page, &place, "reacted"),
        Err(error) => failed(error),
    }
}

/// Back to the page of the topic that shows the post, at the post.
fn back_to_post(page: &AssociationPage, place: &PostPlace, done: &str) -> Response {
    see_other(&post_href(page, &place.topic_id, Some(place.number), Some(done)))
}

/// A post's own page (issue 21): the post as the topic shows it, with
/// everything a member can do with it — the four reactions as toggle
/// buttons, quoting, reporting, editing, the earlier versions, deleting.
/// The topic page shows each post's reactions as a sum and links here, so
/// that a page of 50 posts stays light and a keyboard passes two stops a
/// post; a reaction given here leads back to the post in its topic.
pub async fn post_page(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, topic, number)): Path<(String, String, String)>,
) -> Response {
    let caller = match member_of(&state, &page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let Ok(number) = number.trim().parse::<i32>() else {
        return failed(ForumActionError::NotFound);
    };
    let view = match state.kindred.topic_post(&page.tenant.association, caller, &topic, number).await {
        Ok(view) => view,
        Err(error) => return failed(error),
    };
    let t = &view.topic;
    let faces = post_faces(&state, &page, caller, &view.posts).await;
    let labels = reaction_labels(&page);
    let Some(post) = view.posts.first() else {
        return failed(ForumActionError::NotFound);
    };
    let row = post_row(&page, &t.id, post, t.can_reply, &faces, &labels, ShownIn::OwnPage);
    let content = post.html.is_some();
    let values = minijinja::context! {
        topic_id => t.id.clone(),
        title => t.title.clone(),
        back_href => post_href(&page, &t.id, Some(post.number), None),
        react_action => link(&page, &format!("/forum/posts/{}/react", post.id), &[]),
        report_href => (content && !post.own)
            .then(|| link(&page, "/report", &[("post", post.id.as_str())])),
        post => row,
        csrf => page.session.csrf(),
    };
    let path = format!("/forum/topics/{}/posts/{number}", t.id);
    render_status(&state, StatusCode::OK, "forum/post.html", page.layout(&path, Section::Forum), values)
}

/// Deleting a post asks first (`pages::confirm`).
/// Cancelling leads back to the post's own page, where the delete button
/// is (`number`), or else to its topic.
fn delete_post_confirm(id: &str, topic: &str, number: &str) -> Confirm {
    let topic = TopicId::parse(topic.trim());
    let number = number.trim().parse::<u32>().ok();
    let cancel = match (&topic, number) {
        (Some(t), Some(n)) => format!("/forum/topics/{t}/posts/{n}"),
        (Some(t), None) => format!("/forum/topics/{t}"),
        (None, _) => "/forum".to_owned(),
    };
    let mut fields = vec![("topic", topic.as_ref().map(|t| t.to_string()).unwrap_or_default())];
    if let Some(n) = number {
        fields.push(("number", n.to_string()));
    }
    let action = format!("/forum/posts/{id}/delete");
    Confirm { kind: "delete-post", action, fields, cancel, section: Section::Forum }
}

/// `?topic=&number=`: the topic and the post's number to go back to, on a
/// confirmation page reached by GET.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct BackToTopic {
    topic: String,
    number: String,
}

/// GET of the delete address: the confirmation page (`confirm::ask_on_get`).
pub async fn delete_post_page(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Query(query): Query<BackToTopic>,
) -> Response {
    ask_on_get(&state, &page, delete_post_confirm(&id, &query.topic, &query.number))
}

pub async fn delete_post(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<ToggleForm>,
) -> Response {
    let caller = match member_post_of(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    if !confirmed(form.confirm.as_deref()) {
        return ask(&state, &page, delete_post_confirm(&id, &form.topic, &form.number));
    }
    match state.kindred.delete_post(&page.tenant.association, caller, &id).await {
        Ok(()) => back_to_topic(&page, &form.topic, "deleted"),
        Err(error) => failed(error),
    }
}

// ------------------------------------------------------------------ editing and history

async fn render_edit(
    state: &AppState,
    page: &AssociationPage,
    caller: &Caller,
    post: &str,
    body: Option<&str>,
    problems: Problems,
    status: StatusCode,
) -> Response {
    let source = match state.kindred.quote_source(&page.tenant.association, caller, post).await {
        Ok(source) => source,
        Err(error) => return failed(error),
    };
    let topic = match state.kindred.post_topic(&page.tenant.association, caller, post).await {
        Ok(topic) => topic,
        Err(error) => return failed(error),
    };
    let path = format!("/forum/posts/{}/edit", source.post_id);
    let values = minijinja::context! {
        post_id => source.post_id.clone(),
        topic_id => topic.clone(),
        back_href => link(page, &format!("/forum/topics/{topic}"), &[]),
        body => body.map(str::to_owned).unwrap_or(source.body),
        csrf => page.session.csrf(),
        problems => problems,
    };
    render_status(state, status, "forum/edit.html", page.layout(&path, Section::Forum), values)
}

pub async fn edit_form(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    let caller = match member_of(&state, &page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    match state.kindred.own_post(&page.tenant.association, caller, &id).await {
        Ok(true) => render_edit(&state, &page, caller, &id, None, Problems::default(), StatusCode::OK).await,
        Ok(false) => StatusCode::FORBIDDEN.into_response(),
        Err(error) => failed(error),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EditForm {
    csrf: String,
    body: String,
    topic: String,
}

pub async fn edit(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<EditForm>,
) -> Response {
    let caller = match member_post_of(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    match state.kindred.edit_post(&page.tenant.association, caller, &id, &form.body).await {
        Ok(()) => match state.kindred.post_place(&page.tenant.association, caller, &id).await {
            Ok(place) => back_to_post(&page, &place, "edited"),
            Err(error) => failed(error),
        },
        Err(error @ ForumActionError::Invalid(_)) => {
            let problems = problems_of(&page, &error);
            render_edit(&state, &page, caller, &id, Some(&form.body), problems, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(error) => failed(error),
    }
}

#[derive(Serialize)]
struct VersionRow {
    html: String,
    written: When,
    replaced: When,
}

pub async fn history(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    let caller = match member_of(&state, &page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let association = &page.tenant.association;
    let versions = match state.kindred.post_history(association, caller, &id).await {
        Ok(versions) => versions,
        Err(error) => return failed(error),
    };
    let topic = match state.kindred.post_topic(association, caller, &id).await {
        Ok(topic) => topic,
        Err(error) => return failed(error),
    };
    let rows: Vec<VersionRow> = versions
        .into_iter()
        .rev()
        .map(|v| VersionRow { html: v.html, written: when(&page, v.written_at), replaced: when(&page, v.replaced_at) })
        .collect();
    let path = format!("/forum/posts/{id}/history");
    let values = minijinja::context! {
        versions => rows,
        back_href => link(&page, &format!("/forum/topics/{topic}"), &[]),
    };
    render_status(&state, StatusCode::OK, "forum/history.html", page.layout(&path, Section::Forum), values)
}

// ------------------------------------------------------------------ a new topic

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewQuery {
    category: Option<String>,
    group: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewTopicForm {
    csrf: String,
    category: String,
    group: String,
    title: String,
    body: String,
    anonymous: Option<String>,
    /// Present when the composer's "Preview" button was used.
    preview: Option<String>,
    #[serde(flatten)]
    mention: MentionFields,
}

/// Where a new topic goes, as the caller may see it: (name, anonymous
/// allowed, the link back, an alias group).
async fn place_of(
    state: &AppState,
    page: &AssociationPage,
    caller: &Caller,
    category: Option<&str>,
    group: Option<&str>,
) -> Result<(String, bool, String, bool), ForumActionError> {
    let association = &page.tenant.association;
    match (category, group) {
        (Some(c), None) => {
            let category = state.kindred.forum_category(association, caller, c).await?;
            let back = link(page, &format!("/forum/categories/{}", category.id), &[]);
            Ok((category.name, category.anonymous_allowed, back, false))
        }
        (None, Some(g)) => {
            let (group, list) = state.kindred.group_topics(association, caller, g, None).await?;
            if !list.can_post {
                return Err(ForumActionError::Forbidden);
            }
            let back = link(page, &format!("/groups/{}/forum", group.id), &[]);
            let alias_mode = group.record.alias_mode;
            Ok((group.record.name, list.anonymous_allowed, back, alias_mode))
        }
        _ => Err(ForumActionError::NotFound),
    }
}

#[allow(clippy::too_many_arguments)]
async fn render_new(
    state: &AppState,
    page: &AssociationPage,
    caller: &Caller,
    category: Option<&str>,
    group: Option<&str>,
    form: (&str, &str, bool),
    preview: Option<String>,
    mention: MentionStep,
    problems: Problems,
    status: StatusCode,
) -> Response {
    let (place, anonymous_allowed, back, alias_mode) = match place_of(state, page, caller, category, group).await {
        Ok(place) => place,
        Err(error) => return failed(error),
    };
    let values = minijinja::context! {
        place => place,
        category => category.unwrap_or(""),
        group => group.unwrap_or(""),
        anonymous_allowed => anonymous_allowed,
        back_href => back,
        title => form.0,
        body => form.1,
        anonymous => form.2,
        preview => preview,
        // Mentions in alias groups are by alias, not found by pseudonym.
        mention_picker => !alias_mode,
        mention => mention,
        csrf => page.session.csrf(),
        problems => problems,
    };
    render_status(state, status, "forum/new.html", page.layout("/forum/new", Section::Forum), values)
}

fn present(value: &str) -> Option<&str> {
    Some(value.trim()).filter(|v| !v.is_empty())
}

pub async fn new_form(State(state): State<AppState>, page: AssociationPage, Query(query): Query<NewQuery>) -> Response {
    let caller = match member_of(&state, &page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let category = query.category.as_deref().and_then(present);
    let group = query.group.as_deref().and_then(present);
    let empty = ("", "", false);
    render_new(
        &state,
        &page,
        caller,
        category,
        group,
        empty,
        None,
        MentionStep::default(),
        Problems::default(),
        StatusCode::OK,
    )
    .await
}

pub async fn create(State(state): State<AppState>, page: AssociationPage, Form(form): Form<NewTopicForm>) -> Response {
    let caller = match member_post_of(&state, &page, &form.csrf) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    let category = present(&form.category);
    let group = present(&form.group);
    let input = TopicInput {
        category_id: category.map(str::to_owned),
        group_id: group.map(str::to_owned),
        title: form.title.clone(),
        body: form.body.clone(),
        anonymous: form.anonymous.is_some(),
    };
    let values = (form.title.as_str(), form.body.as_str(), input.anonymous);
    if let Some(step) = mention_step(&state, &page, caller, &form.body, &form.mention).await {
        let (body, mention) = match step {
            Ok(step) => step,
            Err(response) => return *response,
        };
        let values = (form.title.as_str(), body.as_str(), input.anonymous);
        let ok = StatusCode::OK;
        return render_new(&state, &page, caller, category, group, values, None, mention, Problems::default(), ok)
            .await;
    }
    if form.preview.is_some() {
        return match state.kindred.preview_topic(&page.tenant.association, caller, &input).await {
            Ok(html) => {
                render_new(
                    &state,
                    &page,
                    caller,
                    category,
                    group,
                    values,
                    Some(html),
                    MentionStep::default(),
                    Problems::default(),
                    StatusCode::OK,
                )
                .await
            }
            Err(error @ ForumActionError::Invalid(_)) => {
                let problems = problems_of(&page, &error);
                render_new(
                    &state,
                    &page,
                    caller,
                    category,
                    group,
                    values,
                    None,
                    MentionStep::default(),
                    problems,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await
            }
            Err(error) => failed(error),
        };
    }
    match state.kindred.start_topic(&page.tenant.association, caller, &input).await {
        // To the opening post itself: it is the fragment's target and takes focus.
        Ok((topic, _)) => see_other(&format!("{}#post-1", link(&page, &format!("/forum/topics/{topic}"), &[]))),
        Err(error @ ForumActionError::Invalid(_)) => {
            let problems = problems_of(&page, &error);
            let step = MentionStep::default();
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render_new(&state, &page, caller, category, group, values, None, step, problems, status).await
        }
        Err(error) => failed(error),
    }
}

// ------------------------------------------------------------------ admins: categories

fn admin_of<'a>(state: &AppState, page: &'a AssociationPage) -> Result<&'a Caller, Box<Response>> {
    let caller = super::forms::signed_in(page)?;
    match state.kindred.staff_access(&page.tenant.association, caller, StaffPower::Administration) {
        Ok(()) => Ok(caller),
        Err(_) => Err(Box::new(StatusCode::FORBIDDEN.into_response())),
    }
}

#[derive(Serialize)]
struct CategoryForm {
    id: String,
    name: String,
    description: String,
    position: i32,
    anonymous_allowed: bool,
    ask_professional: bool,
    topics: String,
}

async fn render_staff(
    state: &AppState,
    page: &AssociationPage,
    caller: &Caller,
    problems: Problems,
    notice: Option<&str>,
    status: StatusCode,
) -> Response {
    let categories = match state.kindred.forum_categories(&page.tenant.association, caller).await {
        Ok(list) => list,
        Err(error) => return failed(error),
    };
    let rows: Vec<CategoryForm> = categories
        .into_iter()
        .map(|c| CategoryForm {
            topics: args(page, "forum-topic-count", &[("count", FluentValue::from(i64::from(c.topic_count)))]),
            id: c.id,
            name: c.name,
            description: c.description,
            position: c.position,
            anonymous_allowed: c.anonymous_allowed,
            ask_professional: c.ask_professional,
        })
        .collect();
    let notice = notice
        .filter(|n| ["created", "saved", "deleted", "not-empty"].contains(n))
        .map(|n| tr(page, &format!("forum-staff-done-{n}")));
    let values = minijinja::context! {
        categories => rows,
        csrf => page.session.csrf(),
        problems => problems,
        notice => notice,
    };
    render_status(state, status, "forum/staff.html", page.layout("/staff/forum", Section::Staff), values)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StaffQuery {
    done: Option<String>,
}

pub async fn staff(State(state): State<AppState>, page: AssociationPage, Query(query): Query<StaffQuery>) -> Response {
    let caller = match admin_of(&state, &page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    render_staff(&state, &page, caller, Problems::default(), query.done.as_deref(), StatusCode::OK).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CategoryFormInput {
    csrf: String,
    name: String,
    description: String,
    position: String,
    anonymous_allowed: Option<String>,
    ask_professional: Option<String>,
    /// Deleting: present once the admin confirmed (`pages::confirm`).
    confirm: Option<String>,
}

impl CategoryFormInput {
    fn input(&self) -> Result<CategoryInput, ForumActionError> {
        let position = match present(&self.position) {
            None => None,
            Some(raw) => Some(
                raw.parse::<i32>().map_err(|_| ForumActionError::Invalid(vec![("position", "must be a number")]))?,
            ),
        };
        Ok(CategoryInput {
            name: self.name.clone(),
            description: self.description.clone(),
            position,
            anonymous_allowed: self.anonymous_allowed.is_some(),
            ask_professional: self.ask_professional.is_some(),
        })
    }
}

fn staff_outcome(
    state: &AppState,
    page: &AssociationPage,
    done: &str,
    result: Result<(), ForumActionError>,
) -> Result<Response, ForumActionError> {
    let _ = state;
    result.map(|()| see_other(&link(page, "/staff/forum", &[("done", done)])))
}

async fn staff_write(
    state: AppState,
    page: AssociationPage,
    id: Option<String>,
    form: CategoryFormInput,
    delete: bool,
) -> Response {
    if let Err(response) = signed_in_post(&state, &page, &form.csrf) {
        return *response;
    }
    let caller = match admin_of(&state, &page) {
        Ok(caller) => caller,
        Err(response) => return *response,
    };
    if let (Some(id), true) = (&id, delete) {
        if !confirmed(form.confirm.as_deref()) {
            return ask(&state, &page, delete_category_confirm(id));
        }
    }
    let association = &page.tenant.association;
    let kindred = &state.kindred;
    let outcome = match (id, delete) {
        (Some(id), true) => match kindred.delete_category(association, caller, &id).await {
            Err(ForumActionError::NotEmpty) => Ok(see_other(&link(&page, "/staff/forum", &[("done", "not-empty")]))),
            other => staff_outcome(&state, &page, "deleted", other),
        },
        (Some(id), false) => match form.input() {
            Ok(input) => {
                staff_outcome(&state, &page, "saved", kindred.update_category(association, caller, &id, &input).await)
            }
            Err(error) => Err(error),
        },
        (None, _) => match form.input() {
            Ok(input) => staff_outcome(
                &state,
                &page,
                "created",
                kindred.create_category(association, caller, &input).await.map(|_| ()),
            ),
            Err(error) => Err(error),
        },
    };
    match outcome {
        Ok(response) => response,
        Err(error @ ForumActionError::Invalid(_)) => {
            let problems = problems_of(&page, &error);
            render_staff(&state, &page, caller, problems, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(error) => failed(error),
    }
}

pub async fn staff_create(
    State(state): State<AppState>,
    page: AssociationPage,
    Form(form): Form<CategoryFormInput>,
) -> Response {
    staff_write(state, page, None, form, false).await
}

pub async fn staff_update(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<CategoryFormInput>,
) -> Response {
    staff_write(state, page, Some(id), form, false).await
}

/// Deleting a category (an empty one: `service::forum`) asks first.
fn delete_category_confirm(id: &str) -> Confirm {
    Confirm {
        kind: "delete-category",
        action: format!("/staff/forum/{id}/delete"),
        fields: Vec::new(),
        cancel: "/staff/forum".to_owned(),
        section: Section::Staff,
    }
}

/// GET of the delete address: the confirmation page, for admins.
pub async fn staff_delete_page(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    if let Err(response) = admin_of(&state, &page) {
        return *response;
    }
    ask_on_get(&state, &page, delete_category_confirm(&id))
}

pub async fn staff_delete(
    State(state): State<AppState>,
    page: AssociationPage,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<CategoryFormInput>,
) -> Response {
    staff_write(state, page, Some(id), form, true).await
}

#[cfg(test)]
mod tests {
    use super::mention_text;
    use kindred_domain::markdown;

    /// What the picker inserts is read back whole by the forum's parser.
    #[test]
    fn the_picker_writes_mentions_the_parser_reads_whole() {
        for (name, written) in [
            ("Anna", "@Anna"),
            ("Mira Sonnenschein", "@[Mira Sonnenschein]"),
            ("tom.b", "@[tom.b]"),
            ("Zoë-Lynn 2", "@[Zoë-Lynn 2]"),
        ] {
            assert_eq!(mention_text(name).as_deref(), Some(written));
            assert_eq!(markdown::mentions(&format!("Hallo {written} und so.")), [name], "{written}");
        }
        for bad in ["", " ", "x]<b>", "-anna", "a\nb", &"a".repeat(61)] {
            assert_eq!(mention_text(bad), None, "{bad:?}");
        }
    }
}
