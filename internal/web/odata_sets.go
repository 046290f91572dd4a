package web

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"

	"tambon/internal/area"
	"tambon/internal/engine"
	"tambon/internal/survey"
	"tambon/internal/thai"
	"tambon/internal/user"
	"tambon/internal/village"
)

// The entity sets of the OData feed (odata.go).

// odataSetsOf is a server's entity sets, made once: each set's functions
// are bound to its server.
type odataSetsOf struct {
	once sync.Once
	list []*odataSet
}

func str(name string) odataProp   { return odataProp{name, "Edm.String", false} }
func strN(name string) odataProp  { return odataProp{name, "Edm.String", true} }
func i64(name string) odataProp   { return odataProp{name, "Edm.Int64", false} }
func i64N(name string) odataProp  { return odataProp{name, "Edm.Int64", true} }
func dblN(name string) odataProp  { return odataProp{name, "Edm.Double", true} }
func boolP(name string) odataProp { return odataProp{name, "Edm.Boolean", false} }

// odataSets lists the feed's entity sets.
func (s *Server) odataSets() []*odataSet {
	s.odataSetsOf.once.Do(func() { s.odataSetsOf.list = s.makeODataSets() })
	return s.odataSetsOf.list
}

func (s *Server) makeODataSets() []*odataSet {
	list := []*odataSet{
		{Name: "Areas", Type: "Area", Keys: []string{"Code"}, maxUnits: 100000,
			Doc:   "The national area tree: the country, provinces, districts (amphoe), tambons and villages, with DOPA codes",
			Props: []odataProp{str("Code"), str("Level"), str("NameTH"), str("NameEN"), str("TitleTH"), str("TitleEN"), strN("Parent"), i64("Moo"), i64("Region")},
		},
		{Name: "Rounds", Type: "Round", Keys: []string{"Id"}, maxUnits: 1,
			Doc:   "The survey rounds: จปฐ. rounds of households and TPMAP's published figures",
			Props: []odataProp{str("Id"), str("Kind"), i64("SurveyYear"), str("SetId"), boolP("AggregateOnly"), strN("Source")},
		},
		{Name: "IndicatorResults", Type: "IndicatorResult", Keys: []string{"RoundId", "AreaCode", "Indicator"}, maxUnits: 100,
			Doc: "Each indicator of each area in each round as the public results publish it: a small count, or one that would reveal one, is null and Withheld is true",
			Props: []odataProp{str("RoundId"), str("AreaCode"), str("AreaLevel"), str("AreaNameTH"), str("AreaNameEN"), str("Indicator"), i64("Number"),
				str("NameTH"), str("NameEN"), str("Group"), i64N("Surveyed"), i64N("Passed"), i64N("Failed"), dblN("PassedPct"),
				odataProp{"TargetPct", "Edm.Double", false}, odataProp{"MeetsTarget", "Edm.Boolean", true}, boolP("Withheld"), str("Status")}},
		{Name: "Mpi", Type: "AreaPoverty", Keys: []string{"RoundId", "AreaCode"}, maxUnits: 100,
			Doc: "Each area's households, people, income and multidimensional poverty (Alkire-Foster) in each round, as the public results publish them; withheld figures are null and named in Withheld",
			Props: []odataProp{str("RoundId"), str("AreaCode"), str("AreaLevel"), str("AreaNameTH"), str("AreaNameEN"), i64N("Households"), i64N("People"),
				i64N("NetIncome"), dblN("IncomePerPerson"), strN("MpiSpec"), strN("K"), i64N("N"), i64N("Q"), dblN("H"), dblN("A"), dblN("M0"),
				str("Status"), i64N("VillagesWithData"), i64N("Villages"), str("Withheld")}},
		{Name: "TargetPoor", Type: "TargetPoor", Keys: []string{"Year", "AreaCode"}, maxUnits: 200,
			Doc: "TPMAP's target poor (NESDC, NECTEC) as tambon republishes them, by year and area; withheld counts are null and named in Withheld",
			Props: []odataProp{i64("Year"), str("AreaCode"), str("AreaLevel"), str("AreaNameTH"), str("AreaNameEN"), i64("SurveyYear"), i64N("Households"), i64N("People"),
				i64N("PoorHouseholds"), i64N("Poor"), i64N("Registered"), i64N("TargetPoorCount"), dblN("Rate"), boolP("Published"), str("Withheld")}},
		{Name: "VillageLevels", Type: "VillageLevel", Keys: []string{"RoundId", "VillageCode"}, maxUnits: 100,
			Doc: "The กชช. 2ค village survey: each village's development level (1 lagging, 2 developing, 3 progressing) and how many of its indicators score a serious or moderate problem, as the village pages publish them",
			Props: []odataProp{str("RoundId"), i64("SurveyYear"), str("VillageCode"), str("VillageNameTH"), str("VillageNameEN"), str("TambonCode"),
				i64("Level"), str("LevelNameTH"), str("LevelNameEN"), i64("Serious"), i64("Moderate")}},
		{Name: "Households", Type: "Household", Keys: []string{"Id"}, maxUnits: 20, Personal: true,
			Doc: "Household records of the caller's area, masked (names to their first letter, citizen IDs, house codes, phones); every read is in the audit log",
			Props: []odataProp{i64("Id"), str("RoundId"), str("VillageCode"), strN("HouseCode"), str("HouseNo"), strN("Head"), i64("Members"), i64("Residents"),
				i64("NetIncome"), dblN("IncomePerPerson"), i64("Savings"), i64("DebtInSystem"), i64("DebtOutOfSystem"), str("Status"), str("SurveyDate"),
				str("UpdatedAt")}},
	}
	for _, set := range list {
		switch set.Name {
		case "Areas":
			set.units, set.rows = s.odataAreaUnits, s.odataAreaRows
		case "Rounds":
			set.units, set.rows = odataOneUnit, s.odataRoundRows
		case "IndicatorResults":
			set.units, set.rows = s.odataRoundAreaUnits, s.odataIndicatorRows
		case "Mpi":
			set.units, set.rows = s.odataRoundAreaUnits, s.odataMPIRows
		case "TargetPoor":
			set.units, set.rows = s.odataTPMAPUnits, s.odataTPMAPRows
		case "VillageLevels":
			set.units, set.rows = s.odataVillageUnits, s.odataVillageRows
		case "Households":
			set.units, set.rows = s.odataHouseholdUnits, s.odataHouseholdRows
		}
	}
	return list
}

func odataOneUnit(context.Context, *odataQuery) ([]odataUnit, error) { return []odataUnit{{}}, nil }

func (s *Server) odataRoundRows(ctx context.Context, _ *odataQuery, _ odataUnit) ([]map[string]any, error) {
	rounds, err := s.store.Rounds(ctx)
	if err != nil {
		return nil, err
	}
	var rows []map[string]any
	for _, rd := range rounds {
		var src any
		if rd.Source != "" {
			src = rd.Source
		}
		rows = append(rows, map[string]any{"Id": rd.ID, "Kind": string(rd.Kind), "SurveyYear": int64(rd.SurveyYear), "SetId": rd.SetID,
			"AggregateOnly": rd.AggregateOnly, "Source": src})
	}
	return rows, nil
}

func (s *Server) odataAreaRows(_ context.Context, _ *odataQuery, u odataUnit) ([]map[string]any, error) {
	a, ok := s.areas.Get(u.Area)
	if !ok {
		return nil, nil
	}
	return []map[string]any{s.areaRow(a)}, nil
}

// areaWanted narrows areas by a filter's hints on prop: an exact code, or
// a code prefix.
func areaWanted(q *odataQuery, prop string) func(code string) bool {
	exact, prefix := q.filter.hints(prop)
	if exact == "TH" {
		exact = area.CountryCode
	}
	return func(code string) bool {
		if exact != "" {
			return code == exact
		}
		return strings.HasPrefix(code, prefix)
	}
}

func (s *Server) areaRow(a area.Area) map[string]any {
	var parent any
	if a.Parent != "" {
		parent = a.Parent
	}
	return map[string]any{"Code": a.Code, "Level": a.Level.String(), "NameTH": a.NameTH, "NameEN": a.NameEN, "TitleTH": a.TitleTH(),
		"TitleEN": a.TitleEN(), "Parent": parent, "Moo": int64(a.Moo), "Region": int64(a.Region)}
}

// odataAreas answers the Areas set's units and rows.
func (s *Server) odataAreaUnits(_ context.Context, q *odataQuery) ([]odataUnit, error) {
	want := areaWanted(q, "Code")
	var out []odataUnit
	for _, a := range s.areas.All() {
		if want(a.Code) {
			out = append(out, odataUnit{Area: a.Code})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Area < out[j].Area })
	return out, nil
}

// householdRounds are the rounds with figures of households, newest first,
// narrowed by the filter's RoundId.
func (s *Server) odataRounds(ctx context.Context, q *odataQuery) ([]survey.Round, error) {
	rounds, err := s.store.Rounds(ctx)
	if err != nil {
		return nil, err
	}
	exact, prefix := q.filter.hints("RoundId")
	var out []survey.Round
	for _, rd := range rounds {
		if rd.Kind == survey.KindBMN && (exact == "" || rd.ID == exact) && strings.HasPrefix(rd.ID, prefix) {
			out = append(out, rd)
		}
	}
	return out, nil
}

// odataRoundAreaUnits are the areas with statistics in each round.
func (s *Server) odataRoundAreaUnits(ctx context.Context, q *odataQuery) ([]odataUnit, error) {
	rounds, err := s.odataRounds(ctx, q)
	if err != nil {
		return nil, err
	}
	as, ok := s.store.(allTotalsStore)
	if !ok {
		return nil, errNoAllTotals
	}
	want := areaWanted(q, "AreaCode")
	var out []odataUnit
	for _, rd := range rounds {
		eng, err := engine.ForRound(rd)
		if err != nil {
			return nil, err
		}
		all, err := as.AllTotals(ctx, eng, rd.ID)
		if err != nil {
			return nil, err
		}
		codes := make([]string, 0, len(all))
		for code, t := range all {
			if t != nil && t.Households > 0 && want(code) {
				codes = append(codes, code)
			}
		}
		slices.Sort(codes)
		for _, c := range codes {
			out = append(out, odataUnit{Area: c, Round: rd.ID})
		}
	}
	return out, nil
}

func nullable[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// odataResults is an area's public results of a round, or nil.
func (s *Server) odataResults(ctx context.Context, u odataUnit) (*apiResults, area.Area, error) {
	a, ok := s.areas.Get(u.Area)
	if !ok {
		return nil, a, nil
	}
	body, err := s.resultsOf(ctx, a, u.Round)
	if err != nil || body == nil || body.Round.ID != u.Round {
		return nil, a, err
	}
	return body, a, nil
}

func (s *Server) odataIndicatorRows(ctx context.Context, _ *odataQuery, u odataUnit) ([]map[string]any, error) {
	body, a, err := s.odataResults(ctx, u)
	if err != nil || body == nil {
		return nil, err
	}
	var rows []map[string]any
	for _, ind := range body.Indicators {
		rows = append(rows, map[string]any{"RoundId": u.Round, "AreaCode": a.Code, "AreaLevel": a.Level.String(), "AreaNameTH": a.TitleTH(),
			"AreaNameEN": a.TitleEN(), "Indicator": ind.Code, "Number": int64(ind.Number), "NameTH": ind.NameTH, "NameEN": ind.NameEN,
			"Group": ind.Group, "Surveyed": nullable(ind.Surveyed), "Passed": nullable(ind.Passed), "Failed": nullable(ind.Failed),
			"PassedPct": nullable(ind.PassedPct), "TargetPct": ind.Target, "MeetsTarget": nullable(ind.MeetsTarget), "Withheld": ind.Withheld,
			"Status": body.Status})
	}
	return rows, nil
}

func (s *Server) odataMPIRows(ctx context.Context, _ *odataQuery, u odataUnit) ([]map[string]any, error) {
	body, a, err := s.odataResults(ctx, u)
	if err != nil || body == nil {
		return nil, err
	}
	row := map[string]any{"RoundId": u.Round, "AreaCode": a.Code, "AreaLevel": a.Level.String(), "AreaNameTH": a.TitleTH(), "AreaNameEN": a.TitleEN(),
		"Households": nullable(body.Households), "People": nullable(body.People), "NetIncome": nullable(body.NetIncome),
		"IncomePerPerson": nullable(body.IncomePerPerson), "MpiSpec": nil, "K": nil, "N": nil, "Q": nil, "H": nil, "A": nil, "M0": nil,
		"Status": body.Status, "VillagesWithData": nil, "Villages": nil}
	withheld := slices.Clone(body.Withheld)
	if m := body.MPI; m != nil {
		row["MpiSpec"], row["K"] = m.Spec, m.K.String()
		row["N"], row["Q"], row["H"], row["A"], row["M0"] = nullable(m.N), nullable(m.Q), nullable(m.H), nullable(m.A), nullable(m.M0)
		for _, w := range m.Withheld {
			withheld = append(withheld, "mpi."+w)
		}
	}
	if c := body.Coverage; c != nil {
		row["VillagesWithData"], row["Villages"] = int64(c.VillagesWithData), int64(c.Villages)
	}
	row["Withheld"] = strings.Join(withheld, ",")
	return []map[string]any{row}, nil
}

// odataTPMAPUnits are the areas TPMAP publishes in each year.
func (s *Server) odataTPMAPUnits(ctx context.Context, q *odataQuery) ([]odataUnit, error) {
	ts, ok := s.store.(tpmapStore)
	if !ok {
		return nil, nil
	}
	years, err := ts.TPMAPYears(ctx, area.CountryCode)
	if err != nil {
		return nil, err
	}
	want := areaWanted(q, "AreaCode")
	var out []odataUnit
	for _, y := range years {
		tps, err := ts.TPMAPTargetPoorYear(ctx, y)
		if err != nil {
			return nil, err
		}
		var codes []string
		for _, t := range tps {
			if want(t.Code) {
				codes = append(codes, t.Code)
			}
		}
		slices.Sort(codes)
		for _, c := range slices.Compact(codes) {
			out = append(out, odataUnit{Area: c, Year: y})
		}
	}
	return out, nil
}

func (s *Server) odataTPMAPRows(ctx context.Context, _ *odataQuery, u odataUnit) ([]map[string]any, error) {
	a, ok := s.areas.Get(u.Area)
	if !ok {
		return nil, nil
	}
	v, err := s.tpmapFor(ctx, u.Area, u.Year)
	if err != nil || v == nil || v.Year != u.Year {
		return nil, err
	}
	b := apiTPMAPOf(a.Code, v)
	return []map[string]any{{"Year": int64(b.Year), "AreaCode": a.Code, "AreaLevel": a.Level.String(), "AreaNameTH": a.TitleTH(),
		"AreaNameEN": a.TitleEN(), "SurveyYear": int64(b.SurveyYear), "Households": nullable(b.Households), "People": nullable(b.People),
		"PoorHouseholds": nullable(b.PoorHouseholds), "Poor": nullable(b.Poor), "Registered": nullable(b.Registered),
		"TargetPoorCount": nullable(b.TargetPoor), "Rate": nullable(b.Rate), "Published": b.Published, "Withheld": strings.Join(b.Withheld, ",")}}, nil
}

// odataHouseholdUnits are the villages of the caller's area with
// households, in each round.
func (s *Server) odataHouseholdUnits(ctx context.Context, q *odataQuery) ([]odataUnit, error) {
	rounds, err := s.odataRounds(ctx, q)
	if err != nil {
		return nil, err
	}
	as, ok := s.store.(allTotalsStore)
	if !ok {
		return nil, errNoAllTotals
	}
	want := areaWanted(q, "VillageCode")
	var out []odataUnit
	for _, rd := range rounds {
		if rd.AggregateOnly {
			continue
		}
		eng, err := engine.ForRound(rd)
		if err != nil {
			return nil, err
		}
		all, err := as.AllTotals(ctx, eng, rd.ID)
		if err != nil {
			return nil, err
		}
		var codes []string
		for code, t := range all {
			if len(code) == 8 && t != nil && t.Households > 0 && want(code) && q.user.CanAt(user.ViewHouseholds, code) {
				codes = append(codes, code)
			}
		}
		slices.Sort(codes)
		for _, c := range codes {
			out = append(out, odataUnit{Area: c, Round: rd.ID})
		}
	}
	return out, nil
}

// odataHouseholdRows are a village's households, masked as the household
// list masks them: the head's name to its first letter, the house code.
func (s *Server) odataHouseholdRows(ctx context.Context, q *odataQuery, u odataUnit) ([]map[string]any, error) {
	if !q.user.CanAt(user.ViewHouseholds, u.Area) {
		return nil, nil
	}
	var rows []map[string]any
	err := s.store.EachHousehold(ctx, u.Round, u.Area, func(rec survey.Record) error {
		h := rec.Household
		var head, hc any
		for _, m := range h.Members {
			if m.Relation == survey.RelHead {
				head = maskName(m.FirstName) + " " + maskName(m.LastName)
				break
			}
		}
		if h.HouseCode != "" {
			hc = thai.MaskHouseCode(h.HouseCode)
		}
		var ipp any
		if v, ok := h.IncomePerPerson(); ok {
			ipp = v
		}
		rows = append(rows, map[string]any{"Id": rec.ID, "RoundId": u.Round, "VillageCode": h.VillageCode, "HouseCode": hc, "HouseNo": h.HouseNo,
			"Head": head, "Members": int64(len(h.Members)), "Residents": int64(h.ResidentCount()), "NetIncome": h.NetIncome(), "IncomePerPerson": ipp,
			"Savings": h.Savings, "DebtInSystem": h.Debt.InSystem, "DebtOutOfSystem": h.Debt.OutOfSystem, "Status": string(h.Status),
			"SurveyDate": h.SurveyDate.Format("2006-01-02"), "UpdatedAt": rec.UpdatedAt.UTC().Format("2006-01-02T15:04:05Z")})
		return nil
	})
	return rows, err
}

// odataAudit writes a read of household records to the audit log, as an
// export of the household list is: who, the area, the query, how many.
func (s *Server) odataAudit(ctx context.Context, q *odataQuery, r *http.Request, n int) error {
	detail, err := json.Marshal(map[string]any{"door": "odata", "query": r.URL.RawQuery, "rows": n})
	if err != nil {
		return err
	}
	return s.audit(ctx, q.user, "export.personal", q.user.AreaCode, "odata:Households", string(detail))
}

// odataVillageUnits are the tambons with กชช. 2ค records in each village
// round: one read of the round's standings finds them.
func (s *Server) odataVillageUnits(ctx context.Context, q *odataQuery) ([]odataUnit, error) {
	vs, ok := s.store.(villageStore)
	if !ok {
		return nil, nil
	}
	rounds, err := vs.VillageRounds(ctx)
	if err != nil {
		return nil, err
	}
	exactRound, _ := q.filter.hints("RoundId")
	exact, prefix := q.filter.hints("VillageCode")
	within := prefix
	if exact != "" {
		within = exact
	}
	var out []odataUnit
	for _, rd := range rounds {
		if exactRound != "" && rd.ID != exactRound {
			continue
		}
		sts, err := vs.VillageStandings(ctx, rd.ID, within)
		if err != nil {
			return nil, err
		}
		var tambons []string
		for _, st := range sts {
			if len(st.Village) == 8 {
				tambons = append(tambons, st.Village[:6])
			}
		}
		slices.Sort(tambons)
		for _, t := range slices.Compact(tambons) {
			out = append(out, odataUnit{Area: t, Round: rd.ID, Year: rd.SurveyYear})
		}
	}
	return out, nil
}

func (s *Server) odataVillageRows(ctx context.Context, _ *odataQuery, u odataUnit) ([]map[string]any, error) {
	vs, ok := s.store.(villageStore)
	if !ok {
		return nil, nil
	}
	sts, err := vs.VillageStandings(ctx, u.Round, u.Area)
	if err != nil {
		return nil, err
	}
	var rows []map[string]any
	for _, st := range sts {
		a, _ := s.areas.Get(st.Village)
		name := village.LevelName(st.Level)
		rows = append(rows, map[string]any{"RoundId": u.Round, "SurveyYear": int64(u.Year), "VillageCode": st.Village,
			"VillageNameTH": a.TitleTH(), "VillageNameEN": a.TitleEN(), "TambonCode": u.Area, "Level": int64(st.Level),
			"LevelNameTH": name.TH, "LevelNameEN": name.EN, "Serious": int64(st.Serious), "Moderate": int64(st.Moderate)})
	}
	return rows, nil
}
