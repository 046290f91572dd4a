package store

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"tambon/internal/apperr"
)

// Backup writes a consistent copy of the database to path while it stays in
// use. SQLite uses VACUUM INTO, which reads one snapshot and writes a compact
// file; PostgreSQL calls pg_dump (custom format) when it is installed and says
// so when it is not. The copy is written beside path and renamed into place,
// so a crash never leaves a half-written backup under the final name.
func (s *Store) Backup(ctx context.Context, path string) error {
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".partial")
	os.Remove(tmp)
	if s.dialect == dialectPostgres {
		dump, err := exec.LookPath("pg_dump")
		if err != nil {
			return apperr.New(apperr.Unavailable, apperr.T(
				"ไม่พบโปรแกรม pg_dump: ติดตั้ง postgresql-client เพื่อสำรองฐานข้อมูล PostgreSQL",
				"pg_dump is not installed: install postgresql-client to back up a PostgreSQL database"))
		}
		out, err := exec.CommandContext(ctx, dump, "--format=custom", "--no-owner", "--file="+tmp, s.dsn).CombinedOutput()
		if err != nil {
			os.Remove(tmp)
			return apperr.Wrap(fmt.Errorf("%v: %s", err, strings.TrimSpace(string(out))), apperr.Unavailable,
				apperr.T("pg_dump ทำงานไม่สำเร็จ", "pg_dump failed"))
		}
	} else {
		if _, err := s.write.ExecContext(ctx, "VACUUM INTO $1", tmp); err != nil {
			os.Remove(tmp)
			return apperr.Wrap(err, apperr.Unavailable, apperr.Tf("สำรองข้อมูลไปที่ %s ไม่ได้", "cannot write the backup %s", path))
		}
	}
	if err := syncFile(tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return apperr.Wrap(err, apperr.Unavailable, apperr.Tf("สำรองข้อมูลไปที่ %s ไม่ได้", "cannot write the backup %s", path))
	}
	return nil
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// VerifyBackup opens a SQLite backup read-only and checks it before anyone
// trusts it: the file's integrity, a schema this binary knows, and the tables
// it must have. It returns the schema version and the row count of every
// table.
func VerifyBackup(ctx context.Context, path string) (int, map[string]int64, error) {
	if _, err := os.Stat(path); err != nil {
		return 0, nil, apperr.Wrap(err, apperr.NotFound, apperr.Tf("ไม่พบไฟล์สำรอง %s", "the backup %s does not exist", path))
	}
	b, err := Open(ctx, path, Options{ReadOnly: true})
	if err != nil {
		return 0, nil, err
	}
	defer b.Close()
	var ok string
	if err := b.read.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&ok); err != nil || ok != "ok" {
		return 0, nil, apperr.Wrap(err, apperr.Invalid, apperr.Tf("ไฟล์สำรอง %s เสียหาย (%s)", "the backup %s is damaged (%s)", path, ok))
	}
	if err := b.CheckVersion(ctx); err != nil {
		return 0, nil, err
	}
	v, err := b.Version(ctx)
	if err != nil || v == 0 {
		return 0, nil, apperr.Wrap(err, apperr.Invalid, apperr.Tf("ไฟล์ %s ไม่ใช่ฐานข้อมูล tambon", "%s is not a tambon database", path))
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
// backup. The backup is checked first, copied beside the database and renamed
// over it, and the old file's WAL and shared-memory files are removed, so the
// result is either the old database or the backup, never a mix. No server may
// be using dbPath.
func RestoreSQLite(ctx context.Context, backup, dbPath string) (map[string]int64, error) {
	if IsPostgres(dbPath) {
		return nil, apperr.New(apperr.Invalid, apperr.T(
			"การกู้คืน PostgreSQL ใช้ pg_restore กับไฟล์ที่ได้จาก tambon backup", "restore PostgreSQL with pg_restore from the file tambon backup wrote"))
	}
	_, counts, err := VerifyBackup(ctx, backup)
	if err != nil {
		return nil, err
	}
	tmp := dbPath + ".restoring"
	if err := copyFile(backup, tmp); err != nil {
		os.Remove(tmp)
		return nil, apperr.Wrap(err, apperr.Unavailable, apperr.Tf("เขียน %s ไม่ได้", "cannot write %s", tmp))
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		os.Remove(dbPath + suffix)
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, apperr.Tf("แทนที่ %s ไม่ได้", "cannot replace %s", dbPath))
	}
	return counts, nil
}

// copyFile streams src to a new file dst and syncs it.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
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
