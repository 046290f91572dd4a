package main

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/marcboeker/go-duckdb"

	"tambon/internal/engine"
	"tambon/internal/indicator"
	"tambon/internal/store"
	"tambon/internal/survey"
)

// subsetCodes are the indicators DuckDB computes in SQL: every person
// indicator whose eligibility is an age band alone and whose pass rule is
// one answer (3, 6, 7, 15, 16, 19, 26, 27), and the income indicator (22:
// net income ÷ resident members ≥ the year's threshold). Ages are completed
// years at the reference date, exactly as package indicator counts them.
var subsetCodes = []string{"3", "6", "7", "15", "16", "19", "22", "26", "27"}

const surveyYear = 2564

func recompute(args []string) error {
	fs := flag.NewFlagSet("recompute", flag.ExitOnError)
	var o options
	o.register(fs)
	o.runs = 3
	workers := fs.Int("workers", 2, "goroutines for Go, threads for DuckDB")
	db := fs.String("db", os.Getenv("TAMBON_DB"), "a tambon database whose newest version of bmn-2560-2564 to judge with (env TAMBON_DB; default the set built into tambon)")
	fs.Parse(args)
	ctx := context.Background()

	full, err := benchSet(ctx, *db)
	if err != nil {
		return err
	}
	sub, err := subset(full, subsetCodes)
	if err != nil {
		return err
	}
	pov, err := engine.DefaultPoverty(full)
	if err != nil {
		return err
	}
	fullEng, err := engine.New(full, surveyYear, pov)
	if err != nil {
		return err
	}
	subEng, err := engine.New(sub, surveyYear, nil)
	if err != nil {
		return err
	}

	var duck *duckLoad
	if o.duck {
		if duck, err = newDuckLoad(ctx, full, *workers); err != nil {
			return err
		}
		defer duck.close()
	}
	logf("generating %d households over %d villages (engine.Synthetic) into Columns%s", o.households, o.villages,
		map[bool]string{true: " and DuckDB", false: ""}[o.duck])
	cols := engine.NewColumns(full)
	old := debug.SetGCPercent(20)
	v, h := -1, 0
	engine.Synthetic(full, o.households, o.villages, func(r *engine.Row) {
		cols.AppendRow(r)
		if r.Village != engine.VillageCode(v) || v < 0 {
			v++
		}
		if duck != nil && err == nil {
			err = duck.add(v, h, r)
		}
		h++
	})
	if err != nil {
		return err
	}
	cols.Trim()
	debug.SetGCPercent(old)
	runtime.GC()
	if duck != nil {
		if err := duck.flush(); err != nil {
			return err
		}
	}
	logf("loaded: %d households, %d people", cols.Len(), cols.People())

	var all map[string]*engine.Totals
	goFull, err := measure("Go, all 31 indicators + MPI counts, every level", o.runs, func() error {
		clear(all) // the last run's 700 MB of Totals need not outlive it
		all = engine.RollUp(fullEng.RecomputeColumns(cols, *workers), fullEng.NewTotals)
		return nil
	})
	if err != nil {
		return err
	}
	th := all["TH"]
	logf("country: %d households, %d people, MPI N %d", th.Households, th.People, th.Poverty.N)
	all = nil
	runtime.GC()
	var want map[string]*engine.Totals
	goSub, err := measure("Go, the subset, villages", o.runs, func() error {
		want = subEng.RecomputeColumns(cols, *workers)
		return nil
	})
	if err != nil {
		return err
	}
	ts := []timing{goFull, goSub}
	if duck != nil {
		cols = nil
		runtime.GC()
		t, err := duck.measure(ctx, o, sub, want)
		if err != nil {
			return err
		}
		ts = append(ts, t)
	}
	table(fmt.Sprintf("Full recompute: %d households, %d villages, %d workers (subset = indicators %s, households, people and net income per village)",
		o.households, o.villages, *workers, strings.Join(subsetCodes, ", ")), ts)
	return nil
}

// subset returns a set holding only the given indicators of s (the same
// questions, so the same Columns serve both).
func subset(s *indicator.Set, codes []string) (*indicator.Set, error) {
	var f map[string]any
	if err := json.Unmarshal(s.File(), &f); err != nil {
		return nil, err
	}
	var keep []any
	for _, ind := range f["indicators"].([]any) {
		if slices.Contains(codes, ind.(map[string]any)["code"].(string)) {
			keep = append(keep, ind)
		}
	}
	f["indicators"], f["id"] = keep, s.ID+"-bench-subset"
	b, err := json.Marshal(f)
	if err != nil {
		return nil, err
	}
	return indicator.Load(bytes.NewReader(b))
}

// duckLoad is a DuckDB database being filled with the same households.
type duckLoad struct {
	conn     driver.Conn
	db       *sql.DB
	mem, hhs *duckdb.Appender
	personQ  []string // the person questions loaded, as column names
	slots    []int    // their slots
	values   []driver.Value
}

func newDuckLoad(ctx context.Context, s *indicator.Set, workers int) (*duckLoad, error) {
	c, err := duckdb.NewConnector("", nil)
	if err != nil {
		return nil, err
	}
	d := &duckLoad{db: sql.OpenDB(c)}
	d.db.SetMaxOpenConns(1)
	if _, err := d.db.ExecContext(ctx, fmt.Sprintf("SET threads = %d; SET memory_limit = '6GB'; SET preserve_insertion_order = false", workers)); err != nil {
		return nil, err
	}
	cols := engine.NewColumns(s)
	d.personQ = []string{"q3", "q6", "q7", "q15", "q16", "q19", "q26", "q27"}
	ddl := "CREATE TABLE members (v INTEGER, hh BIGINT, birth DATE, resident BOOLEAN"
	for _, q := range d.personQ {
		slot, person, ok := cols.Slot(q)
		if !ok || !person {
			return nil, fmt.Errorf("question %s is not a person question of %s", q, s.ID)
		}
		d.slots = append(d.slots, slot)
		ddl += ", " + q + " TINYINT"
	}
	ddl += "); CREATE TABLE households (v INTEGER, hh BIGINT, main BIGINT, secondary BIGINT, other BIGINT, own BIGINT, costs BIGINT)"
	if _, err := d.db.ExecContext(ctx, ddl); err != nil {
		return nil, err
	}
	if d.conn, err = c.Connect(ctx); err != nil {
		return nil, err
	}
	if d.mem, err = duckdb.NewAppenderFromConn(d.conn, "", "members"); err != nil {
		return nil, err
	}
	if d.hhs, err = duckdb.NewAppenderFromConn(d.conn, "", "households"); err != nil {
		return nil, err
	}
	d.values = make([]driver.Value, 4+len(d.personQ))
	return d, nil
}

func (d *duckLoad) add(v, h int, r *engine.Row) error {
	in := r.Income
	if err := d.hhs.AppendRow(int32(v), int64(h), in.MainOccupation, in.SecondaryOccupation, in.Other, in.OwnProduce, in.OccupationCosts); err != nil {
		return err
	}
	for i := range r.Members {
		m := &r.Members[i]
		d.values[0], d.values[1], d.values[2], d.values[3] = int32(v), int64(h), m.BirthDate, m.Resident
		for k, s := range d.slots {
			if x := m.Per[s]; math.IsNaN(x) {
				d.values[4+k] = nil
			} else {
				d.values[4+k] = int8(x)
			}
		}
		if err := d.mem.AppendRow(d.values...); err != nil {
			return err
		}
	}
	return nil
}

func (d *duckLoad) flush() error {
	if err := d.mem.Close(); err != nil {
		return err
	}
	return d.hhs.Close()
}

func (d *duckLoad) close() {
	d.conn.Close()
	d.db.Close()
}

// query is the subset in SQL, for the survey year's reference date and
// income threshold.
func (d *duckLoad) query(s *indicator.Set) (string, []string, error) {
	ry, rm, rd := survey.ReferenceDate(surveyYear).Date()
	threshold, ok := s.Threshold("income_threshold", surveyYear)
	if !ok {
		return "", nil, fmt.Errorf("no income threshold for %d", surveyYear)
	}
	var q7 []string
	for _, q := range s.Questions() {
		if q.Code == "q7" {
			q7 = []string{fmt.Sprint(slices.Index(q.Choices, "exercise")), fmt.Sprint(slices.Index(q.Choices, "exertion"))}
		}
	}
	person := []struct{ code, band, pass string }{
		{"3", "age BETWEEN 0 AND 12", "q3 = 1"},
		{"6", "age >= 35", "q6 = 1"},
		{"7", "age >= 6", "q7 IN (" + strings.Join(q7, ", ") + ")"},
		{"15", "age BETWEEN 3 AND 5", "q15 = 1"},
		{"16", "age BETWEEN 6 AND 14", "q16 = 1"},
		{"19", "age BETWEEN 15 AND 59", "q19 = 1"},
		{"26", "age >= 6", "q26 = 1"},
		{"27", "age >= 60", "q27 = 1"},
	}
	var b strings.Builder
	fmt.Fprintf(&b, `WITH p AS (
  SELECT v, hh, greatest((%d - year(birth)) * 12 + (%d - month(birth)) - CASE WHEN day(birth) > %d THEN 1 ELSE 0 END, 0) // 12 AS age, %s
  FROM members WHERE resident),
pa AS (SELECT v, count(*) AS people`, ry, int(rm), rd, strings.Join(d.personQ, ", "))
	var order []string
	for _, p := range person {
		fmt.Fprintf(&b, ",\n  count(*) FILTER (WHERE %s) AS e%s, count(*) FILTER (WHERE %s AND %s) AS p%s", p.band, p.code, p.band, p.pass, p.code)
		order = append(order, p.code)
	}
	fmt.Fprintf(&b, `
  FROM p GROUP BY v),
r AS (SELECT hh, count(*) AS n FROM members WHERE resident GROUP BY hh),
ha AS (SELECT h.v, count(*) AS households, sum(main + secondary + other + own - costs) AS net,
  count(r.n) AS e22, count(*) FILTER (WHERE CAST(main + secondary + other + own - costs AS DOUBLE) / r.n >= %v) AS p22
  FROM households h LEFT JOIN r USING (hh) GROUP BY h.v)
SELECT ha.v, households, coalesce(people, 0), net`, threshold)
	for _, c := range order {
		fmt.Fprintf(&b, ", coalesce(e%s, 0), coalesce(p%s, 0)", c, c)
	}
	b.WriteString(", e22, p22 FROM ha LEFT JOIN pa USING (v)")
	return b.String(), append(order, "22"), nil
}

func (d *duckLoad) measure(ctx context.Context, o options, sub *indicator.Set, want map[string]*engine.Totals) (timing, error) {
	q, order, err := d.query(sub)
	if err != nil {
		return timing{}, err
	}
	idx := make([]int, len(order)) // column pair k → subset indicator index
	for k, code := range order {
		idx[k] = slices.IndexFunc(sub.Indicators, func(ind indicator.Indicator) bool { return ind.Code == code })
	}
	return measure("DuckDB 1.1.3, the subset, villages", o.runs, func() error {
		rows, err := d.db.QueryContext(ctx, q)
		if err != nil {
			return err
		}
		defer rows.Close()
		vals := make([]int64, 4+2*len(order))
		dst := make([]any, len(vals))
		for k := range vals {
			dst[k] = &vals[k]
		}
		seen := 0
		for rows.Next() {
			if err := rows.Scan(dst...); err != nil {
				return err
			}
			w := want[engine.VillageCode(int(vals[0]))]
			if w == nil {
				return fmt.Errorf("village %d: not in Go's result", vals[0])
			}
			if w.Households != vals[1] || w.People != vals[2] || w.NetIncome != vals[3] {
				return fmt.Errorf("village %d: households/people/net %v, Go %d %d %d", vals[0], vals[1:4], w.Households, w.People, w.NetIncome)
			}
			for k, i := range idx {
				got := engine.Count{Eligible: vals[4+2*k], Passed: vals[5+2*k]}
				if got != w.Indicators[i] {
					return fmt.Errorf("village %d, indicator %s: DuckDB %v, Go %v", vals[0], order[k], got, w.Indicators[i])
				}
			}
			seen++
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if seen != len(want) {
			return fmt.Errorf("%d villages from DuckDB, %d from Go", seen, len(want))
		}
		return nil
	})
}

// benchSet returns the set the benchmark judges with, and says which: the
// newest stored version of bmn-2560-2564 in a database (a province's local
// indicators included) when one is given, else the file built into tambon.
func benchSet(ctx context.Context, dsn string) (*indicator.Set, error) {
	const id = "bmn-2560-2564"
	if dsn == "" {
		logf("indicator set %s as built into tambon (no --db: the file a new database stores as version 1)", id)
		return indicator.Lookup(id)
	}
	s, err := store.Open(ctx, dsn, store.Options{MustExist: true})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	v, _, err := s.SetVersion(ctx, id, 0)
	if err != nil {
		return nil, err
	}
	logf("indicator set %s version %d, the newest in the database", id, v.Version)
	return s.HouseholdSet(ctx, id)
}
