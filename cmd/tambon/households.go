package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/store"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
	"tambon/internal/tabular"
	"tambon/internal/thai"
)

func cmdImport(ctx context.Context, e *env, args []string) error {
	return dispatch(ctx, e, "import", "Usage: tambon import households|villages|tpmap|welfare …   (tambon import households --help)", args,
		subcommand{"households", importHouseholds}, subcommand{"villages", importVillages /* village.go */}, subcommand{"tpmap", importTPMAP},
		subcommand{"welfare", importWelfare /* import_welfare.go */})
}

// maxHouseholdFile is the largest household file the command reads: the
// import streams, so a large file costs time and disk, not memory, and the
// largest province (about 900,000 households, 2.7 million rows) is about
// 3 GB of CSV in the template. The import page keeps tabular's default,
// below its upload limit.
const maxHouseholdFile = 4 << 30

// importHouseholds reads a CSV/XLSX file of households into a round:
// all-or-nothing unless --skip-invalid, with a report of every problem.
func importHouseholds(ctx context.Context, e *env, args []string) error {
	fs := e.flags("import households", "import households FILE --round ROUND [--dry-run] [--skip-invalid] [--report FILE.xlsx] [--sheet NAME]")
	dsn := e.dbFlag(fs, "tambon.db")
	roundID := fs.String("round", "", "the round to import into (see tambon rounds)")
	dry := fs.Bool("dry-run", false, "check the file and report, but write nothing")
	skip := fs.Bool("skip-invalid", false, "write the valid households and report the rest (default: one bad row → nothing written)")
	report := fs.String("report", "", "write the problems to this XLSX file (default FILE.problems.xlsx when there are problems)")
	sheet := fs.String("sheet", "", "the sheet to read in an XLSX file (default the first)")
	by := fs.String("by", e.envOr("USER", "cli"), "who is importing, for the history")
	file, err := parseFile(fs, args)
	if err != nil {
		return err
	}
	if file == "" {
		return apperr.New(apperr.Invalid, apperr.T("ต้องระบุไฟล์ที่จะนำเข้า", "give the file to import"))
	}
	if *roundID == "" {
		return apperr.New(apperr.Invalid, apperr.T("ต้องระบุ --round", "--round is required"))
	}
	s, tree, err := e.openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	r, eng, err := roundEngine(ctx, s, *roundID)
	if err != nil {
		return err
	}
	open := func(pass int) (*tabular.Reader, error) {
		return tabular.OpenFile(file, tabular.Options{Sheet: *sheet, Expect: surveyfile.Columns(eng.Set()), MaxBytes: maxHouseholdFile,
			Checked: pass == 2})
	}
	// The file is read twice (surveyfile.Stream) and written as it is read
	// the second time, inside one transaction: memory holds a batch of
	// households, not the file. A problem anywhere means nothing is written
	// (unless --skip-invalid): writing stops at the first and the
	// transaction is rolled back; the reading goes on to list them all.
	var im *store.HouseholdImport
	if !*dry {
		if im, err = s.BeginHouseholdImport(ctx, eng, r.ID, *by, nil); err != nil {
			return err
		}
		defer im.Rollback()
	}
	var (
		last  time.Time
		bar   *progress
		valid int
	)
	res, err := surveyfile.Stream(open, eng.Set(), r, surveyfile.ReadOptions{KnownVillage: knownVillage(tree), Now: e.now,
		Progress: func(rows int) {
			if bar == nil && time.Since(last) > 100*time.Millisecond {
				last = time.Now()
				fmt.Fprintf(e.stderr, "\rchecking %s rows of %s …", thai.FormatInt(int64(rows)), filepath.Base(file))
			}
		},
		Planned: func(households int) {
			if !last.IsZero() {
				fmt.Fprintln(e.stderr)
			}
			label := "importing"
			if *dry {
				label = "checking"
			}
			bar = newProgress(e.stderr, label, households)
		}},
		func(h *survey.Household, problems int) error {
			valid++
			bar.update(valid)
			if im == nil {
				return nil
			}
			if problems > 0 && !*skip {
				im.Rollback() // nothing will be written: stop writing, keep checking
				im = nil
				return nil
			}
			return im.Add(h)
		})
	if bar != nil {
		fmt.Fprintln(e.stderr)
	}
	if err != nil {
		return err
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(e.stderr, "warning:", w.String())
	}
	rejected := len(res.Problems) > 0
	if rejected {
		if im != nil && !*skip {
			im.Rollback()
		}
		if err := e.reportProblems(file, report, res.Problems); err != nil {
			return err
		}
		if !*skip {
			return apperr.New(apperr.Invalid, apperr.Tf(
				"พบปัญหา %d รายการ จึงไม่ได้บันทึกข้อมูลใดเลย (แก้ไฟล์แล้วนำเข้าใหม่ หรือใช้ --skip-invalid เพื่อบันทึกเฉพาะครัวเรือนที่ถูกต้อง)",
				"%d problems found, so nothing was written (fix the file and import again, or use --skip-invalid to write only the valid households)",
				len(res.Problems)))
		}
	}
	if *dry {
		fmt.Fprintf(e.stdout, "dry run: %d valid households, %d problems; nothing written\n", res.Valid, len(res.Problems))
		if rejected {
			return apperr.New(apperr.Invalid, apperr.Tf("พบปัญหา %d รายการ", "%d problems found", len(res.Problems)))
		}
		return nil
	}
	sum, err := im.Commit()
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "round %s: %d households inserted, %d updated, %d unchanged\n", r.ID, sum.Inserted, sum.Updated, sum.Unchanged)
	if err := s.Audit(ctx, store.AuditEntry{User: *by, Action: "household.import", Object: "round:" + r.ID,
		Detail: fmt.Sprintf(`{"file":%q,"inserted":%d,"updated":%d,"unchanged":%d}`, filepath.Base(file), sum.Inserted, sum.Updated, sum.Unchanged)}); err != nil {
		return err
	}
	if rejected {
		return apperr.New(apperr.Invalid, apperr.Tf(
			"บันทึกครัวเรือนที่ถูกต้องแล้ว แต่ปฏิเสธ %d รายการ (ดู %s)", "the valid households were written, but %d problems were rejected (see %s)",
			len(res.Problems), *report))
	}
	return nil
}

func knownVillage(tree *area.Tree) func(string) bool {
	return func(code string) bool {
		a, ok := tree.Get(code)
		return ok && a.Level == area.Village
	}
}

// reportProblems writes an import's problems to the report (by default
// FILE.problems.xlsx beside the file, set in *report) and shows the first 20
// on the terminal.
func (e *env) reportProblems(file string, report *string, ps apperr.Problems) error {
	if *report == "" {
		*report = strings.TrimSuffix(file, filepath.Ext(file)) + ".problems.xlsx"
	}
	if err := writeProblems(*report, ps); err != nil {
		return err
	}
	for i, p := range ps {
		if i == 20 {
			fmt.Fprintf(e.stderr, "… and %d more (all of them in %s)\n", len(ps)-20, *report)
			break
		}
		fmt.Fprintln(e.stderr, p.String())
	}
	fmt.Fprintf(e.stderr, "problems report: %s\n", *report)
	return nil
}

// refuseProblems reports an all-or-nothing import's problems and refuses it.
func (e *env) refuseProblems(file string, report *string, ps apperr.Problems) error {
	if err := e.reportProblems(file, report, ps); err != nil {
		return err
	}
	return apperr.New(apperr.Invalid, apperr.Tf(
		"พบปัญหา %d รายการ จึงไม่ได้บันทึกข้อมูลใดเลย (แก้ไฟล์แล้วนำเข้าใหม่)",
		"%d problems found, so nothing was written (fix the file and import again)", len(ps)))
}

func writeProblems(path string, ps apperr.Problems) error {
	f, err := os.Create(path)
	if err != nil {
		return apperr.Wrap(err, apperr.Unavailable, apperr.Tf("เขียนรายงาน %s ไม่ได้", "cannot write the report %s", path))
	}
	if err := tabular.WriteProblemsXLSX(f, ps); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// outputWriter opens --out (or stdout) and picks the table format from
// --format or the file's extension.
func outputWriter(e *env, out, format string) (tabular.Writer, io.Closer, error) {
	var w io.Writer = e.stdout
	var c io.Closer = io.NopCloser(nil)
	if format == "" {
		format = strings.TrimPrefix(strings.ToLower(filepath.Ext(out)), ".")
		if format == "" {
			format = "csv"
		}
	}
	if format != "csv" && format != "xlsx" {
		return nil, nil, apperr.New(apperr.Invalid, apperr.Tf("--format ต้องเป็น csv หรือ xlsx ไม่ใช่ %q", "--format must be csv or xlsx, not %q", format))
	}
	if out != "" && out != "-" {
		f, err := os.Create(out)
		if err != nil {
			return nil, nil, apperr.Wrap(err, apperr.Unavailable, apperr.Tf("เขียนไฟล์ %s ไม่ได้", "cannot write %s", out))
		}
		w, c = f, f
	}
	if format == "xlsx" {
		return tabular.NewXLSXWriter(w), c, nil
	}
	return tabular.NewCSVWriter(w), c, nil
}

func cmdExport(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && args[0] == "villages" {
		return exportVillages(ctx, e, args[1:]) // village.go
	}
	if len(args) == 0 || args[0] != "households" {
		fmt.Fprintln(e.stdout, "Usage: tambon export households --round R --area CODE [--format csv|xlsx] [--out FILE]")
		return errUsage
	}
	fs := e.flags("export households", "export households --round R [--area CODE] [--format csv|xlsx] [--out FILE]")
	dsn := e.dbFlag(fs, "tambon.db")
	roundID := fs.String("round", "", "the round")
	areaCode := fs.String("area", "TH", "area code (any level)")
	format := fs.String("format", "", "csv or xlsx (default from --out's extension, else csv)")
	out := fs.String("out", "", "output file (default standard output)")
	if err := parse(fs, args[1:]); err != nil {
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
	_, eng, err := roundEngine(ctx, s, *roundID)
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
	seq := func(yield func(*survey.Household) bool) {
		serr = s.EachHousehold(ctx, *roundID, *areaCode, func(rec survey.Record) error {
			n++
			if !yield(rec.Household) {
				return context.Canceled
			}
			return nil
		})
	}
	if err := surveyfile.WriteSeq(w, eng.Set(), seq); err != nil {
		return err
	}
	if serr != nil {
		return serr
	}
	if err := w.Close(); err != nil {
		return err
	}
	if *out != "" && *out != "-" {
		fmt.Fprintf(e.stderr, "exported %d households to %s\n", n, *out)
	}
	// The template carries names and citizen IDs: a personal-data export.
	return s.Audit(ctx, store.AuditEntry{User: e.envOr("USER", "cli"), Action: "export.personal", Area: *areaCode,
		Object: "round:" + *roundID, Detail: fmt.Sprintf(`{"households":%d,"file":%q}`, n, filepath.Base(*out))})
}

func cmdTemplate(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && args[0] == "villages" {
		return templateVillages(ctx, e, args[1:]) // village.go
	}
	if len(args) == 0 || args[0] != "households" {
		fmt.Fprintln(e.stdout, "Usage: tambon template households [--set SET | --round ROUND] [--format csv|xlsx] [--out FILE] [--example]")
		return errUsage
	}
	fs := e.flags("template households", "template households [--set SET | --round ROUND] [--format csv|xlsx] [--out FILE] [--example]")
	setID := fs.String("set", "bmn-2560-2564", "indicator set (its newest version's questions are the template's columns)")
	roundID := fs.String("round", "", "a round: the template of the set version it is pinned to")
	dsn := e.setsDBFlag(fs)
	format := fs.String("format", "", "csv or xlsx (default from --out's extension, else xlsx)")
	out := fs.String("out", "", "output file (default standard output)")
	example := fs.Bool("example", false, "include an example household")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	set, which, err := e.templateSet(ctx, e.setsDSN(fs, *dsn), *setID, *roundID)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "household template of indicator set %s\n", which)
	if *format == "" && filepath.Ext(*out) == "" {
		*format = "xlsx"
	}
	w, c, err := outputWriter(e, *out, *format)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := surveyfile.WriteTemplate(w, set, *example); err != nil {
		return err
	}
	return w.Close()
}
