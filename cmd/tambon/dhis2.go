package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"tambon/internal/apperr"
	"tambon/internal/dhis2"
	"tambon/internal/engine"
	"tambon/internal/store"
	"tambon/internal/survey"
)

// `tambon dhis2`: exchange a round's published aggregates with DHIS2
// (docs/api.md, "DHIS2"). The command line reads the database itself, so it
// writes exact figures; the API's doors apply disclosure control.

func cmdDHIS2(ctx context.Context, e *env, args []string) error {
	return dispatch(ctx, e, "dhis2", "Usage: tambon dhis2 mapping|metadata|export|import …   (tambon dhis2 export --help)", args,
		subcommand{"mapping", cmdDHIS2Mapping},
		subcommand{"metadata", cmdDHIS2Metadata},
		subcommand{"export", cmdDHIS2Export},
		subcommand{"import", cmdDHIS2Import})
}

// dhis2Mapping is a round's default mapping, or the file given read over it.
func dhis2Mapping(eng *engine.Engine, file string) (*dhis2.Mapping, error) {
	def := dhis2.Default(eng.Set(), eng.Poverty())
	if file == "" {
		return def, nil
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, apperr.Wrap(err, apperr.NotFound, apperr.Tf("เปิดไฟล์ %s ไม่ได้", "cannot open %s", file))
	}
	defer f.Close()
	m, err := dhis2.Load(f, def)
	if err != nil {
		msg := apperr.MessageOf(err)
		return nil, apperr.Wrap(err, apperr.CodeOf(err), apperr.T(file+": "+msg.TH, file+": "+msg.EN))
	}
	return m, nil
}

// outFile is stdout, or the file named by --out.
func outFile(e *env, out string) (io.Writer, func() error, error) {
	if out == "" || out == "-" {
		return e.stdout, func() error { return nil }, nil
	}
	f, err := os.Create(out)
	if err != nil {
		return nil, nil, apperr.Wrap(err, apperr.Unavailable, apperr.Tf("เขียนไฟล์ %s ไม่ได้", "cannot write %s", out))
	}
	return f, f.Close, nil
}

func cmdDHIS2Mapping(ctx context.Context, e *env, args []string) error {
	fs := e.flags("dhis2 mapping", "dhis2 mapping --round R [--mapping F] [--out F] [--db …]   (the mapping file of a round's indicator set, to edit)")
	dsn := e.dbFlag(fs, "tambon.db")
	roundID := fs.String("round", "", "the round whose indicator set is mapped")
	mapping := fs.String("mapping", "", "an edited mapping file to check and write out whole")
	out := fs.String("out", "", "write to this file instead of standard output")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, _, err := e.openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	_, eng, err := roundEngine(ctx, s, *roundID)
	if err != nil {
		return err
	}
	m, err := dhis2Mapping(eng, *mapping)
	if err != nil {
		return err
	}
	w, done, err := outFile(e, *out)
	if err != nil {
		return err
	}
	if err := m.WriteMapping(w); err != nil {
		done()
		return err
	}
	return done()
}

func cmdDHIS2Metadata(ctx context.Context, e *env, args []string) error {
	fs := e.flags("dhis2 metadata", "dhis2 metadata --round R [--area CODE] [--mapping F] [--out F] [--db …]   (DHIS2 metadata: data elements, categories, org units, data set)")
	dsn := e.dbFlag(fs, "tambon.db")
	roundID := fs.String("round", "", "the round whose indicator set the data elements count")
	areaCode := fs.String("area", "TH", "the organisation units: this area, its ancestors and everything under it")
	mapping := fs.String("mapping", "", "mapping file (default: tambon's own identifiers)")
	out := fs.String("out", "", "write to this file instead of standard output")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, tree, err := e.openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	a, err := areaOf(tree, *areaCode)
	if err != nil {
		return err
	}
	_, eng, err := roundEngine(ctx, s, *roundID)
	if err != nil {
		return err
	}
	m, err := dhis2Mapping(eng, *mapping)
	if err != nil {
		return err
	}
	w, done, err := outFile(e, *out)
	if err != nil {
		return err
	}
	if err := m.Metadata(dhis2.Areas(tree, a.Code)).Write(w); err != nil {
		done()
		return err
	}
	return done()
}

func cmdDHIS2Export(ctx context.Context, e *env, args []string) error {
	fs := e.flags("dhis2 export", "dhis2 export --round R --area CODE --format json|xml|adx [--mapping F] [--out F] [--db …]   (exact figures of an area subtree)")
	dsn := e.dbFlag(fs, "tambon.db")
	roundID := fs.String("round", "", "the round")
	areaCode := fs.String("area", "TH", "the area: it and every area under it with figures")
	format := fs.String("format", dhis2.FormatJSON, "json or xml (DHIS2 dataValueSets), or adx")
	mapping := fs.String("mapping", "", "mapping file (default: tambon's own identifiers)")
	out := fs.String("out", "", "write to this file instead of standard output")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *format != dhis2.FormatJSON && *format != dhis2.FormatXML && *format != dhis2.FormatADX {
		return apperr.New(apperr.Invalid, apperr.Tf("--format ต้องเป็น json, xml หรือ adx ไม่ใช่ %q", "--format must be json, xml or adx, not %q", *format))
	}
	s, tree, err := e.openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	a, err := areaOf(tree, *areaCode)
	if err != nil {
		return err
	}
	r, eng, err := roundEngine(ctx, s, *roundID)
	if err != nil {
		return err
	}
	m, err := dhis2Mapping(eng, *mapping)
	if err != nil {
		return err
	}
	figs, err := exactFigures(ctx, s, eng, r, a.Code)
	if err != nil {
		return err
	}
	w, done, err := outFile(e, *out)
	if err != nil {
		return err
	}
	if err := m.WriteValues(w, *format, m.Values(r, figs), e.now()); err != nil {
		done()
		return err
	}
	if err := done(); err != nil {
		return err
	}
	if *out != "" && *out != "-" {
		fmt.Fprintf(e.stderr, "wrote the figures of %d areas of round %s under %s to %s\n", len(figs), r.ID, a.Code, *out)
	}
	return nil
}

// exactFigures are the figures of every area with households in root's
// subtree, parents first.
func exactFigures(ctx context.Context, s *store.Store, eng *engine.Engine, r survey.Round, root string) ([]dhis2.Figures, error) {
	all, err := s.AllTotals(ctx, eng, r.ID)
	if err != nil {
		return nil, err
	}
	var codes []string
	for code, t := range all {
		if t != nil && t.Households > 0 && dhis2.InSubtree(code, root) {
			codes = append(codes, code)
		}
	}
	dhis2.SortCodes(codes)
	out := make([]dhis2.Figures, 0, len(codes))
	for _, c := range codes {
		out = append(out, dhis2.FromTotals(eng, c, all[c], !r.AggregateOnly))
	}
	return out, nil
}
