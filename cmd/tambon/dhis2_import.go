package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"tambon/internal/apperr"
	"tambon/internal/dhis2"
	"tambon/internal/engine"
	"tambon/internal/rounds"
	"tambon/internal/store"
	"tambon/internal/survey"
)

// cmdDHIS2Import reads a DHIS2 data value set (JSON, XML) or ADX message
// into an aggregate-only round, created when missing, through the same
// load as TPMAP's published figures: checked whole first, then written in
// one transaction or not at all.
func cmdDHIS2Import(ctx context.Context, e *env, args []string) error {
	fs := e.flags("dhis2 import", "dhis2 import FILE --round R [--format json|xml|adx] [--mapping F] [--set SET] [--dry-run] [--report F.xlsx] [--db …]   (into an aggregate-only round)")
	dsn := e.dbFlag(fs, "tambon.db")
	roundID := fs.String("round", "", "the aggregate round to import into (created when missing)")
	format := fs.String("format", "", "json, xml or adx (default: told from the file)")
	mapping := fs.String("mapping", "", "mapping file (default: tambon's own identifiers)")
	setID := fs.String("set", "", "indicator set of a new round (default: the set whose period covers the survey year)")
	dry := fs.Bool("dry-run", false, "check the file and report, but write nothing")
	report := fs.String("report", "", "write the problems to this XLSX file (default FILE.problems.xlsx when there are problems)")
	by := fs.String("by", e.envOr("USER", "cli"), "who is importing, for the audit log")
	file, err := parseFile(fs, args)
	if err != nil {
		return err
	}
	if file == "" || *roundID == "" {
		return apperr.New(apperr.Invalid, apperr.T("ต้องระบุไฟล์ที่จะนำเข้าและ --round", "give the file to import and --round"))
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return apperr.Wrap(err, apperr.NotFound, apperr.Tf("เปิดไฟล์ %s ไม่ได้", "cannot open %s", file))
	}
	if *format == "" {
		if *format, err = dhis2.Sniff(b[:min(len(b), 4096)]); err != nil {
			return err
		}
	}
	name := filepath.Base(file)
	vals, err := dhis2.Read(bytes.NewReader(b), *format, name)
	if ps, ok := err.(apperr.Problems); ok {
		return e.refuseProblems(file, report, ps)
	} else if err != nil {
		return err
	}
	s, tree, err := e.openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	rd, create, err := dhis2Round(ctx, s, *roundID, *setID, name, vals)
	if err != nil {
		return err
	}
	eng, err := engine.ForRound(rd)
	if err != nil {
		return err
	}
	m, err := dhis2Mapping(eng, *mapping)
	if err != nil {
		return err
	}
	imp, err := m.Resolve(vals, tree, eng, name)
	if ps, ok := err.(apperr.Problems); ok {
		return e.refuseProblems(file, report, ps)
	} else if err != nil {
		return err
	}
	if want := m.Period(rd); imp.Period != want {
		return apperr.New(apperr.Invalid, apperr.Tf("%s เป็นช่วงเวลา %s แต่รอบ %s คือ %s", "%s is of period %s but round %s is %s",
			name, imp.Period, rd.ID, want))
	}
	var old map[string]*engine.Totals
	if !create {
		if old, err = s.AllTotals(ctx, eng, rd.ID); err != nil {
			return err
		}
	}
	totals := imp.RoundTotals(tree, eng, old)
	for _, n := range imp.Notes {
		fmt.Fprintln(e.stderr, n.String())
	}
	if *dry {
		fmt.Fprintf(e.stdout, "%s: %d values of %d areas are fit for round %s; nothing was written (--dry-run)\n", name, len(vals), len(imp.Areas), rd.ID)
		return nil
	}
	if err := s.LoadTPMAP(ctx, store.TPMAPLoad{Year: rd.SurveyYear, Round: &rd, NewRound: create, Totals: totals}); err != nil {
		return err
	}
	verb := "into"
	if create {
		verb = "into the new aggregate round"
	}
	fmt.Fprintf(e.stdout, "imported %d values of %d areas from %s %s %s (%d areas with figures in the round)\n",
		len(vals), len(imp.Areas), name, verb, rd.ID, len(totals))
	return s.Audit(ctx, store.AuditEntry{User: *by, Action: "dhis2.import", Object: rounds.AuditHouseholdObject + rd.ID,
		Detail: fmt.Sprintf(`{"file":%q,"format":%q,"values":%d,"areas":%d,"new_round":%t}`, name, *format, len(vals), len(imp.Areas), create)})
}

// dhis2Round is the aggregate round a file goes into: the one named, or a
// new one of the file's survey year (its yearly period back in พ.ศ.) whose
// source says it came from DHIS2 and which file.
func dhis2Round(ctx context.Context, s *store.Store, id, setID, file string, vals []dhis2.RawValue) (survey.Round, bool, error) {
	rd, err := s.Round(ctx, id)
	if err == nil {
		if !rd.AggregateOnly {
			return rd, false, apperr.New(apperr.Invalid, apperr.Tf(
				"รอบ %s เป็นรอบที่มีข้อมูลครัวเรือน: ตัวเลขจาก DHIS2 นำเข้าได้เฉพาะรอบข้อมูลสรุป เลือกรอบอื่นด้วย --round",
				"round %s holds households: DHIS2 figures go only into an aggregate round, choose another with --round", id))
		}
		return rd, false, nil
	}
	if !apperr.Is(err, apperr.NotFound) {
		return rd, false, err
	}
	if len(vals) == 0 {
		return rd, false, apperr.New(apperr.Invalid, apperr.T("ไฟล์ไม่มีค่าข้อมูล (dataValue) เลย", "the file holds no data values"))
	}
	year, err := strconv.Atoi(vals[0].Period)
	if err != nil || len(vals[0].Period) != 4 {
		return rd, false, apperr.New(apperr.Invalid, apperr.Tf(
			"ช่วงเวลา %q ไม่ใช่ปีของ DHIS2 (เช่น 2021): สร้างรอบเองก่อนด้วยปีที่ถูกต้อง หรือระบุช่วงเวลาในไฟล์การจับคู่",
			"period %q is not a DHIS2 yearly period (e.g. 2021): create the round first, or name its period in the mapping file", vals[0].Period))
	}
	sets, err := s.HouseholdSets(ctx)
	if err != nil {
		return rd, false, err
	}
	rd, err = rounds.Household(id, year+543, setID, sets)
	if err != nil {
		return rd, false, err
	}
	rd.AggregateOnly = true
	rd.Source = "DHIS2 (" + file + ")"
	return rd, true, nil
}
