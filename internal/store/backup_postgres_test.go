package store_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/surveyfile"
)

// pgBackupSource is a PostgreSQL store with a round of households, and a
// backup of it taken while another goroutine kept writing households.
func pgBackupSource(t *testing.T) (*store.Store, string) {
	t.Helper()
	ctx := context.Background()
	s := storetest.MustOpenDSN(t, storetest.PostgresDSN(t))
	eng := mustEngine(t)
	mustRound(t, s, "bmn-2564", false)
	if _, err := s.WriteHouseholds(ctx, eng, "bmn-2564", surveyfile.Example(eng.Set(), "70051304", 20, 1), "t", nil); err != nil {
		t.Fatal(err)
	}
	// A row longer than the reader's buffer (1 MB), as a photo is.
	if err := s.SetMetaForTest(ctx, "large", strings.Repeat("ข้อมูล\\\n\t", 300_000)); err != nil {
		t.Fatal(err)
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	var writes atomic.Int64
	wg.Add(1)
	go func() {
		defer wg.Done()
		villages := []string{"70051301", "70051302", "70051303", "70051305"}
		for i := 0; !stop.Load(); i++ {
			hs := surveyfile.Example(eng.Set(), villages[i%len(villages)], 5, uint64(100+i))
			if _, err := s.WriteHouseholds(ctx, eng, "bmn-2564", hs, "load", nil); err != nil {
				t.Errorf("write under load: %v", err)
				return
			}
			writes.Add(1)
		}
	}()
	for writes.Load() < 3 {
	}
	path := filepath.Join(t.TempDir(), "backup.tambon-backup")
	err := s.Backup(ctx, path)
	stop.Store(true)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	if writes.Load() < 4 {
		t.Logf("only %d writes happened around the backup", writes.Load())
	}
	return s, path
}

// emptyPostgres opens a store on a new, empty schema, without migrating.
func emptyPostgres(t *testing.T) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), storetest.PostgresDSN(t), store.Options{Now: storetest.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// A PostgreSQL backup taken while households are written is one snapshot:
// restored into an empty database, every table's rows and checksum equal
// the manifest, and the round's statistics equal a recompute of the
// restored households (they would not if the statistics and the
// households had been read at different moments). Every table of the
// schema is in the manifest.
func TestPostgresBackupUnderWritesRestoresAndVerifies(t *testing.T) {
	ctx := context.Background()
	src, path := pgBackupSource(t)
	m, err := store.VerifyPostgresBackup(path)
	if err != nil {
		t.Fatal(err)
	}
	if m.Schema != store.SchemaVersion() {
		t.Errorf("manifest schema %d, want %d", m.Schema, store.SchemaVersion())
	}
	cols, err := src.Columns(ctx)
	if err != nil {
		t.Fatal(err)
	}
	inManifest := map[string]int64{}
	for _, tb := range m.Tables {
		inManifest[tb.Name] = tb.Rows
	}
	for table := range cols {
		if _, ok := inManifest[table]; !ok && table != "schema_migrations" {
			t.Errorf("table %s is not covered by the backup", table)
		}
	}
	if inManifest["households"] < 20 {
		t.Errorf("backup holds %d households, fewer than were there before it started", inManifest["households"])
	}
	if len(m.Rounds) != 1 || m.Rounds[0].Areas == 0 || m.Rounds[0].Stats == "" {
		t.Errorf("round digests %+v: want one round with its statistics", m.Rounds)
	}

	dst := emptyPostgres(t)
	if _, err := dst.RestorePostgres(ctx, path, store.RestoreOptions{}); err != nil {
		t.Fatal(err)
	}
	assertRegistry(t, dst, "a restore")
	if v, _ := dst.Version(ctx); v != m.Schema {
		t.Errorf("restored schema version %d, want %d", v, m.Schema)
	}
	got, err := dst.TableCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for table, n := range inManifest {
		if table == "meta" {
			n += 2 // restore_state, restore_state_at
		}
		if got[table] != n {
			t.Errorf("table %s: %d rows restored, %d in the backup", table, got[table], n)
		}
	}
	if st := dst.RestoreState(ctx); !strings.HasPrefix(st, "verifying") {
		t.Errorf("restore_state %q, want verifying until the statistics are checked", st)
	}
	assertStatsMatch(t, dst, mustEngine(t), "bmn-2564")
	// The restored database takes new households: its sequences were set.
	eng := mustEngine(t)
	if _, err := dst.WriteHouseholds(ctx, eng, "bmn-2564", surveyfile.Example(eng.Set(), "70051306", 3, 999), "after", nil); err != nil {
		t.Errorf("write after restore: %v", err)
	}
}

// A database that holds anything is not restored over unless told; told,
// what it held is replaced by the backup.
func TestPostgresRestoreRefusesANonEmptyDatabase(t *testing.T) {
	ctx := context.Background()
	_, path := pgBackupSource(t)
	m, err := store.VerifyPostgresBackup(path)
	if err != nil {
		t.Fatal(err)
	}
	dst := storetest.MustOpenDSN(t, storetest.PostgresDSN(t))
	mustRound(t, dst, "other-2565", false)
	_, err = dst.RestorePostgres(ctx, path, store.RestoreOptions{})
	if err == nil || apperr.CodeOf(err) != apperr.Conflict || !strings.Contains(err.Error(), "not empty") || !strings.Contains(apperr.MessageOf(err).TH, "ไม่ว่าง") {
		t.Fatalf("restore over a non-empty database: %v", err)
	}
	if _, err := dst.Round(ctx, "other-2565"); err != nil {
		t.Errorf("the refused restore changed the database: %v", err)
	}
	if _, err := dst.RestorePostgres(ctx, path, store.RestoreOptions{Replace: true}); err != nil {
		t.Fatalf("restore with Replace: %v", err)
	}
	if _, err := dst.Round(ctx, "other-2565"); err == nil {
		t.Error("the replaced database still has its own round")
	}
	var want int64
	for _, tb := range m.Tables {
		if tb.Name == "households" {
			want = tb.Rows
		}
	}
	got, err := dst.TableCounts(ctx)
	if err != nil || got["households"] != want || want == 0 {
		t.Errorf("replaced database has %d households (%v), the backup %d", got["households"], err, want)
	}
}

// backupLines reads a backup file's lines.
func backupLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

// writeBackupLines writes lines as a backup file, first making every
// table's SUM line agree with its rows again (as someone who edited the
// file on purpose would), so that only the manifest can tell.
func writeBackupLines(t *testing.T, path string, lines []string) {
	t.Helper()
	var out []string
	table, rows, h := "", 0, sha256.New()
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "TABLE ") && table == "":
			table, rows, h = strings.TrimPrefix(l, "TABLE "), 0, sha256.New()
		case l == `\.`:
			out = append(out, l)
			out = append(out, fmt.Sprintf("SUM %s %d %s", table, rows, hex.EncodeToString(h.Sum(nil))))
			table = ""
			continue
		case strings.HasPrefix(l, "SUM "):
			continue
		case table != "":
			h.Write([]byte(l + "\n"))
			rows++
		}
		out = append(out, l)
	}
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(strings.Join(out, "\n") + "\n"))
	zw.Close()
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// A tampered backup fails verification with a message that says what
// differs, and the restore leaves the target as it was (empty).
func TestPostgresTamperedBackupFailsVerification(t *testing.T) {
	ctx := context.Background()
	_, path := pgBackupSource(t)
	lines := backupLines(t, path)
	dir := t.TempDir()
	section := func(table string) (int, int) {
		for i, l := range lines {
			if l == "TABLE "+table {
				for j := i + 1; j < len(lines); j++ {
					if lines[j] == `\.` {
						return i, j
					}
				}
			}
		}
		t.Fatalf("no table %s in the backup", table)
		return 0, 0
	}

	// A changed row: one household's village code (the SUM line agrees).
	changed := append([]string(nil), lines...)
	i, j := section("households")
	if j-i < 2 {
		t.Fatal("no households in the backup")
	}
	changed[i+1] = strings.Replace(changed[i+1], "70051304", "70051309", 1)
	if changed[i+1] == lines[i+1] {
		t.Fatalf("the household row does not hold its village code: %.80s", lines[i+1])
	}
	// A missing table: its section and its manifest entry both gone.
	missing := append([]string(nil), lines[:1]...)
	var m store.BackupManifest
	if err := json.Unmarshal([]byte(lines[1]), &m); err != nil {
		t.Fatal(err)
	}
	var kept []store.BackupTable
	for _, tb := range m.Tables {
		if tb.Name != "household_photos" {
			kept = append(kept, tb)
		}
	}
	m.Tables = kept
	js, _ := json.Marshal(m)
	missing = append(missing, string(js))
	pi, pj := section("household_photos")
	missing = append(missing, lines[2:pi]...)
	missing = append(missing, lines[pj+2:]...)

	cases := []struct {
		name, want string
		write      func(path string)
	}{
		{"changed row", "table households: the rows' checksum differs", func(p string) { writeBackupLines(t, p, changed) }},
		{"missing table", "table household_photos: not in the backup", func(p string) { writeBackupLines(t, p, missing) }},
		{"truncated file", "damaged or incomplete", func(p string) {
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(p, b[:len(b)/2], 0o600)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-"))
			c.write(p)
			dst := emptyPostgres(t)
			_, err := dst.RestorePostgres(ctx, p, store.RestoreOptions{})
			if err == nil {
				t.Fatal("a tampered backup was restored")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error does not say %q:\n%v", c.want, err)
			}
			if v, err := dst.Version(ctx); err != nil || v != 0 {
				t.Errorf("the failed restore left schema version %d (%v): not rolled back", v, err)
			}
		})
	}
}
