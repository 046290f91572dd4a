-- Evidence documents of programme participants (pictures shrunk to JPEG,
-- PDFs, XLSX, DOCX), kept in the database like activity photos so a backup
-- holds everything; and a nominee's self-assessment per criterion.

CREATE TABLE programme_files (
    id             {{autoid}},
    participant_id BIGINT NOT NULL REFERENCES programme_participants (id) ON DELETE CASCADE,
    step           TEXT NOT NULL DEFAULT '',
    name           TEXT NOT NULL,
    content_type   TEXT NOT NULL,
    size           INTEGER NOT NULL,
    data           {{blob}} NOT NULL,
    created_by     TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL
);

CREATE INDEX programme_files_participant ON programme_files (participant_id);

CREATE TABLE programme_self_scores (
    participant_id BIGINT NOT NULL REFERENCES programme_participants (id) ON DELETE CASCADE,
    criterion      TEXT NOT NULL,
    score          DOUBLE PRECISION NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (participant_id, criterion)
);
