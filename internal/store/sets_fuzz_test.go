package store_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/indicator"
	"tambon/internal/store/storetest"
	"tambon/internal/village"
)

// FuzzImportSet imports mangled set files of both kinds into one SQLite
// store: a refused file is an Invalid (or, for an id of the other kind, a
// Conflict) error whose message is in Thai and in English and stores
// nothing; an accepted one is stored as exactly one new version holding the
// very bytes given, or nothing when it equals the newest version.
//
//	go test -run XXX -fuzz FuzzImportSet ./internal/store/
func FuzzImportSet(f *testing.F) {
	for _, set := range indicator.Sets() {
		f.Add(set.File())
	}
	for _, set := range village.Sets() {
		f.Add(set.File())
	}
	for _, name := range []string{"bmn-2566-2570-local.json", "kcc2k-2560-2564-local.json"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "docs", "examples", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(bytes.Replace(b, []byte(`"good": 60`), []byte(`"good": 160`), 1))
		f.Add(bytes.Replace(b, []byte(`"q": "loc01_sorts_waste"`), []byte(`"q": "loc99"`), 1))
	}
	official, err := indicator.Lookup("bmn-2566-2570")
	if err != nil {
		f.Fatal(err)
	}
	good := official.File()
	for _, tc := range brokenSets {
		f.Add(bytes.Replace(good, []byte(tc.from), []byte(tc.to), 1))
	}
	s := storetest.MustOpenSQLite(f)
	ctx := context.Background()
	count := func(t *testing.T) int {
		vs, err := s.SetVersions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return len(vs)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		before := count(t)
		v, created, err := s.ImportSet(ctx, b, "fuzz", "")
		after := count(t)
		if err != nil {
			if c := apperr.CodeOf(err); c != apperr.Invalid && c != apperr.Conflict {
				t.Fatalf("code %s for %v", c, err)
			}
			msg := apperr.MessageOf(err)
			if msg.TH == "" || msg.EN == "" || msg.TH == msg.EN {
				t.Fatalf("the refusal is not in both languages: %+v", msg)
			}
			if after != before {
				t.Fatalf("a refused file stored %d versions", after-before)
			}
			return
		}
		if !created {
			if after != before {
				t.Fatalf("an unchanged file stored %d versions", after-before)
			}
			return
		}
		if after != before+1 {
			t.Fatalf("one import stored %d versions", after-before)
		}
		_, body, err := s.SetVersion(ctx, v.ID, v.Version)
		if err != nil || !bytes.Equal(body, b) {
			t.Fatalf("version %d of %s is not the file imported: %v", v.Version, v.ID, err)
		}
	})
}
