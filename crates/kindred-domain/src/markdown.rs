//! Markdown of forum posts, rendered safely, and the members mentioned in it.
//!
//! Posts come from members, so this is a security boundary. The parser is
//! pulldown-cmark (CommonMark with strikethrough, nothing else); the HTML is
//! written here, from its events, by a writer that knows a short allow-list:
//!
//! - `p`, `br`, `em`, `strong`, `del`, `code`, `pre>code`, `blockquote`,
//!   `ul`, `ol` (with `start`), `li`, `hr`, headings moved down to
//!   `h3`..`h6` (`#` is `h3`), `a` and `span class="mention"`;
//! - raw HTML, block or inline, is shown as text;
//! - links only to `http:`, `https:` and `mailto:`, always with
//!   `rel="nofollow ugc noopener noreferrer"`, never with a title; any other
//!   link shows its text alone;
//! - no images (remote images track readers): an image becomes a link to its
//!   URL with the alt text, or the alt text alone;
//! - `@name` and `@[name with spaces]` in ordinary text (not in code, not in
//!   link text, not after a letter or digit as in `a@b.de`) become what the
//!   caller's resolver makes of them.
//!
//! The writer keeps its nesting on the heap, so no input can exhaust the
//! stack; nothing here panics.

use pulldown_cmark::{Event, HeadingLevel, LinkType, Options, Parser, Tag};

/// Longest post source the caller should accept (characters). Longer input is
/// rendered all the same; this is only the limit for the edge to check.
pub const MAX_SOURCE_CHARS: usize = 20_000;
/// Distinct members at most that one post mentions; further names stay text.
pub const MAX_MENTIONS: usize = 20;
/// Longest name of a mention (characters), as for a pseudonym.
const MAX_NAME_CHARS: usize = 60;
/// What every link to elsewhere carries.
const LINK_REL: &str = "nofollow ugc noopener noreferrer";

/// What a resolved `@name` becomes: `<a href="...">@label</a>`, or
/// `<span class="mention">@label</span>` without `href`. `label` may differ
/// from the written name (canonical spelling). Both are escaped on output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    pub label: String,
    pub href: Option<String>,
}

/// A rendered post.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    /// A safe HTML fragment (only the allowed elements, every text escaped).
    pub html: String,
    /// Plain text, not HTML (escape it where it goes into HTML): no markup,
    /// mentions as `@label`, whitespace collapsed to single spaces. For the
    /// search index, snippets and notifications.
    pub text: String,
}

/// The members a post mentions: names as written (the first spelling of each),
/// without repeats (compared case-insensitively), at most [`MAX_MENTIONS`], in
/// order. Mentions inside code spans, code blocks, link text or raw HTML do
/// not count. These are exactly the names [`render`] asks its resolver about.
pub fn mentions(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    let resolve = |_: &str| None;
    let mut writer = Writer::new(&resolve);
    writer.run(source);
    for entry in writer.seen {
        names.push(entry.written);
    }
    names
}

/// Renders a post. `resolve` is asked once for each distinct mentioned name
/// (the names of [`mentions`]); `None` leaves `@name` as plain text.
pub fn render(source: &str, resolve: &dyn Fn(&str) -> Option<Mention>) -> Rendered {
    let mut writer = Writer::new(resolve);
    writer.run(source);
    Rendered { html: writer.html, text: writer.text.split_whitespace().collect::<Vec<_>>().join(" ") }
}

/// What to do when an element ends.
enum Frame {
    /// A block element: its closing tag, then a line break.
    Block(&'static str),
    /// An inline element: its closing tag.
    Inline(&'static str),
    /// `pre>code`.
    CodeBlock,
    /// A link; `open` when an `<a>` was written for it.
    Link { open: bool },
    /// The outermost image; its alt text is gathered in `Writer::alt`.
    Image { href: Option<String> },
    /// Any element inside an image (only its text counts, as alt text).
    InImage,
    /// An element that is not written at all (its content is).
    Nothing,
}

struct SeenName {
    key: String,
    written: String,
    resolved: Option<Mention>,
}

struct Writer<'r> {
    resolve: &'r dyn Fn(&str) -> Option<Mention>,
    html: String,
    text: String,
    stack: Vec<Frame>,
    /// Text of consecutive text events (the parser splits text at `[`, `@`
    /// and the like; mentions are found in the whole run).
    pending: String,
    /// Alt text while inside an image.
    alt: Option<String>,
    code_blocks: usize,
    links: usize,
    seen: Vec<SeenName>,
}

impl<'r> Writer<'r> {
    fn new(resolve: &'r dyn Fn(&str) -> Option<Mention>) -> Self {
        Writer {
            resolve,
            html: String::new(),
            text: String::new(),
            stack: Vec::new(),
            pending: String::new(),
            alt: None,
            code_blocks: 0,
            links: 0,
            seen: Vec::new(),
        }
    }

    fn run(&mut self, source: &str) {
        for event in Parser::new_ext(source, Options::ENABLE_STRIKETHROUGH) {
            self.event(event);
        }
        self.flush();
        // The parser balances its events; should it ever not, close what is open.
        while let Some(frame) = self.stack.pop() {
            self.end(frame);
        }
        if let Some(alt) = self.alt.take() {
            self.plain(&alt);
        }
    }

    fn event(&mut self, event: Event<'_>) {
        if let Some(alt) = self.alt.as_mut() {
            match event {
                Event::Start(_) => self.stack.push(Frame::InImage),
                Event::End(_) => {
                    if let Some(frame) = self.stack.pop() {
                        self.end(frame);
                    }
                }
                Event::Text(s)
                | Event::Code(s)
                | Event::InlineMath(s)
                | Event::DisplayMath(s)
                | Event::Html(s)
                | Event::InlineHtml(s)
                | Event::FootnoteReference(s) => alt.push_str(&s),
                Event::SoftBreak | Event::HardBreak => alt.push(' '),
                Event::Rule | Event::TaskListMarker(_) => {}
            }
            return;
        }
        if let Event::Text(s) = event {
            if self.code_blocks > 0 {
                self.plain(&s);
            } else {
                self.pending.push_str(&s);
            }
            return;
        }
        self.flush();
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(_) => {
                if let Some(frame) = self.stack.pop() {
                    self.end(frame);
                }
            }
            Event::Text(s) => self.plain(&s),
            Event::Code(s) => {
                self.html.push_str("<code>");
                self.plain(&s);
                self.html.push_str("</code>");
            }
            Event::InlineMath(s) | Event::DisplayMath(s) => {
                self.plain("$");
                self.plain(&s);
                self.plain("$");
            }
            // Raw HTML is shown as what it is: text.
            Event::Html(s) | Event::InlineHtml(s) => self.plain(&s),
            Event::FootnoteReference(s) => {
                self.plain("[^");
                self.plain(&s);
                self.plain("]");
            }
            Event::SoftBreak => {
                self.html.push('\n');
                self.text.push(' ');
            }
            Event::HardBreak => {
                self.html.push_str("<br>\n");
                self.text.push(' ');
            }
            Event::Rule => {
                self.html.push_str("<hr>\n");
                self.text.push(' ');
            }
            Event::TaskListMarker(done) => self.plain(if done { "[x] " } else { "[ ] " }),
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        let frame = match tag {
            Tag::Paragraph => self.open_block("<p>", "</p>"),
            Tag::Heading { level, .. } => match level {
                HeadingLevel::H1 => self.open_block("<h3>", "</h3>"),
                HeadingLevel::H2 => self.open_block("<h4>", "</h4>"),
                HeadingLevel::H3 => self.open_block("<h5>", "</h5>"),
                HeadingLevel::H4 | HeadingLevel::H5 | HeadingLevel::H6 => self.open_block("<h6>", "</h6>"),
            },
            Tag::BlockQuote(_) => self.open_block("<blockquote>\n", "</blockquote>"),
            Tag::CodeBlock(_) => {
                self.html.push_str("<pre><code>");
                self.code_blocks += 1;
                Frame::CodeBlock
            }
            // Shown as text, in a paragraph of its own.
            Tag::HtmlBlock => self.open_block("<p>", "</p>"),
            Tag::List(Some(1)) => self.open_block("<ol>\n", "</ol>"),
            Tag::List(Some(start)) => {
                self.html.push_str("<ol start=\"");
                self.html.push_str(&start.to_string());
                self.html.push_str("\">\n");
                Frame::Block("</ol>")
            }
            Tag::List(None) => self.open_block("<ul>\n", "</ul>"),
            Tag::Item => self.open_block("<li>", "</li>"),
            Tag::Emphasis => self.open_inline("<em>", "</em>"),
            Tag::Strong => self.open_inline("<strong>", "</strong>"),
            Tag::Strikethrough => self.open_inline("<del>", "</del>"),
            Tag::Link { link_type, dest_url, .. } => {
                let href = link_href(link_type, &dest_url);
                // No link inside a link (CommonMark forbids them; be sure).
                let open = match href {
                    Some(href) if self.links == 0 => {
                        self.open_link(&href);
                        true
                    }
                    _ => false,
                };
                self.links += 1;
                Frame::Link { open }
            }
            Tag::Image { link_type, dest_url, .. } => {
                let href = link_href(link_type, &dest_url).filter(|_| self.links == 0);
                self.alt = Some(String::new());
                Frame::Image { href }
            }
            // Not enabled, so never parsed; should one come, its content is shown.
            Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::Table(_)
            | Tag::TableHead
            | Tag::TableRow
            | Tag::TableCell
            | Tag::Superscript
            | Tag::Subscript
            | Tag::MetadataBlock(_) => Frame::Nothing,
        };
        self.stack.push(frame);
    }

    fn end(&mut self, frame: Frame) {
        match frame {
            Frame::Block(close) => {
                self.html.push_str(close);
                self.html.push('\n');
                self.text.push(' ');
            }
            Frame::Inline(close) => self.html.push_str(close),
            Frame::CodeBlock => {
                self.html.push_str("</code></pre>\n");
                self.code_blocks = self.code_blocks.saturating_sub(1);
                self.text.push(' ');
            }
            Frame::Link { open } => {
                if open {
                    self.html.push_str("</a>");
                }
                self.links = self.links.saturating_sub(1);
            }
            Frame::Image { href } => {
                let alt = self.alt.take().unwrap_or_default();
                match href {
                    Some(href) => {
                        self.open_link(&href);
                        self.plain(if alt.trim().is_empty() { &href } else { &alt });
                        self.html.push_str("</a>");
                    }
                    None => self.plain(&alt),
                }
            }
            Frame::InImage => {}
            Frame::Nothing => self.text.push(' '),
        }
    }

    fn open_block(&mut self, open: &str, close: &'static str) -> Frame {
        self.html.push_str(open);
        Frame::Block(close)
    }

    fn open_inline(&mut self, open: &str, close: &'static str) -> Frame {
        self.html.push_str(open);
        Frame::Inline(close)
    }

    fn open_link(&mut self, href: &str) {
        self.html.push_str("<a href=\"");
        escape_into(&mut self.html, href);
        self.html.push_str("\" rel=\"");
        self.html.push_str(LINK_REL);
        self.html.push_str("\">");
    }

    /// Text as text, in both outputs.
    fn plain(&mut self, s: &str) {
        escape_into(&mut self.html, s);
        self.text.push_str(s);
    }

    /// Writes the pending run of text, with its mentions unless in a link.
    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let run = std::mem::take(&mut self.pending);
        if self.links > 0 {
            self.plain(&run);
        } else {
            self.text_with_mentions(&run);
        }
    }

    fn text_with_mentions(&mut self, run: &str) {
        let mut written = 0;
        for (at, c) in run.char_indices() {
            if c != '@' || at < written {
                continue;
            }
            let before = run.get(..at).and_then(|s| s.chars().next_back());
            if before.is_some_and(char::is_alphanumeric) {
                continue;
            }
            let Some(rest) = run.get(at + 1..) else { continue };
            let Some((name, len)) = mention_at(rest) else { continue };
            let Some(mention) = self.resolved(name) else { continue };
            if let Some(earlier) = run.get(written..at) {
                self.plain(earlier);
            }
            self.mention(&mention);
            written = at + 1 + len;
        }
        if let Some(tail) = run.get(written..) {
            self.plain(tail);
        }
    }

    /// The resolver's answer for a name, asked once per distinct name, for
    /// the first [`MAX_MENTIONS`] names only.
    fn resolved(&mut self, name: &str) -> Option<Mention> {
        let key = name.to_lowercase();
        if let Some(entry) = self.seen.iter().find(|entry| entry.key == key) {
            return entry.resolved.clone();
        }
        if self.seen.len() >= MAX_MENTIONS {
            return None;
        }
        let resolved = (self.resolve)(name);
        self.seen.push(SeenName { key, written: name.to_owned(), resolved: resolved.clone() });
        resolved
    }

    fn mention(&mut self, mention: &Mention) {
        match &mention.href {
            Some(href) => {
                self.html.push_str("<a href=\"");
                escape_into(&mut self.html, href);
                self.html.push_str("\">@");
                escape_into(&mut self.html, &mention.label);
                self.html.push_str("</a>");
            }
            None => {
                self.html.push_str("<span class=\"mention\">@");
                escape_into(&mut self.html, &mention.label);
                self.html.push_str("</span>");
            }
        }
        self.text.push('@');
        self.text.push_str(&mention.label);
    }
}

/// The name of a mention at the start of `rest` (what follows an `@`) and the
/// bytes it takes: `name` (letters, digits, `.`, `_`, `-`, starting with a
/// letter or digit; a trailing `.`, `_` or `-` is punctuation, not name) or
/// `[name with spaces]`, at most [`MAX_NAME_CHARS`] characters.
fn mention_at(rest: &str) -> Option<(&str, usize)> {
    if let Some(inner) = rest.strip_prefix('[') {
        // Look no further than a name can be long: input is hostile.
        let close = inner.char_indices().take(MAX_NAME_CHARS + 8).find(|&(_, c)| c == ']').map(|(i, _)| i)?;
        let name = inner.get(..close)?.trim();
        let valid = name.chars().all(|c| c.is_alphanumeric() || matches!(c, ' ' | '.' | '_' | '-'));
        return (valid && name_shape_ok(name)).then_some((name, close + 2));
    }
    let end = rest.find(|c: char| !(c.is_alphanumeric() || matches!(c, '.' | '_' | '-'))).unwrap_or(rest.len());
    let name = rest.get(..end)?.trim_end_matches(['.', '_', '-']);
    name_shape_ok(name).then_some((name, name.len()))
}

fn name_shape_ok(name: &str) -> bool {
    name.chars().next().is_some_and(char::is_alphanumeric) && name.chars().count() <= MAX_NAME_CHARS
}

/// The `href` for a link or image destination, if it is one we link to:
/// `http:` or `https:` with a host, or `mailto:` (`<a@b.de>` autolinks).
fn link_href(link_type: LinkType, dest: &str) -> Option<String> {
    let url = match link_type {
        LinkType::Email => format!("mailto:{dest}"),
        _ => dest.to_owned(),
    };
    safe_url(&url).map(str::to_owned)
}

/// `url` without surrounding blanks when its scheme is `http`, `https` or
/// `mailto` (in any case) and it holds no control character; `None` for
/// everything else (other schemes, relative and protocol-relative URLs).
/// The parser has already decoded entities and escapes, so this sees what a
/// browser will see once the escaped `href` is read back.
fn safe_url(url: &str) -> Option<&str> {
    let url = url.trim_matches(|c: char| c.is_whitespace() || c.is_control());
    if url.chars().any(char::is_control) {
        return None;
    }
    let (scheme, rest) = url.split_once(':')?;
    if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") {
        let authority = rest.strip_prefix("//")?;
        let host = authority.split(['/', '?', '#', '\\']).next().unwrap_or_default();
        if host.is_empty() || host.chars().any(char::is_whitespace) {
            return None;
        }
        Some(url)
    } else if scheme.eq_ignore_ascii_case("mailto") {
        let address = rest.trim();
        (!address.is_empty() && !address.starts_with('/')).then_some(url)
    } else {
        None
    }
}

/// HTML escaping for text and attribute values alike.
fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Resolves `anna` (any case) to a link, `Bob Builder` to a span.
    fn members(name: &str) -> Option<Mention> {
        match name.to_lowercase().as_str() {
            "anna" => Some(Mention { label: "Anna".into(), href: Some("/members/anna".into()) }),
            "bob builder" => Some(Mention { label: "Bob Builder".into(), href: None }),
            _ => None,
        }
    }

    fn html(source: &str) -> String {
        let out = render(source, &members);
        check_html(&out.html).unwrap_or_else(|problem| panic!("{problem} in {:?} from {source:?}", out.html));
        out.html
    }

    const VOID: &[&str] = &["br", "hr"];
    const ALLOWED: &[(&str, &[&str])] = &[
        ("p", &[]),
        ("br", &[]),
        ("em", &[]),
        ("strong", &[]),
        ("del", &[]),
        ("code", &[]),
        ("pre", &[]),
        ("blockquote", &[]),
        ("ul", &[]),
        ("ol", &["start"]),
        ("li", &[]),
        ("hr", &[]),
        ("a", &["href", "rel"]),
        ("h3", &[]),
        ("h4", &[]),
        ("h5", &[]),
        ("h6", &[]),
        ("span", &["class"]),
    ];

    /// A tiny scanner over our own output: every `<` opens an allowed tag with
    /// allowed, double-quoted attributes; tags nest properly; no `>` or `"`
    /// stray outside tags; `href`s are http(s), mailto or the test's members.
    fn check_html(html: &str) -> Result<(), String> {
        let mut open: Vec<String> = Vec::new();
        let mut rest = html;
        while let Some(lt) = rest.find(['<', '>', '"']) {
            let tag = &rest[lt..];
            if !tag.starts_with('<') {
                return Err(format!("stray {:?}", &tag[..1]));
            }
            let end = tag.find('>').ok_or("unterminated tag")?;
            let inner = &tag[1..end];
            rest = &tag[end + 1..];
            if let Some(name) = inner.strip_prefix('/') {
                match open.pop() {
                    Some(top) if top == name => continue,
                    other => return Err(format!("</{name}> closes {other:?}")),
                }
            }
            let name_end = inner.find(' ').unwrap_or(inner.len());
            let name = &inner[..name_end];
            let allowed = ALLOWED.iter().find(|(tag, _)| *tag == name).ok_or(format!("tag <{name}>"))?.1;
            let mut attrs = &inner[name_end..];
            while !attrs.is_empty() {
                let a = attrs.strip_prefix(' ').ok_or(format!("attributes {attrs:?}"))?;
                let eq = a.find("=\"").ok_or(format!("attribute {a:?}"))?;
                let attr = &a[..eq];
                let value_and_rest = &a[eq + 2..];
                let close = value_and_rest.find('"').ok_or("unterminated attribute")?;
                let value = &value_and_rest[..close];
                attrs = &value_and_rest[close + 1..];
                if !allowed.contains(&attr) {
                    return Err(format!("attribute {attr} on <{name}>"));
                }
                if attr.to_ascii_lowercase().starts_with("on") {
                    return Err(format!("event handler {attr}"));
                }
                if value.contains(['<', '>', '\'']) {
                    return Err(format!("unescaped value {value:?}"));
                }
                match attr {
                    "href" => {
                        let lower = value.to_ascii_lowercase();
                        let scheme_ok = ["http://", "https://", "mailto:", "/members/"]
                            .iter()
                            .any(|prefix| lower.starts_with(prefix));
                        if !scheme_ok || lower.starts_with("javascript:") || lower.starts_with("data:") {
                            return Err(format!("href {value:?}"));
                        }
                    }
                    "rel" if value != LINK_REL => return Err(format!("rel {value:?}")),
                    "class" if value != "mention" => return Err(format!("class {value:?}")),
                    "start" if value.is_empty() || !value.chars().all(|c| c.is_ascii_digit()) => {
                        return Err(format!("start {value:?}"))
                    }
                    _ => {}
                }
            }
            if name == "a" && !inner.contains(" href=\"") {
                return Err("<a> without href".into());
            }
            if !VOID.contains(&name) {
                open.push(name.to_owned());
            }
        }
        if open.is_empty() {
            Ok(())
        } else {
            Err(format!("left open: {open:?}"))
        }
    }

    /// The brief's regular expression `\son\w+=` (case-insensitive), by hand.
    fn has_event_handler(s: &str) -> bool {
        let lower = s.to_ascii_lowercase();
        let bytes = lower.as_bytes();
        (1..bytes.len()).any(|i| {
            bytes[i - 1].is_ascii_whitespace() && lower[i..].starts_with("on") && {
                let word: String = lower[i + 2..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                !word.is_empty() && lower[i + 2 + word.len()..].starts_with('=')
            }
        })
    }

    fn tags_only(html: &str) -> String {
        let mut tags = String::new();
        let mut inside = false;
        for c in html.chars() {
            if c == '<' {
                inside = true;
            }
            if inside {
                tags.push(c);
            }
            if c == '>' {
                inside = false;
                tags.push(' ');
            }
        }
        tags
    }

    #[test]
    fn scanner_rejects_what_it_should() {
        assert!(check_html("<p>x</p>").is_ok());
        assert!(check_html("<script>").is_err());
        assert!(check_html("<p><em>x</p></em>").is_err());
        assert!(check_html("<p>").is_err());
        assert!(check_html("<a href=\"javascript:x\" rel=\"nofollow ugc noopener noreferrer\">x</a>").is_err());
        assert!(check_html("<span onclick=\"x\">x</span>").is_err());
        assert!(check_html("<p>a\"b</p>").is_err());
        assert!(has_event_handler("<a\tonmouseover=x>"));
        assert!(!has_event_handler("<a online>"));
    }

    #[test]
    fn ordinary_markdown() {
        assert_eq!(
            html("Hello *you* and **all** ~~no~~ `x<y`"),
            "<p>Hello <em>you</em> and <strong>all</strong> <del>no</del> <code>x&lt;y</code></p>\n"
        );
        assert_eq!(html("a  \nb"), "<p>a<br>\nb</p>\n");
        assert_eq!(html("---"), "<hr>\n");
        assert_eq!(html("```rust\nfn main() {}\n```"), "<pre><code>fn main() {}\n</code></pre>\n");
        assert_eq!(html("1. a\n2. b"), "<ol>\n<li>a</li>\n<li>b</li>\n</ol>\n");
        assert_eq!(html("7. a\n8. b"), "<ol start=\"7\">\n<li>a</li>\n<li>b</li>\n</ol>\n");
        assert_eq!(html("- a\n- b"), "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n");
    }

    #[test]
    fn headings_are_moved_down() {
        assert_eq!(html("# One"), "<h3>One</h3>\n");
        assert_eq!(html("## Two"), "<h4>Two</h4>\n");
        assert_eq!(html("### Three"), "<h5>Three</h5>\n");
        assert_eq!(html("#### Four"), "<h6>Four</h6>\n");
        assert_eq!(html("###### Six"), "<h6>Six</h6>\n");
        assert_eq!(html("Setext\n==="), "<h3>Setext</h3>\n");
        assert_eq!(html("# H {#id .class onclick=x}"), "<h3>H {#id .class onclick=x}</h3>\n");
    }

    #[test]
    fn nested_blocks() {
        assert_eq!(html("> a\n>> b\n>>> c"),
            "<blockquote>\n<p>a</p>\n<blockquote>\n<p>b</p>\n<blockquote>\n<p>c</p>\n</blockquote>\n</blockquote>\n</blockquote>\n");
        assert_eq!(
            html("- a\n  - b\n    1. c"),
            "<ul>\n<li>a<ul>\n<li>b<ol>\n<li>c</li>\n</ol>\n</li>\n</ul>\n</li>\n</ul>\n"
        );
        assert_eq!(
            html("> - a\n>   > b"),
            "<blockquote>\n<ul>\n<li>a<blockquote>\n<p>b</p>\n</blockquote>\n</li>\n</ul>\n</blockquote>\n"
        );
    }

    #[test]
    fn raw_html_is_text() {
        assert_eq!(html("<script>alert(1)</script>"), "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n");
        assert_eq!(html("x <script>alert(1)</script>"), "<p>x &lt;script&gt;alert(1)&lt;/script&gt;</p>\n");
        assert_eq!(html("<img src=x onerror=alert(1)>"), "<p>&lt;img src=x onerror=alert(1)&gt;</p>\n");
        assert_eq!(html("a <img src=x onerror=alert(1)> b"), "<p>a &lt;img src=x onerror=alert(1)&gt; b</p>\n");
        assert_eq!(
            html("<a href=\"javascript:alert(1)\">x</a>"),
            "<p>&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;</p>\n"
        );
        assert_eq!(
            html("<iframe src=\"https://evil.example\"></iframe>"),
            "<p>&lt;iframe src=&quot;https://evil.example&quot;&gt;&lt;/iframe&gt;</p>\n"
        );
        assert_eq!(html("<svg onload=alert(1)>"), "<p>&lt;svg onload=alert(1)&gt;</p>\n");
        assert_eq!(html("<!-- hidden -->"), "<p>&lt;!-- hidden --&gt;</p>\n");
        let text = render("<b>bold</b> & 'so'", &members).text;
        assert_eq!(text, "<b>bold</b> & 'so'");
    }

    #[test]
    fn links_to_the_web_and_mail_only() {
        let rel = LINK_REL;
        assert_eq!(
            html("[x](https://ok.example/a?b=1&c=2)"),
            format!("<p><a href=\"https://ok.example/a?b=1&amp;c=2\" rel=\"{rel}\">x</a></p>\n")
        );
        assert_eq!(
            html("[x](HTTP://ok.example)"),
            format!("<p><a href=\"HTTP://ok.example\" rel=\"{rel}\">x</a></p>\n")
        );
        assert_eq!(html("[x](mailto:a@b.de)"), format!("<p><a href=\"mailto:a@b.de\" rel=\"{rel}\">x</a></p>\n"));
        assert_eq!(
            html("<https://ok.example>"),
            format!("<p><a href=\"https://ok.example\" rel=\"{rel}\">https://ok.example</a></p>\n")
        );
        assert_eq!(html("<a@b.de>"), format!("<p><a href=\"mailto:a@b.de\" rel=\"{rel}\">a@b.de</a></p>\n"));
        assert_eq!(
            html("[x][r]\n\n[r]: https://ok.example"),
            format!("<p><a href=\"https://ok.example\" rel=\"{rel}\">x</a></p>\n")
        );
        // Bare URLs stay text.
        assert_eq!(html("see https://ok.example"), "<p>see https://ok.example</p>\n");
    }

    #[test]
    fn dangerous_links_become_their_text() {
        for source in [
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "[x]( javascript:alert(1))",
            "[x](<javascript:alert(1)>)",
            "[x](java&#09;script:alert(1))",
            "[x](java&#x09;script:alert(1))",
            "[x](javascript&#58;alert(1))",
            "[x](javascript&colon;alert(1))",
            "[x](&#106;avascript:alert(1))",
            "[x](java\\\tscript:alert(1))",
            "[x](vbscript:msgbox(1))",
            "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "[x](//evil.example)",
            "[x](/relative)",
            "[x](relative)",
            "[x](https:evil.example)",
            "[x](https:///x)",
            "[x](http://exa&#10;mple)",
            "[x](file:///etc/passwd)",
            "[x][r]\n\n[r]: javascript:alert(1)",
            "<javascript:alert(1)>",
        ] {
            let out = html(source);
            assert!(!out.contains("<a"), "{source:?} gave {out}");
            assert!(out.starts_with("<p>") && out.contains('x') || out.contains("javascript"), "{source:?} gave {out}");
        }
        assert_eq!(html("[x](javascript:alert(1))"), "<p>x</p>\n");
        assert_eq!(html("[**x**](javascript:alert(1))"), "<p><strong>x</strong></p>\n");
        // An autolink with another scheme: its text, without the brackets.
        assert_eq!(html("<javascript:alert(1)>"), "<p>javascript:alert(1)</p>\n");
    }

    #[test]
    fn quotes_and_titles_cannot_break_out() {
        let rel = LINK_REL;
        assert_eq!(
            html("[x](https://ok.example/\"onmouseover=\"x)"),
            format!("<p><a href=\"https://ok.example/&quot;onmouseover=&quot;x\" rel=\"{rel}\">x</a></p>\n")
        );
        assert_eq!(
            html("[x](https://ok.example/'onmouseover='x)"),
            format!("<p><a href=\"https://ok.example/&#39;onmouseover=&#39;x\" rel=\"{rel}\">x</a></p>\n")
        );
        assert_eq!(html("[\"><script>alert(1)</script>](https://ok.example \"\\\"><script>alert(1)</script>\")"),
            format!("<p><a href=\"https://ok.example\" rel=\"{rel}\">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</a></p>\n"));
        assert_eq!(
            html("[x](https://ok.example 'title')"),
            format!("<p><a href=\"https://ok.example\" rel=\"{rel}\">x</a></p>\n")
        );
    }

    #[test]
    fn images_never_load() {
        let rel = LINK_REL;
        assert_eq!(
            html("![t](https://tracker.example/p.png)"),
            format!("<p><a href=\"https://tracker.example/p.png\" rel=\"{rel}\">t</a></p>\n")
        );
        assert_eq!(
            html("![](https://tracker.example/p.png)"),
            format!(
                "<p><a href=\"https://tracker.example/p.png\" rel=\"{rel}\">https://tracker.example/p.png</a></p>\n"
            )
        );
        assert_eq!(html("![a *b* `c`](javascript:alert(1))"), "<p>a b c</p>\n");
        assert_eq!(html("![\"><script>](x.png \"t\")"), "<p>&quot;&gt;&lt;script&gt;</p>\n");
        // An image in a link: one link, the image's alt text inside it.
        assert_eq!(
            html("[![alt](https://i.example/p.png)](https://ok.example)"),
            format!("<p><a href=\"https://ok.example\" rel=\"{rel}\">alt</a></p>\n")
        );
        assert_eq!(
            html("![a ![b](https://x.example/b) c](https://x.example/a)"),
            format!("<p><a href=\"https://x.example/a\" rel=\"{rel}\">a b c</a></p>\n")
        );
        assert!(!html("<img src=https://tracker.example/p.png>").contains("<img"));
    }

    #[test]
    fn extensions_that_are_off_show_their_source() {
        assert_eq!(html("| a | b |\n|---|---|\n| 1 | 2 |"), "<p>| a | b |\n|---|---|\n| 1 | 2 |</p>\n");
        assert_eq!(html("- [ ] todo"), "<ul>\n<li>[ ] todo</li>\n</ul>\n");
        assert_eq!(html("x[^1]"), "<p>x[^1]</p>\n");
        // Without footnotes, `[^1]: note` is a link reference definition (to a
        // relative URL, so no link): CommonMark hides it.
        assert_eq!(html("x[^1]\n\n[^1]: note"), "<p>x^1</p>\n");
    }

    #[test]
    fn mentions_are_resolved() {
        assert_eq!(html("hi @anna!"), "<p>hi <a href=\"/members/anna\">@Anna</a>!</p>\n");
        assert_eq!(html("@ANNA."), "<p><a href=\"/members/anna\">@Anna</a>.</p>\n");
        assert_eq!(
            html("thanks @[Bob Builder], @[ bob builder ]"),
            "<p>thanks <span class=\"mention\">@Bob Builder</span>, <span class=\"mention\">@Bob Builder</span></p>\n"
        );
        assert_eq!(html("*@anna*"), "<p><em><a href=\"/members/anna\">@Anna</a></em></p>\n");
        assert_eq!(html("# @anna"), "<h3><a href=\"/members/anna\">@Anna</a></h3>\n");
        // Unknown names stay as written.
        assert_eq!(html("@nobody and @[no body]"), "<p>@nobody and @[no body]</p>\n");
        let out = render("Hi @anna, see @[Bob Builder]'s *post*.", &members);
        assert_eq!(out.text, "Hi @Anna, see @Bob Builder's post.");
    }

    #[test]
    fn what_is_not_a_mention() {
        assert_eq!(html("mail a@b.de or anna@anna.de"), "<p>mail a@b.de or anna@anna.de</p>\n");
        assert_eq!(html("`@anna`"), "<p><code>@anna</code></p>\n");
        assert_eq!(html("```\n@anna\n```"), "<pre><code>@anna\n</code></pre>\n");
        assert_eq!(html("    @anna"), "<pre><code>@anna</code></pre>\n");
        assert_eq!(
            html("[@anna](https://ok.example)"),
            format!("<p><a href=\"https://ok.example\" rel=\"{LINK_REL}\">@anna</a></p>\n")
        );
        assert_eq!(html("[@anna](javascript:x)"), "<p>@anna</p>\n");
        assert_eq!(html("@.anna @_anna @ anna"), "<p>@.anna @_anna @ anna</p>\n");
        assert_eq!(mentions("a@b.de `@anna`\n\n```\n@bob\n```\n\n[@carl](https://x.example) <b>@dora</b>"), ["dora"]);
    }

    #[test]
    fn mentions_lists_names_as_written() {
        assert_eq!(
            mentions("@anna @Anna @[Bob Builder] @bob. @x-y_z.1 (@joe)"),
            ["anna", "Bob Builder", "bob", "x-y_z.1", "joe"]
        );
        assert_eq!(mentions("@[unterminated @["), Vec::<String>::new());
        assert_eq!(mentions(&format!("@{}", "a".repeat(61))), Vec::<String>::new());
        assert_eq!(mentions(&format!("@{}", "a".repeat(60))), ["a".repeat(60)]);
        let many: String = (0..30).map(|i| format!("@m{i} ")).collect();
        let names = mentions(&many);
        assert_eq!(names.len(), MAX_MENTIONS);
        assert_eq!(names.first().map(String::as_str), Some("m0"));
        assert_eq!(names.last().map(String::as_str), Some("m19"));
    }

    #[test]
    fn resolver_is_asked_once_per_name_and_only_for_twenty() {
        let asked = std::cell::RefCell::new(Vec::new());
        let resolve = |name: &str| {
            asked.borrow_mut().push(name.to_owned());
            Some(Mention { label: name.to_owned(), href: None })
        };
        let many: String = (0..30).map(|i| format!("@m{i} @M{i} ")).collect();
        let out = render(&many, &resolve);
        assert_eq!(asked.borrow().len(), MAX_MENTIONS);
        assert!(out.html.contains("<span class=\"mention\">@m19</span> <span class=\"mention\">@m19</span>"));
        assert!(out.html.contains(" @m20 @M20 "));
    }

    #[test]
    fn hostile_labels_are_escaped() {
        let resolve = |_: &str| Some(Mention { label: "<b>\"x'".into(), href: Some("\"><script>".into()) });
        assert_eq!(
            render("@x", &resolve).html,
            "<p><a href=\"&quot;&gt;&lt;script&gt;\">@&lt;b&gt;&quot;x&#39;</a></p>\n"
        );
    }

    #[test]
    fn deep_nesting_does_not_exhaust_the_stack() {
        for source in [
            ">".repeat(20_000),
            "> ".repeat(10_000) + "x",
            "- ".repeat(5_000) + "x",
            "  ".repeat(5_000) + "- x",
            "*".repeat(20_000) + "x" + &"*".repeat(20_000),
            "[".repeat(20_000) + &"](x)".repeat(20_000),
            "![".repeat(10_000) + &"](https://x.example)".repeat(10_000),
            "<".repeat(20_000),
            "@[".repeat(20_000),
            "`".repeat(20_000),
        ] {
            let out = render(&source, &members);
            if let Err(problem) = check_html(&out.html) {
                panic!("{problem} from a source of {} chars", source.len());
            }
        }
    }

    #[test]
    fn text_is_plain_and_normalised() {
        let out = render("# Title\n\nOne *two*\nthree  \nfour\n\n- a\n- b\n\n```\ncode  here\n```\n\n[x](javascript:y) ![alt](https://i.example)", &members);
        assert_eq!(out.text, "Title One two three four a b code here x alt");
    }

    fn fragment() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("<".to_owned()),
            Just(">".to_owned()),
            Just("\"".to_owned()),
            Just("'".to_owned()),
            Just("javascript:".to_owned()),
            Just("JaVaScRiPt:".to_owned()),
            Just("data:".to_owned()),
            Just("https://".to_owned()),
            Just("mailto:".to_owned()),
            Just("//".to_owned()),
            Just("[".to_owned()),
            Just("]".to_owned()),
            Just("](".to_owned()),
            Just(")".to_owned()),
            Just("![".to_owned()),
            Just("@".to_owned()),
            Just("@[".to_owned()),
            Just("`".to_owned()),
            Just("```".to_owned()),
            Just("\n".to_owned()),
            Just("\n\n".to_owned()),
            Just("> ".to_owned()),
            Just("* ".to_owned()),
            Just("1. ".to_owned()),
            Just("# ".to_owned()),
            Just("    ".to_owned()),
            Just(" ".to_owned()),
            Just("\t".to_owned()),
            Just("on".to_owned()),
            Just("=".to_owned()),
            Just("&#".to_owned()),
            Just("&#x".to_owned()),
            Just(";".to_owned()),
            Just(":".to_owned()),
            Just("script".to_owned()),
            Just("img".to_owned()),
            Just("iframe".to_owned()),
            Just("src".to_owned()),
            Just("anna".to_owned()),
            Just("~~".to_owned()),
            Just("**".to_owned()),
            Just("_".to_owned()),
            Just("\\".to_owned()),
            Just("|".to_owned()),
            Just("---".to_owned()),
            "[a-zA-Z0-9]{1,4}",
        ]
    }

    fn hostile_resolver(name: &str) -> Option<Mention> {
        let href = if name.contains(['a', 'e', 'i', 'o', 'u']) { Some(format!("/members/{name}\"'<>&")) } else { None };
        (!name.starts_with('x')).then(|| Mention { label: format!("{name}<\"'&>"), href })
    }

    fn assert_safe(source: &str) -> Result<(), TestCaseError> {
        let out = render(source, &hostile_resolver);
        let lower = out.html.to_ascii_lowercase();
        prop_assert!(!lower.contains("<script"), "script in {:?}", out.html);
        prop_assert!(!lower.contains("<img"), "img in {:?}", out.html);
        prop_assert!(!lower.contains("<iframe"), "iframe in {:?}", out.html);
        prop_assert!(!has_event_handler(&tags_only(&out.html)), "event handler in {:?}", out.html);
        if let Err(problem) = check_html(&out.html) {
            return Err(TestCaseError::fail(format!("{problem} in {:?} from {source:?}", out.html)));
        }
        prop_assert!(!out.text.contains("  ") && out.text.trim() == out.text);
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn any_string_renders_safely(source in any::<String>()) {
            assert_safe(&source)?;
        }

        #[test]
        fn markdown_and_html_fragments_render_safely(parts in proptest::collection::vec(fragment(), 0..60)) {
            assert_safe(&parts.concat())?;
        }

        #[test]
        fn mentions_are_bounded(parts in proptest::collection::vec(fragment(), 0..200), extra in any::<String>()) {
            let names = mentions(&(parts.concat() + &extra));
            prop_assert!(names.len() <= MAX_MENTIONS);
            for name in &names {
                prop_assert!(name.chars().next().is_some_and(char::is_alphanumeric));
                prop_assert!(name.chars().count() <= MAX_NAME_CHARS);
            }
        }

        #[test]
        fn mentions_of_any_string_are_bounded(source in any::<String>()) {
            prop_assert!(mentions(&source).len() <= MAX_MENTIONS);
        }
    }
}
