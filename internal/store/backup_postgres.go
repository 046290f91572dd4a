package store

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/stdlib"

	"tambon/internal/apperr"
)

// A PostgreSQL backup is tambon's own file, not pg_dump's. It is written in
// one REPEATABLE READ transaction, so everything in it — every table's rows
// and the manifest that describes them — is one snapshot, however much
// `tambon serve` writes meanwhile. Being tambon's own, a restore builds the
// schema with tambon's migrations (up to the version the backup was taken
// at), loads the rows with COPY and checks them against the manifest in
// the same transaction, and commits only what matched; pg_dump would give a
// schema tambon did not make and no checksums to hold the result to.
//
// The file is one gzip stream of lines:
//
//	TAMBON-BACKUP 1
//	{manifest JSON}
//	TABLE <name>
//	<COPY text rows, one a line>
//	\.
//	SUM <name> <rows> <sha256 of the rows' bytes>
//	… one TABLE … SUM block per table, parents before children
//	END
//
// COPY's text format escapes newlines and backslashes inside values, so a
// row is one line and no row can read "\.".

const backupMagic = "TAMBON-BACKUP 1"

// BackupManifest describes a PostgreSQL backup: what it must hold, computed
// in the snapshot it was taken in.
type BackupManifest struct {
	Format    int           `json:"format"`
	Tambon    string        `json:"tambon"`
	Schema    int           `json:"schema_version"`
	TakenAt   string        `json:"taken_at"`
	Server    string        `json:"server"`
	Tables    []BackupTable `json:"tables"`
	Sequences []BackupSeq   `json:"sequences"`
	Rounds    []BackupRound `json:"rounds"`
}

// BackupTable is one table in a backup: its columns in the order of the
// rows, its row count and the checksum of its rows.
type BackupTable struct {
	Name     string   `json:"name"`
	Columns  []string `json:"columns"`
	Rows     int64    `json:"rows"`
	Checksum string   `json:"checksum"`
}

// BackupSeq is where an identity sequence stood.
type BackupSeq struct {
	Name     string `json:"name"`
	Value    int64  `json:"value"`
	IsCalled bool   `json:"is_called"`
}

// BackupRound is a digest of one round's statistics (its area_stats rows)
// and how many households it has.
type BackupRound struct {
	ID         string `json:"id"`
	Areas      int64  `json:"areas"`
	Households int64  `json:"households"`
	Stats      string `json:"stats"`
}

// BackupVersion names the tambon that writes PostgreSQL backups; the
// command line sets it from its build.
var BackupVersion = "dev"

// snapshotSettings fix how values print as text, so that checksums and
// COPY rows are the same whichever server settings the two ends have.
var snapshotSettings = []string{
	"SET LOCAL TimeZone = 'UTC'",
	"SET LOCAL DateStyle = 'ISO, YMD'",
	"SET LOCAL IntervalStyle = 'postgres'",
	"SET LOCAL extra_float_digits = 1",
	"SET LOCAL bytea_output = 'hex'",
}

// pgTable is a table as the catalog has it.
type pgTable struct {
	name string
	cols []string // in ordinal order, without generated columns
}

// catalogTables lists the tables of the current schema that hold tambon's
// data: every ordinary or partitioned table that is not itself a partition
// (a partition's rows are its parent's), parents before the tables whose
// foreign keys point at them. schema_migrations is left out: a restore
// writes its own, and the manifest records the version. So is
// household_ids (household_ids.go): it is where households' rows are, and
// its triggers fill it as the households are copied in.
func catalogTables(ctx context.Context, q querier) ([]pgTable, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.relname, a.attname
		FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
		WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND c.relkind IN ('r', 'p') AND NOT c.relispartition
		  AND c.relname NOT IN ('schema_migrations', 'household_ids') AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
		ORDER BY c.relname, a.attnum`)
	if err != nil {
		return nil, mapErr(err)
	}
	byName := map[string]*pgTable{}
	var names []string
	for rows.Next() {
		var t, c string
		if err := rows.Scan(&t, &c); err != nil {
			rows.Close()
			return nil, mapErr(err)
		}
		if byName[t] == nil {
			byName[t] = &pgTable{name: t}
			names = append(names, t)
		}
		byName[t].cols = append(byName[t].cols, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, mapErr(err)
	}
	// Foreign keys between the tables, child → parents.
	rows, err = q.QueryContext(ctx, `SELECT c.relname, p.relname
		FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
		WHERE k.contype = 'f' AND c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND k.conparentid = 0`)
	if err != nil {
		return nil, mapErr(err)
	}
	parents := map[string][]string{}
	for rows.Next() {
		var c, p string
		if err := rows.Scan(&c, &p); err != nil {
			rows.Close()
			return nil, mapErr(err)
		}
		if c != p {
			parents[c] = append(parents[c], p)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, mapErr(err)
	}
	// On PostgreSQL the tables that name a household by id check it with
	// triggers, households being partitioned (partitions.go): they come
	// after households as they did when those were foreign keys.
	for _, t := range householdRefs {
		parents[t] = append(parents[t], "households")
	}
	// So do households' own round and village (household_keys.go).
	parents["households"] = append(parents["households"], householdParents...)
	var out []pgTable
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(string) error
	visit = func(n string) error {
		switch state[n] {
		case 1:
			return fmt.Errorf("the foreign keys of table %s form a cycle", n)
		case 2:
			return nil
		}
		state[n] = 1
		ps := parents[n]
		sort.Strings(ps)
		for _, p := range ps {
			if byName[p] != nil {
				if err := visit(p); err != nil {
					return err
				}
			}
		}
		state[n] = 2
		out = append(out, *byName[n])
		return nil
	}
	for _, n := range names {
		if err := visit(n); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// tableChecksum is the row count and a checksum of a table's rows computed
// by the server: the md5 of each row's text, its columns taken in name
// order, summed as two 64-bit halves. A sum does not depend on the order
// rows are read in, nor the column order, nor on how the table is stored
// (partitions, TOAST, compression), only on what it holds.
func tableChecksum(ctx context.Context, q querier, table string, cols []string, where string, args ...any) (int64, string, error) {
	sorted := append([]string(nil), cols...)
	sort.Strings(sorted)
	quoted := make([]string, len(sorted))
	for i, c := range sorted {
		quoted[i] = quoteIdent(c)
	}
	query := `SELECT count(*), coalesce(sum(('x' || substr(h, 1, 16))::bit(64)::bigint::numeric), 0)::text,
		coalesce(sum(('x' || substr(h, 17, 16))::bit(64)::bigint::numeric), 0)::text
		FROM (SELECT md5(ROW(` + strings.Join(quoted, ", ") + `)::text) AS h FROM ` + quoteIdent(table) + ` ` + where + `) x`
	var n int64
	var a, b string
	if err := q.QueryRowContext(ctx, query, args...).Scan(&n, &a, &b); err != nil {
		return 0, "", fmt.Errorf("checksum of %s: %w", table, mapErr(err))
	}
	return n, a + ":" + b, nil
}

// roundDigests computes the statistics digest of every round.
func roundDigests(ctx context.Context, q querier) ([]BackupRound, error) {
	rows, err := q.QueryContext(ctx, `SELECT r.id, coalesce((SELECT households FROM area_stats s WHERE s.round_id = r.id AND s.area_code = 'TH'),
		(SELECT sum(households) FROM area_stats s WHERE s.round_id = r.id AND length(s.area_code) = 2), 0) FROM rounds r ORDER BY r.id`)
	if err != nil {
		return nil, mapErr(err)
	}
	var out []BackupRound
	for rows.Next() {
		var r BackupRound
		if err := rows.Scan(&r.ID, &r.Households); err != nil {
			rows.Close()
			return nil, mapErr(err)
		}
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, mapErr(err)
	}
	cols, err := tableColumns(ctx, q, "area_stats")
	if err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Areas, out[i].Stats, err = tableChecksum(ctx, q, "area_stats", cols, "WHERE round_id = $1", out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func tableColumns(ctx context.Context, q querier, table string) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT attname FROM pg_attribute
		WHERE attrelid = (quote_ident(current_schema()) || '.' || quote_ident($1))::regclass
		  AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum`, table)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, mapErr(err)
		}
		cols = append(cols, c)
	}
	return cols, mapErr(rows.Err())
}

// sequences lists the sequences of the current schema with where they stand.
func sequences(ctx context.Context, q querier) ([]BackupSeq, error) {
	rows, err := q.QueryContext(ctx, `SELECT c.relname FROM pg_class c
		WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND c.relkind = 'S' ORDER BY c.relname`)
	if err != nil {
		return nil, mapErr(err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, mapErr(err)
		}
		names = append(names, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, mapErr(err)
	}
	var out []BackupSeq
	for _, n := range names {
		sq := BackupSeq{Name: n}
		if err := q.QueryRowContext(ctx, "SELECT last_value, is_called FROM "+quoteIdent(n)).Scan(&sq.Value, &sq.IsCalled); err != nil {
			return nil, mapErr(err)
		}
		out = append(out, sq)
	}
	return out, nil
}

// backupPostgres writes the backup file at path (already created, empty,
// 0600) from one snapshot.
func (s *Store) backupPostgres(ctx context.Context, path string) (err error) {
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return mapErr(err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return mapErr(err)
	}
	defer tx.Rollback()
	if err := execAll(ctx, tx, snapshotSettings); err != nil {
		return err
	}
	m := BackupManifest{Format: 1, Tambon: BackupVersion, TakenAt: formatTime(s.now())}
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&m.Schema); err != nil {
		return mapErr(err)
	}
	if err := tx.QueryRowContext(ctx, "SHOW server_version").Scan(&m.Server); err != nil {
		return mapErr(err)
	}
	tables, err := catalogTables(ctx, tx)
	if err != nil {
		return err
	}
	for _, t := range tables {
		n, sum, err := tableChecksum(ctx, tx, t.name, t.cols, "")
		if err != nil {
			return err
		}
		m.Tables = append(m.Tables, BackupTable{Name: t.name, Columns: t.cols, Rows: n, Checksum: sum})
	}
	if m.Sequences, err = sequences(ctx, tx); err != nil {
		return err
	}
	if m.Rounds, err = roundDigests(ctx, tx); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	zw, _ := gzip.NewWriterLevel(f, gzip.BestSpeed)
	w := bufio.NewWriterSize(zw, 1<<20)
	js, err := json.Marshal(m)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s\n%s\n", backupMagic, js)
	for _, t := range m.Tables {
		fmt.Fprintf(w, "TABLE %s\n", t.Name)
		h := &hashCount{w: w, h: sha256.New()}
		cols := make([]string, len(t.Columns))
		for i, c := range t.Columns {
			cols[i] = quoteIdent(c)
		}
		copySQL := "COPY (SELECT " + strings.Join(cols, ", ") + " FROM " + quoteIdent(t.Name) + ") TO STDOUT"
		err := conn.Raw(func(dc any) error {
			pc, ok := dc.(*stdlib.Conn)
			if !ok {
				return fmt.Errorf("not a PostgreSQL connection (%T)", dc)
			}
			_, err := pc.Conn().PgConn().CopyTo(ctx, h, copySQL)
			return err
		})
		if err != nil {
			return fmt.Errorf("copy %s: %w", t.Name, mapErr(err))
		}
		if h.rows != t.Rows {
			return fmt.Errorf("copy %s: %d rows written, the snapshot counted %d", t.Name, h.rows, t.Rows)
		}
		fmt.Fprintf(w, "\\.\nSUM %s %d %s\n", t.Name, h.rows, hex.EncodeToString(h.h.Sum(nil)))
	}
	fmt.Fprintf(w, "END\n")
	if err := w.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}

// hashCount passes bytes on while hashing them and counting lines.
type hashCount struct {
	w    io.Writer
	h    hash.Hash
	rows int64
}

func (c *hashCount) Write(p []byte) (int, error) {
	c.h.Write(p)
	c.rows += int64(bytes.Count(p, []byte{'\n'}))
	return c.w.Write(p)
}

// IsPostgresBackup reports whether the file at path is a PostgreSQL backup
// tambon wrote (a gzip stream), as opposed to a SQLite one.
func IsPostgresBackup(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	var b [2]byte
	if _, err := io.ReadFull(f, b[:]); err != nil {
		return false
	}
	return b[0] == 0x1f && b[1] == 0x8b
}

// backupReader reads a PostgreSQL backup section by section.
type backupReader struct {
	name string
	f    *os.File
	zr   *gzip.Reader
	r    *bufio.Reader
	m    BackupManifest
}

func backupDamaged(name, why string, args ...any) error {
	w := fmt.Sprintf(why, args...)
	return apperr.New(apperr.Invalid, apperr.Tf("ไฟล์สำรอง %s เสียหายหรือไม่ครบ: %s", "the backup %s is damaged or incomplete: %s", name, w))
}

func openBackup(path string) (*backupReader, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.NotFound, apperr.Tf("ไม่พบไฟล์สำรอง %s", "the backup %s does not exist", path))
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		f.Close()
		return nil, backupDamaged(path, "not a tambon backup (%v)", err)
	}
	br := &backupReader{name: path, f: f, zr: zr, r: bufio.NewReaderSize(zr, 1<<20)}
	line, err := br.line()
	if err != nil || line != backupMagic {
		br.Close()
		return nil, backupDamaged(path, "not a tambon backup")
	}
	js, err := br.line()
	if err != nil {
		br.Close()
		return nil, backupDamaged(path, "no manifest")
	}
	if err := json.Unmarshal([]byte(js), &br.m); err != nil || br.m.Format != 1 {
		br.Close()
		return nil, backupDamaged(path, "the manifest cannot be read (%v)", err)
	}
	return br, nil
}

func (br *backupReader) Close() { br.zr.Close(); br.f.Close() }

// line reads one line without its newline; a file that ends before the
// newline is truncated.
func (br *backupReader) line() (string, error) {
	s, err := br.r.ReadString('\n')
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return "", err
	}
	return strings.TrimSuffix(s, "\n"), nil
}

// section streams the rows of the next table, which must be t, to w, and
// checks them against its SUM line and the manifest.
func (br *backupReader) section(t BackupTable, w io.Writer) error {
	head, err := br.line()
	if err != nil {
		return backupDamaged(br.name, "it ends before table %s (%v)", t.Name, err)
	}
	if head != "TABLE "+t.Name {
		return backupDamaged(br.name, "table %s is missing (found %.40q)", t.Name, head)
	}
	h := sha256.New()
	var rows int64
	for {
		b, err := br.r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			// A row longer than the buffer: gather it whole (copying
			// the start first, as reading on reuses the buffer).
			first := append([]byte(nil), b...)
			rest, err2 := br.r.ReadBytes('\n')
			b = append(first, rest...)
			err = err2
		}
		if err != nil {
			return backupDamaged(br.name, "it ends inside table %s (%v)", t.Name, err)
		}
		if len(b) == 3 && b[0] == '\\' && b[1] == '.' {
			break
		}
		h.Write(b)
		rows++
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	sum, err := br.line()
	if err != nil {
		return backupDamaged(br.name, "it ends after table %s (%v)", t.Name, err)
	}
	want := fmt.Sprintf("SUM %s %d %s", t.Name, rows, hex.EncodeToString(h.Sum(nil)))
	if sum != want {
		return backupDamaged(br.name, "the rows of table %s are not the rows written (%d rows read)", t.Name, rows)
	}
	if rows != t.Rows {
		return backupDamaged(br.name, "table %s has %d rows, the manifest says %d", t.Name, rows, t.Rows)
	}
	return nil
}

// end checks that the file ends where it should.
func (br *backupReader) end() error {
	l, err := br.line()
	if err != nil || l != "END" {
		return backupDamaged(br.name, "it does not end where the manifest says")
	}
	if _, err := br.r.ReadByte(); err != io.EOF {
		return backupDamaged(br.name, "there is more after its end")
	}
	return nil
}

// VerifyPostgresBackup reads a PostgreSQL backup through without a
// database: the file is whole, every table the manifest lists is there with
// as many rows as it says and the bytes the backup wrote. It returns the
// manifest. (A restore checks the rows' content again, on the server.)
func VerifyPostgresBackup(path string) (BackupManifest, error) {
	br, err := openBackup(path)
	if err != nil {
		return BackupManifest{}, err
	}
	defer br.Close()
	for _, t := range br.m.Tables {
		if err := br.section(t, io.Discard); err != nil {
			return br.m, err
		}
	}
	return br.m, br.end()
}

// RestoreOptions tune RestorePostgres.
type RestoreOptions struct {
	// Replace drops every table already in the target schema first;
	// without it a restore into a database that holds anything is refused.
	Replace bool
}

// RestorePostgres loads a PostgreSQL backup into the database s is open on,
// in one transaction: the schema is built by tambon's migrations up to the
// backup's version, the rows are copied in, and every table's row count and
// checksum and every round's statistics digest are compared with the
// manifest. Anything that differs rolls it all back, so the database is
// left as it was; what differs is listed in the error. On success the
// schema is migrated on to this binary's version and the meta key
// restore_state reads "verifying": the caller runs the statistics check and
// then calls MarkRestore.
func (s *Store) RestorePostgres(ctx context.Context, path string, opts RestoreOptions) (BackupManifest, error) {
	if s.dialect != dialectPostgres {
		return BackupManifest{}, apperr.New(apperr.Invalid, apperr.T(
			"ไฟล์สำรองนี้มาจาก PostgreSQL กู้คืนได้เฉพาะลงฐานข้อมูล PostgreSQL", "this backup is of PostgreSQL, and restores only into PostgreSQL"))
	}
	// Read the file through once first: a damaged file is refused before
	// the database is touched.
	m, err := VerifyPostgresBackup(path)
	if err != nil {
		return m, err
	}
	ms, err := migrations()
	if err != nil {
		return m, err
	}
	if m.Schema > SchemaVersion() {
		return m, apperr.New(apperr.Conflict, apperr.Tf(
			"ไฟล์สำรองใช้โครงสร้างรุ่น %d ใหม่กว่าที่ tambon รุ่นนี้รู้จัก (%d): ใช้ tambon รุ่นใหม่กว่า",
			"the backup has schema version %d, newer than this tambon knows (%d): use a newer tambon", m.Schema, SchemaVersion()))
	}
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return m, mapErr(err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return m, mapErr(err)
	}
	defer tx.Rollback()
	if err := execAll(ctx, tx, snapshotSettings); err != nil {
		return m, err
	}
	var existing []string
	rows, err := tx.QueryContext(ctx, `SELECT relname FROM pg_class
		WHERE relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND relkind IN ('r', 'p', 'v', 'm', 'S', 'f') ORDER BY relname`)
	if err != nil {
		return m, mapErr(err)
	}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		existing = append(existing, n)
	}
	rows.Close()
	if len(existing) > 0 {
		if !opts.Replace {
			return m, apperr.New(apperr.Conflict, apperr.Tf(
				"ฐานข้อมูลปลายทางไม่ว่าง (มี %d ตาราง/ลำดับ เช่น %s): กู้คืนลงฐานข้อมูลว่าง หรือสั่ง --replace เพื่อลบของเดิมทิ้งก่อน",
				"the target database is not empty (it has %d tables or sequences, e.g. %s): restore into an empty database, or give --replace to drop what is there first",
				len(existing), existing[0]))
		}
		if _, err := tx.ExecContext(ctx, `DO $$ DECLARE r record; BEGIN
			FOR r IN SELECT relname, relkind FROM pg_class WHERE relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
			         AND relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT relispartition LOOP
				EXECUTE CASE r.relkind WHEN 'v' THEN 'DROP VIEW IF EXISTS ' WHEN 'm' THEN 'DROP MATERIALIZED VIEW IF EXISTS '
				        WHEN 'f' THEN 'DROP FOREIGN TABLE IF EXISTS ' ELSE 'DROP TABLE IF EXISTS ' END || quote_ident(r.relname) || ' CASCADE';
			END LOOP;
			FOR r IN SELECT relname FROM pg_class WHERE relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND relkind = 'S' LOOP
				EXECUTE 'DROP SEQUENCE IF EXISTS ' || quote_ident(r.relname) || ' CASCADE';
			END LOOP; END $$`); err != nil {
			return m, fmt.Errorf("drop what the target held: %w", mapErr(err))
		}
	}
	// The schema, as the backup's tambon had it.
	if _, err := tx.ExecContext(ctx, `CREATE TABLE schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return m, mapErr(err)
	}
	reached := 0
	for _, mg := range ms {
		if mg.version > m.Schema {
			break
		}
		if err := s.run(ctx, tx, mg); err != nil {
			return m, err
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
			mg.version, mg.name, formatTime(s.now())); err != nil {
			return m, mapErr(err)
		}
		reached = mg.version
	}
	if reached != m.Schema {
		return m, backupDamaged(path, "schema version %d is not one tambon has", m.Schema)
	}
	// The tables must be the backup's, no more, no fewer.
	tables, err := catalogTables(ctx, tx)
	if err != nil {
		return m, err
	}
	var diffs []string
	inBackup := map[string]BackupTable{}
	for _, t := range m.Tables {
		inBackup[t.Name] = t
	}
	var names []string
	for _, t := range tables {
		names = append(names, quoteIdent(t.name))
		bt, ok := inBackup[t.name]
		if !ok {
			diffs = append(diffs, fmt.Sprintf("table %s: not in the backup / ไม่มีในไฟล์สำรอง", t.name))
			continue
		}
		delete(inBackup, t.name)
		if strings.Join(sortedCopy(bt.Columns), ",") != strings.Join(sortedCopy(t.cols), ",") {
			diffs = append(diffs, fmt.Sprintf("table %s: columns %v in the backup, %v in schema version %d / คอลัมน์ไม่ตรงกัน",
				t.name, bt.Columns, t.cols, m.Schema))
		}
	}
	for n := range inBackup {
		diffs = append(diffs, fmt.Sprintf("table %s: in the backup but not in schema version %d / มีในไฟล์สำรองแต่ไม่มีในโครงสร้าง", n, m.Schema))
	}
	if len(diffs) > 0 {
		return m, verifyFailed(path, diffs)
	}
	// Migrations may have put rows in (settings, lists): the backup's rows
	// replace them.
	if len(names) > 0 {
		if _, err := tx.ExecContext(ctx, "TRUNCATE "+strings.Join(names, ", ")); err != nil {
			return m, mapErr(err)
		}
	}
	br, err := openBackup(path)
	if err != nil {
		return m, err
	}
	defer br.Close()
	for _, t := range br.m.Tables {
		if t.Name == "households" {
			// Partitioned households (migration 0027) take rows only into
			// the partitions of rounds, which COPY into rounds did not make.
			if done, err := householdsPartitioned(ctx, tx); err != nil {
				return m, err
			} else if done {
				if err := partitionRounds(ctx, tx); err != nil {
					return m, err
				}
			}
		}
		if err := copySection(ctx, conn, br, t); err != nil {
			return m, err
		}
	}
	if err := br.end(); err != nil {
		return m, err
	}
	for _, sq := range m.Sequences {
		if _, err := tx.ExecContext(ctx, "SELECT setval($1::regclass, $2, $3)", quoteIdent(sq.Name), sq.Value, sq.IsCalled); err != nil {
			diffs = append(diffs, fmt.Sprintf("sequence %s: %v", sq.Name, mapErr(err)))
		}
	}
	diffs = append(diffs, compareManifest(ctx, tx, m)...)
	if len(diffs) > 0 {
		return m, verifyFailed(path, diffs)
	}
	for _, kv := range [][2]string{{"restore_state", "verifying: " + filepath.Base(path)}, {"restore_state_at", s.now().UTC().Format(time.RFC3339)}} {
		if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ($1, $2)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, kv[0], kv[1]); err != nil {
			return m, mapErr(err)
		}
	}
	if err := tx.Commit(); err != nil {
		return m, mapErr(err)
	}
	conn.Close()
	if m.Schema < SchemaVersion() {
		if _, err := s.Migrate(ctx); err != nil {
			s.MarkRestore(ctx, "failed: "+err.Error())
			return m, err
		}
	}
	return m, nil
}

// copySection copies the next table of br into the database on conn.
func copySection(ctx context.Context, conn *sql.Conn, br *backupReader, t BackupTable) error {
	cols := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		cols[i] = quoteIdent(c)
	}
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		err := br.section(t, pw)
		pw.CloseWithError(err)
		done <- err
	}()
	copyErr := conn.Raw(func(dc any) error {
		pc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("not a PostgreSQL connection (%T)", dc)
		}
		_, err := pc.Conn().PgConn().CopyFrom(ctx, pr, "COPY "+quoteIdent(t.Name)+" ("+strings.Join(cols, ", ")+") FROM STDIN")
		return err
	})
	pr.CloseWithError(io.ErrClosedPipe) // let the reader stop if COPY ended early
	readErr := <-done
	if readErr != nil && !errors.Is(readErr, io.ErrClosedPipe) {
		return readErr // the file is damaged: say so rather than what COPY made of it
	}
	if copyErr != nil {
		return apperr.Wrap(copyErr, apperr.Invalid, apperr.Tf(
			"ใส่แถวของตาราง %s ไม่ได้", "cannot load the rows of table %s", t.Name))
	}
	return readErr
}

// compareManifest recomputes on the server what the manifest records and
// lists what differs.
func compareManifest(ctx context.Context, q querier, m BackupManifest) []string {
	var diffs []string
	for _, t := range m.Tables {
		n, sum, err := tableChecksum(ctx, q, t.Name, t.Columns, "")
		switch {
		case err != nil:
			diffs = append(diffs, fmt.Sprintf("table %s: %v", t.Name, err))
		case n != t.Rows:
			diffs = append(diffs, fmt.Sprintf("table %s: %d rows, the manifest says %d / จำนวนแถวไม่ตรงกับบัญชีไฟล์", t.Name, n, t.Rows))
		case sum != t.Checksum:
			diffs = append(diffs, fmt.Sprintf("table %s: the rows' checksum differs from the manifest / ผลรวมตรวจสอบของแถวไม่ตรงกับบัญชีไฟล์", t.Name))
		}
	}
	rounds, err := roundDigests(ctx, q)
	if err != nil {
		return append(diffs, err.Error())
	}
	got := map[string]BackupRound{}
	for _, r := range rounds {
		got[r.ID] = r
	}
	for _, r := range m.Rounds {
		g, ok := got[r.ID]
		switch {
		case !ok:
			diffs = append(diffs, fmt.Sprintf("round %s: missing / ไม่มีรอบสำรวจนี้", r.ID))
		case g != r:
			diffs = append(diffs, fmt.Sprintf("round %s: statistics (%d areas, %d households) differ from the manifest's (%d areas, %d households) / สถิติของรอบไม่ตรงกับบัญชีไฟล์",
				r.ID, g.Areas, g.Households, r.Areas, r.Households))
		}
		delete(got, r.ID)
	}
	for id := range got {
		diffs = append(diffs, fmt.Sprintf("round %s: not in the manifest / ไม่มีในบัญชีไฟล์", id))
	}
	return diffs
}

func verifyFailed(path string, diffs []string) error {
	sort.Strings(diffs)
	const most = 20
	more := ""
	if len(diffs) > most {
		more = fmt.Sprintf("\n… %d more / อีก %d รายการ", len(diffs)-most, len(diffs)-most)
		diffs = diffs[:most]
	}
	return apperr.New(apperr.Conflict, apperr.Tf(
		"การกู้คืนจาก %s ไม่ผ่านการตรวจสอบ จึงยกเลิกทั้งหมด (ฐานข้อมูลยังเป็นอย่างเดิม) สิ่งที่ต่างกัน:\n%s%s",
		"the restore from %s failed verification and was rolled back (the database is as it was); what differs:\n%s%s",
		path, strings.Join(diffs, "\n"), more))
}

func sortedCopy(s []string) []string {
	c := append([]string(nil), s...)
	sort.Strings(c)
	return c
}

// WithScratchSchema creates an empty schema with a new name in the
// PostgreSQL database at dsn, calls fn with a DSN that uses it, and drops
// it with everything in it afterwards, whatever fn returned.
func WithScratchSchema(ctx context.Context, dsn string, fn func(dsn string) error) error {
	u, err := url.Parse(dsn)
	if err != nil || !IsPostgres(dsn) {
		return apperr.New(apperr.Invalid, apperr.T("--db ต้องเป็น postgres://…", "--db must be a postgres:// URL"))
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "tambon_verify_" + hex.EncodeToString(b[:])
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return mapErr(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "CREATE SCHEMA "+schema); err != nil {
		return apperr.Wrap(mapErr(err), apperr.Unavailable, apperr.T(
			"สร้างพื้นที่ชั่วคราวสำหรับตรวจไฟล์สำรองไม่ได้", "cannot create a scratch schema to verify the backup in"))
	}
	defer db.ExecContext(context.WithoutCancel(ctx), "DROP SCHEMA "+schema+" CASCADE")
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return fn(u.String())
}
