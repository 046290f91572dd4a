package store

import "io"

// LockForTest takes the database file's lock as another process would: the
// shared one every user holds, or the exclusive one a restore holds.
func LockForTest(dbPath string, exclusive bool) (io.Closer, error) {
	return lockDB(dbPath, exclusive)
}
