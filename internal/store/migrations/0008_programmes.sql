-- Programmes: configurable types (internal/programme), their participants,
-- steps done with evidence, committee scores, and sessions with attendance.

CREATE TABLE programmes (
    id          {{autoid}},
    type        TEXT NOT NULL,
    title       TEXT NOT NULL,
    area_code   TEXT NOT NULL REFERENCES areas (code),
    fiscal_year INTEGER NOT NULL,
    phase       INTEGER NOT NULL DEFAULT 0,
    quota       INTEGER NOT NULL DEFAULT 0,
    criteria    TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE INDEX programmes_area ON programmes (area_code);

CREATE TABLE programme_participants (
    id           {{autoid}},
    programme_id BIGINT NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    area_code    TEXT NOT NULL,
    household_id BIGINT REFERENCES households (id),
    level        TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT '',
    fields       TEXT NOT NULL,
    action_plan  TEXT NOT NULL DEFAULT ''
);

CREATE INDEX programme_participants_programme ON programme_participants (programme_id);

CREATE TABLE programme_steps (
    participant_id BIGINT NOT NULL REFERENCES programme_participants (id) ON DELETE CASCADE,
    step           TEXT NOT NULL,
    done_on        TEXT NOT NULL,
    evidence       TEXT NOT NULL DEFAULT '',
    by_user        TEXT NOT NULL,
    PRIMARY KEY (participant_id, step)
);

CREATE TABLE programme_scores (
    participant_id BIGINT NOT NULL REFERENCES programme_participants (id) ON DELETE CASCADE,
    criterion      TEXT NOT NULL,
    judge          TEXT NOT NULL,
    score          DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (participant_id, criterion, judge)
);

CREATE TABLE programme_sessions (
    id           {{autoid}},
    programme_id BIGINT NOT NULL REFERENCES programmes (id) ON DELETE CASCADE,
    title        TEXT NOT NULL,
    held_on      TEXT NOT NULL,
    place        TEXT NOT NULL DEFAULT ''
);

CREATE TABLE programme_attendance (
    session_id     BIGINT NOT NULL REFERENCES programme_sessions (id) ON DELETE CASCADE,
    participant_id BIGINT NOT NULL REFERENCES programme_participants (id) ON DELETE CASCADE,
    PRIMARY KEY (session_id, participant_id)
);
