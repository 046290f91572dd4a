-- Partners, activities and meetings, follow-ups, photos and news.

-- Agencies and people the tambon team works with. area_code is where the
-- partner sits (it decides who may edit); partner_areas lists where it works.
CREATE TABLE partners (
    id          {{autoid}},
    kind        TEXT NOT NULL,
    name_th     TEXT NOT NULL,
    name_en     TEXT NOT NULL DEFAULT '',
    position_th TEXT NOT NULL DEFAULT '',
    position_en TEXT NOT NULL DEFAULT '',
    org_id      BIGINT REFERENCES partners (id),
    area_code   TEXT NOT NULL REFERENCES areas (code),
    phone       TEXT NOT NULL DEFAULT '',
    email       TEXT NOT NULL DEFAULT '',
    address     TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL DEFAULT '',
    UNIQUE (area_code, name_th)
);

CREATE INDEX partners_area ON partners (area_code);

CREATE TABLE partner_areas (
    partner_id BIGINT NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    area_code  TEXT NOT NULL REFERENCES areas (code),
    PRIMARY KEY (partner_id, area_code)
);

CREATE INDEX partner_areas_area ON partner_areas (area_code);

-- An activity: a meeting, field visit, training, kick-off or campaign.
-- starts_at/ends_at are UTC ISO timestamps; safety holds the codes of the
-- safety measures observed, separated by spaces.
CREATE TABLE activities (
    id           {{autoid}},
    kind         TEXT NOT NULL,
    title_th     TEXT NOT NULL,
    title_en     TEXT NOT NULL DEFAULT '',
    starts_at    TEXT NOT NULL,
    ends_at      TEXT NOT NULL DEFAULT '',
    area_code    TEXT NOT NULL REFERENCES areas (code),
    venue        TEXT NOT NULL DEFAULT '',
    organiser_id BIGINT REFERENCES partners (id),
    summary      TEXT NOT NULL DEFAULT '',
    safety       TEXT NOT NULL DEFAULT '',
    safety_note  TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL DEFAULT '',
    updated_by   TEXT NOT NULL DEFAULT ''
);

CREATE INDEX activities_area ON activities (area_code, starts_at);

CREATE INDEX activities_start ON activities (starts_at);

CREATE TABLE activity_partners (
    activity_id BIGINT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    partner_id  BIGINT NOT NULL REFERENCES partners (id),
    PRIMARY KEY (activity_id, partner_id)
);

CREATE INDEX activity_partners_partner ON activity_partners (partner_id);

CREATE TABLE activity_attendees (
    activity_id BIGINT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    partner_id  BIGINT REFERENCES partners (id),
    name        TEXT NOT NULL,
    role        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (activity_id, seq)
);

CREATE TABLE activity_agenda (
    activity_id BIGINT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    title       TEXT NOT NULL,
    PRIMARY KEY (activity_id, seq)
);

CREATE TABLE activity_resolutions (
    activity_id BIGINT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    text        TEXT NOT NULL,
    PRIMARY KEY (activity_id, seq)
);

-- Follow-up actions agreed at an activity. area_code repeats the activity's
-- so the dashboard finds an area's overdue actions with one indexed read;
-- due is a date (YYYY-MM-DD).
CREATE TABLE followups (
    id          {{autoid}},
    activity_id BIGINT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    area_code   TEXT NOT NULL REFERENCES areas (code),
    action      TEXT NOT NULL,
    owner_id    BIGINT REFERENCES partners (id),
    owner       TEXT NOT NULL DEFAULT '',
    due         TEXT NOT NULL,
    status      TEXT NOT NULL,
    done_at     TEXT NOT NULL DEFAULT '',
    UNIQUE (activity_id, seq)
);

CREATE INDEX followups_due ON followups (status, due, area_code);

-- Photos are kept in the database, already shrunk for slow connections: a
-- display JPEG (at most 1280 px) and a thumbnail (at most 320 px).
CREATE TABLE activity_photos (
    id           {{autoid}},
    activity_id  BIGINT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    caption      TEXT NOT NULL DEFAULT '',
    width        INTEGER NOT NULL,
    height       INTEGER NOT NULL,
    image        {{blob}} NOT NULL,
    thumb        {{blob}} NOT NULL,
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL DEFAULT ''
);

CREATE INDEX activity_photos_activity ON activity_photos (activity_id);

-- An activity published as public news: one post per activity.
CREATE TABLE news_posts (
    id           {{autoid}},
    activity_id  BIGINT NOT NULL UNIQUE REFERENCES activities (id) ON DELETE CASCADE,
    area_code    TEXT NOT NULL REFERENCES areas (code),
    title_th     TEXT NOT NULL,
    title_en     TEXT NOT NULL DEFAULT '',
    body_th      TEXT NOT NULL DEFAULT '',
    body_en      TEXT NOT NULL DEFAULT '',
    published_at TEXT NOT NULL,
    published_by TEXT NOT NULL DEFAULT ''
);

CREATE INDEX news_posts_published ON news_posts (published_at);

-- Visits per post and day (UTC date). The server counts in memory and adds
-- its counts here every few seconds, so a busy post costs one write per
-- flush, not one per visit.
CREATE TABLE news_visits (
    post_id BIGINT NOT NULL REFERENCES news_posts (id) ON DELETE CASCADE,
    day     TEXT NOT NULL,
    n       BIGINT NOT NULL,
    PRIMARY KEY (post_id, day)
);
