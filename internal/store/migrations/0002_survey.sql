-- จปฐ. rounds, households and their members, edit history, and the live
-- statistics of every area.

CREATE TABLE rounds (
    id             TEXT PRIMARY KEY,
    kind           TEXT NOT NULL,
    survey_year    INTEGER NOT NULL,
    set_id         TEXT NOT NULL,
    aggregate_only BOOLEAN NOT NULL DEFAULT FALSE,
    source         TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL
);

CREATE TABLE round_areas (
    round_id   TEXT NOT NULL REFERENCES rounds (id),
    area_code  TEXT NOT NULL REFERENCES areas (code),
    status     TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (round_id, area_code)
);

CREATE TABLE households (
    id           {{autoid}},
    round_id     TEXT NOT NULL REFERENCES rounds (id),
    hh_key       TEXT NOT NULL,
    village_code TEXT NOT NULL REFERENCES areas (code),
    house_code   TEXT NOT NULL DEFAULT '',
    house_no     TEXT NOT NULL,
    status       TEXT NOT NULL,
    data         TEXT NOT NULL,
    version      INTEGER NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT NOT NULL DEFAULT ''
);

CREATE UNIQUE INDEX households_key ON households (round_id, hh_key);

CREATE INDEX households_village ON households (round_id, village_code);

CREATE TABLE members (
    round_id   TEXT NOT NULL,
    citizen_id TEXT NOT NULL,
    hh_key     TEXT NOT NULL,
    member_no  INTEGER NOT NULL,
    PRIMARY KEY (round_id, citizen_id)
);

CREATE INDEX members_household ON members (round_id, hh_key);

CREATE TABLE household_history (
    id         {{autoid}},
    round_id   TEXT NOT NULL,
    hh_key     TEXT NOT NULL,
    version    INTEGER NOT NULL,
    changed_at TEXT NOT NULL,
    changed_by TEXT NOT NULL DEFAULT '',
    changes    TEXT NOT NULL
);

CREATE INDEX household_history_key ON household_history (round_id, hh_key);

CREATE TABLE area_stats (
    round_id   TEXT NOT NULL REFERENCES rounds (id),
    area_code  TEXT NOT NULL,
    households BIGINT NOT NULL,
    people     BIGINT NOT NULL,
    net_income BIGINT NOT NULL,
    indicators TEXT NOT NULL,
    poverty    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (round_id, area_code)
);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
