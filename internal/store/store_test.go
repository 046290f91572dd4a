package store_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/user"
)

func TestMigrateIsIdempotent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		v, err := s.Version(ctx)
		if err != nil || v != store.SchemaVersion() {
			t.Fatalf("version = %d, %v; want %d", v, err, store.SchemaVersion())
		}
		applied, err := s.Migrate(ctx)
		if err != nil || len(applied) != 0 {
			t.Fatalf("second migrate applied %v, %v", applied, err)
		}
	})
}

// Both databases must reach the same tables and columns.
func TestSchemasAgree(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	ctx := context.Background()
	lite, err := storetest.MustOpenSQLite(t).Columns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := storetest.MustOpenDSN(t, dsn).Columns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(lite) < 4 {
		t.Fatalf("only %d tables in SQLite", len(lite))
	}
	if !reflect.DeepEqual(lite, pg) {
		t.Errorf("schemas differ:\nsqlite:   %v\npostgres: %v", lite, pg)
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if err := s.ExecForTest(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, 'future', 'x')", store.SchemaVersion()+1); err != nil {
			t.Fatal(err)
		}
		err := s.CheckVersion(ctx)
		if !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("CheckVersion = %v, want a conflict", err)
		}
		if _, err := s.Migrate(ctx); err == nil {
			t.Fatal("Migrate ran on a newer schema")
		}
	})
}

// A migration whose number is below the database's newest but which the
// database never had (it landed after a higher one) is applied, and only it.
func TestLateMigrationIsApplied(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		// 12 is a Go step that rewrites stored photos: harmless to run again.
		if err := s.ExecForTest(ctx, "DELETE FROM schema_migrations WHERE version = 12"); err != nil {
			t.Fatal(err)
		}
		applied, err := s.Migrate(ctx)
		if err != nil || !reflect.DeepEqual(applied, []int{12}) {
			t.Fatalf("Migrate applied %v, %v; want [12]", applied, err)
		}
		if v, err := s.Version(ctx); err != nil || v != store.SchemaVersion() {
			t.Errorf("version %d, %v; want %d", v, err, store.SchemaVersion())
		}
	})
}

func TestAreasMatchTheTree(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		tree, err := area.Embedded()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SyncAreas(ctx, tree.All(), false); err != nil {
			t.Fatal(err)
		}
		for _, lv := range []area.Level{area.Province, area.District, area.Subdistrict, area.Village} {
			n, err := s.AreaCount(ctx, lv)
			if err != nil {
				t.Fatal(err)
			}
			if n != tree.Count(lv) {
				t.Errorf("%s: stored %d, tree has %d", lv, n, tree.Count(lv))
			}
		}
		kids, err := s.StoredChildren(ctx, "700513")
		if err != nil || len(kids) != 18 {
			t.Errorf("Khao Khlung has %d stored villages (%v), want 18", len(kids), err)
		}
		// A second sync with nothing changed writes nothing.
		if n, err := s.SyncAreas(ctx, tree.All(), false); err != nil || n != 0 {
			t.Errorf("second sync inserted %d, %v", n, err)
		}
	})
}

func TestUsersAndSessions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		hash, _ := user.HashPassword("password-1")
		u, err := s.CreateUser(ctx, user.User{Username: "somchai", DisplayName: "สมชาย", PasswordHash: hash, Role: user.Tambon, AreaCode: "700513"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateUser(ctx, user.User{Username: "somchai", DisplayName: "x", PasswordHash: hash, Role: user.Viewer, AreaCode: "70"}); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("duplicate username: %v, want conflict", err)
		}
		if _, err := s.CreateUser(ctx, user.User{Username: "nobody", DisplayName: "x", PasswordHash: hash, Role: user.Viewer, AreaCode: "99999999"}); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("unknown area: %v, want invalid", err)
		}
		got, err := s.UserByName(ctx, "somchai")
		if err != nil || got.ID != u.ID || got.Role != user.Tambon || got.DisplayName != "สมชาย" {
			t.Fatalf("UserByName = %+v, %v", got, err)
		}
		if err := s.CreateSession(ctx, user.Session{ID: "abc", UserID: u.ID, ExpiresAt: got.CreatedAt.AddDate(0, 0, 1)}); err != nil {
			t.Fatal(err)
		}
		if su, err := s.SessionUser(ctx, "abc"); err != nil || su.ID != u.ID {
			t.Fatalf("SessionUser = %+v, %v", su, err)
		}
		if err := s.SetPassword(ctx, "somchai", hash); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SessionUser(ctx, "abc"); !apperr.Is(err, apperr.Unauthorized) {
			t.Errorf("session survived a password change: %v", err)
		}
		if _, err := s.UserByName(ctx, "ghost"); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("ghost: %v", err)
		}
	})
}

func TestOpenRefusesClearly(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	notDB := filepath.Join(dir, "notes.db")
	os.WriteFile(notDB, []byte("this is not a database, just some notes that are long enough......................................................................"), 0o644)
	tests := []struct {
		name string
		dsn  string
		code apperr.Code
	}{
		{"not a sqlite file", notDB, apperr.Invalid},
		{"missing folder", filepath.Join(dir, "no", "such", "x.db"), apperr.Invalid},
		{"a folder", dir, apperr.Invalid},
		{"postgres refused", "postgres://nobody@127.0.0.1:1/x?connect_timeout=2", apperr.Unavailable},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := store.Open(ctx, tc.dsn, store.Options{})
			if err == nil {
				s.Close()
				t.Fatal("opened")
			}
			if apperr.CodeOf(err) != tc.code {
				t.Errorf("code %s, want %s (%v)", apperr.CodeOf(err), tc.code, err)
			}
			if m := apperr.MessageOf(err); m.TH == "" || m.EN == "" {
				t.Errorf("message not bilingual: %+v", m)
			}
		})
	}
	if os.Geteuid() != 0 { // root can write anything, so read-only cannot be shown as root
		ro := filepath.Join(t.TempDir(), "ro.db")
		os.WriteFile(ro, nil, 0o444)
		if _, err := store.Open(ctx, ro, store.Options{}); apperr.CodeOf(err) != apperr.Unavailable {
			t.Errorf("read-only file: %v", err)
		}
	}
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
}
