package store_test

import (
	"context"
	"database/sql"
	"slices"
	"testing"

	"tambon/internal/store"
	"tambon/internal/store/storetest"
)

// A table's checksum depends only on its rows: the same rows in a table
// partitioned by province, with its columns in another order, inserted in
// another order, give the same checksum; one changed value does not. The
// backup lists a partitioned table once (its partitions are its rows),
// parents before the tables that refer to them.
func TestBackupChecksumIgnoresLayout(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("pgx", storetest.PostgresDSN(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, stmt := range []string{
		`CREATE TABLE zones (code TEXT PRIMARY KEY)`,
		`CREATE TABLE plain (id BIGINT, area TEXT REFERENCES zones (code), data TEXT, score DOUBLE PRECISION, PRIMARY KEY (area, id))`,
		`CREATE TABLE parted (score DOUBLE PRECISION, data TEXT, area TEXT NOT NULL, id BIGINT, PRIMARY KEY (area, id)) PARTITION BY RANGE (area)`,
		`CREATE TABLE parted_70 PARTITION OF parted FOR VALUES FROM ('70') TO ('71')`,
		`CREATE TABLE parted_10 PARTITION OF parted FOR VALUES FROM ('10') TO ('11')`,
		`INSERT INTO zones VALUES ('70051304'), ('10010101')`,
		`INSERT INTO plain SELECT i, CASE WHEN i % 2 = 0 THEN '70051304' ELSE '10010101' END, 'row ' || i || E'\t\\n', i / 3.0 FROM generate_series(1, 500) i`,
		`INSERT INTO parted (id, area, data, score) SELECT id, area, data, score FROM plain ORDER BY id DESC`,
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	n1, sum1, err := store.TableChecksumForTest(ctx, db, "plain", []string{"id", "area", "data", "score"})
	if err != nil {
		t.Fatal(err)
	}
	n2, sum2, err := store.TableChecksumForTest(ctx, db, "parted", []string{"score", "data", "area", "id"})
	if err != nil {
		t.Fatal(err)
	}
	if n1 != 500 || n2 != 500 || sum1 != sum2 {
		t.Errorf("same rows, other layout: %d rows %s against %d rows %s", n1, sum1, n2, sum2)
	}
	if _, err := db.ExecContext(ctx, `UPDATE parted SET score = score + 1e-9 WHERE id = 250`); err != nil {
		t.Fatal(err)
	}
	if _, sum3, err := store.TableChecksumForTest(ctx, db, "parted", []string{"score", "data", "area", "id"}); err != nil || sum3 == sum1 {
		t.Errorf("a changed value left the checksum %s (%v)", sum3, err)
	}
	tables, err := store.BackupTablesForTest(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(tables, []string{"parted", "zones", "plain"}) {
		t.Errorf("backup tables %v, want parted, zones, plain (no partitions; zones before plain)", tables)
	}
}
