package main

import (
	"context"
	"fmt"

	"tambon/internal/area"
	"tambon/internal/store"
)

func cmdMigrate(ctx context.Context, e *env, args []string) error {
	fs := e.flags("migrate", "migrate [--db FILE|URL]")
	dsn := e.dbFlag(fs, "tambon.db")
	report := fs.Bool("report", false, "also print what the area data cleaning left out, and why")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, tree, err := e.openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	v, err := s.Version(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "database %s is at schema version %d (this binary knows %d)\n", s.Dialect(), v, store.SchemaVersion())
	fmt.Fprintf(e.stdout, "areas: %d provinces, %d districts, %d subdistricts, %d villages\n",
		tree.Count(area.Province), tree.Count(area.District), tree.Count(area.Subdistrict), tree.Count(area.Village))
	if *report {
		fmt.Fprintln(e.stdout, tree.Report().String())
	}
	return nil
}
