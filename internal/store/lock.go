package store

import (
	"errors"
	"os"

	"tambon/internal/apperr"
)

// A SQLite database file is guarded by an operating-system lock on a file
// beside it, <db>.lock. Every tambon process that opens the database holds a
// shared lock for as long as it keeps it open (tambon serve and tambon demo
// for their whole life, a command for its run); replacing or deleting the
// file (tambon restore, tambon demo --reset) needs the exclusive lock, so it
// is refused while anyone uses the database. Without it a restore under a
// running server renames a new file into place while the server keeps
// writing into the old, deleted one: everything it acknowledged afterwards
// is lost.
//
// The lock belongs to the open file, so the operating system drops it when
// the process ends, however it ends: a crash never leaves a stale lock. The
// lock file itself is never deleted (deleting it would let two processes
// lock two different files).

// errLocked is what tryLock returns when another holder is in the way.
var errLocked = errors.New("database file is locked")

// lockPath is the lock file of the SQLite database at dbPath.
func lockPath(dbPath string) string { return dbPath + ".lock" }

// lockDB takes the shared or the exclusive lock on dbPath without waiting
// and returns the open lock file; closing it releases the lock.
func lockDB(dbPath string, exclusive bool) (*os.File, error) {
	f, err := os.OpenFile(lockPath(dbPath), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.Unavailable, apperr.Tf(
			"สร้างไฟล์ล็อก %s ข้างฐานข้อมูลไม่ได้", "cannot create the lock file %s beside the database", lockPath(dbPath)))
	}
	if err := tryLock(f, exclusive); err != nil {
		f.Close()
		if !errors.Is(err, errLocked) {
			return nil, apperr.Wrap(err, apperr.Unavailable, apperr.Tf(
				"ล็อกไฟล์ฐานข้อมูล %s ไม่ได้", "cannot lock the database file %s", dbPath))
		}
		if exclusive {
			return nil, apperr.Wrap(err, apperr.Conflict, apperr.Tf(
				"ฐานข้อมูล %s กำลังถูกใช้โดย tambon อีกโปรแกรมหนึ่ง (เช่น tambon serve หรือ tambon demo): หยุดโปรแกรมนั้นก่อน (Ctrl+C หรือหยุดบริการ) แล้วสั่งอีกครั้ง",
				"the database %s is in use by another tambon (such as tambon serve or tambon demo): stop it first (Ctrl+C, or stop the service), then run this again",
				dbPath))
		}
		return nil, apperr.Wrap(err, apperr.Conflict, apperr.Tf(
			"ฐานข้อมูล %s กำลังถูกกู้คืนหรือลบโดย tambon อีกโปรแกรมหนึ่ง: รอให้เสร็จแล้วสั่งอีกครั้ง",
			"the database %s is being restored or deleted by another tambon: wait for it to finish, then run this again",
			dbPath))
	}
	return f, nil
}

// RemoveSQLite deletes the SQLite database at dbPath with its WAL and
// shared-memory files (tambon demo --reset). It is refused while any tambon
// has the database open.
func RemoveSQLite(dbPath string) error {
	lock, err := lockDB(dbPath, true)
	if err != nil {
		return err
	}
	defer lock.Close()
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(dbPath + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return apperr.Wrap(err, apperr.Unavailable, apperr.Tf("ลบฐานข้อมูล %s ไม่ได้", "cannot delete the database %s", dbPath))
		}
	}
	return nil
}
