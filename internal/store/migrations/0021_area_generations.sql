-- No row is written by writes in two provinces.
--
-- area_generations: a change counter per area (village, tambon, amphoe,
-- province). A household or village write, a review step or an erasure
-- bumps the rows of its own areas and their parents up to the province, in
-- the same transaction; a cached page of an area is served only while its
-- area's counter (and meta's stats_gen, which only events that change
-- every area bump) is unchanged. The country has no row: its counter is
-- the sum of the province rows, read when needed.
CREATE TABLE area_generations (
    area_code TEXT PRIMARY KEY,
    gen       BIGINT NOT NULL
);

-- The country's statistics are the sum of its provinces', read when asked,
-- so no write touches a country row. The rows kept before are dropped: every
-- one equals the sum of its round's province rows (tambon check proves it).
DELETE FROM area_stats WHERE area_code = 'TH';
DELETE FROM village_stats WHERE area_code = 'TH';
