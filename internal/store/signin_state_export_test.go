package store

import "context"

// SignInRows counts the stored sign-in counts, for tests of their expiry.
func SignInRows(s *Store) (int, error) {
	var n int
	err := s.read.QueryRowContext(context.Background(), "SELECT count(*) FROM signin_counts").Scan(&n)
	return n, err
}
