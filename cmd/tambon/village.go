package main

import (
	"context"
	"fmt"
	"path/filepath"
	"text/tabwriter"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/rounds"
	"tambon/internal/store"
	"tambon/internal/tabular"
	"tambon/internal/thai"
	"tambon/internal/village"
	"tambon/internal/village/villagefile"
)

// cmdVillages dispatches the กชช. 2ค commands.
func cmdVillages(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "round":
			return villageRoundCreate(ctx, e, args[1:])
		case "rounds":
			return villageRoundList(ctx, e, args[1:])
		case "results":
			return villageResults(ctx, e, args[1:])
		}
	}
	fmt.Fprintln(e.stdout, "Usage: tambon villages round --year BE | rounds | results --round R --area CODE\n"+
		"       tambon template|import|export villages …")
	return errUsage
}

// villageRoundCreate creates a กชช. 2ค round.
func villageRoundCreate(ctx context.Context, e *env, args []string) error {
	fs := e.flags("villages round", "villages round --year BE [--id ID] [--set SET]   (a กชช. 2ค round, every two years)")
	dsn := e.dbFlag(fs, "tambon.db")
	id := fs.String("id", "", "round id (default kcc2k-YEAR)")
	year := fs.Int("year", 0, "survey year in พ.ศ., e.g. 2562")
	setID := fs.String("set", "", "กชช. 2ค set id (default: the set whose period covers the year)")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, _, err := e.openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	sets, err := s.VillageSets(ctx)
	if err != nil {
		return err
	}
	r, err := rounds.Village(*id, *year, *setID, sets)
	if err != nil {
		return err
	}
	if err := s.CreateVillageRound(ctx, r); err != nil {
		return err
	}
	if r, err = s.VillageRound(ctx, r.ID); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "created กชช. 2ค round %s (year %d, set %s version %d)\n", r.ID, r.SurveyYear, r.SetID, r.SetVersion)
	return s.Audit(ctx, store.AuditEntry{User: e.envOr("USER", "cli"), Action: rounds.AuditVillage, Object: rounds.AuditVillageObject + r.ID,
		Detail: rounds.AuditDetail(r.SurveyYear, r.SetID)})
}

// villageRoundList lists the กชช. 2ค rounds.
func villageRoundList(ctx context.Context, e *env, args []string) error {
	fs := e.flags("villages rounds", "villages rounds")
	dsn := e.dbFlag(fs, "tambon.db")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, _, err := e.openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	rs, err := s.VillageRounds(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tYEAR\tSET")
	for _, r := range rs {
		fmt.Fprintf(tw, "%s\t%d\t%s\n", r.ID, r.SurveyYear, r.SetID)
	}
	return tw.Flush()
}

// villageResults prints an area's villages by level and, per indicator, by
// score, as CSV: what the area page shows, for scripts.
func villageResults(ctx context.Context, e *env, args []string) error {
	fs := e.flags("villages results", "villages results --round R [--area CODE]")
	dsn := e.dbFlag(fs, "tambon.db")
	roundID := fs.String("round", "", "the กชช. 2ค round")
	areaCode := fs.String("area", area.CountryCode, "area code (any level)")
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
	_, set, err := villageRoundSet(ctx, s, *roundID)
	if err != nil {
		return err
	}
	c, err := s.VillageCounts(ctx, *roundID, a.Code)
	if err != nil {
		return err
	}
	w := tabular.NewCSVWriter(e.stdout)
	if err := w.NewSheet("", []string{"area", "item", "villages", "serious", "moderate", "fine"}); err != nil {
		return err
	}
	w.Write(a.Code, "villages", c.Villages, nil, nil, nil)
	for l := 1; l <= 3; l++ {
		w.Write(a.Code, fmt.Sprintf("level_%d", l), c.ByLevel[l], nil, nil, nil)
	}
	for _, ind := range set.Indicators {
		n := c.ByScore[ind.Code]
		w.Write(a.Code, ind.Code, n[1]+n[2]+n[3], n[1], n[2], n[3])
	}
	return w.Close()
}

// villageRoundSet loads a กชช. 2ค round and its set.
func villageRoundSet(ctx context.Context, s *store.Store, id string) (village.Round, *village.Set, error) {
	if id == "" {
		return village.Round{}, nil, apperr.New(apperr.Invalid, apperr.T("ต้องระบุ --round (ดูด้วย tambon villages rounds)", "--round is required (see tambon villages rounds)"))
	}
	r, err := s.VillageRound(ctx, id)
	if err != nil {
		return r, nil, err
	}
	set, err := village.ForRound(r)
	return r, set, err
}

func villageName(tree *area.Tree) func(string) string {
	return func(code string) string {
		a, _ := tree.Get(code)
		return a.TitleTH()
	}
}

// importVillages reads a CSV/XLSX file of villages into a round, all or
// nothing, with a report of every problem.
func importVillages(ctx context.Context, e *env, args []string) error {
	fs := e.flags("import villages", "import villages FILE --round ROUND [--dry-run] [--report FILE.xlsx] [--sheet NAME]")
	dsn := e.dbFlag(fs, "tambon.db")
	roundID := fs.String("round", "", "the กชช. 2ค round to import into (see tambon villages rounds)")
	dry := fs.Bool("dry-run", false, "check the file and report, but write nothing")
	report := fs.String("report", "", "write the problems to this XLSX file (default FILE.problems.xlsx when there are problems)")
	sheet := fs.String("sheet", "", "the sheet to read in an XLSX file (default the first)")
	by := fs.String("by", e.envOr("USER", "cli"), "who is importing, for the record")
	file, err := parseFile(fs, args)
	if err != nil {
		return err
	}
	if file == "" {
		return apperr.New(apperr.Invalid, apperr.T("ต้องระบุไฟล์ที่จะนำเข้า", "give the file to import"))
	}
	s, tree, err := e.openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	r, set, err := villageRoundSet(ctx, s, *roundID)
	if err != nil {
		return err
	}
	rd, err := tabular.OpenFile(file, tabular.Options{Sheet: *sheet, Expect: villagefile.Columns(set)})
	if err != nil {
		return err
	}
	defer rd.Close()
	recs, problems, err := villagefile.Read(rd, set, villagefile.Known(knownVillage(tree)))
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return e.refuseProblems(file, report, problems)
	}
	if *dry {
		fmt.Fprintf(e.stdout, "dry run: %d valid villages; nothing written\n", len(recs))
		return nil
	}
	sum, err := s.WriteVillages(ctx, r.ID, recs, *by)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "round %s: %d villages inserted, %d updated, %d unchanged\n", r.ID, sum.Inserted, sum.Updated, sum.Unchanged)
	return s.Audit(ctx, store.AuditEntry{User: *by, Action: "village.import", Object: "village-round:" + r.ID,
		Detail: fmt.Sprintf(`{"file":%q,"inserted":%d,"updated":%d,"unchanged":%d}`, filepath.Base(file), sum.Inserted, sum.Updated, sum.Unchanged)})
}

// exportVillages writes a round's villages in an area in the import template.
func exportVillages(ctx context.Context, e *env, args []string) error {
	fs := e.flags("export villages", "export villages --round R [--area CODE] [--format csv|xlsx] [--out FILE]")
	dsn := e.dbFlag(fs, "tambon.db")
	roundID := fs.String("round", "", "the กชช. 2ค round")
	areaCode := fs.String("area", area.CountryCode, "area code (any level)")
	format := fs.String("format", "", "csv or xlsx (default from --out's extension, else csv)")
	out := fs.String("out", "", "output file (default standard output)")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, tree, err := e.openReading(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := areaOf(tree, *areaCode); err != nil {
		return err
	}
	_, set, err := villageRoundSet(ctx, s, *roundID)
	if err != nil {
		return err
	}
	w, c, err := outputWriter(e, *out, *format)
	if err != nil {
		return err
	}
	defer c.Close()
	n := 0
	var serr error
	err = villagefile.Write(w, set, villageName(tree), func(yield func(village.Record) bool) {
		serr = s.EachVillageRecord(ctx, *roundID, *areaCode, func(r village.Record) error {
			n++
			if !yield(r) {
				return context.Canceled
			}
			return nil
		})
	})
	if err != nil {
		return err
	}
	if serr != nil {
		return serr
	}
	if err := w.Close(); err != nil {
		return err
	}
	if *out != "" && *out != "-" {
		fmt.Fprintf(e.stderr, "exported %s villages to %s\n", thai.FormatInt(int64(n)), *out)
	}
	return nil
}

// templateVillages writes the empty กชช. 2ค import template.
func templateVillages(ctx context.Context, e *env, args []string) error {
	fs := e.flags("template villages", "template villages [--set SET | --round ROUND] [--format csv|xlsx] [--out FILE] [--example]")
	setID := fs.String("set", village.Sets()[len(village.Sets())-1].ID, "กชช. 2ค set (its newest version's indicators are the template's columns)")
	roundID := fs.String("round", "", "a กชช. 2ค round: the template of the set version it is pinned to")
	dsn := e.setsDBFlag(fs)
	format := fs.String("format", "", "csv or xlsx (default from --out's extension, else xlsx)")
	out := fs.String("out", "", "output file (default standard output)")
	example := fs.Bool("example", false, "include an example village")
	if err := parse(fs, args); err != nil {
		return err
	}
	set, which, err := e.templateVillageSet(ctx, e.setsDSN(fs, *dsn), *setID, *roundID)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "กชช. 2ค template of set %s\n", which)
	tree, err := area.Embedded()
	if err != nil {
		return err
	}
	if *format == "" && filepath.Ext(*out) == "" {
		*format = "xlsx"
	}
	w, c, err := outputWriter(e, *out, *format)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := villagefile.WriteTemplate(w, set, *example, villageName(tree)); err != nil {
		return err
	}
	return w.Close()
}
