package store

import (
	"context"
	"strings"
	"time"
)

// RestoreStatus is what the last restore into a database recorded in the
// meta keys restore_state and restore_state_at. A PostgreSQL restore
// commits its rows with the state "verifying: FILE", checks the restored
// statistics against a recompute, and then records "verified …" or
// "failed: …"; a person who has checked a database that failed may accept
// it ("accepted …").
type RestoreStatus struct {
	State string    // "" when nothing was ever restored into this database
	At    time.Time // when State was recorded; zero when not known
}

// Unverified reports whether the database came from a restore whose
// statistics check was cut short ("verifying…") or failed ("failed…"),
// and has not been accepted since: its figures may not be what the
// backup held.
func (st RestoreStatus) Unverified() bool {
	return strings.HasPrefix(st.State, "verifying") || strings.HasPrefix(st.State, "failed")
}

// Failed reports whether the statistics check ran and failed (rather than
// being cut short).
func (st RestoreStatus) Failed() bool { return strings.HasPrefix(st.State, "failed") }

// RestoreStatus returns what the last restore into this database recorded.
func (s *Store) RestoreStatus(ctx context.Context) RestoreStatus {
	st := RestoreStatus{State: s.metaValue(ctx, "restore_state")}
	if at := s.metaValue(ctx, "restore_state_at"); at != "" {
		st.At, _ = time.Parse(time.RFC3339, at)
	}
	return st
}

// RestoreState returns what the last restore into this database recorded
// ("" when there was none).
func (s *Store) RestoreState(ctx context.Context) string {
	return s.metaValue(ctx, "restore_state")
}

// MarkRestore records how a restore ended in the meta key restore_state
// ("verified …", "failed: …" or "accepted …"), and when.
func (s *Store) MarkRestore(ctx context.Context, state string) error {
	if err := s.setMeta(ctx, "restore_state", state); err != nil {
		return err
	}
	return s.setMeta(ctx, "restore_state_at", s.now().UTC().Format(time.RFC3339))
}
