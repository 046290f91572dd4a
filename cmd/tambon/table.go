package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"text/tabwriter"

	"tambon/internal/store"
)

// withStore is the body of the many small commands that parse their flags,
// open the database named by --db and do one thing with it: fn runs with
// the store open and it is closed afterwards.
func (e *env) withStore(ctx context.Context, fs *flag.FlagSet, dsn *string, args []string, fn func(*store.Store) error) error {
	if err := parse(fs, args); err != nil {
		return err
	}
	s, _, err := e.openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	return fn(s)
}

// table starts a table on standard output under the given column headings,
// columns two spaces apart: write rows of tab-separated fields into it and
// Flush it at the end.
func (e *env) table(headings ...string) *tabwriter.Writer {
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(headings, "\t"))
	return tw
}
