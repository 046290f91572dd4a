package store

import (
	"context"
	"fmt"
)

// RunMigrationForTest does the named migration again, as an upgrade does,
// without recording it: for migrations that only change data.
func (s *Store) RunMigrationForTest(ctx context.Context, name string) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.name == name {
			tx, err := s.write.BeginTx(ctx, nil)
			if err != nil {
				return err
			}
			defer tx.Rollback()
			if err := s.run(ctx, tx, m); err != nil {
				return err
			}
			return tx.Commit()
		}
	}
	return fmt.Errorf("no migration %s", name)
}
