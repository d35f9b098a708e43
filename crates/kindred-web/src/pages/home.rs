//! The member's home page: the association's start page for a member who
//! may use the community. What is new for them (unread notifications), the
//! topics that moved lately and those with posts they have not read, their
//! groups, and — while they belong to no group — a short welcome with the
//! first steps. Everything comes from the same service functions as the
//! pages it links to, so it shows nothing those would not.

use super::association::AssociationPage;
use super::layout::{render_status, Section};
use super::notifications::{entry, Entry};
use super::respond::{internal, link};
use super::text::{tr, when, When};
use crate::state::AppState;
use axum::http::StatusCode;
use axum::response::Response;
use kindred_service::events::RawEventQuery;
use kindred_service::forum::{Author, PlacedTopic, TopicHome};
use kindred_service::sessions::Caller;
use serde::Serialize;

/// How many topics each list shows; the forum has the rest.
const TOPICS_SHOWN: usize = 8;
/// How many unread notifications are shown.
const NOTIFICATIONS_SHOWN: usize = 5;
/// How many upcoming events are shown.
const EVENTS_SHOWN: usize = 5;

#[derive(Serialize)]
struct EventRow {
    href: String,
    title: String,
    starts: When,
    cancelled: bool,
}

#[derive(Serialize)]
struct TopicRow {
    href: String,
    title: String,
    place: String,
    place_href: String,
    author: String,
    unread: bool,
    last: When,
}

#[derive(Serialize)]
struct GroupRow {
    href: String,
    name: String,
    alias: Option<String>,
}

fn topic_row(page: &AssociationPage, placed: PlacedTopic) -> TopicRow {
    let (place, place_href) = match placed.place {
        TopicHome::Category { id, name } => (name, link(page, &format!("/forum/categories/{id}"), &[])),
        TopicHome::Group { id, name } => (name, link(page, &format!("/groups/{id}/forum"), &[])),
    };
    let topic = placed.topic;
    TopicRow {
        href: link(page, &format!("/forum/topics/{}", topic.id), &[]),
        title: topic.title,
        place,
        place_href,
        author: match topic.author {
            Author::Member { pseudonym, .. } => pseudonym,
            Author::Alias(alias) => alias,
            Author::Hidden => tr(page, "forum-anonymous"),
            Author::Former => tr(page, "forum-former-member"),
        },
        unread: topic.unread,
        last: when(page, topic.last_post_at),
    }
}

/// The home page of a member with community access.
pub(super) async fn member_home(state: &AppState, page: &AssociationPage, caller: &Caller) -> Response {
    let association = &page.tenant.association;
    let kindred = &state.kindred;
    let groups = match kindred.my_groups(association, caller).await {
        Ok(groups) => groups,
        Err(error) => return internal(error),
    };
    let topics = match kindred.latest_topics(association, caller, &groups, TOPICS_SHOWN * 2).await {
        Ok(topics) => topics,
        Err(error) => return internal(error),
    };
    let notifications = match kindred.notifications(association, caller, None).await {
        Ok(list) => list,
        Err(error) => return internal(error),
    };
    // The soonest events the member may see (the same list as /events).
    let events: Vec<EventRow> = match kindred.events(association, caller, &RawEventQuery::default()).await {
        Ok(list) => list
            .results
            .into_iter()
            .take(EVENTS_SHOWN)
            .map(|e| EventRow {
                href: link(page, &format!("/events/{}", e.event_id), &[]),
                title: e.title,
                starts: when(page, e.starts_at),
                cancelled: e.cancelled,
            })
            .collect(),
        Err(error) => return internal(error),
    };
    let unread_messages = match kindred.unread_messages(association, caller).await {
        Ok(count) => count,
        Err(error) => return internal(error),
    };
    let unread_count = notifications.unread_count;
    let fresh: Vec<Entry> = notifications
        .notifications
        .into_iter()
        .filter(|n| !n.read)
        .take(NOTIFICATIONS_SHOWN)
        .map(|n| entry(page, n))
        .collect();
    let rows: Vec<TopicRow> = topics.into_iter().map(|t| topic_row(page, t)).collect();
    let unread: Vec<&TopicRow> = rows.iter().filter(|t| t.unread).take(TOPICS_SHOWN).collect();
    let latest: Vec<&TopicRow> = rows.iter().take(TOPICS_SHOWN).collect();
    let group_rows: Vec<GroupRow> = groups
        .iter()
        .map(|g| GroupRow {
            href: link(page, &format!("/groups/{}", g.seen.id), &[]),
            name: g.seen.record.name.clone(),
            alias: g.seen.my_alias.clone(),
        })
        .collect();
    let values = minijinja::context! {
        pseudonym => caller.member.pseudonym.as_str(),
        welcome => group_rows.is_empty(),
        notifications => fresh,
        unread_count => unread_count,
        notifications_href => link(page, "/notifications", &[]),
        unread_topics => unread,
        latest_topics => latest,
        groups => group_rows,
        events => events,
        events_href => link(page, "/events", &[]),
        unread_messages => unread_messages,
        messages_href => link(page, "/messages", &[]),
        forum_href => link(page, "/forum", &[]),
        new_topic_href => link(page, "/forum/new", &[]),
        groups_href => link(page, "/groups", &[]),
        profile_href => link(page, "/profile", &[]),
        preview_href => link(page, "/profile/preview", &[]),
        members_href => link(page, "/members", &[]),
    };
    render_status(state, StatusCode::OK, "home/member.html", page.layout("/", Section::Home), values)
}
