-- API tokens (internal/user.Token): a secret another system sends as
-- "Authorization: Bearer …", bound to a role and an area subtree, issued by
-- an administrator, with an expiry. token_hash is the token's SHA-256; the
-- token itself is shown once. revoked_at and expires_at are read on every
-- use (a process keeps a check at most a second), so revocation holds at
-- every server process; last_used_at is written at most once a minute per
-- process.
CREATE TABLE api_tokens (
    id           {{autoid}},
    name         TEXT NOT NULL,
    role         TEXT NOT NULL,
    area_code    TEXT NOT NULL,
    token_hash   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    revoked_at   TEXT NOT NULL DEFAULT '',
    revoked_by   TEXT NOT NULL DEFAULT '',
    last_used_at TEXT NOT NULL DEFAULT ''
);

CREATE UNIQUE INDEX api_tokens_hash ON api_tokens (token_hash);

CREATE UNIQUE INDEX api_tokens_name ON api_tokens (name);
