-- A round's complete households kept in the engine's columnar form
-- (engine.Batch), one row per village, so that a threshold change recomputes
-- a national round from a few GB of fixed-width columns instead of decoding
-- every stored household. A row is a cache of the households table: every
-- household write deletes the rows of the villages it touches, and a
-- recompute trusts a row only while the village still holds the number of
-- stored households it was built from (households, drafts included) and the
-- set's questions are laid out as when it was built (layout).
CREATE TABLE household_columns (
    round_id     TEXT NOT NULL REFERENCES rounds (id),
    village_code TEXT NOT NULL,
    layout       TEXT NOT NULL,
    households   INTEGER NOT NULL,
    data         {{blob}} NOT NULL,
    PRIMARY KEY (round_id, village_code)
);
