package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"tambon/internal/apperr"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migration is one numbered, forward-only schema step.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the embedded migrations in order. File names are
// NNNN_name.sql; numbers start at 1 and are unique. A number may be missing
// for a while (numbers are handed out before the migrations land, and one
// may land before a lower one): Migrate applies every migration a database
// has not had, so a lower one that lands later is applied then.
func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		num, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration file %s: name must be NNNN_name.sql", e.Name())
		}
		b, err := migrationFiles.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: name, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version < 1 {
			return nil, fmt.Errorf("migration %s: numbers start at 1", m.name)
		}
		if i > 0 && ms[i-1].version == m.version {
			return nil, fmt.Errorf("migrations %s and %s have the same number %d", ms[i-1].name, m.name, m.version)
		}
	}
	return ms, nil
}

// SchemaVersion is the newest schema this binary knows.
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// Version returns the schema version the database is at (0 for an empty one).
func (s *Store) Version(ctx context.Context) (int, error) {
	var exists int
	q := "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
	if s.dialect == dialectPostgres {
		q = "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations'"
	}
	if err := s.read.QueryRowContext(ctx, q).Scan(&exists); err != nil {
		return 0, fmt.Errorf("read schema version: %w", mapErr(err))
	}
	if exists == 0 {
		return 0, nil
	}
	var v sql.NullInt64
	if err := s.read.QueryRowContext(ctx, "SELECT max(version) FROM schema_migrations").Scan(&v); err != nil {
		return 0, fmt.Errorf("read schema version: %w", mapErr(err))
	}
	return int(v.Int64), nil
}

// CheckVersion refuses a database whose schema is newer than this binary
// knows: an older tambon must not write into a newer schema.
func (s *Store) CheckVersion(ctx context.Context) error {
	v, err := s.Version(ctx)
	if err != nil {
		return err
	}
	if known := SchemaVersion(); v > known {
		return apperr.New(apperr.Conflict, apperr.Tf(
			"ฐานข้อมูลนี้ใช้โครงสร้างรุ่น %d ซึ่งใหม่กว่าที่โปรแกรม tambon รุ่นนี้รู้จัก (รุ่น %d): โปรดใช้ tambon รุ่นใหม่กว่า",
			"this database has schema version %d, newer than this tambon binary knows (%d): use a newer tambon",
			v, known))
	}
	return nil
}

// Migrate brings the schema up to date, one migration per transaction. On
// PostgreSQL an advisory lock keeps several starting servers from migrating
// at once. It returns the versions applied.
func (s *Store) Migrate(ctx context.Context) ([]int, error) {
	ms, err := migrations()
	if err != nil {
		return nil, err
	}
	if current, err := s.upToDate(ctx, ms); err != nil {
		return nil, err
	} else if current {
		// Nothing to do, and nothing written: a read-only connection (a
		// PostgreSQL streaming replica serving reports) opens as well.
		return nil, nil
	}
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", mapErr(err))
	}
	defer conn.Close()
	if s.dialect == dialectPostgres {
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(70051304)"); err != nil {
			return nil, fmt.Errorf("migrate: lock: %w", mapErr(err))
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(70051304)")
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return nil, fmt.Errorf("migrate: %w", mapErr(err))
	}
	if err := s.CheckVersion(ctx); err != nil {
		return nil, err
	}
	done, err := appliedVersions(ctx, conn)
	if err != nil {
		return nil, err
	}
	var applied []int
	for _, m := range ms {
		if done[m.version] {
			continue
		}
		if err := s.apply(ctx, conn, m); err != nil {
			return applied, err
		}
		applied = append(applied, m.version)
	}
	return applied, nil
}

// upToDate reports whether the database has had every migration in ms,
// reading only.
func (s *Store) upToDate(ctx context.Context, ms []migration) (bool, error) {
	v, err := s.Version(ctx)
	if err != nil || v == 0 || v > SchemaVersion() {
		return false, err // a newer schema is refused on the writing path
	}
	rows, err := s.read.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return false, fmt.Errorf("migrate: %w", mapErr(err))
	}
	defer rows.Close()
	done := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return false, fmt.Errorf("migrate: %w", mapErr(err))
		}
		done[v] = true
	}
	if err := rows.Err(); err != nil {
		return false, fmt.Errorf("migrate: %w", mapErr(err))
	}
	for _, m := range ms {
		if !done[m.version] {
			return false, nil
		}
	}
	return true, nil
}

// appliedVersions returns the migrations a database has had.
func appliedVersions(ctx context.Context, conn *sql.Conn) (map[int]bool, error) {
	rows, err := conn.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", mapErr(err))
	}
	defer rows.Close()
	done := map[int]bool{}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("migrate: %w", mapErr(err))
		}
		done[v] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("migrate: %w", mapErr(err))
	}
	return done, nil
}

func (s *Store) apply(ctx context.Context, conn *sql.Conn, m migration) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %d: %w", m.version, mapErr(err))
	}
	defer tx.Rollback()
	if err := s.run(ctx, tx, m); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
		m.version, m.name, formatTime(s.now())); err != nil {
		return fmt.Errorf("migration %d: %w", m.version, mapErr(err))
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migration %d: %w", m.version, mapErr(err))
	}
	return nil
}

// run does a migration's statements, then its Go step if it has one.
func (s *Store) run(ctx context.Context, tx *sql.Tx, m migration) error {
	for _, stmt := range splitStatements(s.dialect.expand(m.sql)) {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("migration %d (%s): %w", m.version, m.name, mapErr(err))
		}
	}
	if step := pgSteps[m.name]; step != nil && s.dialect == dialectPostgres {
		if err := step(ctx, tx); err != nil {
			return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
		}
	}
	if step := goSteps[m.name]; step != nil {
		if err := step(ctx, tx); err != nil {
			return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
		}
	}
	return nil
}

// splitStatements splits a migration at semicolons that end a line, dropping
// comments. Migrations hold plain DDL, never semicolons inside statements.
func splitStatements(src string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(src, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "--") || t == "" {
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
		if strings.HasSuffix(t, ";") {
			out = append(out, strings.TrimSuffix(strings.TrimSpace(cur.String()), ";"))
			cur.Reset()
		}
	}
	if strings.TrimSpace(cur.String()) != "" {
		out = append(out, strings.TrimSpace(cur.String()))
	}
	return out
}

// formatTime is how every timestamp is stored: UTC, ISO 8601, to the microsecond.
func formatTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }

// parseTime reads a stored timestamp.
func parseTime(s string) time.Time {
	t, _ := time.Parse("2006-01-02T15:04:05.000000Z", s)
	return t
}

// Columns lists every table's columns, in order, for the test that proves
// both databases reach the same schema.
func (s *Store) Columns(ctx context.Context) (map[string][]string, error) {
	q := `SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
	      WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid`
	if s.dialect == dialectPostgres {
		// A partition of a partitioned table (households) is not a table of
		// the schema: SQLite has only the table. Nor is household_ids,
		// which says where households' rows are (household_ids.go).
		q = `SELECT table_name, column_name FROM information_schema.columns
		     WHERE table_schema = current_schema() AND table_name <> 'household_ids' AND NOT EXISTS (SELECT 1 FROM pg_class c
		       WHERE c.relname = table_name AND c.relnamespace = current_schema()::regnamespace AND c.relispartition)
		     ORDER BY table_name, ordinal_position`
	}
	rows, err := s.read.QueryContext(ctx, q)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var t, c string
		if err := rows.Scan(&t, &c); err != nil {
			return nil, err
		}
		out[t] = append(out[t], c)
	}
	return out, rows.Err()
}

// execAll runs statements in order in tx, stopping at the first error.
func execAll(ctx context.Context, tx *sql.Tx, stmts []string) error {
	for _, stmt := range stmts {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// pgSteps are migrations done in Go on PostgreSQL only, after their SQL
// file's statements: settings SQLite does not have.
var pgSteps = map[string]func(ctx context.Context, tx *sql.Tx) error{
	"postgres_lz4":                 compressWithLZ4,
	"partition_households":         partitionHouseholds,
	"household_ids":                householdIDs,
	"postgres_binary_households":   binaryHouseholds,
	"household_keys_per_statement": householdKeysPerStatement,
	"household_keys_without_locks": householdKeysWithoutLocks,
}

// compressWithLZ4 makes PostgreSQL compress new household rows and history
// with lz4 when the server can (0022_postgres_lz4.sql says why).
func compressWithLZ4(ctx context.Context, tx *sql.Tx) error {
	var ok bool
	err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_settings
		WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals))`).Scan(&ok)
	if err != nil || !ok {
		return mapErr(err)
	}
	if err := execAll(ctx, tx, []string{
		"ALTER TABLE households ALTER COLUMN data SET COMPRESSION lz4",
		"ALTER TABLE household_history ALTER COLUMN changes SET COMPRESSION lz4",
	}); err != nil {
		return err
	}
	return nil
}
