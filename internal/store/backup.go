package store

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"

	"tambon/internal/apperr"
)

// Backup writes a consistent copy of the database to path while it stays in
// use. SQLite uses VACUUM INTO, which reads one snapshot and writes a compact
// file; PostgreSQL gets tambon's own backup file, written from one snapshot
// with a manifest of checksums (backup_postgres.go). The copy is written beside path and renamed into place,
// so a crash never leaves a half-written backup under the final name. The
// backup holds what the database holds (names, citizen IDs), so only its
// owner may read it (0600).
func (s *Store) Backup(ctx context.Context, path string) error {
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".partial")
	os.Remove(tmp)
	// VACUUM INTO writes into an existing empty file, which
	// keeps the permissions it was created with.
	if f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600); err != nil {
		return apperr.Wrap(err, apperr.Unavailable, apperr.Tf("สำรองข้อมูลไปที่ %s ไม่ได้", "cannot write the backup %s", path))
	} else {
		f.Close()
	}
	if s.dialect == dialectPostgres {
		if err := s.backupPostgres(ctx, tmp); err != nil {
			os.Remove(tmp)
			return apperr.Wrap(err, apperr.Unavailable, apperr.Tf("สำรองข้อมูลไปที่ %s ไม่ได้", "cannot write the backup %s", path))
		}
	} else {
		if _, err := s.write.ExecContext(ctx, "VACUUM INTO $1", tmp); err != nil {
			os.Remove(tmp)
			return apperr.Wrap(err, apperr.Unavailable, apperr.Tf("สำรองข้อมูลไปที่ %s ไม่ได้", "cannot write the backup %s", path))
		}
	}
	if err := syncFile(tmp); err != nil {
		os.Remove(tmp)
		return apperr.Wrap(err, apperr.Unavailable, apperr.Tf("สำรองข้อมูลไปที่ %s ไม่ได้", "cannot write the backup %s", path))
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return apperr.Wrap(err, apperr.Unavailable, apperr.Tf("สำรองข้อมูลไปที่ %s ไม่ได้", "cannot write the backup %s", path))
	}
	syncDir(filepath.Dir(path))
	return nil
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// syncDir makes a rename in dir survive a power cut. Windows cannot sync a
// folder (its rename is journaled instead), so failing here is not an error.
func syncDir(dir string) {
	if f, err := os.Open(dir); err == nil {
		f.Sync()
		f.Close()
	}
}

// VerifyBackup opens a SQLite backup read-only and checks it before anyone
// trusts it: the file's integrity, a schema this binary knows, and the tables
// it must have. It returns the schema version and the row count of every
// table.
func VerifyBackup(ctx context.Context, path string) (int, map[string]int64, error) {
	return verifyBackup(ctx, path, path)
}

// verifyBackup checks the SQLite file at path, naming it as name in what it
// says (a restore checks its copy of the backup, and names the backup).
func verifyBackup(ctx context.Context, path, name string) (int, map[string]int64, error) {
	if _, err := os.Stat(path); err != nil {
		return 0, nil, apperr.Wrap(err, apperr.NotFound, apperr.Tf("ไม่พบไฟล์สำรอง %s", "the backup %s does not exist", name))
	}
	b, err := Open(ctx, path, Options{ReadOnly: true})
	if err != nil {
		if apperr.CodeOf(err) == apperr.Invalid || errors.Is(err, ErrDamaged) {
			return 0, nil, apperr.Wrap(err, apperr.Invalid, apperr.Tf(
				"ไฟล์สำรอง %s ไม่ใช่ฐานข้อมูล SQLite หรือเสียหาย", "the backup %s is not a SQLite database, or it is damaged", name))
		}
		return 0, nil, err
	}
	defer b.Close()
	var ok string
	if err := b.read.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
		return 0, nil, apperr.Wrap(err, apperr.Invalid, apperr.Tf("ไฟล์สำรอง %s เสียหาย (%s)", "the backup %s is damaged (%s)", name, ok))
	}
	if err := b.CheckVersion(ctx); err != nil {
		return 0, nil, err
	}
	v, err := b.Version(ctx)
	if err != nil || v == 0 {
		return 0, nil, apperr.Wrap(err, apperr.Invalid, apperr.Tf("ไฟล์ %s ไม่ใช่ฐานข้อมูล tambon", "%s is not a tambon database", name))
	}
	counts, err := b.TableCounts(ctx)
	return v, counts, err
}

// TableCounts returns the number of rows in every table, for comparing a
// database with its backup.
func (s *Store) TableCounts(ctx context.Context) (map[string]int64, error) {
	cols, err := s.Columns(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]int64{}
	for t := range cols {
		var n int64
		if err := s.read.QueryRowContext(ctx, "SELECT count(*) FROM "+quoteIdent(t)).Scan(&n); err != nil {
			return nil, mapErr(err)
		}
		out[t] = n
	}
	return out, nil
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// RestoreSQLite replaces the SQLite database at dbPath with a verified
// backup, and returns the row count of every table it now holds. It is
// refused while any tambon has dbPath open (a server would go on writing
// into the replaced file, and lose all of it). The backup is copied beside
// the database, the copy verified and synced, the old database's WAL folded
// into it, and the copy renamed over it, so the result is either the old
// database or the backup, never a mix.
func RestoreSQLite(ctx context.Context, backup, dbPath string) (map[string]int64, error) {
	if IsPostgres(dbPath) {
		return nil, apperr.New(apperr.Invalid, apperr.T(
			"ไฟล์สำรอง SQLite กู้คืนได้เฉพาะลงไฟล์ SQLite (ยังแปลงข้ามไป PostgreSQL ไม่ได้)", "a SQLite backup restores only into a SQLite file (not into PostgreSQL)"))
	}
	if _, err := os.Stat(backup); err != nil {
		return nil, apperr.Wrap(err, apperr.NotFound, apperr.Tf("ไม่พบไฟล์สำรอง %s", "the backup %s does not exist", backup))
	}
	lock, err := lockDB(dbPath, true)
	if err != nil {
		return nil, err
	}
	defer lock.Close()
	tmp := dbPath + ".restoring"
	removeAll := func() {
		for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
			os.Remove(tmp + suffix)
		}
	}
	removeAll()
	if err := copyFile(backup, tmp); err != nil {
		removeAll()
		return nil, apperr.Wrap(err, apperr.Unavailable, apperr.Tf("เขียน %s ไม่ได้", "cannot write %s", tmp))
	}
	// Verify the copy, which is what goes into place, not the file it came
	// from.
	_, counts, err := verifyBackup(ctx, tmp, backup)
	if err != nil {
		removeAll()
		return nil, err
	}
	checkpoint(ctx, dbPath)
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		os.Remove(dbPath + suffix)
		os.Remove(tmp + suffix)
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		removeAll()
		return nil, apperr.Wrap(err, apperr.Unavailable, apperr.Tf("แทนที่ %s ไม่ได้", "cannot replace %s", dbPath))
	}
	syncDir(filepath.Dir(dbPath))
	return counts, nil
}

// checkpoint folds the WAL of the SQLite database at path into the file, so
// that removing the WAL loses nothing should the restore stop before the
// rename (a server that crashed leaves its last commits there). Nobody else
// has the file open: the caller holds the exclusive lock. A file that cannot
// be opened has no WAL worth keeping.
func checkpoint(ctx context.Context, path string) {
	if _, err := os.Stat(path + "-wal"); err != nil {
		return
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=rw")
	if err != nil {
		return
	}
	defer db.Close()
	db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
}

// copyFile streams src to a new file dst and syncs it.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
