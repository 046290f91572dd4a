package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/dhis2"
	"tambon/internal/engine"
	"tambon/internal/store"
	"tambon/internal/survey"
	"tambon/internal/web"
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

// writeOut writes through write to stdout, or to the file named by --out,
// which it closes whatever happens, returning the first error.
func writeOut(e *env, out string, write func(io.Writer) error) error {
	if out == "" || out == "-" {
		return write(e.stdout)
	}
	f, err := os.Create(out)
	if err != nil {
		return apperr.Wrap(err, apperr.Unavailable, apperr.Tf("เขียนไฟล์ %s ไม่ได้", "cannot write %s", out))
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// dhis2Open opens the database, the round and its mapping: how mapping,
// metadata and export begin. The caller closes the store.
func dhis2Open(ctx context.Context, e *env, dsn, roundID, mapping string) (*store.Store, *area.Tree, survey.Round, *engine.Engine, *dhis2.Mapping, error) {
	var r survey.Round
	s, tree, err := e.openExisting(ctx, dsn)
	if err != nil {
		return nil, nil, r, nil, nil, err
	}
	r, eng, err := roundEngine(ctx, s, roundID)
	if err == nil {
		var m *dhis2.Mapping
		if m, err = dhis2Mapping(eng, mapping); err == nil {
			return s, tree, r, eng, m, nil
		}
	}
	s.Close()
	return nil, nil, r, nil, nil, err
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
	s, _, _, _, m, err := dhis2Open(ctx, e, *dsn, *roundID, *mapping)
	if err != nil {
		return err
	}
	defer s.Close()
	return writeOut(e, *out, m.WriteMapping)
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
	s, tree, _, _, m, err := dhis2Open(ctx, e, *dsn, *roundID, *mapping)
	if err != nil {
		return err
	}
	defer s.Close()
	a, err := areaOf(tree, *areaCode)
	if err != nil {
		return err
	}
	return writeOut(e, *out, m.Metadata(dhis2.Areas(tree, a.Code)).Write)
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
	s, tree, r, eng, m, err := dhis2Open(ctx, e, *dsn, *roundID, *mapping)
	if err != nil {
		return err
	}
	defer s.Close()
	a, err := areaOf(tree, *areaCode)
	if err != nil {
		return err
	}
	figs, err := exactFigures(ctx, s, tree, eng, r, a.Code)
	if err != nil {
		return err
	}
	if err := writeOut(e, *out, func(w io.Writer) error {
		return m.WriteValues(w, *format, m.Values(r, figs), e.now())
	}); err != nil {
		return err
	}
	if *out != "" && *out != "-" {
		fmt.Fprintf(e.stderr, "wrote the figures of %d areas of round %s under %s to %s\n", len(figs), r.ID, a.Code, *out)
	}
	return nil
}

// exactFigures are the figures of every area with households in root's
// subtree, parents first, each with its coverage and certification.
func exactFigures(ctx context.Context, s *store.Store, tree *area.Tree, eng *engine.Engine, r survey.Round, root string) ([]dhis2.Figures, error) {
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
	tambons, err := web.DHIS2Tambons(ctx, s, s, r, root)
	if err != nil {
		return nil, err
	}
	covers := dhis2.Covers(tree, codes, tambons, !r.AggregateOnly)
	out := make([]dhis2.Figures, 0, len(codes))
	for _, c := range codes {
		f := dhis2.FromTotals(eng, c, all[c], !r.AggregateOnly)
		f.Cover = covers[c]
		out = append(out, f)
	}
	return out, nil
}
