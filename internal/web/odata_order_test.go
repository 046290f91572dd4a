package web_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"

	"tambon/internal/engine"
	"tambon/internal/store/storetest"
	"tambon/internal/user"
)

// walk reads every page of a query, following @odata.nextLink, each page
// asked with its own page size from sizes (0: the feed's own).
func walk(t *testing.T, base, path, token string, sizes func() int) []map[string]any {
	t.Helper()
	var rows []map[string]any
	for next, pages := path, 0; next != ""; pages++ {
		if pages > 2000 {
			t.Fatalf("%s: 2000 pages and still a next link", path)
		}
		var p odataPage
		if n := sizes(); n > 0 {
			p = mustPage(t, base, next, token, "Prefer", fmt.Sprintf("odata.maxpagesize=%d", n))
			if len(p.Value) > n {
				t.Fatalf("%s: a page of %d rows, asked for at most %d", next, len(p.Value), n)
			}
		} else {
			p = mustPage(t, base, next, token)
		}
		rows = append(rows, p.Value...)
		next = p.NextLink
	}
	return rows
}

// keyOf is a row's key, as the set declares it.
func keyOf(row map[string]any, keys []string) string {
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%v|", row[k])
	}
	return b.String()
}

// cmpKey orders two rows by their keys, property by property.
func cmpKey(a, b map[string]any, keys []string) int {
	for _, k := range keys {
		if c := cmpValue(a[k], b[k]); c != 0 {
			return c
		}
	}
	return 0
}

// cmpValue orders two JSON values as OData orders them: null first, false
// before true, numbers by value, strings by code point.
func cmpValue(a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	switch x := a.(type) {
	case float64:
		y := b.(float64)
		if x < y {
			return -1
		} else if x > y {
			return 1
		}
		return 0
	case bool:
		y := b.(bool)
		if x == y {
			return 0
		} else if y {
			return -1
		}
		return 1
	}
	return strings.Compare(a.(string), b.(string))
}

// $orderby on every entity set: one read in order equals a walk of pages
// of random sizes (no row skipped or repeated, the same order), the rows
// other properties agree with the one read. On SQLite and, with
// TAMBON_TEST_POSTGRES, on PostgreSQL.
func TestODataOrderByPaging(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { odataOrderByPaging(t, mustHouseholdApp(t)) })
	t.Run("postgres", func(t *testing.T) {
		odataOrderByPaging(t, mustHouseholdAppOn(t, mustFixtureOn(t, storetest.MustOpenDSN(t, storetest.PostgresDSN(t)))))
	})
}

func odataOrderByPaging(t *testing.T, app *householdApp) {
	seedVillages(t, app.store)
	base := app.ts.URL
	tok := mustToken(t, app.store, "khaokhlung-order", user.Tambon, "700513")
	seed := rand.Uint64()
	t.Logf("page sizes from seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	for _, c := range []struct {
		set, filter, orderby, token string
		keys                        []string
	}{
		{"Areas", "startswith(Code,'7005')", "Level desc,NameTH", "", []string{"Code"}},
		{"Areas", "startswith(Code,'700513')", "Moo desc", "", []string{"Code"}},
		{"Rounds", "", "SurveyYear desc,Kind", "", []string{"Id"}},
		{"IndicatorResults", "RoundId eq '" + round2562 + "' and startswith(AreaCode,'700513')", "PassedPct desc,Indicator", "", []string{"RoundId", "AreaCode", "Indicator"}},
		{"IndicatorResults", "RoundId eq '" + round2562 + "' and startswith(AreaCode,'7005130')", "Withheld,Surveyed,AreaNameTH desc", "", []string{"RoundId", "AreaCode", "Indicator"}},
		{"Mpi", "startswith(AreaCode,'70')", "Households desc", "", []string{"RoundId", "AreaCode"}},
		{"TargetPoor", "", "Rate desc,AreaNameEN", "", []string{"Year", "AreaCode"}},
		{"VillageLevels", "", "Level,Serious desc", "", []string{"RoundId", "VillageCode"}},
		{"Households", "RoundId eq '" + round2562 + "'", "NetIncome desc,HouseNo", tok, []string{"Id"}},
		// Households sort by what the caller sees: the masked name.
		{"Households", "RoundId eq '" + round2562 + "' and startswith(VillageCode,'7005130')", "Head desc,HouseCode", tok, []string{"Id"}},
	} {
		name := c.set + " by " + c.orderby
		q := "/odata/" + c.set + "?$orderby=" + url.QueryEscape(c.orderby)
		if c.filter != "" {
			q += "&$filter=" + url.QueryEscape(c.filter)
		}
		one := mustPage(t, base, q+"&$count=true", c.token)
		if one.NextLink != "" || one.Count == nil || *one.Count != int64(len(one.Value)) {
			t.Fatalf("%s: one read of %d rows, count %v, next link %q", name, len(one.Value), one.Count, one.NextLink)
		}
		if len(one.Value) < 3 && c.set != "Rounds" && c.set != "TargetPoor" {
			t.Fatalf("%s: %d rows: the test would prove little", name, len(one.Value))
		}
		// The rows are in the asked order, then the key's.
		var orders [][2]any
		for _, item := range strings.Split(c.orderby, ",") {
			f := strings.Fields(item)
			orders = append(orders, [2]any{f[0], len(f) == 2 && f[1] == "desc"})
		}
		for i := 1; i < len(one.Value); i++ {
			a, b := one.Value[i-1], one.Value[i]
			c0 := 0
			for _, o := range orders {
				if c0 = cmpValue(a[o[0].(string)], b[o[0].(string)]); o[1].(bool) {
					c0 = -c0
				}
				if c0 != 0 {
					break
				}
			}
			if c0 == 0 {
				c0 = cmpKey(a, b, c.keys)
				if c0 == 0 {
					t.Fatalf("%s: row %d repeats row %d", name, i, i-1)
				}
			}
			if c0 > 0 {
				t.Fatalf("%s: row %d %v comes after %v", name, i, b, a)
			}
		}
		want := make([]string, len(one.Value))
		for i, row := range one.Value {
			want[i] = keyOf(row, c.keys)
		}
		same := func(what string, rows []map[string]any, want []string) {
			t.Helper()
			if len(rows) != len(want) {
				t.Fatalf("%s, %s: %d rows, want %d", name, what, len(rows), len(want))
			}
			for i, row := range rows {
				if k := keyOf(row, c.keys); k != want[i] {
					t.Fatalf("%s, %s: row %d is %s, want %s", name, what, i, k, want[i])
				}
			}
		}
		// Pages of random sizes, about ten pages a walk (each page of an
		// ordered read sorts the whole filtered set again).
		n := len(want)
		random := func() int { return 1 + rng.IntN(max(2, n/5)) }
		same("pages of random sizes", walk(t, base, q, c.token, random), want)
		if n <= 40 {
			same("pages of 1", walk(t, base, q, c.token, func() int { return 1 }), want)
		}
		// $skip and $top: a window of the one read, however it is paged.
		for _, w := range [][2]int{{0, 1}, {1, 2}, {n / 3, n / 2}, {max(n-1, 0), 5}, {n, 3}, {n + 5, 1}, {2, 0}} {
			skip, top := w[0], w[1]
			got := walk(t, base, fmt.Sprintf("%s&$skip=%d&$top=%d", q, skip, top), c.token, random)
			lo, hi := min(skip, n), min(skip+top, n)
			same(fmt.Sprintf("$skip=%d&$top=%d", skip, top), got, want[lo:hi])
		}
		// @odata.count is the collection's, whatever $skip and $top.
		if p := mustPage(t, base, q+"&$count=true&$skip=1&$top=1", c.token); p.Count == nil || *p.Count != int64(n) {
			t.Errorf("%s: $count with $skip and $top says %v, want %d", name, p.Count, n)
		}
		// /$count, with the same filter.
		cq := "/odata/" + c.set + "/$count"
		if c.filter != "" {
			cq += "?$filter=" + url.QueryEscape(c.filter)
		}
		if status, body, h := odataGet(t, base, cq, c.token, "Accept", "text/plain"); status != 200 || body != fmt.Sprint(n) || !strings.HasPrefix(h.Get("Content-Type"), "text/plain") {
			t.Errorf("%s: /$count %d %q %q, want %d", name, status, body, h.Get("Content-Type"), n)
		}
		// $select of a property that is not the order's: the same rows,
		// in the same order, with the selected property only.
		selected := c.keys[len(c.keys)-1]
		sel := walk(t, base, q+"&$select="+selected, c.token, random)
		if len(sel) != n {
			t.Fatalf("%s, $select=%s: %d rows, want %d", name, selected, len(sel), n)
		}
		for i, row := range sel {
			if len(row) != 1 || row[selected] != one.Value[i][selected] {
				t.Fatalf("%s, $select=%s: row %d is %v, want %v", name, selected, i, row, one.Value[i][selected])
			}
		}
	}
}

// An attacker without a token orders and filters the published figures to
// recover a withheld small count. Withheld figures are null: ordering by
// them ranks the withheld rows by their key alone (whatever the hidden
// counts, which the test reads from the store and checks would have
// ordered them otherwise), no filter finds a count from 1 to 4, and a
// filtered $count counts no withheld row as a value. On SQLite and, with
// TAMBON_TEST_POSTGRES, on PostgreSQL.
func TestODataOrderingLeaksNoWithheldCount(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { odataOrderingLeaks(t, mustHouseholdApp(t)) })
	t.Run("postgres", func(t *testing.T) {
		odataOrderingLeaks(t, mustHouseholdAppOn(t, mustFixtureOn(t, storetest.MustOpenDSN(t, storetest.PostgresDSN(t)))))
	})
}

func odataOrderingLeaks(t *testing.T, app *householdApp) {
	base := app.ts.URL
	ctx := context.Background()
	rd, err := app.store.Round(ctx, round2562)
	if err != nil {
		t.Fatal(err)
	}
	eng, err := engine.ForRound(rd)
	if err != nil {
		t.Fatal(err)
	}
	truth, err := app.store.AllTotals(ctx, eng, round2562)
	if err != nil {
		t.Fatal(err)
	}
	filter := "RoundId eq '" + round2562 + "' and startswith(AreaCode,'700513')"
	keys := []string{"RoundId", "AreaCode", "Indicator"}
	// The exact count behind each row, by the row's place in its area
	// (the feed gives an area's indicators in the set's order, as the
	// totals hold them); a published count must equal it, or the join
	// is wrong and the test would prove nothing.
	hidden := map[string]int64{}
	plain := walk(t, base, "/odata/IndicatorResults?$filter="+url.QueryEscape(filter), "", func() int { return 0 })
	place := map[string]int{}
	withheld := 0
	for _, row := range plain {
		code := row["AreaCode"].(string)
		i := place[code]
		place[code]++
		tot := truth[code]
		if tot == nil || i >= len(tot.Indicators) {
			t.Fatalf("no exact totals for %s indicator %d", code, i)
		}
		exact := tot.Indicators[i].Passed
		hidden[keyOf(row, keys)] = exact
		if row["Passed"] != nil && int64(row["Passed"].(float64)) != exact {
			t.Fatalf("%s: published %v, exact %d: the rows and the totals are not joined right", keyOf(row, keys), row["Passed"], exact)
		}
		if row["Withheld"] == true {
			withheld++
		}
	}
	if withheld < 2 {
		t.Fatalf("%d withheld rows: the attack would prove nothing", withheld)
	}
	for _, prop := range []string{"Passed", "Failed", "PassedPct", "Surveyed"} {
		for _, dir := range []string{"asc", "desc"} {
			rows := walk(t, base, "/odata/IndicatorResults?$filter="+url.QueryEscape(filter)+"&$orderby="+url.QueryEscape(prop+" "+dir), "", func() int { return 20 + rand.IntN(60) })
			// The null rows are one block (first ascending, last
			// descending) in key order.
			var nulls []map[string]any
			first, last := -1, -1
			for i, row := range rows {
				if row[prop] == nil {
					nulls = append(nulls, row)
					if first < 0 {
						first = i
					}
					last = i
				}
			}
			if len(nulls) == 0 {
				continue
			}
			if last-first+1 != len(nulls) || dir == "asc" && first != 0 || dir == "desc" && last != len(rows)-1 {
				t.Errorf("%s %s: the null rows are not one block at the %s end", prop, dir, map[string]string{"asc": "first", "desc": "last"}[dir])
			}
			byHidden := 0
			for i := 1; i < len(nulls); i++ {
				a, b := keyOf(nulls[i-1], keys), keyOf(nulls[i], keys)
				if cmpKey(nulls[i-1], nulls[i], keys) >= 0 {
					t.Fatalf("%s %s: withheld rows ranked %s before %s: the order is not the key's, it may be the hidden count's", prop, dir, a, b)
				}
				if hidden[a] != hidden[b] {
					byHidden++
				}
			}
			if prop == "Passed" && byHidden == 0 {
				t.Fatalf("the withheld rows hide equal counts: ordering by them could not leak, the test would prove nothing")
			}
		}
	}
	// No filter finds a small protected count (the surveyed and failed
	// units; a small passed count of many surveyed is no one's), and
	// $count of a range counts only published values.
	for _, prop := range []string{"Failed", "Surveyed"} {
		f := filter + " and " + prop + " ge 1 and " + prop + " le 4"
		for _, q := range []string{"/odata/IndicatorResults?$count=true&$filter=" + url.QueryEscape(f), "/odata/IndicatorResults?$orderby=" + prop + "&$filter=" + url.QueryEscape(f)} {
			if p := mustPage(t, base, q, ""); len(p.Value) != 0 || p.Count != nil && *p.Count != 0 {
				t.Errorf("%s: %d rows, count %v: a small count is published", q, len(p.Value), p.Count)
			}
		}
		if status, body, _ := odataGet(t, base, "/odata/IndicatorResults/$count?$filter="+url.QueryEscape(f), "", "Accept", "text/plain"); status != 200 || body != "0" {
			t.Errorf("/$count of %s between 1 and 4: %d %q", prop, status, body)
		}
	}
}
