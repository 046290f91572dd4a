package web

import (
	"net/http"
	"strconv"
	"strings"

	"tambon/internal/engine"
)

// provenancePage is "ที่มาของตัวชี้วัด": where each indicator set, the
// village survey's scoring and the poverty index come from, which of their
// rules are provisional and what that means for the figures, in plain words.
// The marks beside provisional indicators on other pages link here.
func (s *Server) provenancePage(w http.ResponseWriter, r *http.Request) error {
	lang := langFrom(r.Context())
	d := provenanceData{}
	bmn, err := s.householdSets(r.Context())
	if err != nil {
		return err
	}
	kcc, err := s.villageSets(r.Context())
	if err != nil {
		return err
	}
	for _, set := range bmn {
		ps := provenanceSet{ID: set.ID, Name: set.Name.In(lang), Provisional: set.Provisional, Total: len(set.Indicators)}
		for _, ind := range set.Indicators {
			if ind.Provenance.Confidence != "S" {
				ps.Unconfirmed = append(ps.Unconfirmed, strconv.Itoa(ind.Number)+". "+ind.Name.In(lang))
			}
		}
		ps.Summary = s.msgs.text(lang, "prov.set.unconfirmed", "n", len(ps.Unconfirmed), "total", ps.Total)
		d.BMN = append(d.BMN, ps)
	}
	for _, set := range kcc {
		ps := provenanceSet{ID: set.ID, Name: set.Name.In(lang), Provisional: set.Provisional, Total: len(set.Indicators)}
		for _, ind := range set.Indicators {
			if ind.Provenance.Uncertain() {
				ps.Unconfirmed = append(ps.Unconfirmed, strconv.Itoa(ind.Number)+". "+ind.Name.In(lang))
			}
		}
		ps.Summary = s.msgs.text(lang, "prov.set.unconfirmed", "n", len(ps.Unconfirmed), "total", ps.Total)
		d.Village = append(d.Village, ps)
	}
	if set, err := s.householdSet(r.Context(), "bmn-2560-2564"); err == nil {
		if x, err := engine.DefaultPoverty(set); err == nil && x != nil {
			var dims []string
			for _, dim := range x.Spec().Dimensions {
				dims = append(dims, dim.Name.In(lang))
			}
			d.MPINow = s.msgs.text(lang, "prov.mpi.now", "name", x.Spec().Name.In(lang), "dims", strings.Join(dims, ", "), "k", x.Spec().K.String())
		}
	}
	return s.render(w, r, http.StatusOK, "provenance", s.msgs.text(lang, "prov.title"), d)
}

type provenanceData struct {
	BMN, Village []provenanceSet
	MPINow       string // the index in use, its dimensions and k
}

// provenanceSet is one indicator set: its name and the indicators whose
// rule no handbook has confirmed yet.
type provenanceSet struct {
	ID, Name    string
	Provisional bool
	Total       int
	Unconfirmed []string
	Summary     string // "n of total indicators are not yet confirmed"
}
