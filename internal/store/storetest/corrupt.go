package storetest

import (
	"bytes"
	"database/sql"
	"os"
	"testing"
)

// Corrupt damages a closed SQLite database file the way a failing disk
// does: the pages at the root of the named tables and of their indexes are
// overwritten with garbage, in the middle of the file, while the file's
// header and schema stay readable, so the database opens and the damage
// shows at the first query that reads those tables.
func Corrupt(tb testing.TB, path string, tables ...string) {
	tb.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=rw")
	if err != nil {
		tb.Fatal(err)
	}
	var pageSize int64
	if err := db.QueryRow("PRAGMA page_size").Scan(&pageSize); err != nil {
		tb.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		tb.Fatal(err)
	}
	var pages []int64
	for _, t := range tables {
		rows, err := db.Query("SELECT rootpage FROM sqlite_master WHERE tbl_name = ? AND rootpage > 1", t)
		if err != nil {
			tb.Fatal(err)
		}
		for rows.Next() {
			var p int64
			rows.Scan(&p)
			pages = append(pages, p)
		}
		rows.Close()
	}
	db.Close()
	if len(pages) == 0 {
		tb.Fatalf("no pages to damage for tables %v", tables)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	garbage := bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef}, int(pageSize/4))
	for _, p := range pages {
		if _, err := f.WriteAt(garbage, (p-1)*pageSize); err != nil {
			tb.Fatal(err)
		}
	}
	if err := f.Sync(); err != nil {
		tb.Fatal(err)
	}
}
