package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/user"
)

const tokenColumns = "id, name, role, area_code, created_at, created_by, expires_at, revoked_at, revoked_by, last_used_at"

func scanToken(row interface{ Scan(...any) error }) (user.Token, error) {
	var t user.Token
	var role, created, expires, revoked, used string
	err := row.Scan(&t.ID, &t.Name, &role, &t.AreaCode, &created, &t.CreatedBy, &expires, &revoked, &t.RevokedBy, &used)
	t.Role = user.Role(role)
	t.CreatedAt, t.ExpiresAt = parseTime(created), parseTime(expires)
	if revoked != "" {
		t.RevokedAt = parseTime(revoked)
	}
	if used != "" {
		t.LastUsedAt = parseTime(used)
	}
	return t, err
}

// CreateToken stores an API token issued by t.CreatedBy, with the audit
// entry in the same transaction. Only tokenHash (the token's SHA-256) is
// kept; the caller shows the token once. A name already taken is a conflict.
func (s *Store) CreateToken(ctx context.Context, t user.Token, tokenHash string) (user.Token, error) {
	if err := user.ValidTokenName(t.Name); err != nil {
		return user.Token{}, err
	}
	t.CreatedAt = s.now()
	if !t.ExpiresAt.After(t.CreatedAt) {
		return user.Token{}, apperr.New(apperr.Invalid, apperr.T("วันหมดอายุต้องอยู่หลังวันนี้", "the expiry must be after today"))
	}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO api_tokens (name, role, area_code, token_hash, created_at, created_by, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, t.Name, string(t.Role), t.AreaCode, tokenHash,
			formatTime(t.CreatedAt), t.CreatedBy, formatTime(t.ExpiresAt)).Scan(&t.ID)
		if err != nil {
			err = mapErr(err)
			if apperr.Is(err, apperr.Conflict) {
				return apperr.Wrap(err, apperr.Conflict, apperr.Tf("มีโทเค็นชื่อ %s แล้ว", "a token named %s exists already", t.Name))
			}
			return err
		}
		return insertAudit(ctx, tx, t.CreatedAt, t.CreatedBy, "token.issue", t.AreaCode, fmt.Sprintf("token:%d", t.ID),
			fmt.Sprintf(`{"name":%q,"role":%q,"expires":%q}`, t.Name, t.Role, formatTime(t.ExpiresAt)))
	})
	if err != nil {
		return user.Token{}, fmt.Errorf("create token: %w", err)
	}
	return t, nil
}

// errBadToken is the one answer for a token that is unknown, revoked or
// expired: which of them it was is not told.
var errBadToken = apperr.New(apperr.Unauthorized, apperr.T("ไม่รู้จักโทเค็นนี้ หรือถูกยกเลิกหรือหมดอายุแล้ว", "this token is unknown, revoked or expired"))

// TokenByHash returns the live token (not revoked, not expired) whose
// SHA-256 is tokenHash.
func (s *Store) TokenByHash(ctx context.Context, tokenHash string) (user.Token, error) {
	t, err := scanToken(s.read.QueryRowContext(ctx, "SELECT "+tokenColumns+` FROM api_tokens
		WHERE token_hash = $1 AND revoked_at = '' AND expires_at > $2`, tokenHash, formatTime(s.now())))
	if errors.Is(err, sql.ErrNoRows) {
		return user.Token{}, errBadToken
	}
	if err != nil {
		return user.Token{}, mapErr(err)
	}
	return t, nil
}

// Tokens lists every token, revoked and expired ones included, newest first.
func (s *Store) Tokens(ctx context.Context) ([]user.Token, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT "+tokenColumns+" FROM api_tokens ORDER BY id DESC")
	if err != nil {
		return nil, fmt.Errorf("tokens: %w", mapErr(err))
	}
	defer rows.Close()
	var out []user.Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, mapErr(err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// Token returns one token by its number.
func (s *Store) Token(ctx context.Context, id int64) (user.Token, error) {
	t, err := scanToken(s.read.QueryRowContext(ctx, "SELECT "+tokenColumns+" FROM api_tokens WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, apperr.New(apperr.NotFound, apperr.Tf("ไม่พบโทเค็นหมายเลข %d", "there is no token number %d", id))
	}
	return t, mapErr(err)
}

// RevokeToken stops a token at once, with the audit entry in the same
// transaction.
func (s *Store) RevokeToken(ctx context.Context, id int64, by string) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		var area string
		err := tx.QueryRowContext(ctx, "UPDATE api_tokens SET revoked_at = $1, revoked_by = $2 WHERE id = $3 AND revoked_at = '' RETURNING area_code",
			formatTime(now), by, id).Scan(&area)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, apperr.Tf("ไม่พบโทเค็นหมายเลข %d ที่ยังใช้งานอยู่", "no live token has the number %d", id))
		}
		if err != nil {
			return mapErr(err)
		}
		return insertAudit(ctx, tx, now, by, "token.revoke", area, fmt.Sprintf("token:%d", id), "")
	})
	if err != nil {
		return fmt.Errorf("revoke token %d: %w", id, err)
	}
	return nil
}

// TouchToken records a token's last use. Callers write it at most once a
// minute per token, so a busy client costs no write per request.
func (s *Store) TouchToken(ctx context.Context, id int64, at time.Time) error {
	_, err := s.write.ExecContext(ctx, "UPDATE api_tokens SET last_used_at = $1 WHERE id = $2 AND last_used_at < $1", formatTime(at), id)
	return mapErr(err)
}
