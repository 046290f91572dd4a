-- Programmes after enrolment: every change of a participant's status,
-- level, action plan or fields, kept with who made it, when and why; what
-- was seen at a training or garden visit (observations, each household's
-- garden, photos); and an award nomination's moves from stage to stage.

CREATE TABLE programme_changes (
    id             {{autoid}},
    participant_id BIGINT NOT NULL REFERENCES programme_participants (id) ON DELETE CASCADE,
    field          TEXT NOT NULL,
    old_value      TEXT NOT NULL DEFAULT '',
    new_value      TEXT NOT NULL DEFAULT '',
    note           TEXT NOT NULL DEFAULT '',
    by_user        TEXT NOT NULL,
    changed_at     TEXT NOT NULL
);

CREATE INDEX programme_changes_participant ON programme_changes (participant_id);

ALTER TABLE programme_sessions ADD COLUMN observations TEXT NOT NULL DEFAULT '';

-- A household's garden as seen on a visit (programme.Type.Gardens).
CREATE TABLE programme_gardens (
    session_id     BIGINT NOT NULL REFERENCES programme_sessions (id) ON DELETE CASCADE,
    participant_id BIGINT NOT NULL REFERENCES programme_participants (id) ON DELETE CASCADE,
    garden         TEXT NOT NULL,
    PRIMARY KEY (session_id, participant_id)
);

-- Photos of a session, shrunk and re-encoded as activity photos are (so no
-- metadata survives); one that shows a participant's household or garden
-- names it and goes with it.
CREATE TABLE programme_photos (
    id             {{autoid}},
    session_id     BIGINT NOT NULL REFERENCES programme_sessions (id) ON DELETE CASCADE,
    participant_id BIGINT REFERENCES programme_participants (id) ON DELETE CASCADE,
    caption        TEXT NOT NULL DEFAULT '',
    width          INTEGER NOT NULL,
    height         INTEGER NOT NULL,
    image          {{blob}} NOT NULL,
    thumb          {{blob}} NOT NULL,
    created_by     TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL
);

CREATE INDEX programme_photos_session ON programme_photos (session_id);

-- A nomination's moves between stages: the day it happened, who recorded
-- it, and the reason when an administrator moved it back.
CREATE TABLE programme_stage_moves (
    id             {{autoid}},
    participant_id BIGINT NOT NULL REFERENCES programme_participants (id) ON DELETE CASCADE,
    from_stage     TEXT NOT NULL,
    to_stage       TEXT NOT NULL,
    moved_on       TEXT NOT NULL,
    reason         TEXT NOT NULL DEFAULT '',
    by_user        TEXT NOT NULL,
    recorded_at    TEXT NOT NULL
);

CREATE INDEX programme_stage_moves_participant ON programme_stage_moves (participant_id);
