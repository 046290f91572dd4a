-- PDPA: how long a round keeps personal data after certification, which
-- tambons have had it removed, and the keyed pseudonyms of citizen IDs that
-- outlive the IDs themselves (for following a household into the next
-- round). See docs/privacy.md.

CREATE TABLE round_retention (
    round_id    TEXT PRIMARY KEY REFERENCES rounds (id),
    keep_months INTEGER NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE retained_areas (
    round_id     TEXT NOT NULL REFERENCES rounds (id),
    area_code    TEXT NOT NULL,
    certified_at TEXT NOT NULL,
    applied_at   TEXT NOT NULL,
    applied_by   TEXT NOT NULL DEFAULT '',
    households   BIGINT NOT NULL,
    PRIMARY KEY (round_id, area_code)
);

CREATE TABLE person_links (
    round_id  TEXT NOT NULL,
    hh_key    TEXT NOT NULL,
    member_no INTEGER NOT NULL,
    link      TEXT NOT NULL,
    PRIMARY KEY (round_id, hh_key, member_no)
);

CREATE INDEX person_links_link ON person_links (link);
