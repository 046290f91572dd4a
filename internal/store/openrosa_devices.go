package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"tambon/internal/apperr"
	"tambon/internal/user"
	"tambon/internal/xform"
)

const deviceColumns = "d.id, d.user_id, u.username, d.name, d.created_at, d.created_by, d.revoked_at, d.digest_ha1"

func scanDevice(row interface{ Scan(...any) error }) (xform.Device, error) {
	var d xform.Device
	var created, revoked string
	err := row.Scan(&d.ID, &d.UserID, &d.Username, &d.Name, &created, &d.CreatedBy, &revoked, &d.DigestHA1)
	d.CreatedAt = parseTime(created)
	if revoked != "" {
		d.RevokedAt = parseTime(revoked)
	}
	return d, err
}

// CreateDevice stores a device of an account. Only the token's SHA-256 and
// its Digest HA1 are kept; the token itself is shown once, by the caller.
func (s *Store) CreateDevice(ctx context.Context, d xform.Device, tokenHash string) (xform.Device, error) {
	d.CreatedAt = s.now()
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO devices (user_id, name, token_hash, digest_ha1, created_at, created_by)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, d.UserID, d.Name, tokenHash, d.DigestHA1, formatTime(d.CreatedAt), d.CreatedBy).Scan(&d.ID); err != nil {
			return mapErr(err)
		}
		return insertAudit(ctx, tx, d.CreatedAt, d.CreatedBy, "device.create", "", fmt.Sprintf("device:%d", d.ID), d.Username+": "+d.Name)
	})
	if err != nil {
		return xform.Device{}, fmt.Errorf("create device: %w", err)
	}
	return d, nil
}

// DeviceByToken returns the live device holding a token (by its SHA-256)
// and its account.
func (s *Store) DeviceByToken(ctx context.Context, tokenHash string) (xform.Device, user.User, error) {
	d, err := scanDevice(s.read.QueryRowContext(ctx, "SELECT "+deviceColumns+" FROM devices d JOIN users u ON u.id = d.user_id WHERE d.token_hash = $1 AND d.revoked_at = ''", tokenHash))
	if errors.Is(err, sql.ErrNoRows) {
		return d, user.User{}, apperr.New(apperr.Unauthorized, apperr.T("ไม่รู้จักโทเค็นของอุปกรณ์นี้ หรือถูกยกเลิกแล้ว", "this device token is unknown or revoked"))
	}
	if err != nil {
		return d, user.User{}, mapErr(err)
	}
	u, err := s.UserByID(ctx, d.UserID)
	return d, u, err
}

// Devices lists the devices of an account (all accounts when username is
// empty), revoked ones included, newest first.
func (s *Store) Devices(ctx context.Context, username string) ([]xform.Device, error) {
	q := "SELECT " + deviceColumns + " FROM devices d JOIN users u ON u.id = d.user_id"
	var args []any
	if username != "" {
		q += " WHERE u.username = $1"
		args = append(args, username)
	}
	rows, err := s.read.QueryContext(ctx, q+" ORDER BY d.id DESC", args...)
	if err != nil {
		return nil, fmt.Errorf("devices: %w", mapErr(err))
	}
	defer rows.Close()
	var out []xform.Device
	for rows.Next() {
		d, err := scanDevice(rows)
		if err != nil {
			return nil, mapErr(err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// RevokeDevice stops a device from authenticating, at once.
func (s *Store) RevokeDevice(ctx context.Context, id int64, by string) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		now := s.now()
		r, err := tx.ExecContext(ctx, "UPDATE devices SET revoked_at = $1 WHERE id = $2 AND revoked_at = ''", formatTime(now), id)
		if err != nil {
			return mapErr(err)
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return apperr.New(apperr.NotFound, apperr.Tf("ไม่พบอุปกรณ์หมายเลข %d ที่ยังใช้งานอยู่", "no live device has the number %d", id))
		}
		return insertAudit(ctx, tx, now, by, "device.revoke", "", fmt.Sprintf("device:%d", id), "")
	})
	if err != nil {
		return fmt.Errorf("revoke device %d: %w", id, err)
	}
	return nil
}
