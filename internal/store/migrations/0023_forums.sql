-- Village forums (เวทีประชาคม): an activity of kind 'forum' records the
-- round shown to the village, who came (counted by sex and age band), the
-- problems as the village ranked them, the activities it agreed with who
-- does them, and the minutes. Attendees by name, photos and the news post
-- are the activity's own.
CREATE TABLE forums (
    activity_id BIGINT PRIMARY KEY REFERENCES activities (id) ON DELETE CASCADE,
    round_id    TEXT NOT NULL,
    minutes     TEXT NOT NULL DEFAULT '',
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL DEFAULT ''
);

CREATE INDEX forums_round ON forums (round_id);

CREATE TABLE forum_headcount (
    activity_id BIGINT NOT NULL REFERENCES forums (activity_id) ON DELETE CASCADE,
    sex         TEXT NOT NULL,
    band        TEXT NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (activity_id, sex, band)
);

-- The village's ranking: rank 1 is its most urgent problem. source and code
-- are a plan problem's (bmn, mpi, kcc2c), or 'village' and v1, v2 … for a
-- problem the village added itself.
CREATE TABLE forum_problems (
    activity_id BIGINT NOT NULL REFERENCES forums (activity_id) ON DELETE CASCADE,
    rank        INTEGER NOT NULL,
    source      TEXT NOT NULL,
    code        TEXT NOT NULL,
    title_th    TEXT NOT NULL,
    title_en    TEXT NOT NULL DEFAULT '',
    votes       INTEGER NOT NULL DEFAULT 0,
    note        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (activity_id, rank),
    UNIQUE (activity_id, source, code)
);

-- What the village agreed to do, and who does it; problem is the key
-- (source:code) of the ranked problem it answers, '' for none; due a date.
CREATE TABLE forum_actions (
    activity_id BIGINT NOT NULL REFERENCES forums (activity_id) ON DELETE CASCADE,
    seq         INTEGER NOT NULL,
    problem     TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    owner_id    BIGINT REFERENCES partners (id),
    owner       TEXT NOT NULL DEFAULT '',
    due         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (activity_id, seq)
);
