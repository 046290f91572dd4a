package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/engine"
	"tambon/internal/indicator"
	"tambon/internal/store"
	"tambon/internal/survey"
	"tambon/internal/tpmap"
)

// tpmapRound is the id of the aggregate-only round that holds TPMAP's
// published 2561 figures.
const tpmapRound = "tpmap-2561"

// importTPMAP loads TPMAP's published CSVs as an aggregate-only round: village
// rows become village statistics and every level above is their sum.
// Published tambon and amphoe files, when given, are checked against the sums.
func importTPMAP(ctx context.Context, e *env, args []string) error {
	fs := e.flags("import tpmap", "import tpmap [--round ID] [--db …] FILE…   (61_<PP>_village_common.csv; tambon/amphoe files are checked against the sums)")
	dsn := e.dbFlag(fs, "tambon.db")
	roundID := fs.String("round", tpmapRound, "the aggregate round to load into")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() == 0 {
		return apperr.New(apperr.Invalid, apperr.T("ต้องระบุไฟล์ TPMAP อย่างน้อยหนึ่งไฟล์", "give at least one TPMAP file"))
	}
	var files []*tpmap.File
	for _, name := range fs.Args() {
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
	s, tree, err := e.openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	sum, _, err := loadTPMAP(ctx, s, tree, *roundID, files)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, sum)
	return nil
}

// loadTPMAP stores parsed TPMAP files in an aggregate round and returns a
// summary for the terminal and the area tree grown by any villages it added.
// The demo calls it with the embedded files.
func loadTPMAP(ctx context.Context, s *store.Store, tree *area.Tree, roundID string, files []*tpmap.File) (summary string, grown *area.Tree, err error) {
	if _, err := s.Round(ctx, roundID); apperr.Is(err, apperr.NotFound) {
		err = s.CreateRound(ctx, survey.Round{ID: roundID, Kind: survey.KindBMN, SurveyYear: 2561, SetID: "bmn-2560-2564",
			AggregateOnly: true, Source: "TPMAP (NESDC, NECTEC) 2561"})
		if err != nil {
			return "", nil, err
		}
	} else if err != nil {
		return "", nil, err
	}
	rd, err := s.Round(ctx, roundID)
	if err != nil {
		return "", nil, err
	}
	set, err := indicator.ForRound(rd)
	if err != nil {
		return "", nil, err
	}
	eng, err := engine.New(set, 2561, nil)
	if err != nil {
		return "", nil, err
	}
	// Villages first: unknown tambons are refused; villages that the area
	// register lacks but whose tambon exists are added as "หมู่ N".
	villages := map[string]*engine.Totals{}
	provinces := map[string]bool{}
	var added []area.Area
	seen := map[string]bool{}
	var checks []*tpmap.File
	for _, f := range files {
		if f.Kind != tpmap.KindCommon {
			continue // the poverty files carry no score distribution to store
		}
		if f.Level != tpmap.LevelVillage {
			checks = append(checks, f)
			continue
		}
		if err := f.Validate(func(code string) bool {
			if _, ok := tree.Get(code); ok {
				return true
			}
			if _, ok := tree.Get(code[:6]); ok {
				return true
			}
			_, municipal := area.NewMunicipalTambon(code[:6])
			_, amphoe := tree.Get(code[:4])
			return municipal && amphoe
		}); err != nil {
			return "", nil, err
		}
		provinces[f.Province] = true
		for _, r := range f.Rows {
			if _, ok := tree.Get(r.Code); !ok {
				if v, ok := area.NewVillage(r.Code, ""); ok {
					added = append(added, v)
				}
				if _, ok := tree.Get(r.Code[:6]); !ok && !seen[r.Code[:6]] {
					if tb, ok := area.NewMunicipalTambon(r.Code[:6]); ok {
						added = append(added, tb)
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
	if len(villages) == 0 {
		return "", nil, apperr.New(apperr.Invalid, apperr.T(
			"ไม่มีไฟล์ระดับหมู่บ้าน (61_<PP>_village_common.csv) ในรายการ", "none of the files is a village file (61_<PP>_village_common.csv)"))
	}
	if len(added) > 0 {
		if err := s.AddAreas(ctx, added); err != nil {
			return "", nil, err
		}
	}
	// Keep other provinces' villages already in the round.
	old, err := s.AllTotals(ctx, eng, roundID)
	if err != nil {
		return "", nil, err
	}
	for code, t := range old {
		if len(code) == 8 && !provinces[code[:2]] {
			villages[code] = t
		}
	}
	all := engine.RollUp(villages, eng.NewTotals)
	var mismatches []string
	for _, f := range checks {
		for _, r := range f.Rows {
			got := all[r.Code]
			want := tpmapTotals(eng, r)
			if got == nil || !got.Equal(want) {
				mismatches = append(mismatches, r.Code)
			}
		}
	}
	if len(mismatches) > 0 {
		sort.Strings(mismatches)
		return "", nil, apperr.New(apperr.Invalid, apperr.Tf(
			"ผลรวมของหมู่บ้านไม่ตรงกับแถวที่เผยแพร่ %d แถว (เช่น %s): ไฟล์ไม่ครบหรือมาจากคนละชุด",
			"the village sums differ from %d published rows (e.g. %s): the files are incomplete or from different releases",
			len(mismatches), mismatches[0]))
	}
	if err := s.ReplaceTotals(ctx, roundID, all); err != nil {
		return "", nil, err
	}
	th := all["TH"]
	grown, _ = tree.WithVillages(added)
	return fmt.Sprintf("round %s: %d villages (%d areas added to the area register), %d households, %d people; %d published rows checked and equal",
		roundID, len(villages), len(added), th.Households, th.People, countRows(checks)), grown, nil
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

func countRows(fs []*tpmap.File) int {
	n := 0
	for _, f := range fs {
		n += len(f.Rows)
	}
	return n
}
