-- Indicator sets are the office's data: every version of every set file, จปฐ.
-- (kind bmn) and กชช. 2ค (kind kcc2k), kept whole. A version is never
-- changed once stored; a changed set is a new version. Each round is pinned
-- to the version it was opened with (set_version, 1 for the rounds that
-- existed before). The Go step of the same name (loadBuiltinSets in
-- internal/store/sets.go) stores the sets built into this binary as version 1.
CREATE TABLE indicator_sets (
    kind        TEXT NOT NULL,
    id          TEXT NOT NULL,
    version     INTEGER NOT NULL,
    digest      TEXT NOT NULL,
    body        TEXT NOT NULL,
    period_from INTEGER NOT NULL,
    period_to   INTEGER NOT NULL,
    provisional BOOLEAN NOT NULL,
    note        TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (kind, id, version)
);

CREATE INDEX indicator_sets_digest ON indicator_sets (digest);

ALTER TABLE rounds ADD COLUMN set_version INTEGER NOT NULL DEFAULT 1;

ALTER TABLE village_rounds ADD COLUMN set_version INTEGER NOT NULL DEFAULT 1;
