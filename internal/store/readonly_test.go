package store_test

import (
	"context"
	"net/url"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/surveyfile"
)

// A PostgreSQL connection that may only read — a streaming replica serving
// reports — opens like any other once the primary is migrated: Migrate
// writes nothing when nothing is pending, the area register is not
// rewritten, and reads answer; a write is refused as read-only.
func TestReadOnlyPostgresOpens(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	primary := storetest.MustOpenDSN(t, dsn)
	ctx := context.Background()
	eng, round := mustImportRound(t, primary)
	if _, err := primary.WriteHouseholds(ctx, eng, round.ID, surveyfile.Example(eng.Set(), "70051304", 12, 71), "import", nil); err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("default_transaction_read_only", "on") // a startup parameter, as a hot standby sets it
	u.RawQuery = q.Encode()
	replica, err := store.Open(ctx, u.String(), store.Options{Now: storetest.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer replica.Close()
	if applied, err := replica.Migrate(ctx); err != nil || len(applied) != 0 {
		t.Fatalf("migrate on a read-only connection: %v, %v", applied, err)
	}
	if n, err := replica.CountHouseholds(ctx, round.ID, "TH"); err != nil || n != 12 {
		t.Fatalf("households read on the replica: %d, %v", n, err)
	}
	if _, err := replica.WriteHouseholds(ctx, eng, round.ID, surveyfile.Example(eng.Set(), "70051305", 1, 72), "import", nil); !apperr.Is(err, apperr.Unavailable) {
		t.Fatalf("a write on a read-only connection: %v, want refused as read-only", err)
	}
}
