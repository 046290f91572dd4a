package store_test

import (
	"context"
	"testing"

	"tambon/internal/store/storetest"
)

// On PostgreSQL a migrated database compresses stored households with lz4
// (when the server has it); what was stored before reads the same.
func TestPostgresHouseholdsCompressWithLZ4(t *testing.T) {
	s := storetest.MustOpenDSN(t, storetest.PostgresDSN(t))
	ctx := context.Background()
	has, err := s.QueryIntForTest(ctx, `SELECT count(*) FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)`)
	if err != nil {
		t.Fatal(err)
	}
	if has == 0 {
		t.Skip("this PostgreSQL server has no lz4")
	}
	n, err := s.QueryIntForTest(ctx, `SELECT count(*) FROM pg_attribute
		WHERE attrelid IN ('households'::regclass, 'household_history'::regclass) AND attname IN ('data', 'changes') AND attcompression = 'l'`)
	if err != nil || n != 2 {
		t.Fatalf("%d of households.data and household_history.changes compress with lz4 (%v), want both", n, err)
	}
}
