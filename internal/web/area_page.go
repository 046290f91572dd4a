package web

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"

	"tambon/internal/area"
	"tambon/internal/engine"
	"tambon/internal/survey"
	"tambon/internal/thai"
)

// areaPageData is the area profile: the figures of one round, the choices
// of the page (round, map measure, sort) and what the map and charts draw.
type areaPageData struct {
	*profile
	Region     area.Region
	RoundQ     string // "?round=…" or ""
	MapKey     string
	MapOptions []option
	Map        *mapView
	Bars       barsChart
	DimBars    barsChart
	Trend      *linesChart
	Sort, Dir  string
	Heads      map[string]sortHead
	TopN       []engine.IndicatorResult
	Village    *villageBox // กชช. 2ค beside the จปฐ. figures: village_box.go
	Welfare    *welfareBox // the welfare-card register, for officials: welfare_box.go
	TPMAP      *tpmapView  // TPMAP's published target poor: tpmap_box.go
}

// option is one <option> of a select.
type option struct {
	Value, Label string
	Selected     bool
}

// sortHead is a sortable column heading: where clicking goes and the
// aria-sort it announces.
type sortHead struct {
	Href string
	Aria string // ascending, descending or none
}

func (s *Server) areaPage(w http.ResponseWriter, r *http.Request) error {
	a, err := s.areaOr404(r.PathValue("code"))
	if err != nil {
		return err
	}
	ctx := r.Context()
	p, err := s.loadProfile(ctx, a, r.URL.Query().Get("round"), true)
	if err != nil {
		return err
	}
	lang := langFrom(ctx)
	d := &areaPageData{profile: p, RoundQ: roundQuery(p)}
	for _, reg := range s.areas.Regions() {
		if reg.ID == a.Region {
			d.Region = reg
		}
	}
	d.MapKey = mapKeyOf(r.URL.Query().Get("map"), p)
	d.MapOptions = s.mapOptions(lang, p, d.MapKey)
	d.Sort, d.Dir = sortChildren(p.Children, r.URL.Query().Get("sort"), r.URL.Query().Get("dir"), d.MapKey)
	d.Heads = sortHeads(r, d.Sort, d.Dir)
	if p.HasRound {
		d.Bars = s.indicatorBars(lang, p)
		d.DimBars = s.dimensionBars(lang, p)
		if d.Trend, err = s.areaTrend(r, p); err != nil {
			return err
		}
		d.TopN = p.Problems[:min(5, len(p.Problems))]
		if d.Map, err = s.childMap(r, p, d.MapKey); err != nil {
			return err
		}
	}
	if d.Village, err = s.villageBoxFor(ctx, a); err != nil {
		return err
	}
	if d.Welfare, err = s.welfareBoxFor(ctx, a, p); err != nil {
		return err
	}
	tpYear, err := tpmapYearOf(r, "tpmap")
	if err != nil {
		return err
	}
	if d.TPMAP, err = s.tpmapFor(ctx, a.Code, tpYear); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "area", view{Lang: lang}.withSrv(s).Name(a), d)
}

// mapKeyOf settles the measure the map and the children's last column
// show: "below" (indicators below target), "mpi" (H) or an indicator code.
func mapKeyOf(key string, p *profile) string {
	if key == "mpi" && (p.HasMPI || p.ChildHasMPI) {
		return key
	}
	if p.HasRound {
		if _, ok := indicatorByCode(p.Report, key); ok {
			return key
		}
	}
	return "below"
}

func (s *Server) mapOptions(lang string, p *profile, key string) []option {
	t := func(k string, args ...any) string { return s.msgs.text(lang, k, args...) }
	out := []option{{Value: "below", Label: t("map.below"), Selected: key == "below"}}
	if p.HasMPI || p.ChildHasMPI {
		out = append(out, option{Value: "mpi", Label: t("map.mpi"), Selected: key == "mpi"})
	}
	for _, ir := range p.Report.Indicators {
		out = append(out, option{Value: ir.Code, Label: strconv.Itoa(ir.Number) + ". " + ir.Name.In(lang), Selected: key == ir.Code})
	}
	return out
}

// childValue is a child's figure for a map key; ok is false without data.
func childValue(c childStat, key string) (float64, bool) {
	if !c.HasData {
		return 0, false
	}
	switch key {
	case "below":
		return float64(c.Below), c.Assessed > 0
	case "mpi":
		return c.H * 100, c.HasMPI
	}
	ir, ok := indicatorByCode(c.Report, key)
	if !ok || ir.Surveyed == 0 {
		return 0, false
	}
	return round2(ir.PassedPct), true
}

// childHidden reports whether a child has the figure childValue looks for
// but withholds it from the public.
func childHidden(c childStat, key string) bool {
	if !c.HasData {
		return false
	}
	if c.Report.AreaWithheld {
		return true
	}
	switch key {
	case "below":
		return false
	case "mpi":
		return c.HiddenMPI
	}
	ir, ok := indicatorByCode(c.Report, key)
	return ok && ir.Withheld
}

func round2(x float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'f', 2, 64), 64)
	return v
}

// The sortable columns of the children's table.
var sortKeys = []string{"code", "name", "households", "people", "income", "below", "mpi", "value"}

// sortChildren orders the comparison table in place. Areas without data
// always go last, whichever the direction.
func sortChildren(cs []childStat, key, dir, mapKey string) (string, string) {
	if !slices.Contains(sortKeys, key) {
		return "name", "asc" // the tree's own order: Thai dictionary order
	}
	if dir != "desc" {
		dir = "asc"
	}
	val := func(c childStat) (float64, bool) {
		switch key {
		case "households":
			return float64(c.Report.Households), c.HasData
		case "people":
			return float64(c.Report.People), c.HasData
		case "income":
			return c.Report.IncomePerPerson, c.HasData
		case "below":
			return float64(c.Below), c.HasData
		case "mpi":
			return c.H, c.HasMPI
		case "value":
			return childValue(c, mapKey)
		}
		return 0, true
	}
	slices.SortStableFunc(cs, func(a, b childStat) int {
		var r int
		switch key {
		case "code":
			r = cmp.Compare(a.Area.Code, b.Area.Code)
		case "name":
			r = thai.Compare(a.Area.NameTH, b.Area.NameTH)
		default:
			va, oka := val(a)
			vb, okb := val(b)
			if oka != okb {
				if oka {
					return -1
				}
				return 1
			}
			r = cmp.Compare(va, vb)
		}
		if dir == "desc" {
			r = -r
		}
		return r
	})
	return key, dir
}

func sortHeads(r *http.Request, key, dir string) map[string]sortHead {
	out := map[string]sortHead{}
	for _, k := range sortKeys {
		h := sortHead{Aria: "none"}
		next := "asc"
		if k != "code" && k != "name" {
			next = "desc" // big numbers first is what people look for
		}
		if k == key {
			h.Aria = map[string]string{"asc": "ascending", "desc": "descending"}[dir]
			next = map[string]string{"asc": "desc", "desc": "asc"}[dir]
		}
		h.Href = withQuery(r.URL, "sort", k, "dir", next) + "#children"
		out[k] = h
	}
	return out
}

// roundName is how a round is called on a page: "จปฐ. 2562" or
// "TPMAP 2561 (ข้อมูลเผยแพร่)".
func (s *Server) roundName(lang string, r survey.Round) string {
	if r.AggregateOnly {
		return s.msgs.text(lang, "round.aggregate", "year", r.SurveyYear)
	}
	return s.msgs.text(lang, "round.households", "year", r.SurveyYear)
}
