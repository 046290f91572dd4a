package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"tambon/internal/engine"
	"tambon/internal/mpi"
	"tambon/internal/store"
	"tambon/internal/tpmap"
)

// apiFigures is what the attacker reads of /api/v1/areas/{code}/results:
// every count is a pointer, absent when withheld.
type apiFigures struct {
	PreviousRound *struct {
		ID string `json:"id"`
	} `json:"previous_round"`
	Households    *int64 `json:"households"`
	People        *int64 `json:"people"`
	WithheldBelow int64  `json:"withheld_below"`
	Indicators    []struct {
		Surveyed     *int64   `json:"surveyed"`
		Passed       *int64   `json:"passed"`
		Failed       *int64   `json:"failed"`
		PassedPct    *float64 `json:"passed_pct"`
		ChangeFailed *int64   `json:"change_failed"`
		Withheld     bool     `json:"withheld"`
	} `json:"indicators"`
	MPI *struct {
		N          *int64   `json:"n"`
		Q          *int64   `json:"q"`
		H          *float64 `json:"h"`
		A          *float64 `json:"a"`
		M0         *float64 `json:"m0"`
		Indicators []struct {
			Contribution *float64 `json:"contribution"`
		} `json:"indicators"`
	} `json:"mpi"`
}

// The attacker, on the demo: every published figure of every area and
// round, read signed out from the results API (what the pages, the report
// and the Excel files show too), the relations every reader knows (each
// level the sum of the one below, surveyed = passed + failed, a change the
// difference of two rounds, H, A, M0 and the contributions as ratios of
// counts), and, by linear programming, the interval each hidden count is
// known to lie in. No count from 1 to 4 may be narrowed to fewer than five
// values.
func TestDemoSmallCountsCannotBeRecovered(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the demo")
	}
	ctx := context.Background()
	db := os.Getenv("TAMBON_TEST_DEMO_DB") // a demo database built before, to look again quickly
	if db == "" {
		db = tempDB(t)
	}
	base, _ := startApp(t, nil, "demo", "--db", db)
	e := &env{getenv: func(string) string { return "" }, stdout: io.Discard, stderr: io.Discard,
		log: slog.New(slog.NewTextHandler(io.Discard, nil)), now: time.Now}
	s, _, err := e.openStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rounds, err := s.Rounds(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const below = 5
	a := engine.NewAudit()
	truth := map[string]int64{}
	smallArea := map[string]bool{}
	key := func(round, code, m string) string { return round + "|" + code + "|" + m }
	term := func(c string, coef float64) engine.Term { return engine.Term{Cell: c, Coef: coef} }
	read, hidden, odataRead := 0, 0, 0
	for _, rd := range rounds {
		eng, err := engine.ForRound(rd)
		if err != nil {
			continue // a village survey round: no household statistics
		}
		all, err := s.AllTotals(ctx, eng, rd.ID)
		if err != nil || len(all) == 0 {
			continue
		}
		var units []int64 // nil when the round keeps no MPI counts (published aggregates)
		for _, tt := range all {
			if x := eng.Poverty(); x != nil && tt.Poverty != nil && tt.Poverty.N > 0 {
				units = x.Units()
				break
			}
		}
		measures := []string{"hh", "pp"}
		for i := range eng.Set().Indicators {
			measures = append(measures, fmt.Sprint("E", i), fmt.Sprint("P", i), fmt.Sprint("F", i))
		}
		if units != nil {
			measures = append(measures, "N", "Q", "W")
			for j := range units {
				measures = append(measures, fmt.Sprint("C", j))
			}
		}
		kids := map[string][]string{}
		for code, tt := range all {
			k := func(m string) string { return key(rd.ID, code, m) }
			if code != "TH" {
				parent := "TH"
				if len(code) > 2 {
					parent = code[:len(code)-2]
				}
				kids[parent] = append(kids[parent], code)
			}
			// The truth, to judge the attack by.
			truth[k("hh")], truth[k("pp")] = tt.Households, tt.People
			smallArea[rd.ID+"|"+code] = tt.Households > 0 && tt.Households < below || tt.People > 0 && tt.People < below
			for i, c := range tt.Indicators {
				truth[k(fmt.Sprint("E", i))], truth[k(fmt.Sprint("P", i))], truth[k(fmt.Sprint("F", i))] = c.Eligible, c.Passed, c.Eligible-c.Passed
			}
			if res, err := engine.Poverty(tt, mpi.Frac{}); err == nil && units != nil {
				truth[k("N")], truth[k("Q")], truth[k("W")] = res.N, res.Q, res.PoorScore
				for j, ir := range res.Indicators {
					truth[k(fmt.Sprint("C", j))] = ir.Censored
				}
			}
			// What the public reads.
			var f apiFigures
			status := getJSON(t, base+"/api/v1/areas/"+code+"/results?round="+rd.ID, &f)
			read++
			if status == http.StatusNotFound {
				for _, m := range measures {
					a.Know(k(m), 0)
				}
				continue
			}
			know := func(m string, v *int64) {
				if v != nil {
					a.Know(k(m), float64(*v))
				} else {
					hidden++
				}
			}
			oldHiddenArea := f.WithheldBelow > 0 && f.Households != nil && *f.Households == 0
			if oldHiddenArea { // an older answer's "0" for a hidden area: nothing of it is true
				f.Households, f.People = nil, nil
				for i := range f.Indicators {
					f.Indicators[i].Withheld = true
				}
			}
			know("hh", f.Households)
			know("pp", f.People)
			for i, ir := range f.Indicators {
				e, p, fl := fmt.Sprint("E", i), fmt.Sprint("P", i), fmt.Sprint("F", i)
				a.Relate(term(k(e), 1), term(k(p), -1), term(k(fl), -1))
				if ir.Withheld { // hidden counts may read 0 in an older answer
					if ir.Surveyed != nil && *ir.Surveyed == 0 {
						ir.Surveyed = nil
					}
					ir.Passed, ir.Failed = nil, nil
				}
				know(e, ir.Surveyed)
				know(p, ir.Passed)
				know(fl, ir.Failed)
				if ir.PassedPct != nil && ir.Surveyed != nil && ir.Passed == nil {
					a.Know(k(p), math.Round(*ir.PassedPct*float64(*ir.Surveyed)/100))
				}
				if ir.ChangeFailed != nil && f.PreviousRound != nil {
					// failed now − failed before = change
					a.Relate(term(k(fl), 1), term(key(f.PreviousRound.ID, code, fl), -1), term(k("chg"+fl), -1))
					a.Know(k("chg"+fl), float64(*ir.ChangeFailed))
				}
			}
			if units == nil {
				continue
			}
			// W, the poor's scores in 1/D, is Σ units × censored counts.
			ws := []engine.Term{term(k("W"), -1)}
			for j, u := range units {
				ws = append(ws, term(k(fmt.Sprint("C", j)), float64(u)))
			}
			a.Relate(ws...)
			m := f.MPI
			if m == nil {
				continue // hidden, or nobody counted: the attacker assumes nothing
			}
			d := float64(eng.Poverty().Denominator())
			know("N", m.N)
			know("Q", m.Q)
			if m.Q == nil && m.H != nil && m.N != nil {
				a.Know(k("Q"), math.Round(*m.H*float64(*m.N)))
			}
			var w float64 = -1
			switch {
			case m.A != nil && a.Known(k("Q")):
				w = math.Round(*m.A * float64(*m.Q) * d)
			case m.M0 != nil && m.N != nil:
				w = math.Round(*m.M0 * float64(*m.N) * d)
			}
			if w >= 0 {
				a.Know(k("W"), w)
				for j, c := range m.Indicators {
					if c.Contribution != nil && units[j] > 0 {
						a.Know(k(fmt.Sprint("C", j)), math.Round(*c.Contribution*w/float64(units[j])))
					}
				}
			}
		}
		// The same round as the OData feed publishes it to Excel and Power
		// BI: every row of every page, each figure learnt as above.
		byCode := map[string]int{}
		for i, ind := range eng.Set().Indicators {
			byCode[ind.Code] = i
		}
		filter := url.QueryEscape("RoundId eq '" + rd.ID + "'")
		for next := base + "/odata/IndicatorResults?$filter=" + filter; next != ""; {
			var p odataFeed[odataIndicatorRow]
			if status := getJSON(t, next, &p); status != http.StatusOK {
				t.Fatalf("OData %s: %d", next, status)
			}
			for _, row := range p.Value {
				odataRead++
				i, ok := byCode[row.Indicator]
				if !ok {
					t.Fatalf("OData names the indicator %s, which round %s does not have", row.Indicator, rd.ID)
				}
				k := func(m string) string { return key(rd.ID, row.AreaCode, m) }
				e, pp, fl := fmt.Sprint("E", i), fmt.Sprint("P", i), fmt.Sprint("F", i)
				for _, f := range []struct {
					m string
					v *int64
				}{{e, row.Surveyed}, {pp, row.Passed}, {fl, row.Failed}} {
					if f.v != nil {
						a.Know(k(f.m), float64(*f.v))
					}
				}
				if row.PassedPct != nil && row.Surveyed != nil && row.Passed == nil {
					a.Know(k(pp), math.Round(*row.PassedPct*float64(*row.Surveyed)/100))
				}
			}
			next = p.NextLink
		}
		for next := base + "/odata/Mpi?$filter=" + filter; next != ""; {
			var p odataFeed[odataMPIRow]
			if status := getJSON(t, next, &p); status != http.StatusOK {
				t.Fatalf("OData %s: %d", next, status)
			}
			for _, row := range p.Value {
				odataRead++
				k := func(m string) string { return key(rd.ID, row.AreaCode, m) }
				for _, f := range []struct {
					m string
					v *int64
				}{{"hh", row.Households}, {"pp", row.People}, {"N", row.N}, {"Q", row.Q}} {
					if f.v != nil && (units != nil || f.m == "hh" || f.m == "pp") {
						a.Know(k(f.m), float64(*f.v))
					}
				}
				if units == nil {
					continue
				}
				if row.Q == nil && row.H != nil && row.N != nil {
					a.Know(k("Q"), math.Round(*row.H*float64(*row.N)))
				}
				d := float64(eng.Poverty().Denominator())
				switch {
				case row.A != nil && a.Known(k("Q")):
					a.Know(k("W"), math.Round(*row.A*float64(*row.Q)*d))
				case row.M0 != nil && row.N != nil:
					a.Know(k("W"), math.Round(*row.M0*float64(*row.N)*d))
				}
			}
			next = p.NextLink
		}
		for parent, ks := range kids {
			for _, m := range measures {
				terms := []engine.Term{term(key(rd.ID, parent, m), 1)}
				for _, c := range ks {
					terms = append(terms, term(key(rd.ID, c, m), -1))
				}
				a.Relate(terms...)
			}
		}
	}
	if read == 0 || hidden == 0 || odataRead == 0 {
		t.Fatalf("read %d answers and %d OData rows with %d hidden figures: the test would prove nothing", read, odataRead, hidden)
	}
	a.Only = func(c string) bool { // the small counts: the cells to judge
		parts := strings.Split(c, "|")
		if len(parts) != 3 || parts[2] == "W" || parts[2][0] == 'P' || strings.HasPrefix(parts[2], "chg") {
			return false
		}
		v := truth[c]
		return v > 0 && (v < below || smallArea[parts[0]+"|"+parts[1]])
	}
	bounds, ok := a.Bounds()
	if !ok {
		t.Fatal("the published figures contradict each other")
	}
	var bad []string
	for c, iv := range bounds {
		parts := strings.Split(c, "|")
		if len(parts) != 3 || parts[2] == "W" || parts[2][0] == 'P' || strings.HasPrefix(parts[2], "chg") {
			continue // sums of weights, passed counts and changes are not counts of the deprived
		}
		v, ok := truth[c]
		if !ok {
			continue
		}
		if (v > 0 && v < below || smallArea[parts[0]+"|"+parts[1]] && v > 0) && iv.Width() < below {
			bad = append(bad, fmt.Sprintf("%s = %d, known to lie in [%g, %g]", c, v, iv.Lo, iv.Hi))
		}
	}
	slices.Sort(bad)
	t.Logf("read %d results answers and %d OData rows; %d figures hidden; %d hidden cells audited", read, odataRead, hidden, len(bounds))
	if len(bad) > 0 {
		t.Errorf("%d small counts can be recovered from the public figures, e.g.:\n%s", len(bad), strings.Join(bad[:min(10, len(bad))], "\n"))
	}
	t.Run("tpmap", func(t *testing.T) { auditTPMAP(t, ctx, base, s, below) })
}

// odataFeed is a page of the OData feed as the attacker reads it.
type odataFeed[T any] struct {
	Value    []T    `json:"value"`
	NextLink string `json:"@odata.nextLink"`
}

type odataIndicatorRow struct {
	AreaCode, Indicator      string
	Surveyed, Passed, Failed *int64
	PassedPct                *float64
}

type odataMPIRow struct {
	AreaCode                 string
	Households, People, N, Q *int64
	H, A, M0                 *float64
}

type odataTPMAPRow struct {
	AreaCode                                                              string
	Households, People, PoorHouseholds, Poor, Registered, TargetPoorCount *int64
	Rate                                                                  *float64
}

// apiTPMAP is what the attacker reads of /api/v1/areas/{code}/target-poor:
// every count a pointer, absent when withheld.
type apiTPMAP struct {
	Households     *int64            `json:"households"`
	People         *int64            `json:"people"`
	PoorHouseholds *int64            `json:"poor_households"`
	Poor           *int64            `json:"poor"`
	Registered     *int64            `json:"registered"`
	TargetPoor     *int64            `json:"target_poor"`
	Rate           *float64          `json:"rate"`
	Dimensions     map[string]*int64 `json:"dimensions"`
	Indicators     []struct {
		TargetPoor *int64 `json:"target_poor_failing"`
	} `json:"indicators"`
}

// auditTPMAP is the same attack on TPMAP's published target poor as tambon
// republishes them: every area of the year read signed out, each level the
// sum of the one below, the rate as target poor over people; no count from 1
// to 4 may be narrowed to fewer than five values.
func auditTPMAP(t *testing.T, ctx context.Context, base string, s *store.Store, below int64) {
	const year = 2561
	rows, err := s.TPMAPTargetPoorYear(ctx, year)
	if err != nil || len(rows) == 0 {
		t.Fatalf("the demo keeps no TPMAP %d target poor: %v", year, err)
	}
	a := engine.NewAudit()
	truth := map[string]int64{}
	term := func(c string, coef float64) engine.Term { return engine.Term{Cell: c, Coef: coef} }
	measures := []string{"hh", "pp", "ph", "po", "rg", "tp"}
	for _, d := range tpmap.Dimensions {
		measures = append(measures, "d:"+d)
	}
	for i := range rows[0].Indicators {
		measures = append(measures, fmt.Sprint("i", i))
	}
	codes := map[string]bool{}
	for _, r := range rows {
		codes[r.Code] = true
	}
	kids := map[string][]string{}
	read, hidden := 0, 0
	for _, r := range rows {
		k := func(m string) string { return r.Code + "|" + m }
		if r.Code != "TH" {
			parent := "TH"
			if len(r.Code) > 2 {
				parent = r.Code[:len(r.Code)-2]
			}
			if codes[parent] {
				kids[parent] = append(kids[parent], r.Code)
			}
		}
		truth[k("hh")], truth[k("pp")], truth[k("ph")] = r.Households, r.People, r.PoorHouseholds
		truth[k("po")], truth[k("rg")], truth[k("tp")] = r.Poor, r.Registered, r.TargetPoor
		for i, d := range tpmap.Dimensions {
			truth[k("d:"+d)] = r.Dimensions[i]
		}
		for i, n := range r.Indicators {
			truth[k(fmt.Sprint("i", i))] = n
		}
		var f apiTPMAP
		status := getJSON(t, fmt.Sprintf("%s/api/v1/areas/%s/target-poor?year=%d", base, r.Code, year), &f)
		if status == http.StatusNotFound {
			continue // an area the register lacks: nothing published
		}
		read++
		know := func(m string, v *int64) {
			if v != nil {
				a.Know(k(m), float64(*v))
			} else {
				hidden++
			}
		}
		know("hh", f.Households)
		know("pp", f.People)
		know("ph", f.PoorHouseholds)
		know("po", f.Poor)
		know("rg", f.Registered)
		know("tp", f.TargetPoor)
		if f.TargetPoor == nil && f.Rate != nil && f.People != nil {
			a.Know(k("tp"), math.Round(*f.Rate*float64(*f.People)/100))
		}
		for _, d := range tpmap.Dimensions {
			know("d:"+d, f.Dimensions[d])
		}
		for i, ind := range f.Indicators {
			know(fmt.Sprint("i", i), ind.TargetPoor)
		}
	}
	// TPMAP's target poor as the OData feed publishes them.
	odataRead := 0
	for next := base + "/odata/TargetPoor?$filter=" + url.QueryEscape(fmt.Sprintf("Year eq %d", year)); next != ""; {
		var p odataFeed[odataTPMAPRow]
		if status := getJSON(t, next, &p); status != http.StatusOK {
			t.Fatalf("OData %s: %d", next, status)
		}
		for _, row := range p.Value {
			odataRead++
			for _, f := range []struct {
				m string
				v *int64
			}{{"hh", row.Households}, {"pp", row.People}, {"ph", row.PoorHouseholds}, {"po", row.Poor}, {"rg", row.Registered}, {"tp", row.TargetPoorCount}} {
				if f.v != nil {
					a.Know(row.AreaCode+"|"+f.m, float64(*f.v))
				}
			}
			if row.TargetPoorCount == nil && row.Rate != nil && row.People != nil {
				a.Know(row.AreaCode+"|tp", math.Round(*row.Rate*float64(*row.People)/100))
			}
		}
		next = p.NextLink
	}
	if odataRead == 0 {
		t.Fatal("the OData feed publishes no TPMAP rows: the attack on it proves nothing")
	}
	for parent, ks := range kids {
		for _, m := range measures {
			terms := []engine.Term{term(parent+"|"+m, 1)}
			for _, c := range ks {
				terms = append(terms, term(c+"|"+m, -1))
			}
			a.Relate(terms...)
		}
	}
	if read == 0 || hidden == 0 {
		t.Fatalf("read %d target-poor answers with %d hidden figures: the test would prove nothing", read, hidden)
	}
	small := func(c string) bool { v := truth[c]; return v > 0 && v < below }
	a.Only = small
	bounds, ok := a.Bounds()
	if !ok {
		t.Fatal("TPMAP's published figures contradict each other")
	}
	var bad []string
	for c, iv := range bounds {
		if small(c) && iv.Width() < float64(below) {
			bad = append(bad, fmt.Sprintf("%s = %d, known to lie in [%g, %g]", c, truth[c], iv.Lo, iv.Hi))
		}
	}
	slices.Sort(bad)
	t.Logf("read %d target-poor answers; %d figures hidden; %d hidden cells audited", read, hidden, len(bounds))
	if len(bad) > 0 {
		t.Errorf("%d small TPMAP counts can be recovered from the public figures, e.g.:\n%s", len(bad), strings.Join(bad[:min(10, len(bad))], "\n"))
	}
}

// getJSON fetches a URL signed out and decodes its JSON body.
func getJSON(t testing.TB, url string, into any) int {
	t.Helper()
	status, body, _ := get(t, url)
	if status == http.StatusOK {
		if err := json.Unmarshal([]byte(body), into); err != nil {
			t.Fatalf("%s: %v", url, err)
		}
	}
	return status
}
