//! Kindred's domain: parsed input types and pure rules. No I/O, no serde, no SQL.
//!
//! Everything that enters from outside (command line, configuration files,
//! HTTP) is parsed into one of these types at the edge; code behind the edge
//! can then trust it.

pub mod account;
pub mod alias;
pub mod calls;
pub mod codes;
pub mod color;
pub mod counts;
pub mod disclosure;
pub mod events;
pub mod groups;
pub mod host;
pub mod ical;
pub mod id;
pub mod knowledge;
pub mod language;
pub mod level;
pub mod markdown;
pub mod member_list;
pub mod messaging;
pub mod notification_kinds;
pub mod profile;
pub mod reaction;
pub mod return_to;
pub mod search;
pub mod settings;
pub mod slug;
pub mod tenant;
pub mod text;

pub use account::{AccountRole, AccountStatus, EmailAddress, Password, Pseudonym};
pub use codes::OneTimeCode;
pub use color::Color;
pub use host::HostName;
pub use id::{
    ArticleId, AssociationId, AttachmentId, CallId, CategoryId, ConversationId, EventId, FlagId, GroupId, MemberId,
    MessageId, NotificationId, PostId, ReportId, RequestId, TopicId,
};
pub use language::Language;
pub use level::{Level, Visibility};
pub use member_list::{parse_member_list, BirthDate, EntryError, ListProblem, MemberListEntry, MemberListError};
pub use slug::Slug;
