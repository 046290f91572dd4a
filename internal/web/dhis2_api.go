package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/dhis2"
	"tambon/internal/engine"
	"tambon/internal/survey"
	"tambon/internal/user"
)

// The DHIS2 doors of the API (docs/api.md, "DHIS2"): a round's figures of
// an area subtree as DHIS2 data value sets (JSON, XML) and ADX, the mapping
// and the DHIS2 metadata they refer to. The figures are the ones the results
// API and the OData feed publish: suppressed for the public and for roles
// that may not open household records, exact for a caller who may open the
// households of the area asked for (and then written in the audit log).

// dhis2MaxAreas bounds the areas one request reads: a province's
// tambons and villages fit, the country's villages do not (export those
// with `tambon dhis2 export`, or one province at a time).
const dhis2MaxAreas = 3000

func (s *Server) dhis2Routes(mux *http.ServeMux) {
	api := s.api
	mux.Handle("GET /api/v1/dhis2/dataValueSets.json", api(s.apiDHIS2Values(dhis2.FormatJSON)))
	mux.Handle("GET /api/v1/dhis2/dataValueSets.xml", api(s.apiDHIS2Values(dhis2.FormatXML)))
	mux.Handle("GET /api/v1/dhis2/adx", api(s.apiDHIS2Values(dhis2.FormatADX)))
	mux.Handle("GET /api/v1/dhis2/mapping", api(s.apiDHIS2Mapping))
	mux.Handle("GET /api/v1/dhis2/metadata", api(s.apiDHIS2Metadata))
}

// dhis2Round is the round a request names, its engine and default mapping.
func (s *Server) dhis2Round(ctx context.Context, id string) (survey.Round, *engine.Engine, *dhis2.Mapping, error) {
	if id == "" {
		return survey.Round{}, nil, nil, apperr.New(apperr.Invalid, apperr.T("ต้องระบุรอบสำรวจ (round=)", "the round is required (round=)"))
	}
	rounds, err := s.store.Rounds(ctx)
	if err != nil {
		return survey.Round{}, nil, nil, err
	}
	for _, rd := range rounds {
		if rd.ID == id {
			eng, err := engine.ForRound(rd)
			if err != nil {
				return rd, nil, nil, err
			}
			return rd, eng, dhis2.Default(eng.Set(), eng.Poverty()), nil
		}
	}
	return survey.Round{}, nil, nil, apperr.New(apperr.NotFound, apperr.Tf("ไม่มีรอบสำรวจ %s", "there is no survey round %s", id))
}

func (s *Server) apiDHIS2Values(format string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		q := r.URL.Query()
		a, err := s.areaOr404(q.Get("area"))
		if err != nil {
			return err
		}
		rd, eng, m, err := s.dhis2Round(ctx, q.Get("round"))
		if err != nil {
			return err
		}
		u := userFrom(ctx)
		exact := u != nil && u.CanAt(user.ViewHouseholds, a.Code)
		figs, err := s.dhis2Figures(ctx, eng, rd, a, exact)
		if err != nil {
			return err
		}
		var b bytes.Buffer
		if err := m.WriteValues(&b, format, m.Values(rd, figs), s.now()); err != nil {
			return err
		}
		if exact {
			if err := s.audit(ctx, u, "export.exact", a.Code, "dhis2:"+format,
				fmt.Sprintf(`{"round":%q,"areas":%d}`, rd.ID, len(figs))); err != nil {
				return err
			}
		}
		h := w.Header()
		h.Set("Content-Type", dhis2.ContentType(format))
		h.Set("Cache-Control", "private, no-store")
		if exact {
			h.Set("X-Tambon-Figures", "exact")
		} else {
			h.Set("X-Tambon-Figures", "public")
		}
		w.WriteHeader(http.StatusOK)
		_, err = w.Write(b.Bytes())
		return err
	}
}

// dhis2Figures are the figures of every area with households in a's
// subtree, parents first: exact, or as the public results publish them.
func (s *Server) dhis2Figures(ctx context.Context, eng *engine.Engine, rd survey.Round, a area.Area, exact bool) ([]dhis2.Figures, error) {
	as, ok := s.store.(allTotalsStore)
	if !ok {
		return nil, errNoAllTotals
	}
	all, err := as.AllTotals(ctx, eng, rd.ID)
	if err != nil {
		return nil, err
	}
	var codes []string
	for code, t := range all {
		if t != nil && t.Households > 0 && dhis2.InSubtree(code, a.Code) {
			if _, known := s.areas.Get(code); known {
				codes = append(codes, code)
			}
		}
	}
	if len(codes) > dhis2MaxAreas {
		return nil, apperr.New(apperr.Invalid, apperr.Tf(
			"%s มีพื้นที่ที่มีข้อมูล %d แห่ง เกินครั้งละ %d: ส่งออกทีละจังหวัด หรือใช้คำสั่ง tambon dhis2 export",
			"%s has %d areas with figures, more than %d at a time: export one province at a time, or with tambon dhis2 export",
			a.Code, len(codes), dhis2MaxAreas))
	}
	dhis2.SortCodes(codes)
	tambons, err := s.dhis2Tambons(ctx, rd, a.Code)
	if err != nil {
		return nil, err
	}
	var out []dhis2.Figures
	if exact {
		covers := dhis2.Covers(s.areas, codes, tambons, !rd.AggregateOnly)
		for _, c := range codes {
			t, err := s.areaTotals(ctx, eng, rd.ID, c)
			if err != nil {
				return nil, err
			}
			if hasData(t) {
				f := dhis2.FromTotals(eng, c, t, !rd.AggregateOnly)
				f.Cover = covers[c]
				out = append(out, f)
			}
		}
		return out, nil
	}
	// The published aggregates: exactly what a signed-out visitor sees, as
	// the OData feed reads them.
	pub := context.WithValue(ctx, ctxUser, (*user.User)(nil))
	for _, c := range codes {
		ar, _ := s.areas.Get(c)
		body, err := s.resultsOf(pub, ar, rd.ID)
		if err != nil {
			return nil, err
		}
		if body == nil || body.Round.ID != rd.ID {
			continue
		}
		if c := body.Coverage; c != nil && c.VillagesWithData == 0 {
			// Every tambon of the area is left out of the public's figures
			// (not yet certified): its zeros are no figures.
			continue
		}
		out = append(out, publicFigures(c, body, tambons))
	}
	return out, nil
}

// dhis2Tambons are the tambons of a DHIS2 export from this server's store
// (DHIS2Tambons); none when the store keeps no coverage.
func (s *Server) dhis2Tambons(ctx context.Context, rd survey.Round, root string) ([]dhis2.Tambon, error) {
	cs, ok := s.store.(coverageStore)
	if !ok {
		return nil, nil
	}
	ps, _ := s.store.(pdpaStore)
	return DHIS2Tambons(ctx, cs, ps, rd, root)
}

// DHIS2Tambons are the tambons holding data under root in a round, with
// whether and when the province certified each: what the covers of a DHIS2
// export are made of, for the API and `tambon dhis2 export` alike. The
// dates come from ps, which may be nil (no dates).
func DHIS2Tambons(ctx context.Context, cs coverageStore, ps pdpaStore, rd survey.Round, root string) ([]dhis2.Tambon, error) {
	covers, err := cs.RoundCoverage(ctx, rd.ID, root)
	if err != nil {
		return nil, err
	}
	certified := map[string]time.Time{}
	if ps != nil && !rd.AggregateOnly {
		ras, err := ps.RetentionAreas(ctx, rd.ID, root[:min(len(root), 6)])
		if err != nil {
			return nil, err
		}
		for _, a := range ras {
			certified[a.Area] = a.CertifiedAt
		}
	}
	out := make([]dhis2.Tambon, 0, len(covers))
	for _, c := range covers {
		out = append(out, dhis2.Tambon{Code: c.Code, Villages: c.Villages, Certified: !rd.AggregateOnly && c.Status == survey.StatusCertified,
			CertifiedOn: certified[c.Code]})
	}
	return out, nil
}

// publicFigures are the figures of the results API's answer: what it
// withholds is absent, and the coverage and certification are the ones it
// states beside them.
func publicFigures(code string, b *apiResults, tambons []dhis2.Tambon) dhis2.Figures {
	f := dhis2.Figures{Area: code, Households: b.Households, People: b.People, NetIncome: b.NetIncome}
	if c := b.Coverage; c != nil {
		cv := dhis2.Cover{Villages: c.Villages, VillagesWithData: c.VillagesWithData, Reviewed: b.Status != statusPublished,
			TambonsLeftOut: c.TambonsLeftOut, VillagesLeftOut: c.VillagesLeftOut}
		if cert := b.Certification; cert != nil && cv.Reviewed {
			cv.Tambons, cv.Certified = cert.Tambons, cert.TambonsCertified
		}
		f.Cover = dhis2.PublicCover(code, cv, tambons)
	}
	for _, in := range b.Indicators {
		f.Indicators = append(f.Indicators, dhis2.IndicatorFigures{Surveyed: in.Surveyed, Passed: in.Passed, Failed: in.Failed})
	}
	if m := b.MPI; m != nil {
		f.MPI = &dhis2.PovertyFigures{N: m.N, Q: m.Q, H: m.H, A: m.A, M0: m.M0}
	}
	return f
}

func (s *Server) apiDHIS2Mapping(w http.ResponseWriter, r *http.Request) error {
	_, _, m, err := s.dhis2Round(r.Context(), r.URL.Query().Get("round"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	return m.WriteMapping(w)
}

func (s *Server) apiDHIS2Metadata(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	a, err := s.areaOr404(q.Get("area"))
	if err != nil {
		return err
	}
	_, _, m, err := s.dhis2Round(r.Context(), q.Get("round"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	return m.Metadata(dhis2.Areas(s.areas, a.Code)).Write(w)
}
