package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"

	"context"
	"flag"
	"tambon/internal/apperr"
	"time"

	"tambon/internal/area"
	"tambon/internal/engine"
	"tambon/internal/store"
)

// dbFlag adds --db to a command: a SQLite file path or a postgres:// URL.
func (e *env) dbFlag(fs *flag.FlagSet, def string) *string {
	return fs.String("db", e.envOr("TAMBON_DB", def), "database: a SQLite file path or a postgres:// URL (env TAMBON_DB)")
}

// openStore opens the database, refuses a schema newer than this binary,
// migrates, and makes sure the national area tree is loaded. A SQLite file
// that does not exist yet is created: only the commands that set a database
// up or put new data in it use this (migrate, serve, demo, round, import,
// gen, user create).
//
// Like openExisting, it refuses a database whose restore was not verified
// (see refuseUnverified): only openReading and restore itself open one.
func (e *env) openStore(ctx context.Context, dsn string) (*store.Store, *area.Tree, error) {
	return e.open(ctx, dsn, false, openWriting)
}

// openExisting is openStore for the commands that only read, or change what
// is already there: a SQLite file that does not exist is refused with its
// name, instead of a new empty database being made under a mistyped --db.
func (e *env) openExisting(ctx context.Context, dsn string) (*store.Store, *area.Tree, error) {
	return e.open(ctx, dsn, true, openWriting)
}

// openReading is openExisting for the commands that only read (check,
// export, backup, results, rounds): a database whose restore was not
// verified is opened with a warning, so that it can still be checked and
// copied before anyone decides what to do with it.
func (e *env) openReading(ctx context.Context, dsn string) (*store.Store, *area.Tree, error) {
	return e.open(ctx, dsn, true, openReading)
}

// openMode says what a command does with a database whose restore was not
// verified.
type openMode int

const (
	openWriting   openMode = iota // refuse it: serve and every command that writes
	openReading                   // warn and go on: the commands that only read
	openRestoring                 // say nothing: restore checking or accepting its own work
)

func (e *env) open(ctx context.Context, dsn string, mustExist bool, mode openMode) (*store.Store, *area.Tree, error) {
	tree, err := area.Embedded()
	if err != nil {
		return nil, nil, err
	}
	s, err := store.Open(ctx, dsn, store.Options{Now: e.now, MustExist: mustExist})
	if err != nil {
		return nil, nil, err
	}
	e.warnIfShared(dsn)
	if st := s.RestoreStatus(ctx); st.Unverified() && mode != openRestoring {
		err := unverifiedRestore(st)
		if mode == openWriting {
			s.Close()
			return nil, nil, err
		}
		fmt.Fprintln(e.stderr, "warning / คำเตือน: "+apperr.MessageOf(err).String())
	}
	applied, err := s.Migrate(ctx)
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	if len(applied) > 0 {
		e.log.Info("database schema updated", "db", s.Dialect(), "migrations", applied)
	}
	start := time.Now()
	n, err := s.SyncAreas(ctx, tree.All(), len(applied) > 0)
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	spec, err := s.PovertySpec(ctx)
	if err == nil {
		err = engine.UsePoverty(spec)
	}
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	extra, err := s.ExtraAreas(ctx, tree)
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	if len(extra) > 0 {
		tree, _ = tree.WithVillages(extra)
	}
	if n != 0 || len(applied) > 0 {
		e.log.Info("national area tree loaded",
			"provinces", tree.Count(area.Province), "districts", tree.Count(area.District),
			"subdistricts", tree.Count(area.Subdistrict), "villages", tree.Count(area.Village),
			"took", time.Since(start).Round(time.Millisecond))
		e.log.Info("area data cleaning: rows left out of the source files are listed by `tambon migrate --report` and in docs/data-cleaning.md")
	}
	return s, tree, nil
}

// areaOf looks an area up by the code a user typed.
func areaOf(tree *area.Tree, code string) (area.Area, error) {
	a, ok := tree.Get(strings.ToUpper(strings.TrimSpace(code)))
	if !ok {
		return a, apperr.New(apperr.NotFound, apperr.Tf("ไม่พบพื้นที่รหัส %s", "no area has the code %s", code))
	}
	return a, nil
}

// warnIfShared warns when other accounts on the machine may read a SQLite
// database file, which holds names and citizen IDs. tambon creates its files
// for their owner only; a file made by an older version, or copied in, may
// not be, and changing it unasked could break a backup job that reads it.
func (e *env) warnIfShared(dsn string) {
	if store.IsPostgres(dsn) || runtime.GOOS == "windows" {
		return
	}
	if fi, err := os.Stat(dsn); err == nil && fi.Mode().Perm()&0o077 != 0 {
		e.log.Warn("other accounts on this machine may read the database file (names, citizen IDs): make it private",
			"file", dsn, "mode", fi.Mode().Perm().String(), "fix", "chmod 600 "+dsn)
	}
}
