-- Field capture over OpenRosa: every submission kept raw forever, its media,
-- the review queue of those that failed validation, and per-device tokens.

CREATE TABLE submissions (
    id            {{autoid}},
    instance_id   TEXT NOT NULL,
    deprecated_id TEXT NOT NULL DEFAULT '',
    form_id       TEXT NOT NULL,
    form_version  TEXT NOT NULL DEFAULT '',
    round_id      TEXT NOT NULL DEFAULT '',
    village_code  TEXT NOT NULL DEFAULT '',
    hh_key        TEXT NOT NULL DEFAULT '',
    username      TEXT NOT NULL,
    device_id     TEXT NOT NULL DEFAULT '',
    sha256        TEXT NOT NULL,
    xml           {{blob}} NOT NULL,
    status        TEXT NOT NULL,
    problems      TEXT NOT NULL DEFAULT '',
    replaced_by   TEXT NOT NULL DEFAULT '',
    received_at   TEXT NOT NULL,
    decided_at    TEXT NOT NULL DEFAULT '',
    decided_by    TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT ''
);

CREATE UNIQUE INDEX submissions_instance ON submissions (instance_id);

CREATE INDEX submissions_status ON submissions (status, village_code);

CREATE TABLE submission_media (
    submission_id BIGINT NOT NULL REFERENCES submissions (id),
    name          TEXT NOT NULL,
    content_type  TEXT NOT NULL DEFAULT '',
    data          {{blob}} NOT NULL,
    PRIMARY KEY (submission_id, name)
);

CREATE TABLE devices (
    id          {{autoid}},
    user_id     BIGINT NOT NULL REFERENCES users (id),
    name        TEXT NOT NULL,
    token_hash  TEXT NOT NULL,
    digest_ha1  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL DEFAULT '',
    revoked_at  TEXT NOT NULL DEFAULT ''
);

CREATE UNIQUE INDEX devices_token ON devices (token_hash);

CREATE INDEX devices_user ON devices (user_id);
