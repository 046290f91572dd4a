package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/store"
	"tambon/internal/tabular"
	"tambon/internal/thai"
	"tambon/internal/welfare"
)

// importWelfare reads a list of the state welfare-card register for an
// area and a round: all or nothing, every problem reported with its row.
func importWelfare(ctx context.Context, e *env, args []string) error {
	fs := e.flags("import welfare", "import welfare FILE --round ROUND --area CODE [--dry-run] [--report FILE.xlsx] [--sheet NAME]")
	dsn := e.dbFlag(fs, "tambon.db")
	roundID := fs.String("round", "", "the household round the list is matched to (see tambon rounds)")
	areaCode := fs.String("area", "", "the area the list covers: a province, amphoe, tambon or village code")
	dry := fs.Bool("dry-run", false, "check the file and report, but write nothing")
	report := fs.String("report", "", "write the problems to this XLSX file (default FILE.problems.xlsx when there are problems)")
	sheet := fs.String("sheet", "", "the sheet to read in an XLSX file (default the first)")
	by := fs.String("by", e.envOr("USER", "cli"), "who is importing, for the audit log")
	file, err := parseFile(fs, args)
	if err != nil {
		return err
	}
	if file == "" {
		return apperr.New(apperr.Invalid, apperr.T("ต้องระบุไฟล์ที่จะนำเข้า", "give the file to import"))
	}
	if *roundID == "" || *areaCode == "" {
		return apperr.New(apperr.Invalid, apperr.T("ต้องระบุ --round และ --area", "--round and --area are required"))
	}
	s, tree, err := e.openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	a, ok := tree.Get(*areaCode)
	if !ok || a.Level == area.Country {
		return apperr.New(apperr.Invalid, apperr.Tf("ไม่มีพื้นที่รหัส %q (จังหวัด อำเภอ ตำบล หรือหมู่บ้าน)", "there is no area %q (a province, amphoe, tambon or village)", *areaCode))
	}
	r, err := s.Round(ctx, *roundID)
	if err != nil {
		return err
	}
	rd, err := tabular.OpenFile(file, tabular.Options{Sheet: *sheet, Expect: welfare.Columns()})
	if err != nil {
		return err
	}
	defer rd.Close()
	for _, w := range rd.Warnings() {
		fmt.Fprintln(e.stderr, "warning:", w.String())
	}
	entries, problems, err := welfare.Read(rd, welfare.InArea(knownVillage(tree), a.Code))
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return e.refuseProblems(file, report, problems)
	}
	if *dry {
		fmt.Fprintf(e.stdout, "dry run: %s people on the list; nothing written\n", thai.FormatInt(int64(len(entries))))
		return nil
	}
	im, err := s.ImportWelfare(ctx, store.WelfareImport{Round: r.ID, Area: a.Code, File: filepath.Base(file), By: *by}, entries)
	if err != nil {
		return err
	}
	kept := "citizen IDs kept as keyed hashes only"
	if im.RawIDs {
		kept = "citizen IDs kept as they are (the administrator's setting)"
	}
	fmt.Fprintf(e.stdout, "round %s, area %s: welfare register list %d, %s people; %s\n", r.ID, a.Code, im.ID, thai.FormatInt(int64(im.Entries)), kept)
	return nil
}

// cmdWelfare lists, deletes and sets how the register's lists are kept.
func cmdWelfare(ctx context.Context, e *env, args []string) error {
	return dispatch(ctx, e, "welfare", "Usage: tambon welfare counts|lists|delete|keep-ids …   (import with: tambon import welfare FILE --round R --area CODE)", args,
		subcommand{"counts", welfareCounts}, subcommand{"lists", welfareLists}, subcommand{"delete", welfareDelete}, subcommand{"keep-ids", welfareKeepIDs})
}

func welfareLists(ctx context.Context, e *env, args []string) error {
	fs := e.flags("welfare lists", "welfare lists [--round R] [--area CODE]")
	dsn := e.dbFlag(fs, "tambon.db")
	roundID := fs.String("round", "", "only this round's lists")
	areaCode := fs.String("area", area.CountryCode, "only lists inside this area")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, _, err := e.openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	ims, err := s.WelfareImports(ctx, *roundID, *areaCode)
	if err != nil {
		return err
	}
	for _, im := range ims {
		fmt.Fprintf(e.stdout, "%d\t%s\t%s\t%d people\t%s\t%s\t%s\n", im.ID, im.Round, im.Area, im.Entries, im.At.Format("2006-01-02 15:04"), im.By, im.File)
	}
	if len(ims) == 0 {
		fmt.Fprintln(e.stdout, "no welfare register lists")
	}
	return nil
}

func welfareDelete(ctx context.Context, e *env, args []string) error {
	fs := e.flags("welfare delete", "welfare delete ID")
	dsn := e.dbFlag(fs, "tambon.db")
	by := fs.String("by", e.envOr("USER", "cli"), "who is deleting, for the audit log")
	id, err := parseFile(fs, args)
	if err != nil {
		return err
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil {
		return apperr.New(apperr.Invalid, apperr.T("ระบุหมายเลขชุดรายชื่อที่จะลบ (ดูจาก tambon welfare lists)", "give the number of the list to delete (see tambon welfare lists)"))
	}
	s, _, err := e.openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	im, err := s.DeleteWelfareImport(ctx, n, area.CountryCode, *by)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "deleted welfare register list %d (round %s, area %s)\n", im.ID, im.Round, im.Area)
	return nil
}

func welfareKeepIDs(ctx context.Context, e *env, args []string) error {
	fs := e.flags("welfare keep-ids", "welfare keep-ids on|off")
	dsn := e.dbFlag(fs, "tambon.db")
	by := fs.String("by", e.envOr("USER", "cli"), "who changes the setting, for the audit log")
	v, err := parseFile(fs, args)
	if err != nil {
		return err
	}
	if v != "on" && v != "off" {
		return apperr.New(apperr.Invalid, apperr.T("ระบุ on (เก็บเลขประจำตัวประชาชนตามจริง) หรือ off (เก็บเป็นค่าแฮชเท่านั้น)",
			"say on (keep citizen IDs as they are) or off (keep keyed hashes only)"))
	}
	s, _, err := e.openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.SetWelfareRawIDs(ctx, v == "on", *by); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "welfare register lists imported from now on keep citizen IDs: %s\n", v)
	return nil
}

// welfareCounts prints an area's welfare groups for a round, computed as
// the area page computes them.
func welfareCounts(ctx context.Context, e *env, args []string) error {
	fs := e.flags("welfare counts", "welfare counts --round R --area CODE")
	dsn := e.dbFlag(fs, "tambon.db")
	roundID := fs.String("round", "", "the household round")
	areaCode := fs.String("area", "", "a province, amphoe, tambon or village code")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, tree, err := e.openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	a, ok := tree.Get(*areaCode)
	if !ok || a.Level == area.Country {
		return apperr.New(apperr.Invalid, apperr.Tf("ไม่มีพื้นที่รหัส %q (จังหวัด อำเภอ ตำบล หรือหมู่บ้าน)", "there is no area %q (a province, amphoe, tambon or village)", *areaCode))
	}
	r, eng, err := roundEngine(ctx, s, *roundID)
	if err != nil {
		return err
	}
	m, ok := welfare.MappingFor(eng.Set().ID)
	if !ok {
		return apperr.New(apperr.Invalid, apperr.Tf("ชุดตัวชี้วัด %s ยังไม่มีการจัดเข้า 5 มิติของ TPMAP", "indicator set %s has no mapping to TPMAP's five dimensions", eng.Set().ID))
	}
	j, err := welfare.NewJudge(m, eng.Set(), eng.SurveyYear())
	if err != nil {
		return err
	}
	rep, err := s.WelfareArea(ctx, j, r.ID, a.Code, "")
	if err != nil {
		return err
	}
	if len(rep.Lists) == 0 {
		fmt.Fprintf(e.stdout, "round %s, area %s: no welfare register list covers it\n", r.ID, a.Code)
		return nil
	}
	c := rep.Counts
	fmt.Fprintf(e.stdout, "round %s, area %s: %d of %d households covered by %d lists\n", r.ID, a.Code, rep.Covered, rep.Households, len(rep.Lists))
	for _, row := range []struct {
		name string
		n    int64
	}{{"people judged", c.People}, {"poor by the survey", c.Poor}, {"target poor (poor, registered)", c.TargetPoor},
		{"poor, not registered", c.PoorUnregistered}, {"registered, not poor", c.RegisteredNotPoor}, {"registered, not found in the survey", c.RegisteredNotFound}} {
		fmt.Fprintf(e.stdout, "%-38s %s\n", row.name, thai.FormatInt(row.n))
	}
	if m.Provisional {
		fmt.Fprintln(e.stdout, "(the indicators under TPMAP's dimensions are not confirmed: docs/welfare.md)")
	}
	return nil
}
