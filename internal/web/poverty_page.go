package web

import (
	"bytes"
	"net/http"
	"strings"
	"tambon/internal/tabular"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/engine"
	"tambon/internal/mpi"
)

// povertyPageData compares the MPI of an area at the spec's own cut-off k
// with a k the user chooses, so the effect of k on H, A, M0 and the
// contributions can be seen side by side.
type povertyPageData struct {
	*profile
	RoundQ     string
	SpecName   string
	SpecID     string
	Provenance string
	KText      string // as typed
	KOptions   []option
	Default    mpi.Result
	Chosen     mpi.Result
	Same       bool
	Dims       []povertyDim
	Inds       []povertyInd
	Children   []povertyChild
	// Shown says which figures may be shown (engine.PovertyShown); every
	// one to roles that see exact counts.
	Shown engine.PovertyShown
}

type povertyDim struct {
	Name            string
	Weight          mpi.Frac
	Default, Chosen float64
	Shown           bool // the public may see the contributions
}

type povertyInd struct {
	ID, Name, Dimension string
	Weight              mpi.Frac
	Uncensored          float64
	Default, Chosen     mpi.IndicatorResult
	// ShownUncensored, ShownCensored, ShownContribution: the public may see
	// them.
	ShownUncensored, ShownCensored, ShownContribution bool
}

type povertyChild struct {
	Area   area.Area
	HasMPI bool
	R      mpi.Result
	// Shown says which of R may be shown; ShareShown and ContributionShown
	// whether the shares below may (both areas' counts they need are shown).
	Shown                         engine.PovertyShown
	Hidden                        bool // the child has MPI counts but shows none of them
	ShareShown, ContributionShown bool
	// Share is the child's share of the parent's people; Contribution its
	// share of the parent's M0 (Share × M0 of the child ÷ M0 of the parent):
	// the Alkire-Foster decomposition by area, which sums to 1.
	Share, Contribution float64
}

// kChoices are the cut-offs offered: from any deprivation at all under
// TPMAP's weights (1/20) to half of all weight.
var kChoices = []string{"1/20", "1/10", "3/20", "1/5", "1/4", "1/3", "2/5", "1/2"}

func (s *Server) povertyPage(w http.ResponseWriter, r *http.Request) error {
	a, err := s.areaOr404(r.PathValue("code"))
	if err != nil {
		return err
	}
	d, err := s.povertyData(r, a)
	if err != nil {
		return err
	}
	lang := langFrom(r.Context())
	title := s.msgs.text(lang, "poverty.title") + " · " + view{Lang: lang}.withSrv(s).Name(a)
	return s.render(w, r, http.StatusOK, "poverty", title, d)
}

// povertyData works out the MPI of an area and its children at the spec's
// own k and at the k asked for.
func (s *Server) povertyData(r *http.Request, a area.Area) (*povertyPageData, error) {
	p, err := s.loadProfile(r.Context(), a, r.URL.Query().Get("round"), true)
	if err != nil {
		return nil, err
	}
	lang := langFrom(r.Context())
	d := &povertyPageData{profile: p, RoundQ: roundQuery(p)}
	if !p.HasMPI {
		return d, nil
	}
	x := p.Eng.Poverty()
	spec := x.Spec()
	d.SpecName, d.SpecID, d.Provenance = spec.Name.In(lang), spec.ID, spec.Provenance
	if want := r.URL.Query().Get("spec"); want != "" && want != spec.ID {
		return nil, apperr.New(apperr.Invalid, apperr.Tf(
			"รอบนี้เก็บสถิติตามดัชนี %s เท่านั้น ไม่มี %s", "this round keeps statistics for the index %s only, not %s", spec.ID, want))
	}
	d.Default = p.MPI
	d.KText = strings.TrimSpace(r.URL.Query().Get("k"))
	pub := public(r.Context()) && s.smallCell() > 1
	if pub {
		// Another cut-off could single out a few poor people that the
		// measure's own cut-off keeps in numbers of at least the small-cell
		// threshold (engine.Protect protects that one): the public sees it
		// only.
		d.KText = ""
	}
	d.Shown = p.MPIShown
	k := x.K()
	if d.KText != "" {
		if k, err = mpi.ParseFrac(d.KText); err != nil {
			return nil, err
		}
	} else {
		d.KText = k.String()
	}
	if pub {
		d.Chosen = d.Default
	} else if d.Chosen, err = p.Totals.Poverty.Result(k); err != nil {
		return nil, err
	}
	d.Same = d.Chosen.K == d.Default.K
	for _, c := range kChoices {
		f, _ := mpi.ParseFrac(c)
		d.KOptions = append(d.KOptions, option{Value: c, Label: c, Selected: f == d.Chosen.K})
	}
	for i, dim := range d.Chosen.Dimensions {
		d.Dims = append(d.Dims, povertyDim{Name: s.dimensionName(lang, p, dim.ID), Weight: dim.Weight,
			Default: d.Default.Dimensions[i].Contribution, Chosen: dim.Contribution, Shown: d.Shown.Dimension[i]})
	}
	for i, in := range d.Chosen.Indicators {
		name := in.ID
		for _, si := range spec.Indicators {
			if si.ID == in.ID {
				name = si.Name.In(lang)
			}
		}
		d.Inds = append(d.Inds, povertyInd{ID: in.ID, Name: name, Dimension: s.dimensionName(lang, p, in.Dimension),
			Weight: in.Weight, Uncensored: in.UncensoredRatio, Default: d.Default.Indicators[i], Chosen: in,
			ShownUncensored: d.Shown.Uncensored[i], ShownCensored: d.Shown.Censored[i], ShownContribution: d.Shown.Contribution[i]})
	}
	// Children at the chosen k, from the counts already read.
	for _, c := range p.Children {
		pc := povertyChild{Area: c.Area}
		if res, shown, ok := poverty(c.Totals, k); ok {
			pc.HasMPI, pc.R, pc.Shown, pc.Hidden = true, res, shown, !shown.Any()
			pc.ShareShown = shown.N && d.Shown.N
			pc.ContributionShown = pc.ShareShown && shown.M0 && d.Shown.M0
			if d.Chosen.N > 0 && pc.ShareShown {
				pc.Share = float64(res.N) / float64(d.Chosen.N)
			}
			if d.Chosen.M0 > 0 && pc.ContributionShown {
				pc.Contribution = pc.Share * res.M0 / d.Chosen.M0
			}
		} else if c.Report.AreaWithheld && p.Eng.Poverty() != nil {
			pc.Hidden = true
		}
		d.Children = append(d.Children, pc)
	}
	return d, nil
}

// povertyExport writes the poverty page's tables, one sheet each.
func (s *Server) povertyExport(w http.ResponseWriter, r *http.Request, a area.Area) error {
	d, err := s.povertyData(r, a)
	if err != nil {
		return err
	}
	if !d.HasMPI {
		return apperr.New(apperr.NotFound, apperr.T("รอบนี้ไม่มีสถิติความยากจนหลายมิติ", "this round keeps no multidimensional poverty statistics"))
	}
	lang := langFrom(r.Context())
	t := func(k string, args ...any) string { return s.msgs.text(lang, k, args...) }
	def, cho := "k = "+d.Default.K.String(), "k = "+d.Chosen.K.String()
	hidden := t("sdc.hidden")
	or := func(shown bool, v any) any { // a withheld figure is said to be hidden, never 0
		if !shown {
			return hidden
		}
		return v
	}
	sh := d.Shown
	var buf bytes.Buffer
	x := tabular.NewXLSXWriter(&buf)
	x.NewSheet(sheetName(t("poverty.measures")), []string{t("col.measure"), def, cho})
	x.Write(t("mpi.h")+" H (%)", or(sh.H, round2(d.Default.H*100)), or(sh.H, round2(d.Chosen.H*100)))
	x.Write(t("mpi.a")+" A (%)", or(sh.A, round2(d.Default.A*100)), or(sh.A, round2(d.Chosen.A*100)))
	x.Write(t("mpi.m0")+" M0", or(sh.M0, roundTo(d.Default.M0, 4)), or(sh.M0, roundTo(d.Chosen.M0, 4)))
	x.Write(t("mpi.q"), or(sh.Q, d.Default.Q), or(sh.Q, d.Chosen.Q))
	x.Write(t("mpi.n"), or(sh.N, d.Default.N), or(sh.N, d.Chosen.N))
	x.NewSheet(sheetName(t("table.dimensions")), []string{t("col.dimension"), t("col.weight"), def + " (%)", cho + " (%)"})
	for _, dim := range d.Dims {
		x.Write(dim.Name, dim.Weight.String(), or(dim.Shown, round2(dim.Default*100)), or(dim.Shown, round2(dim.Chosen*100)))
	}
	x.NewSheet(sheetName(t("poverty.indicators")), []string{t("col.indicator"), t("col.dimension"), t("col.weight"),
		t("poverty.uncensored"), t("poverty.censored") + " " + cho, t("col.contribution") + " " + cho + " (%)"})
	for _, in := range d.Inds {
		x.Write(in.Name, in.Dimension, in.Weight.String(), or(in.ShownUncensored, round2(in.Uncensored*100)),
			or(in.ShownCensored, round2(in.Chosen.CensoredRatio*100)), or(in.ShownContribution, round2(in.Chosen.Contribution*100)))
	}
	if len(d.Children) > 0 {
		x.NewSheet(sheetName(t("table.children")), []string{t("area.code"), t("area.name"), t("mpi.n"), "H (%)", "A (%)", "M0", t("mpi.share"), t("mpi.contribution")})
		for _, c := range d.Children {
			row := []any{c.Area.Code, view{Lang: lang}.withSrv(s).Name(c.Area)}
			switch {
			case c.HasMPI:
				row = append(row, or(c.Shown.N, c.R.N), or(c.Shown.H, round2(c.R.H*100)), or(c.Shown.A, round2(c.R.A*100)),
					or(c.Shown.M0, roundTo(c.R.M0, 4)), or(c.ShareShown, round2(c.Share*100)), or(c.ContributionShown, round2(c.Contribution*100)))
			case c.Hidden:
				row = append(row, hidden, hidden, hidden, hidden, hidden, hidden)
			}
			x.Write(row...)
		}
	}
	s.coverageSheet(x, lang, d.profile)
	if err := x.Close(); err != nil {
		return err
	}
	name := "tambon-" + asciiName(a.Code) + "-" + asciiName(d.Round.ID) + "-poverty-k" + asciiName(strings.ReplaceAll(d.Chosen.K.String(), "/", "-")) + ".xlsx"
	writeXLSX(w, name, buf.Bytes())
	return nil
}
