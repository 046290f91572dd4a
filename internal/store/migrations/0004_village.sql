-- กชช. 2ค village survey: two-yearly rounds, one record per village and round
-- holding the raw answers, and the scores and level derived from them (kept
-- so that counts by area are one GROUP BY over village-code prefixes).

CREATE TABLE village_rounds (
    id          TEXT PRIMARY KEY,
    survey_year INTEGER NOT NULL UNIQUE,
    set_id      TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE village_records (
    round_id     TEXT NOT NULL REFERENCES village_rounds (id),
    village_code TEXT NOT NULL REFERENCES areas (code),
    answers      TEXT NOT NULL,
    level        INTEGER NOT NULL,
    serious      INTEGER NOT NULL,
    moderate     INTEGER NOT NULL,
    version      INTEGER NOT NULL,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (round_id, village_code)
);

CREATE TABLE village_scores (
    round_id     TEXT NOT NULL,
    village_code TEXT NOT NULL,
    indicator    TEXT NOT NULL,
    score        INTEGER NOT NULL,
    value        DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (round_id, village_code, indicator)
);

CREATE INDEX village_scores_problem ON village_scores (round_id, indicator, score);
