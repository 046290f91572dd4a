package web

import (
	"bytes"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"tambon/internal/activity"
	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/engine"
	"tambon/internal/plan"
	"tambon/internal/thai"
	"tambon/internal/user"
)

// The presentation mode of a village forum: one village's figures of one
// round, one idea per screen in large type for a projector or a TV in the
// meeting hall, moved through with the keyboard (←/→, PageUp/PageDown,
// Home/End) or a click, readable without the script (the screens one under
// the other, each linking to the next) and printable as handouts (one
// screen a page). The page is whole: once opened it needs nothing more
// from the server. Figures are the public's, small counts hidden, unless
// the presenter's role sees exact counts (areaTotals); no household or
// person is ever named.

// presentPerScreen is how many indicators or problems one screen lists:
// what reads from the back of a hall.
const presentPerScreen = 6

type presentData struct {
	Area       area.Area
	Place      string // the tambon and amphoe
	Round      string
	HasRound   bool
	Prev       string
	HasPrev    bool
	Public     bool
	Meeting    *activity.Activity
	MeetingDay string

	Households, People, Income string // "" when hidden
	AreaHidden                 bool
	Improved, Worse            []presentInd
	Failing                    [][]presentInd
	FailingCount               int
	Village                    [][]string // กชช. 2ค problems, titles by screen
	VillageRound               string
	HasPoor                    bool
	Poor                       string // "" when hidden
	Vote                       [][]string
	Screens                    int
}

type presentInd struct {
	Number    int
	Name      string
	Unit      string
	Failed    string // "" when hidden
	FailedPct string
	Before    string // the previous round's failed count, for the change screens
}

// chunk cuts a list into screens.
func chunk[T any](xs []T, n int) [][]T {
	var out [][]T
	for len(xs) > 0 {
		k := min(n, len(xs))
		out = append(out, xs[:k])
		xs = xs[k:]
	}
	return out
}

func (s *Server) forumPresent(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, err := signedIn(r)
	if err != nil {
		return err
	}
	a, err := s.areaOr404(r.PathValue("code"))
	if err != nil {
		return err
	}
	if !u.CanAt(user.ViewPlans, a.Code) {
		return deniedPlan()
	}
	if a.Level != area.Village {
		return apperr.New(apperr.Invalid, apperr.T("โหมดนำเสนอเวทีประชาคมใช้กับหมู่บ้านหนึ่งหมู่บ้าน", "the forum presentation is for one village"))
	}
	lang := langFrom(ctx)
	t := func(k string, args ...any) string { return s.msgs.text(lang, k, args...) }
	d := presentData{Area: a}
	if up := s.areas.Ancestors(a.Code); len(up) >= 2 { // the tambon and the amphoe
		d.Place = areaTitle(lang, up[len(up)-1]) + ", " + areaTitle(lang, up[len(up)-2])
	}
	if id, err := strconv.ParseInt(r.URL.Query().Get("activity"), 10, 64); err == nil {
		if st, err := s.actStore(); err == nil {
			if m, err := st.Activity(ctx, id); err == nil && m.AreaCode == a.Code && u.CanAt(user.ViewPlans, m.AreaCode) {
				d.Meeting, d.MeetingDay = &m, day(m.Start, lang)
			}
		}
	}
	p, err := s.loadProfile(ctx, a, r.URL.Query().Get("round"), false)
	if err != nil {
		return err
	}
	d.Public, d.HasRound = p.Public, p.HasRound
	if p.HasRound {
		d.Round = s.roundName(lang, p.Round)
		if p.HasPrev {
			d.HasPrev, d.Prev = true, s.roundName(lang, p.Prev)
		}
		rep := p.Report
		d.AreaHidden = rep.AreaWithheld
		if !rep.HouseholdsWithheld && !rep.AreaWithheld {
			d.Households = thai.FormatInt(rep.Households)
		}
		if !rep.PeopleWithheld && !rep.AreaWithheld {
			d.People = thai.FormatInt(rep.People)
		}
		if rep.IncomePerPerson > 0 {
			d.Income = thai.FormatFloat(rep.IncomePerPerson, 0)
		}
		ind := func(ir engine.IndicatorResult) presentInd {
			x := presentInd{Number: ir.Number, Name: ir.Name.In(lang), Unit: t("unit." + string(ir.Unit))}
			if !ir.Withheld {
				x.Failed, x.FailedPct = thai.FormatInt(ir.Failed), thai.FormatFloat(ir.FailedPct, 1)
			}
			if ir.HasPrev && !ir.ChangeWithheld {
				x.Before = thai.FormatInt(ir.Failed - ir.ChangeFailed)
			}
			return x
		}
		var better, worse []engine.IndicatorResult
		for _, ir := range rep.Indicators {
			if !ir.HasPrev || ir.Withheld || ir.ChangeWithheld {
				continue
			}
			switch {
			case ir.ChangePassedPct > 0.05:
				better = append(better, ir)
			case ir.ChangePassedPct < -0.05:
				worse = append(worse, ir)
			}
		}
		slices.SortStableFunc(better, func(x, y engine.IndicatorResult) int { return cmpFloat(y.ChangePassedPct, x.ChangePassedPct) })
		slices.SortStableFunc(worse, func(x, y engine.IndicatorResult) int { return cmpFloat(x.ChangePassedPct, y.ChangePassedPct) })
		for _, ir := range better[:min(presentPerScreen, len(better))] {
			d.Improved = append(d.Improved, ind(ir))
		}
		for _, ir := range worse[:min(presentPerScreen, len(worse))] {
			d.Worse = append(d.Worse, ind(ir))
		}
		var failing []presentInd
		for _, ir := range p.Problems {
			failing = append(failing, ind(ir))
		}
		// Indicators hidden from the public are still the village's
		// problems: listed, with their counts hidden.
		for _, ir := range rep.Indicators {
			if ir.Withheld && ir.WithheldSurveyed != 0 {
				failing = append(failing, ind(ir))
			}
		}
		d.FailingCount = len(failing)
		d.Failing = chunk(failing, presentPerScreen)
		var vote []string
		for i, x := range failing {
			if i < 2*presentPerScreen {
				vote = append(vote, t("present.indicator", "n", x.Number, "name", x.Name))
			}
		}
		// The กชช. 2ค problems and the poor households, from the plan's
		// problem sources: counts of households, never who.
		var village []string
		for _, src := range s.problemSources() {
			if src.Name() != plan.SourceKCC2C && src.Name() != plan.SourceBMN {
				continue
			}
			props, err := src.Propose(ctx, p.Round.ID, a.Code)
			if err != nil {
				if apperr.Is(err, apperr.NotFound) {
					continue
				}
				return err
			}
			for _, pr := range props {
				switch pr.Source {
				case plan.SourceKCC2C:
					village = append(village, pr.Title.In(lang))
				case plan.SourceMPI:
					d.HasPoor = true
					d.Poor = s.shownCount(p, int64(pr.Households))
				}
			}
		}
		if !d.HasPoor && p.HasMPI {
			d.HasPoor, d.Poor = true, "0"
		}
		d.Village = chunk(village, presentPerScreen+2)
		vote = append(vote, village[:min(presentPerScreen, len(village))]...)
		d.Vote = chunk(vote, 2*presentPerScreen)
	}
	d.Screens = 2 + len(d.Failing) + len(d.Village) + len(d.Vote)
	if d.HasPrev {
		d.Screens += 2
	}
	if d.HasPoor {
		d.Screens++
	}
	return s.renderBare(w, r, "forum_present", t("present.title", "village", areaTitle(lang, a)), d)
}

// shownCount is a count of households behind a figure the statistics do
// not keep (the MPI-poor households), as the presenter may see it: exact
// for roles that see exact counts; for the others hidden wherever the
// public rule hides the village's MPI poor, and when it is itself a small
// count (engine.Protect's threshold).
func (s *Server) shownCount(p *profile, n int64) string {
	if !p.Public {
		return thai.FormatInt(n)
	}
	if p.MPIWithheld || !p.HasMPI || !p.MPIShown.H || n > 0 && n < s.smallCell() {
		return ""
	}
	return thai.FormatInt(n)
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// renderBare writes a page that is a whole document of its own, without
// the site's layout: the forum presentation fills the screen.
func (s *Server) renderBare(w http.ResponseWriter, r *http.Request, name, title string, data any) error {
	tmpl := s.tmpl
	if s.cfg.TemplateDir != "" {
		var err error
		if tmpl, err = s.parseTemplates(); err != nil {
			return err
		}
	}
	v := view{Lang: langFrom(r.Context()), Title: title, User: userFrom(r.Context()), Path: r.URL.Path, Data: data, srv: s}
	v.LangURL = langURL(r.URL, v.Other())
	v.query = r.URL.Query()
	var page bytes.Buffer
	if err := tmpl.ExecuteTemplate(&page, name, v); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	writeCompressed(w, r, http.StatusOK, page.Bytes())
	return nil
}

func init() {
	funcs["inc"] = func(i int) int { return i + 1 }
	funcs["mulInt"] = func(a, b int) int { return a * b }
}
