// Package storetest opens real databases for tests: a SQLite file in a temp
// folder always, and PostgreSQL too when TAMBON_TEST_POSTGRES holds a DSN
// (for example postgres://postgres@127.0.0.1:5432/test). Each PostgreSQL test
// gets its own schema, dropped afterwards, so tests never see each other.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tambon/internal/area"
	"tambon/internal/store"
)

// EnvPostgres names the variable that turns the PostgreSQL runs on.
const EnvPostgres = "TAMBON_TEST_POSTGRES"

// Now is the clock of every store opened here: a fixed instant, so that
// sessions, lock-outs and timestamps do not depend on the day the tests run.
// Web tests give the same clock to the server.
func Now() time.Time { return time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC) }

// Each runs fn once per available database, as subtests named "sqlite" and
// "postgres". The store is migrated and holds the areas of province 70
// (Ratchaburi) and their ancestors; tests that need the whole country call
// SyncAreas themselves.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, MustOpenSQLite(t)) })
	t.Run("postgres", func(t *testing.T) {
		dsn := PostgresDSN(t)
		fn(t, MustOpenDSN(t, dsn))
	})
}

// PostgresDSN returns a DSN for a fresh, empty schema, or skips the test
// (saying why) when TAMBON_TEST_POSTGRES is not set.
func PostgresDSN(tb testing.TB) string {
	tb.Helper()
	base := strings.TrimSpace(getenv(EnvPostgres))
	if base == "" {
		tb.Skipf("PostgreSQL run skipped: set %s (e.g. postgres://postgres@127.0.0.1:5432/test) to run it", EnvPostgres)
	}
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("%s: %v", EnvPostgres, err)
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "t_" + hex.EncodeToString(b[:])
	db, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE SCHEMA " + schema); err != nil {
		tb.Fatalf("create schema on %s: %v", u.Host, err)
	}
	tb.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err == nil {
			db.Exec("DROP SCHEMA " + schema + " CASCADE")
			db.Close()
		}
	})
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// MustOpenSQLite opens a migrated SQLite store in a temp folder.
func MustOpenSQLite(tb testing.TB) *store.Store {
	tb.Helper()
	return MustOpenDSN(tb, filepath.Join(tb.TempDir(), "tambon.db"))
}

// MustOpenDSN opens and migrates a store and loads Ratchaburi's areas.
func MustOpenDSN(tb testing.TB, dsn string) *store.Store {
	tb.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, dsn, store.Options{Now: Now})
	if err != nil {
		tb.Fatalf("open %s: %v", dsn, err)
	}
	tb.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		tb.Fatalf("migrate: %v", err)
	}
	if _, err := s.SyncAreas(ctx, Ratchaburi(tb), true); err != nil {
		tb.Fatalf("sync areas: %v", err)
	}
	return s
}

// Ratchaburi returns the country, province 70 and every area inside it,
// parents first.
func Ratchaburi(tb testing.TB) []area.Area {
	tb.Helper()
	tree, err := area.Embedded()
	if err != nil {
		tb.Fatal(err)
	}
	var out []area.Area
	for _, a := range tree.All() {
		if a.Code == area.CountryCode || strings.HasPrefix(a.Code, "70") {
			out = append(out, a)
		}
	}
	return out
}
