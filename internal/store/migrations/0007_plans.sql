-- Development plans, their problems and items, target households, evidence,
-- and the household assistance log.

CREATE TABLE plans (
    id          {{autoid}},
    area_code   TEXT NOT NULL REFERENCES areas (code),
    fiscal_year INTEGER NOT NULL,
    round_id    TEXT NOT NULL REFERENCES rounds (id),
    title       TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE UNIQUE INDEX plans_area_year ON plans (area_code, fiscal_year, title);

CREATE TABLE plan_problems (
    id         {{autoid}},
    plan_id    BIGINT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    source     TEXT NOT NULL,
    code       TEXT NOT NULL,
    title_th   TEXT NOT NULL,
    title_en   TEXT NOT NULL,
    households INTEGER NOT NULL,
    priority   INTEGER NOT NULL,
    note       TEXT NOT NULL DEFAULT ''
);

CREATE UNIQUE INDEX plan_problems_code ON plan_problems (plan_id, source, code);

CREATE TABLE plan_items (
    id            {{autoid}},
    plan_id       BIGINT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    problem_id    BIGINT REFERENCES plan_problems (id),
    title         TEXT NOT NULL,
    objective     TEXT NOT NULL DEFAULT '',
    partner_id    BIGINT REFERENCES partners (id),
    budget        BIGINT NOT NULL,
    budget_source TEXT NOT NULL,
    start_date    TEXT NOT NULL,
    end_date      TEXT NOT NULL,
    physical      INTEGER NOT NULL DEFAULT 0,
    financial     INTEGER NOT NULL DEFAULT 0,
    updated_by    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE INDEX plan_items_plan ON plan_items (plan_id);

CREATE TABLE plan_targets (
    item_id      BIGINT NOT NULL REFERENCES plan_items (id) ON DELETE CASCADE,
    household_id BIGINT NOT NULL REFERENCES households (id),
    hh_key       TEXT NOT NULL,
    village_code TEXT NOT NULL,
    house_no     TEXT NOT NULL,
    PRIMARY KEY (item_id, household_id)
);

CREATE TABLE plan_evidence (
    id           {{autoid}},
    item_id      BIGINT NOT NULL REFERENCES plan_items (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    caption      TEXT NOT NULL DEFAULT '',
    size         INTEGER NOT NULL,
    data         {{blob}} NOT NULL,
    uploaded_by  TEXT NOT NULL,
    uploaded_at  TEXT NOT NULL
);

CREATE INDEX plan_evidence_item ON plan_evidence (item_id);

CREATE TABLE assistance (
    id           {{autoid}},
    round_id     TEXT NOT NULL REFERENCES rounds (id),
    household_id BIGINT NOT NULL REFERENCES households (id),
    hh_key       TEXT NOT NULL,
    village_code TEXT NOT NULL,
    house_no     TEXT NOT NULL,
    item_id      BIGINT REFERENCES plan_items (id),
    programme    TEXT NOT NULL DEFAULT '',
    what         TEXT NOT NULL,
    helper       TEXT NOT NULL,
    helped_on    TEXT NOT NULL,
    status       TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL
);

CREATE INDEX assistance_household ON assistance (round_id, hh_key);

CREATE INDEX assistance_item ON assistance (item_id);

CREATE INDEX assistance_village ON assistance (village_code);
