-- Field assignments: which enumerator visits which of the previous round's
-- households in a round, and what became of the visits (docs/field-capture.md,
-- "Assignments"; the rules are internal/assign).
--
-- assignments: a whole village (hh_key '') or one household of it (the
-- previous round's household key: house code, else village/house number)
-- given to an account. One assignee per village and per household; a
-- household's own assignment stands before its village's.
CREATE TABLE assignments (
    id           {{autoid}},
    round_id     TEXT NOT NULL REFERENCES rounds (id),
    village_code TEXT NOT NULL REFERENCES areas (code),
    hh_key       TEXT NOT NULL DEFAULT '',
    username     TEXT NOT NULL,
    assigned_at  TEXT NOT NULL,
    assigned_by  TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX assignments_target ON assignments (round_id, village_code, hh_key);
CREATE INDEX assignments_user ON assignments (round_id, username);

-- visit_outcomes: a visit that did not give a household this round, recorded
-- on the web or from the phone: refused, moved (moved away or dissolved),
-- not_found. A household surveyed this round counts as visited whatever is
-- recorded here.
CREATE TABLE visit_outcomes (
    round_id     TEXT NOT NULL REFERENCES rounds (id),
    hh_key       TEXT NOT NULL,
    village_code TEXT NOT NULL,
    outcome      TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    recorded_at  TEXT NOT NULL,
    recorded_by  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (round_id, hh_key)
);
CREATE INDEX visit_outcomes_village ON visit_outcomes (round_id, village_code);
