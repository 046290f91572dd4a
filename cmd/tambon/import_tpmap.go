package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/engine"
	"tambon/internal/indicator"
	"tambon/internal/store"
	"tambon/internal/survey"
	"tambon/internal/tpmap"
)

// tpmapRoundID is the id of the aggregate-only round that holds TPMAP's
// published figures of a year: "tpmap-2561".
func tpmapRoundID(year int) string { return fmt.Sprintf("tpmap-%d", year) }

// tpmapRound is the round of TPMAP's 2561 files, which the demo loads.
var tpmapRound = tpmapRoundID(2561)

// importTPMAP loads TPMAP's published CSVs. The year of each file comes from
// its name (61_… is TPMAP 2561) or --year, and must fit its columns (the
// indicators of the จปฐ. set of the year before). Files are checked against
// each other (every published row against the sum of its children) and
// against the area register before anything is written.
func importTPMAP(ctx context.Context, e *env, args []string) error {
	fs := e.flags("import tpmap", "import tpmap [--db …] [--year YYYY] [--round ID] FILE…   (<yy>_<PP>_{village,tambol,amphur}_{common,11111}.csv, e.g. 61_70_village_11111.csv; flags may come before or after the files)")
	dsn := e.dbFlag(fs, "tambon.db")
	roundID := fs.String("round", "", "the aggregate round the common files go to (default tpmap-<year>); only for files of one year")
	year := fs.Int("year", 0, "the TPMAP year (Buddhist era, e.g. 2561) of files whose names do not say it")
	names, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(names) == 0 {
		return apperr.New(apperr.Invalid, apperr.T("ต้องระบุไฟล์ TPMAP อย่างน้อยหนึ่งไฟล์", "give at least one TPMAP file"))
	}
	var files []*tpmap.File
	for _, name := range names {
		f, err := os.Open(name)
		if err != nil {
			return apperr.Wrap(err, apperr.Invalid, apperr.Tf("เปิดไฟล์ %s ไม่ได้", "cannot open %s", name))
		}
		pf, err := tpmap.Parse(filepath.Base(name), f)
		f.Close()
		if err != nil {
			return err
		}
		files = append(files, pf)
	}
	byYear, err := tpmapYears(files, *year)
	if err != nil {
		return err
	}
	if *roundID != "" && len(byYear) > 1 {
		return apperr.New(apperr.Invalid, apperr.Tf(
			"ไฟล์เป็นข้อมูล %d ปี จึงใช้ --round ไม่ได้ (แต่ละปีมีรอบของตัวเอง tpmap-<ปี>)",
			"the files are of %d years, so --round cannot be used (each year has its own round, tpmap-<year>)", len(byYear)))
	}
	s, tree, err := e.openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	sums, _, err := loadTPMAP(ctx, s, tree, *roundID, byYear)
	if err != nil {
		return err
	}
	for _, sum := range sums {
		fmt.Fprintln(e.stdout, sum)
	}
	return nil
}

// tpmapYears sorts files by TPMAP year. A file's year is what its name says
// or, when the name does not say, flagYear; the two must agree, and the year
// must fit the file's columns: TPMAP year Y is built on the จปฐ. survey of
// Y−1, whose indicator set must have the indicators the file has columns for.
func tpmapYears(files []*tpmap.File, flagYear int) (map[int][]*tpmap.File, error) {
	var ps apperr.Problems
	out := map[int][]*tpmap.File{}
	for _, f := range files {
		y := f.Year
		switch {
		case flagYear != 0 && y != 0 && y != flagYear:
			ps = append(ps, apperr.Problem{File: f.Name, Reason: apperr.Tf(
				"ชื่อไฟล์บอกว่าเป็นข้อมูล TPMAP ปี %d แต่ระบุ --year %d",
				"the file name says TPMAP year %d, but --year says %d", y, flagYear)})
			continue
		case y == 0 && flagYear == 0:
			ps = append(ps, apperr.Problem{File: f.Name, Reason: apperr.T(
				"บอกไม่ได้ว่าเป็นข้อมูล TPMAP ปีใด: ในไฟล์ไม่มีปี และชื่อไฟล์ไม่ได้ตั้งตามแบบที่ TPMAP เผยแพร่ (<ปี 2 หลัก>_<รหัสจังหวัด>_<ระดับ>_<ชนิด>.csv เช่น 61_70_village_common.csv) ให้ใช้ชื่อเดิมของไฟล์ หรือระบุ --year เช่น --year 2561",
				"cannot tell which TPMAP year this is: the file holds no year and its name does not follow TPMAP's pattern (<yy>_<province>_<level>_<kind>.csv, e.g. 61_70_village_common.csv); keep the published name or give --year, e.g. --year 2561")})
			continue
		case y == 0:
			y = flagYear
		}
		switch {
		case f.Kind == tpmap.KindPoverty && f.Mask == "":
			ps = append(ps, apperr.Problem{File: f.Name, Reason: apperr.T(
				"ชื่อไฟล์ไม่ได้บอกว่าเป็นข้อมูลคนจนของมิติใด (ไฟล์ของ TPMAP ลงท้ายด้วย _11111.csv เมื่อรวมทั้ง 5 มิติ): ให้ใช้ชื่อเดิมของไฟล์",
				"the file name does not say which dimensions the poverty counts are for (TPMAP names the all-five-dimension files …_11111.csv): keep the published name")})
			continue
		case f.Kind == tpmap.KindPoverty && f.Mask != "11111":
			ps = append(ps, apperr.Problem{File: f.Name, Reason: apperr.Tf(
				"รับเฉพาะไฟล์คนจนเป้าหมายทั้ง 5 มิติ (ชื่อลงท้าย _11111.csv) ไฟล์นี้เป็นชุด %s",
				"only the target-poor files of all five dimensions (named …_11111.csv) are taken; this one is %s", f.Mask)})
			continue
		}
		if why := yearFits(y); why != nil {
			col := "indicator1.ALL"
			if f.Kind == tpmap.KindPoverty {
				col = "poor.JPT.MOFval.ind1.CNT"
			}
			ps = append(ps, apperr.Problem{File: f.Name, Row: 1, Column: col, Reason: *why})
			continue
		}
		out[y] = append(out[y], f)
	}
	if len(ps) > 0 {
		return nil, ps
	}
	return out, nil
}

// tpmapSet is the จปฐ. indicator set TPMAP year y is built on: the built-in
// set whose period holds the survey year y−1.
func tpmapSet(y int) *indicator.Set {
	for _, set := range indicator.Sets() {
		if sy := tpmap.SurveyYear(y); set.PeriodFrom <= sy && sy <= set.PeriodTo {
			return set
		}
	}
	return nil
}

// yearFits explains why a file with TPMAP's columns cannot be of TPMAP year
// y, or returns nil. The files carry the indicators of one จปฐ. set
// (tpmap.NumIndicators of them); the year's set must have as many.
func yearFits(y int) *apperr.Text {
	sy := tpmap.SurveyYear(y)
	set := tpmapSet(y)
	if set == nil {
		t := apperr.Tf(
			"ข้อมูล TPMAP ปี %d สร้างจาก จปฐ. ปี %d แต่ tambon ไม่มีชุดตัวชี้วัด จปฐ. ของปีนั้น: ตรวจปีในชื่อไฟล์",
			"TPMAP year %d is built on the จปฐ. survey of %d, but tambon has no จปฐ. indicator set for that year: check the year in the file name",
			y, sy)
		return &t
	}
	if len(set.Indicators) != tpmap.NumIndicators {
		var from, to int
		for _, s := range indicator.Sets() {
			if len(s.Indicators) == tpmap.NumIndicators {
				from, to = s.PeriodFrom, s.PeriodTo
			}
		}
		t := apperr.Tf(
			"ชื่อไฟล์บอกว่าเป็นข้อมูล TPMAP ปี %d (จปฐ. ปี %d ชุดตัวชี้วัด %d ข้อ) แต่คอลัมน์ในไฟล์เป็นตัวชี้วัด %d ข้อของชุด จปฐ. %d-%d: ปีในชื่อไฟล์ไม่ตรงกับข้อมูล",
			"the file name says TPMAP year %d (จปฐ. %d, a set of %d indicators), but the file's columns are the %d indicators of the จปฐ. %d-%d set: the year in the name does not match the content",
			y, sy, len(set.Indicators), tpmap.NumIndicators, from, to)
		return &t
	}
	return nil
}

// tpmapPlan is what one year's files will write, worked out and checked
// before anything is written.
type tpmapPlan struct {
	year    int
	round   *survey.Round // nil: no village common file, no round
	create  bool          // the round is new
	added   []area.Area
	totals  map[string]*engine.Totals
	target  []tpmap.TargetPoor // the whole year, every province
	summary string
}

// loadTPMAP checks TPMAP files of every year, then stores them: common
// village rows as the statistics of an aggregate round per year (every level
// above their sum), and the target poor of every area (migration 0015). It
// returns a summary per year for the terminal and the area tree grown by any
// villages it added. roundID names the round when there is one year ("" for
// tpmap-<year>). The demo calls it with the embedded files.
func loadTPMAP(ctx context.Context, s *store.Store, tree *area.Tree, roundID string, byYear map[int][]*tpmap.File) (summaries []string, grown *area.Tree, err error) {
	years := make([]int, 0, len(byYear))
	for y := range byYear {
		years = append(years, y)
	}
	slices.Sort(years)
	var plans []*tpmapPlan
	for _, y := range years {
		id := roundID
		if id == "" {
			id = tpmapRoundID(y)
		}
		p, err := planTPMAP(ctx, s, tree, id, y, byYear[y])
		if err != nil {
			return nil, nil, err
		}
		tree, _ = tree.WithVillages(p.added)
		plans = append(plans, p)
	}
	for _, p := range plans {
		if err := p.write(ctx, s); err != nil {
			return nil, nil, err
		}
		summaries = append(summaries, p.summary)
	}
	return summaries, tree, nil
}

// knownArea says whether a code of a TPMAP row may be loaded: an area of the
// register, or a village or municipal tambon the register lacks but whose
// parent it has (they are added as "หมู่ N" or "เขตเทศบาล NN").
func knownArea(tree *area.Tree, code string) bool {
	if _, ok := tree.Get(code); ok {
		return true
	}
	switch len(code) {
	case 8:
		if _, ok := tree.Get(code[:6]); ok {
			return true
		}
		_, municipal := area.NewMunicipalTambon(code[:6])
		_, amphoe := tree.Get(code[:4])
		return municipal && amphoe
	case 6:
		_, municipal := area.NewMunicipalTambon(code)
		_, amphoe := tree.Get(code[:4])
		return municipal && amphoe
	}
	return false
}

func planTPMAP(ctx context.Context, s *store.Store, tree *area.Tree, roundID string, year int, files []*tpmap.File) (*tpmapPlan, error) {
	for _, f := range files {
		if err := f.Validate(func(code string) bool { return knownArea(tree, code) }); err != nil {
			return nil, err
		}
	}
	if err := tpmap.CheckSums(files); err != nil {
		return nil, err
	}
	p := &tpmapPlan{year: year}
	var villageFiles []*tpmap.File
	for _, f := range files {
		if f.Kind == tpmap.KindCommon && f.Level == tpmap.LevelVillage {
			villageFiles = append(villageFiles, f)
		}
	}
	var parts []string
	if len(villageFiles) > 0 {
		if err := p.planRound(ctx, s, tree, roundID, villageFiles); err != nil {
			return nil, err
		}
		th := p.totals[tpmap.Country]
		parts = append(parts, fmt.Sprintf("round %s: %d villages, %d households, %d people",
			roundID, countLevel(p.totals, 8), th.Households, th.People))
	}
	if err := p.planTargetPoor(ctx, s, files); err != nil {
		return nil, err
	}
	published, checked := 0, 0
	for _, f := range files {
		n := len(f.Rows) + len(f.Poverty)
		published += n
		if !isDeepest(f, files) {
			checked += n
		}
	}
	if len(p.target) > 0 {
		parts = append(parts, fmt.Sprintf("target poor of %d areas", len(p.target)))
	}
	p.summary = fmt.Sprintf("TPMAP %d (จปฐ. %d): %s; %d areas added to the area register; %d published rows read, %d checked against the sum of their children and equal",
		year, tpmap.SurveyYear(year), strings.Join(parts, "; "), len(p.added), published, checked)
	return p, nil
}

// isDeepest says whether no file of the same kind and province is deeper.
func isDeepest(f *tpmap.File, files []*tpmap.File) bool {
	for _, g := range files {
		if g.Kind == f.Kind && g.Province == f.Province && g.Level > f.Level {
			return false
		}
	}
	return true
}

func countLevel(m map[string]*engine.Totals, n int) int {
	c := 0
	for code := range m {
		if len(code) == n {
			c++
		}
	}
	return c
}

// planRound turns village common rows into the statistics of the year's
// aggregate round, keeping the villages of other provinces already in it.
func (p *tpmapPlan) planRound(ctx context.Context, s *store.Store, tree *area.Tree, roundID string, files []*tpmap.File) error {
	rd, err := s.Round(ctx, roundID)
	switch {
	case apperr.Is(err, apperr.NotFound):
		set := tpmapSet(p.year)
		rd = survey.Round{ID: roundID, Kind: survey.KindBMN, SurveyYear: p.year, SetID: set.ID,
			AggregateOnly: true, Source: fmt.Sprintf("TPMAP (NESDC, NECTEC) %d", p.year)}
		p.create = true
	case err != nil:
		return err
	case !rd.AggregateOnly || rd.SurveyYear != p.year:
		return apperr.New(apperr.Invalid, apperr.Tf(
			"รอบ %s ไม่ใช่รอบข้อมูลเผยแพร่ของ TPMAP ปี %d: เลือกรอบอื่นด้วย --round หรือไม่ต้องระบุ",
			"round %s is not an aggregate round of TPMAP year %d: choose another with --round, or leave it out",
			roundID, p.year))
	}
	p.round = &rd
	set, err := indicator.ForRound(rd)
	if err != nil {
		return err
	}
	eng, err := engine.New(set, p.year, nil)
	if err != nil {
		return err
	}
	villages := map[string]*engine.Totals{}
	provinces := map[string]bool{}
	seen := map[string]bool{}
	for _, f := range files {
		provinces[f.Province] = true
		for _, r := range f.Rows {
			if _, ok := tree.Get(r.Code); !ok && !seen[r.Code] {
				if v, ok := area.NewVillage(r.Code, ""); ok {
					p.added = append(p.added, v)
					seen[r.Code] = true
				}
				if _, ok := tree.Get(r.Code[:6]); !ok && !seen[r.Code[:6]] {
					if tb, ok := area.NewMunicipalTambon(r.Code[:6]); ok {
						p.added = append(p.added, tb)
						seen[tb.Code] = true
					}
				}
			}
			t := villages[r.Code]
			if t == nil {
				t = eng.NewTotals()
				villages[r.Code] = t
			}
			t.Add(tpmapTotals(eng, r))
		}
	}
	if !p.create {
		// Keep other provinces' villages already in the round.
		old, err := s.AllTotals(ctx, eng, roundID)
		if err != nil {
			return err
		}
		for code, t := range old {
			if len(code) == 8 && !provinces[code[:2]] {
				villages[code] = t
			}
		}
	}
	p.totals = engine.RollUp(villages, eng.NewTotals)
	return nil
}

// planTargetPoor works out the year's target poor at every level, keeping
// other provinces' figures already stored for the year.
func (p *tpmapPlan) planTargetPoor(ctx context.Context, s *store.Store, files []*tpmap.File) error {
	fresh := tpmap.TargetPoorYear(p.year, files)
	if len(fresh) == 0 {
		return nil
	}
	provinces := map[string]bool{}
	for _, t := range fresh {
		provinces[t.Code[:2]] = true
	}
	old, err := s.TPMAPTargetPoorYear(ctx, p.year)
	if err != nil {
		return err
	}
	for _, t := range old {
		if t.Code != tpmap.Country && !provinces[t.Code[:2]] {
			fresh = append(fresh, t)
		}
	}
	p.target = tpmap.WithCountry(fresh)
	return nil
}

// write stores the plan in one transaction. Everything was checked before.
func (p *tpmapPlan) write(ctx context.Context, s *store.Store) error {
	return s.LoadTPMAP(ctx, store.TPMAPLoad{Year: p.year, Round: p.round, NewRound: p.create, Areas: p.added,
		Totals: p.totals, TargetPoor: p.target})
}

// tpmapTotals turns a published row into statistics: TPMAP publishes, per
// indicator, how many were measured and how many failed.
func tpmapTotals(eng *engine.Engine, r tpmap.Row) *engine.Totals {
	t := eng.NewTotals()
	t.Households, t.People = r.Households, r.Members
	for i := range t.Indicators {
		if i < len(r.Indicators) {
			t.Indicators[i] = engine.Count{Eligible: r.Indicators[i].All, Passed: r.Indicators[i].All - r.Indicators[i].Fail}
		}
	}
	return t
}
