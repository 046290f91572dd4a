package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/user"
)

// SetUserDisabled disables or enables an account and returns it as stored.
// Disabling also ends every session of the account, in the same
// transaction, so a disabled person is signed out at once.
func (s *Store) SetUserDisabled(ctx context.Context, username string, disabled bool) (user.User, error) {
	var u user.User
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, "UPDATE users SET disabled = $1, updated_at = $2 WHERE username = $3 RETURNING id",
			disabled, formatTime(s.now()), username).Scan(&id)
		if err == sql.ErrNoRows {
			return apperr.New(apperr.NotFound, apperr.Tf("ไม่มีผู้ใช้ชื่อ %s", "no user is named %s", username))
		}
		if err != nil {
			return mapErr(err)
		}
		if disabled {
			if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = $1", id); err != nil {
				return mapErr(err)
			}
		}
		u, err = scanUser(tx.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE id = $1", id))
		return mapErr(err)
	})
	if err != nil {
		return user.User{}, fmt.Errorf("set user %s disabled=%t: %w", username, disabled, err)
	}
	return u, nil
}

// SessionCounts returns the number of live (unexpired) sessions of each
// account that has any, by user id.
func (s *Store) SessionCounts(ctx context.Context) (map[int64]int, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT user_id, count(*) FROM sessions WHERE expires_at > $1 GROUP BY user_id", formatTime(s.now()))
	if err != nil {
		return nil, fmt.Errorf("session counts: %w", mapErr(err))
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("session counts: %w", err)
		}
		out[id] = n
	}
	return out, rows.Err()
}

// UserSessions lists an account's live sessions, newest first. The IDs are
// the stored hashes, never the cookies' tokens.
func (s *Store) UserSessions(ctx context.Context, userID int64) ([]user.Session, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, user_id, created_at, expires_at FROM sessions
		WHERE user_id = $1 AND expires_at > $2 ORDER BY created_at DESC, id`, userID, formatTime(s.now()))
	if err != nil {
		return nil, fmt.Errorf("user sessions: %w", mapErr(err))
	}
	defer rows.Close()
	var out []user.Session
	for rows.Next() {
		var se user.Session
		var created, expires string
		if err := rows.Scan(&se.ID, &se.UserID, &created, &expires); err != nil {
			return nil, fmt.Errorf("user sessions: %w", err)
		}
		se.CreatedAt, se.ExpiresAt = parseTime(created), parseTime(expires)
		out = append(out, se)
	}
	return out, rows.Err()
}

// MaxAuditLimit bounds one audit search.
const MaxAuditLimit = 1000

// EachAudit searches the audit log, newest first, and calls fn for each
// entry. Empty filters match everything; areaPrefix matches an entry's area
// and every area inside it ("70" finds "70" and "70051304"; "" or "TH" finds
// all). limit is bounded by MaxAuditLimit; 0 means 200. Adapters that cannot
// name AuditEntry use it in place of AuditLog.
func (s *Store) EachAudit(ctx context.Context, userName, action, areaPrefix, object string, limit int,
	fn func(at time.Time, userName, action, area, object, detail string) error) error {
	if limit <= 0 {
		limit = 200
	}
	limit = min(limit, MaxAuditLimit)
	if areaPrefix == "TH" {
		areaPrefix = ""
	}
	if strings.Trim(areaPrefix, "0123456789") != "" {
		return apperr.New(apperr.Invalid, apperr.Tf("รหัสพื้นที่ %q ต้องเป็นตัวเลข", "the area code %q must be digits", areaPrefix))
	}
	// Area codes are digits only, so the LIKE pattern needs no escaping.
	rows, err := s.read.QueryContext(ctx, `SELECT at, user_name, action, area_code, object, detail FROM audit_log
		WHERE ($1 = '' OR user_name = $1) AND ($2 = '' OR action = $2) AND ($3 = '' OR object = $3)
		AND ($4 = '' OR area_code LIKE $5)
		ORDER BY id DESC LIMIT $6`, userName, action, object, areaPrefix, areaPrefix+"%", limit)
	if err != nil {
		return fmt.Errorf("search audit log: %w", mapErr(err))
	}
	defer rows.Close()
	for rows.Next() {
		var at, u, a, ar, o, d string
		if err := rows.Scan(&at, &u, &a, &ar, &o, &d); err != nil {
			return fmt.Errorf("search audit log: %w", err)
		}
		if err := fn(parseTime(at), u, a, ar, o, d); err != nil {
			return err
		}
	}
	return rows.Err()
}
