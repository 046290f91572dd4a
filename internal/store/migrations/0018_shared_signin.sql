-- Security state that every server process on one database must share, so
-- that several `tambon serve` processes behind a load balancer keep the
-- promises of one.
--
-- signin_counts: the sign-in attempts counted against an account or a
-- client address (internal/signin, store.SignInCounter). last_ms is the
-- latest counted attempt (Unix milliseconds); expires_ms is when the row
-- means nothing any more (its lock over and its failures forgotten), so old
-- rows are deleted by expires_ms alone.
CREATE TABLE signin_counts (
    name       TEXT PRIMARY KEY,
    n          INTEGER NOT NULL,
    last_ms    BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL
);
CREATE INDEX signin_counts_expires ON signin_counts (expires_ms);

-- digest_answers: every accepted OpenRosa Digest answer (a SHA-256 of nonce,
-- client nonce and nonce count), kept while its nonce lives, so that an
-- answer accepted by one process is refused by all.
CREATE TABLE digest_answers (
    answer     TEXT PRIMARY KEY,
    expires_ms BIGINT NOT NULL
);
CREATE INDEX digest_answers_expires ON digest_answers (expires_ms);
