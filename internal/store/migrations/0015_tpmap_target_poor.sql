-- TPMAP's published target poor (คนจนเป้าหมาย): one row per TPMAP year and
-- area at every level (village 8 digits, tambon 6, amphoe 4, province 2,
-- 'TH'), as TPMAP published it (published = TRUE) or as the sum of the
-- published rows below (a level whose file was not loaded). households and
-- people come from the year's common file, 0 without it. indicators holds the
-- target poor failing each จปฐ. indicator, comma-separated, indicator 1 first.
CREATE TABLE tpmap_target_poor (
    year            INTEGER NOT NULL,
    area_code       TEXT NOT NULL,
    level           INTEGER NOT NULL,
    published       BOOLEAN NOT NULL,
    households      BIGINT NOT NULL,
    people          BIGINT NOT NULL,
    poor_households BIGINT NOT NULL,
    poor            BIGINT NOT NULL,
    registered      BIGINT NOT NULL,
    target_poor     BIGINT NOT NULL,
    dim_health      BIGINT NOT NULL,
    dim_living      BIGINT NOT NULL,
    dim_education   BIGINT NOT NULL,
    dim_income      BIGINT NOT NULL,
    dim_access      BIGINT NOT NULL,
    rate            DOUBLE PRECISION NOT NULL,
    indicators      TEXT NOT NULL,
    PRIMARY KEY (year, area_code)
);
