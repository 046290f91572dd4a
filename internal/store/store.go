// Package store keeps tambon's data in SQL: an embedded SQLite file by default,
// PostgreSQL when the DSN says postgres://. One schema, one set of queries; the
// few places where the two dialects differ are in dialect.go.
//
// SQLite runs with WAL, foreign keys and a busy timeout, one writer connection
// and a pool of readers, so reads never wait for a write. PostgreSQL uses one
// pool for both.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver

	"tambon/internal/apperr"
)

// Store is a handle on the database. It is safe for concurrent use.
type Store struct {
	dialect dialect
	write   *sql.DB // the only connection that writes (SQLite) or the shared pool (PostgreSQL)
	read    *sql.DB // readers; the same pool as write on PostgreSQL
	dsn     string
	now     func() time.Time
	lock    *os.File // the shared lock on a SQLite file (lock.go); nil otherwise
	// rowImport makes a PostgreSQL bulk import write row by row, as
	// SQLite does, instead of by COPY: the test that proves both paths
	// store the same sets it.
	rowImport bool
	streams   int // readers of a recompute (recomputeStreams); 0: the default
}

// Options tune Open. The zero value is good.
type Options struct {
	// Now is the clock; tests inject one. Defaults to time.Now.
	Now func() time.Time
	// ReadOnly opens without migrating and refuses writes (used by checks).
	ReadOnly bool
	// MustExist refuses a SQLite file that does not exist instead of
	// creating an empty database: commands that only read or change what is
	// there use it, so a mistyped --db says so.
	MustExist bool
}

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open connects to the database named by dsn — a SQLite file path or a
// postgres:// URL — and checks that it can be used. It does not migrate; call
// Migrate for that.
func Open(ctx context.Context, dsn string, opts Options) (*Store, error) {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	if IsPostgres(dsn) {
		return openPostgres(ctx, dsn, now)
	}
	return openSQLite(ctx, dsn, now, opts)
}

func openPostgres(ctx context.Context, dsn string, now func() time.Time) (*Store, error) {
	u, err := url.Parse(dsn)
	if err != nil || u.Host == "" {
		return nil, apperr.Wrap(err, apperr.Invalid, apperr.T(
			"ค่า --db ไม่ใช่ที่อยู่ PostgreSQL ที่ถูกต้อง (ตัวอย่าง postgres://user@127.0.0.1:5432/tambon)",
			"the --db value is not a valid PostgreSQL address (for example postgres://user@127.0.0.1:5432/tambon)"))
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, apperr.Tf(
			"เปิดฐานข้อมูล PostgreSQL ที่ %s ไม่ได้", "cannot open the PostgreSQL database at %s", u.Host))
	}
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	db.SetConnMaxIdleTime(5 * time.Minute)
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pctx); err != nil {
		db.Close()
		return nil, apperr.Wrap(err, apperr.Unavailable, apperr.Tf(
			"เชื่อมต่อ PostgreSQL ที่ %s ไม่ได้: %s", "cannot connect to PostgreSQL at %s: %s",
			u.Host, pgReason(err)))
	}
	return &Store{dialect: dialectPostgres, write: db, read: db, dsn: dsn, now: now}, nil
}

func openSQLite(ctx context.Context, path string, now func() time.Time, opts Options) (s *Store, err error) {
	if path == "" {
		return nil, apperr.New(apperr.Invalid, apperr.T("ไม่ได้ระบุไฟล์ฐานข้อมูล (--db)", "no database file given (--db)"))
	}
	readOnly := opts.ReadOnly
	memory := path == ":memory:" || strings.HasPrefix(path, "file::memory:")
	if !memory && (opts.MustExist || readOnly) {
		if err := checkExists(path); err != nil {
			return nil, err
		}
	}
	var lock *os.File
	if !memory && !readOnly {
		if err := checkWritable(path); err != nil {
			return nil, err
		}
		if lock, err = lockDB(path, false); err != nil {
			return nil, err
		}
		defer func() {
			if err != nil {
				lock.Close()
			}
		}()
		if err := createPrivate(path); err != nil {
			return nil, err
		}
	}
	pragmas := "_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	if readOnly && !memory {
		pragmas += "&mode=ro"
	} else if !memory {
		pragmas += "&_pragma=journal_mode(WAL)"
	}
	name := path
	if memory {
		// A shared in-memory database, so the writer and readers see the same data.
		name = fmt.Sprintf("file:mem%d?mode=memory&cache=shared", time.Now().UnixNano())
	} else {
		name = "file:" + path + "?"
		if !readOnly {
			// The file exists by now (createPrivate); SQLite must not create
			// another should it vanish.
			pragmas += "&mode=rw"
		}
	}
	sep := "&"
	if strings.HasSuffix(name, "?") {
		sep = ""
	}
	write, err := sql.Open("sqlite", name+sep+pragmas)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, apperr.Tf("เปิดไฟล์ฐานข้อมูล %s ไม่ได้", "cannot open the database file %s", path))
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	readMode := "&_pragma=query_only(1)"
	read, err := sql.Open("sqlite", name+sep+pragmas+readMode)
	if err != nil {
		write.Close()
		return nil, apperr.Wrap(err, apperr.Unavailable, apperr.Tf("เปิดไฟล์ฐานข้อมูล %s ไม่ได้", "cannot open the database file %s", path))
	}
	read.SetMaxOpenConns(8)
	read.SetMaxIdleConns(8)
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		read.Close()
		if err := openFailure(err, path); err != nil {
			return nil, err
		}
		return nil, apperr.Wrap(err, apperr.Unavailable, apperr.Tf(
			"ไฟล์ %s ใช้เป็นฐานข้อมูล SQLite ไม่ได้", "%s cannot be used as a SQLite database", path))
	}
	s = &Store{dialect: dialectSQLite, write: write, read: read, dsn: path, now: now, lock: lock}
	// A file that is not SQLite only fails at the first real query.
	var n int
	if err := write.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master").Scan(&n); err != nil {
		s.Close()
		if err := openFailure(err, path); err != nil {
			return nil, err
		}
		return nil, apperr.Wrap(err, apperr.Invalid, apperr.Tf(
			"ไฟล์ %s ไม่ใช่ฐานข้อมูล SQLite (หรือเสียหาย)", "%s is not a SQLite database (or it is damaged)", path))
	}
	return s, nil
}

// openFailure explains why a SQLite file could not be opened when the
// driver's code tells: a file that is not SQLite at all (most likely the
// wrong file), or a damaged database (restore a backup). It returns nil
// for other causes.
func openFailure(err error, path string) error {
	switch {
	case isNotADatabase(err):
		return apperr.Wrap(fmt.Errorf("%w: %w", ErrDamaged, err), apperr.Invalid, apperr.Tf(
			"ไฟล์ %s ไม่ใช่ฐานข้อมูล SQLite (หรือเสียหาย): ตรวจชื่อไฟล์ใน --db หรือถ้าเป็นฐานข้อมูลของ tambon ให้กู้คืนจากไฟล์สำรองด้วย tambon restore <ไฟล์สำรอง> --db %s",
			"%s is not a SQLite database (or it is damaged): check the name given to --db, or if it is tambon's database, restore it from a backup: tambon restore <backup file> --db %s",
			path, path))
	case isDamaged(err):
		return damaged(err, path)
	}
	return nil
}

// checkExists refuses a database file that is not there, naming it, rather
// than creating an empty database under a mistyped name.
func checkExists(path string) error {
	_, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return apperr.Wrap(err, apperr.NotFound, apperr.Tf(
			"ไม่พบไฟล์ฐานข้อมูล %s: ตรวจชื่อไฟล์ใน --db (หรือ TAMBON_DB) หรือสร้างฐานข้อมูลใหม่ด้วย tambon migrate --db %s",
			"the database file %s does not exist: check the name given to --db (or TAMBON_DB), or create a new database with tambon migrate --db %s",
			path, path))
	}
	if err != nil {
		return apperr.Wrap(err, apperr.Unavailable, apperr.Tf("อ่านไฟล์ฐานข้อมูล %s ไม่ได้", "cannot read the database file %s", path))
	}
	return nil
}

// createPrivate creates a missing database file readable and writable by
// its owner only (0600): it holds names and citizen IDs. SQLite gives the
// WAL and shared-memory files it makes beside it the same permissions.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil
	}
	if err != nil {
		return apperr.Wrap(err, apperr.Unavailable, apperr.Tf("สร้างไฟล์ฐานข้อมูล %s ไม่ได้", "cannot create the database file %s", path))
	}
	return f.Close()
}

// checkWritable refuses, in one sentence, a database file (or folder) that
// tambon could read but never write: SQLite would only fail at the first write.
func checkWritable(path string) error {
	dir := filepath.Dir(path)
	if fi, err := os.Stat(path); err == nil {
		if fi.IsDir() {
			return apperr.New(apperr.Invalid, apperr.Tf("%s เป็นโฟลเดอร์ ไม่ใช่ไฟล์ฐานข้อมูล", "%s is a folder, not a database file", path))
		}
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		if err != nil {
			return apperr.Wrap(err, apperr.Unavailable, apperr.Tf(
				"ไฟล์ฐานข้อมูล %s เขียนไม่ได้ (อ่านได้อย่างเดียว หรือไม่มีสิทธิ์): ตรวจสิทธิ์ของไฟล์ หรือใช้ --db ชี้ไปยังไฟล์อื่น",
				"the database file %s is not writable (read-only, or no permission): check its permissions or point --db at another file", path))
		}
		f.Close()
	} else if !errors.Is(err, os.ErrNotExist) {
		return apperr.Wrap(err, apperr.Unavailable, apperr.Tf("อ่านไฟล์ฐานข้อมูล %s ไม่ได้", "cannot read the database file %s", path))
	} else if _, err := os.Stat(dir); err != nil {
		return apperr.Wrap(err, apperr.Invalid, apperr.Tf("ไม่มีโฟลเดอร์ %s สำหรับไฟล์ฐานข้อมูล", "the folder %s for the database file does not exist", dir))
	}
	// WAL needs to create files beside the database.
	probe, err := os.CreateTemp(dir, ".tambon-write-check-*")
	if err != nil {
		return apperr.Wrap(err, apperr.Unavailable, apperr.Tf(
			"โฟลเดอร์ %s เขียนไม่ได้ ฐานข้อมูลต้องสร้างไฟล์ข้างๆ ได้", "the folder %s is not writable; the database needs to create files beside it", dir))
	}
	probe.Close()
	os.Remove(probe.Name())
	return nil
}

// Close releases the connections, then the lock on the database file.
func (s *Store) Close() error {
	err := s.write.Close()
	if s.read != s.write {
		if rerr := s.read.Close(); err == nil {
			err = rerr
		}
	}
	if s.lock != nil {
		s.lock.Close()
	}
	return err
}

// Dialect names the database kind: "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.dialect.name }

// Ping checks the database answers; /healthz uses it.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.read.PingContext(ctx); err != nil {
		return apperr.Wrap(err, apperr.Unavailable, apperr.T("ฐานข้อมูลไม่ตอบสนอง", "the database does not answer"))
	}
	return nil
}

// inTx runs fn in one write transaction: everything it writes commits
// together or not at all.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return mapErr(err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return mapErr(err)
	}
	return nil
}
