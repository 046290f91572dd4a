-- The national area tree, accounts and sessions.

CREATE TABLE areas (
    code        TEXT PRIMARY KEY,
    level       INTEGER NOT NULL,
    name_th     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    parent_code TEXT REFERENCES areas (code),
    region      INTEGER NOT NULL DEFAULT 0,
    moo         INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX areas_parent ON areas (parent_code);

CREATE TABLE users (
    id            {{autoid}},
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL,
    area_code     TEXT NOT NULL REFERENCES areas (code),
    disabled      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    user_id      BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL
);

CREATE INDEX sessions_user ON sessions (user_id);
