-- Review of rounds and the audit log.

CREATE TABLE round_reviews (
    id        {{autoid}},
    round_id  TEXT NOT NULL REFERENCES rounds (id),
    area_code TEXT NOT NULL,
    step      TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    comment   TEXT NOT NULL DEFAULT '',
    at        TEXT NOT NULL,
    by_user   TEXT NOT NULL
);

CREATE INDEX round_reviews_area ON round_reviews (round_id, area_code);

CREATE TABLE audit_log (
    id        {{autoid}},
    at        TEXT NOT NULL,
    user_name TEXT NOT NULL,
    action    TEXT NOT NULL,
    area_code TEXT NOT NULL DEFAULT '',
    object    TEXT NOT NULL DEFAULT '',
    detail    TEXT NOT NULL DEFAULT ''
);

CREATE INDEX audit_log_at ON audit_log (at);

CREATE INDEX audit_log_user ON audit_log (user_name);

CREATE INDEX audit_log_object ON audit_log (object);
