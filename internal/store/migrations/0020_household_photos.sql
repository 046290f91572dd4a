-- Photos of a household's house and of its supporting documents, taken
-- with the household's record (web form or the phone's form). Each is kept
-- shrunk and re-encoded, so the stored picture has no metadata; where the
-- camera said it was taken (EXIF GPS) is kept apart, in lat/lon, and shown
-- only to those who may reveal a household's GPS. Photos belong to a
-- household of a round by its key, as its history does.

CREATE TABLE household_photos (
    id           {{autoid}},
    round_id     TEXT NOT NULL REFERENCES rounds (id),
    hh_key       TEXT NOT NULL,
    village_code TEXT NOT NULL,
    kind         TEXT NOT NULL,
    caption      TEXT NOT NULL DEFAULT '',
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    image        {{blob}} NOT NULL,
    thumb        {{blob}} NOT NULL,
    lat          DOUBLE PRECISION,
    lon          DOUBLE PRECISION,
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL
);

CREATE INDEX household_photos_key ON household_photos (round_id, hh_key);
