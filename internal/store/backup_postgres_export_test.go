package store

import (
	"context"
	"database/sql"
)

// TableChecksumForTest is a table's row count and checksum as a backup
// records it.
func TableChecksumForTest(ctx context.Context, db *sql.DB, table string, cols []string) (int64, string, error) {
	return tableChecksum(ctx, db, table, cols, "")
}

// BackupTablesForTest lists the tables a backup of the schema db uses
// would hold, in the order it writes them.
func BackupTablesForTest(ctx context.Context, db *sql.DB) ([]string, error) {
	ts, err := catalogTables(ctx, db)
	var names []string
	for _, t := range ts {
		names = append(names, t.name)
	}
	return names, err
}

// SetMetaForTest writes a meta value.
func (s *Store) SetMetaForTest(ctx context.Context, key, value string) error {
	return s.setMeta(ctx, key, value)
}
