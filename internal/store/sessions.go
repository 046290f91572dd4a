package store

import (
	"context"
	"database/sql"

	"tambon/internal/apperr"
	"tambon/internal/user"
)

// CreateSession stores a session.
func (s *Store) CreateSession(ctx context.Context, sess user.Session) error {
	now := formatTime(s.now())
	_, err := s.write.ExecContext(ctx, `INSERT INTO sessions (id, user_id, created_at, expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $5)`,
		sess.ID, sess.UserID, now, formatTime(sess.ExpiresAt), now)
	return mapErr(err)
}

// SessionUser returns the live session's account. Expired sessions, and
// sessions of disabled accounts, are not found.
func (s *Store) SessionUser(ctx context.Context, id string) (user.User, error) {
	row := s.read.QueryRowContext(ctx, `SELECT u.id, u.username, u.display_name, u.password_hash, u.role, u.area_code, u.disabled, u.created_at, u.updated_at
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.id = $1 AND s.expires_at > $2 AND NOT u.disabled`, id, formatTime(s.now()))
	u, err := scanUser(row)
	if err == sql.ErrNoRows {
		return u, apperr.New(apperr.Unauthorized, apperr.T("กรุณาเข้าสู่ระบบ", "please sign in"))
	}
	return u, mapErr(err)
}

// DeleteSession ends a session (sign out).
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	_, err := s.write.ExecContext(ctx, "DELETE FROM sessions WHERE id = $1", id)
	return mapErr(err)
}

// DeleteUserSessions ends every session of an account (an administrator's revoke).
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64) (int64, error) {
	res, err := s.write.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = $1", userID)
	if err != nil {
		return 0, mapErr(err)
	}
	return res.RowsAffected()
}
