package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"tambon/internal/apperr"
)

// AuditQuery is a search of the audit log page: who, what, where, when,
// one page of it. Empty fields and zero times match everything.
type AuditQuery struct {
	User, Action, Object string
	AreaPrefix           string    // digits, or "" / "TH" for everywhere
	From, To             time.Time // From included, To excluded
	Limit, Offset        int
}

// SearchAudit returns one page of the audit log, newest first, and how many
// entries the search finds in all.
func (s *Store) SearchAudit(ctx context.Context, q AuditQuery) ([]AuditEntry, int, error) {
	if q.Limit <= 0 || q.Limit > MaxAuditLimit {
		q.Limit = min(200, MaxAuditLimit)
	}
	q.Offset = max(q.Offset, 0)
	if q.AreaPrefix == "TH" {
		q.AreaPrefix = ""
	}
	if strings.Trim(q.AreaPrefix, "0123456789") != "" {
		return nil, 0, apperr.New(apperr.Invalid, apperr.Tf("รหัสพื้นที่ %q ต้องเป็นตัวเลข", "the area code %q must be digits", q.AreaPrefix))
	}
	var from, to string
	if !q.From.IsZero() {
		from = formatTime(q.From)
	}
	if !q.To.IsZero() {
		to = formatTime(q.To)
	}
	// Area codes are digits only, so the LIKE pattern needs no escaping;
	// stored times are fixed-width UTC text, so they compare as strings.
	where := `WHERE ($1 = '' OR user_name = $1) AND ($2 = '' OR action = $2) AND ($3 = '' OR object = $3)
		AND ($4 = '' OR area_code LIKE $5) AND ($6 = '' OR at >= $6) AND ($7 = '' OR at < $7)`
	args := []any{q.User, q.Action, q.Object, q.AreaPrefix, q.AreaPrefix + "%", from, to}
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count audit log: %w", mapErr(err))
	}
	rows, err := s.read.QueryContext(ctx, `SELECT at, user_name, action, area_code, object, detail FROM audit_log `+where+`
		ORDER BY id DESC LIMIT $8 OFFSET $9`, append(args, q.Limit, q.Offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("search audit log: %w", mapErr(err))
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at string
		if err := rows.Scan(&at, &e.User, &e.Action, &e.Area, &e.Object, &e.Detail); err != nil {
			return nil, 0, fmt.Errorf("search audit log: %w", err)
		}
		e.At = parseTime(at)
		out = append(out, e)
	}
	return out, total, rows.Err()
}
