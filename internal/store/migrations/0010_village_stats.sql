-- กชช. 2ค counts per area, kept up to date by every village write, so a
-- province or the country page reads a few hundred rows instead of counting
-- every village's 33 scores. indicator = '' holds the villages by level
-- (score = the level); otherwise the villages by score of that indicator.
-- Areas are village-code prefixes (province 2, amphoe 4, tambon 6) and 'TH',
-- exactly as the counts were taken before.

CREATE TABLE village_stats (
    round_id  TEXT NOT NULL REFERENCES village_rounds (id),
    area_code TEXT NOT NULL,
    indicator TEXT NOT NULL,
    score     INTEGER NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (round_id, area_code, indicator, score)
);

INSERT INTO village_stats (round_id, area_code, indicator, score, n)
SELECT round_id, 'TH', '', level, COUNT(*) FROM village_records GROUP BY round_id, level;

INSERT INTO village_stats (round_id, area_code, indicator, score, n)
SELECT round_id, substr(village_code, 1, 2), '', level, COUNT(*) FROM village_records GROUP BY round_id, substr(village_code, 1, 2), level;

INSERT INTO village_stats (round_id, area_code, indicator, score, n)
SELECT round_id, substr(village_code, 1, 4), '', level, COUNT(*) FROM village_records GROUP BY round_id, substr(village_code, 1, 4), level;

INSERT INTO village_stats (round_id, area_code, indicator, score, n)
SELECT round_id, substr(village_code, 1, 6), '', level, COUNT(*) FROM village_records GROUP BY round_id, substr(village_code, 1, 6), level;

INSERT INTO village_stats (round_id, area_code, indicator, score, n)
SELECT round_id, 'TH', indicator, score, COUNT(*) FROM village_scores GROUP BY round_id, indicator, score;

INSERT INTO village_stats (round_id, area_code, indicator, score, n)
SELECT round_id, substr(village_code, 1, 2), indicator, score, COUNT(*) FROM village_scores GROUP BY round_id, substr(village_code, 1, 2), indicator, score;

INSERT INTO village_stats (round_id, area_code, indicator, score, n)
SELECT round_id, substr(village_code, 1, 4), indicator, score, COUNT(*) FROM village_scores GROUP BY round_id, substr(village_code, 1, 4), indicator, score;

INSERT INTO village_stats (round_id, area_code, indicator, score, n)
SELECT round_id, substr(village_code, 1, 6), indicator, score, COUNT(*) FROM village_scores GROUP BY round_id, substr(village_code, 1, 6), indicator, score;
