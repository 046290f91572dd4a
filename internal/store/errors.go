package store

import (
	"database/sql"
	"errors"
	"net"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"tambon/internal/apperr"
)

// mapErr turns a driver error into an apperr by its code, never by its text:
// unique violations are conflicts, read-only databases are unavailable, a
// missing row is not found. Anything else stays internal.
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
	}
	return err
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
	return errors.As(err, &se) && se.Code() == sqlite3.SQLITE_NOTADB
}
