package store

import (
	"database/sql"
	"errors"
	"fmt"
	"net"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"tambon/internal/apperr"
)

// mapErr turns a driver error into an apperr by its code, never by its text:
// unique violations are conflicts, read-only databases are unavailable, a
// missing row is not found, a damaged file says to restore a backup.
// Anything else stays internal.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return err
	}
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.Wrap(err, apperr.NotFound, apperr.T("ไม่พบข้อมูล", "not found"))
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505":
			return apperr.Wrap(err, apperr.Conflict, apperr.T("มีข้อมูลนี้อยู่แล้ว", "this already exists"))
		case "23503":
			return apperr.Wrap(err, apperr.Invalid, apperr.T("อ้างถึงข้อมูลที่ไม่มีอยู่", "refers to something that does not exist"))
		case "25006":
			return apperr.Wrap(err, apperr.Unavailable, apperr.T("ฐานข้อมูลเปิดแบบอ่านอย่างเดียว", "the database is read-only"))
		}
		return err
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return apperr.Wrap(err, apperr.Conflict, apperr.T("มีข้อมูลนี้อยู่แล้ว", "this already exists"))
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return apperr.Wrap(err, apperr.Invalid, apperr.T("อ้างถึงข้อมูลที่ไม่มีอยู่", "refers to something that does not exist"))
		case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_READONLY_DBMOVED, sqlite3.SQLITE_READONLY_DIRECTORY:
			return apperr.Wrap(err, apperr.Unavailable, apperr.T("ไฟล์ฐานข้อมูลเขียนไม่ได้ (อ่านได้อย่างเดียว)", "the database file is read-only"))
		}
		if isDamaged(err) {
			return damaged(err, "")
		}
	}
	return err
}

// ErrDamaged is in the chain of every error that reports a damaged SQLite
// file (SQLITE_CORRUPT, SQLITE_NOTADB), beside the driver's own error, which
// only the log shows.
var ErrDamaged = errors.New("the database file is damaged")

// damaged says a SQLite file is damaged and how to recover, naming the file
// when path is given (the command line; web pages do not show paths).
func damaged(err error, path string) error {
	msg := apperr.T(
		"ไฟล์ฐานข้อมูลเสียหาย: กู้คืนจากไฟล์สำรองด้วย tambon restore <ไฟล์สำรอง> --db <ไฟล์ฐานข้อมูล> (แจ้งผู้ดูแลระบบ)",
		"the database file is damaged; restore it from a backup: tambon restore <backup file> --db <database file> (tell your administrator)")
	if path != "" {
		msg = apperr.Tf(
			"ไฟล์ฐานข้อมูล %s เสียหาย: กู้คืนจากไฟล์สำรองด้วย tambon restore <ไฟล์สำรอง> --db %s",
			"the database file %s is damaged; restore it from a backup: tambon restore <backup file> --db %s", path, path)
	}
	return apperr.Wrap(fmt.Errorf("%w: %w", ErrDamaged, err), apperr.Unavailable, msg)
}

// Explain turns an error that reached an adapter into what the user should
// read when its cause is a damaged database file, wherever in the store it
// was found: a corrupt page surfaces in whichever query reads it, and not
// every query maps its errors. Other errors are returned as they are.
func Explain(err error) error {
	if err == nil || errors.Is(err, ErrDamaged) || !isDamaged(err) {
		return err
	}
	if c := apperr.CodeOf(err); c != apperr.Internal && c != apperr.Unavailable {
		return err // already told the user something precise
	}
	return damaged(err, "")
}

// pgReason gives the short cause of a failed PostgreSQL connection: the
// network error (connection refused, no such host) or the server's message
// (database does not exist, password authentication failed).
func pgReason(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Message
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		return oe.Err.Error()
	}
	var de *net.DNSError
	if errors.As(err, &de) {
		return de.Err + " (" + de.Name + ")"
	}
	return err.Error()
}

// isNotADatabase reports SQLite's "file is not a database".
func isNotADatabase(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_NOTADB
}

// isDamaged reports SQLite's "database disk image is malformed" (with its
// extended codes) and "file is not a database".
func isDamaged(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
		return true
	}
	return false
}
