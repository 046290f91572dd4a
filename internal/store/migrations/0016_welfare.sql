-- The state welfare-card register (บัตรสวัสดิการแห่งรัฐ): lists imported for
-- an area and a round, each person kept as the keyed hash of their citizen
-- ID (person, the same HMAC as person_links), the ID itself only when an
-- administrator has chosen to keep it. See docs/welfare.md.

CREATE TABLE welfare_imports (
    id          {{autoid}},
    round_id    TEXT NOT NULL REFERENCES rounds (id),
    area_code   TEXT NOT NULL,
    file_name   TEXT NOT NULL DEFAULT '',
    entries     INTEGER NOT NULL,
    raw_ids     BOOLEAN NOT NULL DEFAULT FALSE,
    imported_at TEXT NOT NULL,
    imported_by TEXT NOT NULL DEFAULT ''
);

CREATE INDEX welfare_imports_round ON welfare_imports (round_id, area_code);

CREATE TABLE welfare_entries (
    import_id    BIGINT NOT NULL REFERENCES welfare_imports (id),
    person       TEXT NOT NULL,
    citizen_id   TEXT NOT NULL DEFAULT '',
    row_no       INTEGER NOT NULL,
    reg_year     INTEGER NOT NULL DEFAULT 0,
    card_status  TEXT NOT NULL DEFAULT '',
    income_band  TEXT NOT NULL DEFAULT '',
    village_code TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (import_id, person)
);

CREATE INDEX welfare_entries_person ON welfare_entries (person);
