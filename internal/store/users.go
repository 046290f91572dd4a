package store

import (
	"context"
	"database/sql"
	"fmt"

	"tambon/internal/apperr"
	"tambon/internal/user"
)

const userColumns = "id, username, display_name, password_hash, role, area_code, disabled, created_at, updated_at"

func scanUser(row interface{ Scan(...any) error }) (user.User, error) {
	var u user.User
	var role, created, updated string
	if err := row.Scan(&u.ID, &u.Username, &u.DisplayName, &u.PasswordHash, &role, &u.AreaCode, &u.Disabled, &created, &updated); err != nil {
		return u, err
	}
	u.Role = user.Role(role)
	u.CreatedAt, u.UpdatedAt = parseTime(created), parseTime(updated)
	return u, nil
}

// CreateUser stores a new account. A taken username is a conflict; an unknown
// area is invalid.
func (s *Store) CreateUser(ctx context.Context, u user.User) (user.User, error) {
	now := s.now()
	u.CreatedAt, u.UpdatedAt = now, now
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM areas WHERE code = $1", u.AreaCode).Scan(&n); err != nil {
			return mapErr(err)
		}
		if n == 0 {
			return apperr.New(apperr.Invalid, apperr.Tf("ไม่พบพื้นที่รหัส %s", "no area has the code %s", u.AreaCode))
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO users (username, display_name, password_hash, role, area_code, disabled, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			u.Username, u.DisplayName, u.PasswordHash, string(u.Role), u.AreaCode, u.Disabled, formatTime(now), formatTime(now)).Scan(&u.ID)
		if apperr.Is(mapErr(err), apperr.Conflict) {
			return apperr.Wrap(err, apperr.Conflict, apperr.Tf("มีชื่อผู้ใช้ %s อยู่แล้ว", "the username %s is taken", u.Username))
		}
		return mapErr(err)
	})
	if err != nil {
		return user.User{}, fmt.Errorf("create user %s: %w", u.Username, err)
	}
	return u, nil
}

// UserByName returns the account with that username.
func (s *Store) UserByName(ctx context.Context, username string) (user.User, error) {
	u, err := scanUser(s.read.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE username = $1", username))
	if err == sql.ErrNoRows {
		return u, apperr.New(apperr.NotFound, apperr.Tf("ไม่มีผู้ใช้ชื่อ %s", "no user is named %s", username))
	}
	return u, mapErr(err)
}

// UserByID returns the account with that id.
func (s *Store) UserByID(ctx context.Context, id int64) (user.User, error) {
	u, err := scanUser(s.read.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE id = $1", id))
	if err == sql.ErrNoRows {
		return u, apperr.New(apperr.NotFound, apperr.Tf("ไม่มีผู้ใช้หมายเลข %d", "no user has the id %d", id))
	}
	return u, mapErr(err)
}

// Users lists every account by username.
func (s *Store) Users(ctx context.Context) ([]user.User, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT "+userColumns+" FROM users ORDER BY username")
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []user.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// SetPassword replaces an account's password hash and ends its sessions.
func (s *Store) SetPassword(ctx context.Context, username, hash string) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, "UPDATE users SET password_hash = $1, updated_at = $2 WHERE username = $3 RETURNING id",
			hash, formatTime(s.now()), username).Scan(&id)
		if err == sql.ErrNoRows {
			return apperr.New(apperr.NotFound, apperr.Tf("ไม่มีผู้ใช้ชื่อ %s", "no user is named %s", username))
		}
		if err != nil {
			return mapErr(err)
		}
		_, err = tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = $1", id)
		return mapErr(err)
	})
}
