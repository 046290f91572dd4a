package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tambon/internal/area"
	"tambon/internal/engine"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
)

// provincesForTest returns n provinces of the embedded tree with the
// country, every area inside them, and one village of each.
func provincesForTest(t testing.TB, n int) (areas []area.Area, villages []string) {
	t.Helper()
	tree, err := area.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	first := map[string]string{}
	var provinces []string
	for _, a := range tree.All() { // provinces with villages (Bangkok has none)
		if a.Level == area.Village && len(provinces) < n && !slices.Contains(provinces, a.Code[:2]) {
			provinces = append(provinces, a.Code[:2])
		}
	}
	keep := func(code string) bool {
		for _, p := range provinces {
			if strings.HasPrefix(code, p) {
				return true
			}
		}
		return false
	}
	for _, a := range tree.All() {
		if a.Code == area.CountryCode || keep(a.Code) {
			areas = append(areas, a)
		}
		if a.Level == area.Village && keep(a.Code) && first[a.Code[:2]] == "" {
			first[a.Code[:2]] = a.Code
		}
	}
	for _, p := range provinces {
		if first[p] == "" {
			t.Fatalf("province %s has no village", p)
		}
		villages = append(villages, first[p])
	}
	return areas, villages
}

// withAppName names the connections of a DSN, so that a monitor can tell
// them from every other session on the server.
func withAppName(t testing.TB, dsn, name string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("application_name", name)
	u.RawQuery = q.Encode()
	return u.String()
}

// Writers in different provinces share no row, so on PostgreSQL none of
// them ever waits for a lock another holds, and the statistics they leave
// equal a recompute from scratch (tambon check), the country's included.
// A monitor samples pg_locks and pg_stat_activity all along for a session
// of the store waiting for a lock.
func TestWritersInDifferentProvincesNeverWait(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	ctx := context.Background()
	name := fmt.Sprintf("tambon_provinces_%d", time.Now().UnixNano())
	s := storetest.MustOpenDSN(t, withAppName(t, dsn, name))
	const writers, writes, perWrite = 8, 25, 2
	areas, villages := provincesForTest(t, writers)
	if _, err := s.SyncAreas(ctx, areas, true); err != nil {
		t.Fatal(err)
	}
	eng := mustEngine(t)
	const round = "bmn-2564"
	if err := s.CreateRound(ctx, survey.Round{ID: round, Kind: survey.KindBMN, SurveyYear: 2564, SetID: "bmn-2560-2564"}); err != nil {
		t.Fatal(err)
	}
	// The round already holds households, as in survey season.
	for i, v := range villages {
		if _, err := s.WriteHouseholds(ctx, eng, round, surveyfile.Example(eng.Set(), v, 3, uint64(900+i)), "t", nil); err != nil {
			t.Fatal(err)
		}
	}

	mon, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer mon.Close()
	var samples, waits atomic.Int64
	var waitMu sync.Mutex
	waited := map[string]int{}
	stop := make(chan struct{})
	monDone := make(chan struct{})
	go func() {
		defer close(monDone)
		for {
			select {
			case <-stop:
				return
			default:
			}
			// A wait to extend a table or index file ("extend") is the
			// storage growing, not a row two writers share: it is left out.
			rows, err := mon.QueryContext(ctx, `SELECT COALESCE(a.wait_event, '') || ': ' || a.query FROM pg_stat_activity a
				WHERE a.application_name = $1 AND (a.wait_event_type = 'Lock' AND a.wait_event <> 'extend'
				OR EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND NOT l.granted AND l.locktype <> 'extend'))`, name)
			if err != nil {
				t.Errorf("monitor: %v", err)
				return
			}
			for rows.Next() {
				var q string
				rows.Scan(&q)
				waits.Add(1)
				waitMu.Lock()
				waited[strings.Join(strings.Fields(q), " ")]++
				waitMu.Unlock()
			}
			rows.Close()
			samples.Add(1)
		}
	}()

	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w, v := range villages {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range writes {
				hs := surveyfile.Example(eng.Set(), v, perWrite, uint64(1000*(w+1)+i))
				if _, err := s.WriteHouseholds(ctx, eng, round, hs, "t", nil); err != nil {
					errs <- fmt.Errorf("province %s, write %d: %w", v[:2], i, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	<-monDone
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if samples.Load() < 20 {
		t.Fatalf("the monitor took only %d samples while the writers ran", samples.Load())
	}
	if n := waits.Load(); n > 0 {
		var qs []string
		for q, n := range waited {
			qs = append(qs, fmt.Sprintf("%d× %.160s", n, q))
		}
		sort.Strings(qs)
		t.Errorf("writers in %d different provinces waited for a lock %d times in %d samples:\n%s", writers, n, samples.Load(), strings.Join(qs, "\n"))
	} else {
		t.Logf("%d writes in %d provinces, %d monitor samples, no lock wait", writers*writes, writers, samples.Load())
	}

	checkEqualsRecompute(t, s, eng, round)
	th, err := s.AreaTotals(ctx, eng, round, area.CountryCode)
	if err != nil {
		t.Fatal(err)
	}
	if want := int64(writers * (3 + writes*perWrite)); th.Households != want {
		t.Errorf("the country holds %d households, want %d", th.Households, want)
	}
}

// checkEqualsRecompute is tambon check: the stored statistics of every
// area, the country's included, equal a recompute from the households.
func checkEqualsRecompute(t *testing.T, s *store.Store, eng *engine.Engine, round string) {
	t.Helper()
	ctx := context.Background()
	stored, err := s.AllTotals(ctx, eng, round)
	if err != nil {
		t.Fatal(err)
	}
	rc, err := s.RebuildRound(ctx, round, eng, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rc.Totals) == 0 || rc.Totals[area.CountryCode] == nil {
		t.Fatal("the recompute found nothing")
	}
	for code, fresh := range rc.Totals {
		st, ok := stored[code]
		if !ok {
			st = eng.NewTotals()
		}
		if !st.Equal(fresh) {
			t.Errorf("area %s: stored %d households, a recompute %d", code, st.Households, fresh.Households)
		}
	}
	for code, st := range stored {
		if _, ok := rc.Totals[code]; !ok && !st.IsZero() {
			t.Errorf("area %s is stored but not recomputed", code)
		}
	}
	for _, code := range []string{area.CountryCode} {
		got, err := s.AreaTotals(ctx, eng, round, code)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(rc.Totals[code]) {
			t.Errorf("AreaTotals(%s): %d households, a recompute %d", code, got.Households, rc.Totals[code].Households)
		}
	}
}
