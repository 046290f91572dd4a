package web

import (
	"bytes"
	"context"
	"net/http"
	"slices"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/tabular"
	"tambon/internal/user"
	"tambon/internal/village"
	"tambon/internal/village/villagefile"
)

// villageRoutes registers the กชช. 2ค pages: results of any area or
// village, and the entry form for one village. routes.go calls it once.
func (s *Server) villageRoutes(mux *http.ServeMux) {
	page := s.page
	mux.Handle("GET /villages/{$}", page(s.villageIndex))
	mux.Handle("GET /villages/{vround}/{code}", page(s.villageResults))
	mux.Handle("GET /villages/{vround}/{code}/export.xlsx", page(s.villageExport))
	mux.Handle("GET /villages/{vround}/import", page(s.villageImportPage))
	// Uploads post under /imports, where the body-size limit is an upload's.
	mux.Handle("POST /imports/villages/{vround}", page(s.villageImportUpload))
	mux.Handle("GET /villages/{vround}/{code}/edit", page(s.villageEdit))
	mux.Handle("POST /villages/{vround}/{code}/edit", page(s.villageSave))
}

// villageStore is what the กชช. 2ค pages need from storage. *store.Store
// implements it.
type villageStore interface {
	VillageRounds(ctx context.Context) ([]village.Round, error)
	VillageRound(ctx context.Context, id string) (village.Round, error)
	PreviousVillageRound(ctx context.Context, r village.Round) (village.Round, error)
	VillageRecord(ctx context.Context, round, code string) (village.Record, error)
	EachVillageRecord(ctx context.Context, round, area string, fn func(village.Record) error) error
	VillageStandings(ctx context.Context, round, area string) ([]village.Standing, error)
	VillageCounts(ctx context.Context, round, area string) (village.Counts, error)
	WriteVillages(ctx context.Context, round string, recs []village.Record, by string) (village.WriteSummary, error)
}

func (s *Server) vstore() (villageStore, error) {
	vs, ok := s.store.(villageStore)
	if !ok {
		return nil, apperr.New(apperr.Unavailable, apperr.T("ระบบจัดเก็บนี้ไม่รองรับข้อมูล กชช. 2ค", "this store does not hold กชช. 2ค records"))
	}
	return vs, nil
}

// villageRound loads the {vround} of the URL, its set and the round before.
func (s *Server) villageRound(ctx context.Context, id string) (vs villageStore, rd village.Round, set *village.Set, prev *village.Round, err error) {
	if vs, err = s.vstore(); err != nil {
		return
	}
	if rd, err = vs.VillageRound(ctx, id); err != nil {
		return
	}
	if set, err = village.ForRound(rd); err != nil {
		return
	}
	p, perr := vs.PreviousVillageRound(ctx, rd)
	if perr == nil {
		prev = &p
	} else if !apperr.Is(perr, apperr.NotFound) {
		err = perr
	}
	return
}

// villageIndex sends to the country page of the newest round with villages
// recorded (the newest round when none has any), or says there is
// no round yet.
func (s *Server) villageIndex(w http.ResponseWriter, r *http.Request) error {
	vs, err := s.vstore()
	if err != nil {
		return err
	}
	rs, err := vs.VillageRounds(r.Context())
	if err != nil {
		return err
	}
	if len(rs) == 0 {
		return s.noVillageRound(w, r)
	}
	country, _ := s.areas.Get(area.CountryCode)
	rd, _, err := latestVillageRound(r.Context(), vs, rs, country)
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/villages/"+rd.ID+"/"+area.CountryCode, http.StatusSeeOther)
	return nil
}

// villageResults shows an area's villages by level and problem, or one
// village's scores, with the change since the previous round.
func (s *Server) villageResults(w http.ResponseWriter, r *http.Request) error {
	a, err := s.areaOr404(r.PathValue("code"))
	if err != nil {
		return err
	}
	ctx := r.Context()
	vs, rd, set, prev, err := s.villageRound(ctx, r.PathValue("vround"))
	if err != nil {
		return err
	}
	rounds, err := vs.VillageRounds(ctx)
	if err != nil {
		return err
	}
	lang := langFrom(ctx)
	head := villageHead{Area: a, Crumbs: s.areas.Ancestors(a.Code), Round: rd, Rounds: rounds, Prev: prev, Set: set}
	if a.Level == area.Village {
		d, err := s.villageView(ctx, vs, head, set)
		if err != nil {
			return err
		}
		d.CanEdit = view{User: userFrom(ctx)}.Can("edit_households", a.Code)
		d.Saved = r.URL.Query().Get("saved") == "1"
		return s.render(w, r, http.StatusOK, "village_view", s.msgs.text(lang, "kcc.village.title", "village", view{Lang: lang}.withSrv(s).Name(a)), d)
	}
	d, err := s.villageArea(ctx, vs, head, set, true)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "village_area", s.msgs.text(lang, "kcc.area.title", "area", view{Lang: lang}.withSrv(s).Name(a)), d)
}

// villageExport downloads an area's villages in the import template, so a
// tambon can correct them in Excel and import them back.
func (s *Server) villageExport(w http.ResponseWriter, r *http.Request) error {
	a, err := s.areaOr404(r.PathValue("code"))
	if err != nil {
		return err
	}
	ctx := r.Context()
	vs, rd, set, _, err := s.villageRound(ctx, r.PathValue("vround"))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	x := tabular.NewXLSXWriter(&buf)
	var serr error
	name := func(code string) string { v, _ := s.areas.Get(code); return v.TitleTH() }
	err = villagefile.Write(x, set, name, func(yield func(village.Record) bool) {
		serr = vs.EachVillageRecord(ctx, rd.ID, a.Code, func(rec village.Record) error {
			if !yield(rec) {
				return context.Canceled
			}
			return nil
		})
	})
	if err == nil {
		err = serr
	}
	if err == nil {
		err = x.Close()
	}
	if err != nil {
		return err
	}
	writeXLSX(w, rd.ID+"-"+a.Code+".xlsx", buf.Bytes())
	return nil
}

// villageHead is what every กชช. 2ค page shows at the top.
type villageHead struct {
	Area   area.Area
	Crumbs []area.Area
	Round  village.Round
	Rounds []village.Round
	Prev   *village.Round
	Set    *village.Set
}

// levelRow is one development level's line.
type levelRow struct {
	Level   int
	Name    apperr.Text
	N, Prev int
	HasPrev bool
	Pct     float64
}

// problemRow is one indicator's line: villages by score, and the change in
// serious problems since the previous round.
type problemRow struct {
	Ind                     *village.Indicator
	Serious, Moderate, Fine int
	PrevSerious             int
	HasPrev                 bool
}

// villageChild is one child area's villages by level.
type villageChild struct {
	Area     area.Area
	Standing *village.Standing // for a village child
	PrevLvl  int
	Counts   village.Counts
}

type villageAreaData struct {
	villageHead
	Counts   village.Counts
	Levels   []levelRow
	Problems []problemRow
	Children []villageChild
}

func (s *Server) villageArea(ctx context.Context, vs villageStore, head villageHead, set *village.Set, withChildren bool) (*villageAreaData, error) {
	d := &villageAreaData{villageHead: head}
	var err error
	if d.Counts, err = vs.VillageCounts(ctx, head.Round.ID, head.Area.Code); err != nil {
		return nil, err
	}
	prev := village.NewCounts()
	if head.Prev != nil {
		if prev, err = vs.VillageCounts(ctx, head.Prev.ID, head.Area.Code); err != nil {
			return nil, err
		}
	}
	hasPrev := head.Prev != nil && prev.Villages > 0
	for l := 1; l <= 3; l++ {
		row := levelRow{Level: l, Name: village.LevelName(l), N: d.Counts.ByLevel[l], Prev: prev.ByLevel[l], HasPrev: hasPrev}
		if d.Counts.Villages > 0 {
			row.Pct = 100 * float64(row.N) / float64(d.Counts.Villages)
		}
		d.Levels = append(d.Levels, row)
	}
	for i := range set.Indicators {
		ind := &set.Indicators[i]
		n := d.Counts.ByScore[ind.Code]
		d.Problems = append(d.Problems, problemRow{Ind: ind, Serious: n[1], Moderate: n[2], Fine: n[3],
			PrevSerious: prev.ByScore[ind.Code][1], HasPrev: hasPrev})
	}
	// The worst problems first: most villages with a serious problem, then moderate.
	slices.SortStableFunc(d.Problems, func(a, b problemRow) int {
		if a.Serious != b.Serious {
			return b.Serious - a.Serious
		}
		return b.Moderate - a.Moderate
	})
	if !withChildren {
		return d, nil
	}
	children := s.areas.Children(head.Area.Code)
	if head.Area.Level == area.Subdistrict {
		now, err := vs.VillageStandings(ctx, head.Round.ID, head.Area.Code)
		if err != nil {
			return nil, err
		}
		before := map[string]int{}
		if head.Prev != nil {
			ps, err := vs.VillageStandings(ctx, head.Prev.ID, head.Area.Code)
			if err != nil {
				return nil, err
			}
			for _, p := range ps {
				before[p.Village] = p.Level
			}
		}
		byCode := map[string]*village.Standing{}
		for i := range now {
			byCode[now[i].Village] = &now[i]
		}
		for _, c := range children {
			d.Children = append(d.Children, villageChild{Area: c, Standing: byCode[c.Code], PrevLvl: before[c.Code]})
		}
		return d, nil
	}
	for _, c := range children {
		cc, err := vs.VillageCounts(ctx, head.Round.ID, c.Code)
		if err != nil {
			return nil, err
		}
		if cc.Villages > 0 {
			d.Children = append(d.Children, villageChild{Area: c, Counts: cc})
		}
	}
	return d, nil
}

// scoreRow is one indicator of one village.
type scoreRow struct {
	village.Score
	Answer    string // the raw answer as shown
	PrevScore int    // 0 when there is no previous record
}

type groupRows struct {
	Group village.Group
	Rows  []scoreRow
}

type villageViewData struct {
	villageHead
	Has       bool
	Record    village.Record
	Result    village.Result
	Groups    []groupRows
	PrevLevel int
	CanEdit   bool
	Saved     bool // just saved: say so
}

func (s *Server) villageView(ctx context.Context, vs villageStore, head villageHead, set *village.Set) (*villageViewData, error) {
	d := &villageViewData{villageHead: head}
	rec, err := vs.VillageRecord(ctx, head.Round.ID, head.Area.Code)
	if apperr.Is(err, apperr.NotFound) {
		return d, nil
	}
	if err != nil {
		return nil, err
	}
	d.Has, d.Record = true, rec
	if d.Result, err = set.Evaluate(rec.Answers); err != nil {
		return nil, err
	}
	var prevScores map[string]int
	if head.Prev != nil {
		if old, err := vs.VillageRecord(ctx, head.Prev.ID, head.Area.Code); err == nil {
			if pset, err := village.ForRound(*head.Prev); err == nil {
				if pr, err := pset.Evaluate(old.Answers); err == nil {
					d.PrevLevel = pr.Level
					prevScores = map[string]int{}
					for _, sc := range pr.Scores {
						prevScores[sc.Indicator.Code] = sc.Score
					}
				}
			}
		}
	}
	for _, g := range set.Groups {
		gr := groupRows{Group: g}
		for _, sc := range d.Result.Scores {
			if sc.Indicator.Group == g.Code {
				gr.Rows = append(gr.Rows, scoreRow{Score: sc, Answer: sc.Indicator.Format(sc.Value), PrevScore: prevScores[sc.Indicator.Code]})
			}
		}
		d.Groups = append(d.Groups, gr)
	}
	return d, nil
}

// The template functions of the กชช. 2ค pages.
func init() {
	funcs["kccDiff"] = func(now, before int) string { return funcs["signedInt"].(func(int64) string)(int64(now - before)) }
	funcs["kccStamp"] = formatStamp
}

// noVillageRound is /villages/ before any กชช. 2ค round is opened: it says
// so, and how one is opened — the rounds page for an account that may open
// one, whom to ask for anyone else.
func (s *Server) noVillageRound(w http.ResponseWriter, r *http.Request) error {
	u := userFrom(r.Context())
	d := struct{ MayOpen, SignedIn bool }{SignedIn: u != nil}
	d.MayOpen = u != nil && u.CanAt(user.ManageRounds, area.CountryCode)
	return s.render(w, r, http.StatusOK, "village_none", s.msgs.text(langFrom(r.Context()), "kcc.none.title"), d)
}
