package store

import "context"

// ExecForTest runs a statement on the writer; tests use it to set up states
// the API refuses to make (a future schema version).
func (s *Store) ExecForTest(ctx context.Context, q string, args ...any) error {
	_, err := s.write.ExecContext(ctx, q, args...)
	return mapErr(err)
}
