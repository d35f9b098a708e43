-- Knowledge: articles that professionals and staff write, a second
-- professional or an editor reviews, and members (or, for `public`, anyone)
-- read (service::knowledge). `status`: draft (the author's; a returned
-- article is a draft again, with the reviewer's `review_note`), in_review,
-- published. `body_html` is the body rendered by the forum's safe Markdown
-- renderer when written; `search_text` the lower-cased plain text of
-- title, summary and body for `q=`. `author_id` is NULL once the author's
-- account is erased (a published article stays, without a name; a draft
-- goes with the account). `sources`: JSON `[{"title", "url"}]`, each URL
-- http or https, checked when written.
CREATE TABLE articles (
    association_id  TEXT NOT NULL REFERENCES associations (id) ON DELETE CASCADE,
    id              TEXT NOT NULL,
    author_id       TEXT,
    title           TEXT NOT NULL,
    summary         TEXT NOT NULL,
    body            TEXT NOT NULL,
    body_html       TEXT NOT NULL,
    search_text     TEXT NOT NULL,
    sources         TEXT NOT NULL,
    audience        TEXT NOT NULL CHECK (audience IN ('members', 'public')),
    status          TEXT NOT NULL CHECK (status IN ('draft', 'in_review', 'published')),
    review_note     TEXT,
    reviewer_id     TEXT,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    published_at    TIMESTAMPTZ,
    PRIMARY KEY (association_id, id),
    CHECK ((status = 'published') = (published_at IS NOT NULL))
);
CREATE INDEX articles_published ON articles (association_id, status, published_at, id);
CREATE INDEX articles_by_author ON articles (association_id, author_id);

-- The conditions and therapies an article is about: catalogue codes of the
-- profile fields `condition` and `therapies`, for `condition=` and `therapy=`.
CREATE TABLE article_codes (
    association_id  TEXT NOT NULL,
    article_id      TEXT NOT NULL,
    field           TEXT NOT NULL CHECK (field IN ('condition', 'therapy')),
    code            TEXT NOT NULL,
    PRIMARY KEY (association_id, article_id, field, code),
    FOREIGN KEY (association_id, article_id) REFERENCES articles (association_id, id) ON DELETE CASCADE
);
CREATE INDEX article_codes_by_code ON article_codes (association_id, field, code, article_id);
