package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	_ "github.com/marcboeker/go-duckdb" // registers the "duckdb" database/sql driver

	"tambon/internal/engine"
)

const nInd = 31

// The outcomes every engine aggregates are a formula of (household,
// indicator) that Go and SQL both compute exactly: x = (h × 2654435761 +
// i × 97531) mod 2³², eligible = ⌊x/1024⌋ mod 4 (0-3 units), passed =
// eligible unless ⌊x/4096⌋ mod 20 = 0; household h is in village
// ⌊h × villages / households⌋, so villages are runs of households.
func outcome(h, i int) (eligible, passed uint8) {
	x := (uint64(h)*2654435761 + uint64(i)*97531) % (1 << 32)
	e := uint8(x / 1024 % 4)
	if x/4096%20 == 0 {
		return e, 0
	}
	return e, e
}

func sqlOutcome(i int) (eligible, passed string) {
	x := fmt.Sprintf("((h * 2654435761 + %d) %% 4294967296)", i*97531)
	eligible = fmt.Sprintf("(%s // 1024 %% 4)", x)
	return eligible, fmt.Sprintf("(CASE WHEN %s // 4096 %% 20 = 0 THEN 0 ELSE %s END)", x, eligible)
}

func aggregate(args []string) error {
	fs := flag.NewFlagSet("aggregate", flag.ExitOnError)
	var o options
	o.register(fs)
	workers := fs.Int("workers", 2, "goroutines for Go, threads for DuckDB, parallel workers per gather for PostgreSQL")
	fs.Parse(args)
	ctx := context.Background()
	n, nv := o.households, o.villages

	logf("building %d households × %d indicators of outcomes", n, nInd)
	out := &engine.Outcomes{Village: make([]int32, n)}
	for h := range n {
		out.Village[h] = int32(int64(h) * int64(nv) / int64(n))
	}
	for i := range nInd {
		el, pa := make([]uint8, n), make([]uint8, n)
		for h := range n {
			el[h], pa[h] = outcome(h, i)
		}
		out.Eligible, out.Passed = append(out.Eligible, el), append(out.Passed, pa)
	}
	var want []engine.Count
	goT, err := measure("Go (engine.AggregateOutcomes)", o.runs, func() error {
		want = engine.AggregateOutcomes(out, nv, *workers)
		return nil
	})
	if err != nil {
		return err
	}
	ts := []timing{goT}
	query := aggregateQuery()
	if o.duck {
		t, err := duckAggregate(ctx, o, *workers, query, want)
		if err != nil {
			return err
		}
		ts = append(ts, t)
	}
	if o.postgres {
		t, err := pgAggregate(ctx, o, *workers, out, query, want)
		if err != nil {
			return err
		}
		ts = append(ts, t)
	}
	table(fmt.Sprintf("Aggregation step: %d households × %d indicators' eligible/passed → %d villages, %d workers", n, nInd, nv, *workers), ts)
	return nil
}

// aggregateQuery is the GROUP BY each database runs: per village, the sum of
// every indicator's eligible and passed units.
func aggregateQuery() string {
	var b strings.Builder
	b.WriteString("SELECT v")
	for i := range nInd {
		fmt.Fprintf(&b, ", sum(e%d), sum(p%d)", i, i)
	}
	b.WriteString(" FROM outcomes GROUP BY v")
	return b.String()
}

// check reads the query's rows and compares them with Go's counts.
func check(rows interface {
	Next() bool
	Scan(...any) error
	Err() error
}, want []engine.Count, villages int) error {
	got := make([]engine.Count, len(want))
	dst := make([]any, 1+2*nInd)
	var v int64
	vals := make([]int64, 2*nInd)
	dst[0] = &v
	for k := range vals {
		dst[1+k] = &vals[k]
	}
	seen := 0
	for rows.Next() {
		if err := rows.Scan(dst...); err != nil {
			return err
		}
		for i := range nInd {
			got[int(v)*nInd+i] = engine.Count{Eligible: vals[2*i], Passed: vals[2*i+1]}
		}
		seen++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if seen != villages {
		return fmt.Errorf("%d villages in the result, want %d", seen, villages)
	}
	for k := range want {
		if got[k] != want[k] {
			return fmt.Errorf("village %d indicator %d: %v, Go says %v", k/nInd, k%nInd, got[k], want[k])
		}
	}
	return nil
}

func duckAggregate(ctx context.Context, o options, workers int, query string, want []engine.Count) (timing, error) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return timing{}, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if _, err := db.ExecContext(ctx, fmt.Sprintf("SET threads = %d; SET memory_limit = '6GB'; SET preserve_insertion_order = false", workers)); err != nil {
		return timing{}, err
	}
	logf("DuckDB: generating the same outcomes in SQL")
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TABLE outcomes AS SELECT CAST(h * %d // %d AS INTEGER) AS v", o.villages, o.households)
	for i := range nInd {
		e, p := sqlOutcome(i)
		fmt.Fprintf(&b, ", CAST(%s AS UTINYINT) AS e%d, CAST(%s AS UTINYINT) AS p%d", e, i, p, i)
	}
	fmt.Fprintf(&b, " FROM range(%d) t(h) ORDER BY h", o.households)
	if _, err := db.ExecContext(ctx, b.String()); err != nil {
		return timing{}, err
	}
	return measure("DuckDB 1.1.3", o.runs, func() error {
		rows, err := db.QueryContext(ctx, query)
		if err != nil {
			return err
		}
		defer rows.Close()
		return check(rows, want, o.villages)
	})
}

func pgAggregate(ctx context.Context, o options, workers int, out *engine.Outcomes, query string, want []engine.Count) (timing, error) {
	conn, err := pgx.Connect(ctx, o.pg)
	if err != nil {
		return timing{}, err
	}
	defer conn.Close(ctx)
	var b strings.Builder
	b.WriteString("DROP TABLE IF EXISTS outcomes; CREATE UNLOGGED TABLE outcomes (v integer")
	cols := []string{"v"}
	for i := range nInd {
		fmt.Fprintf(&b, ", e%d smallint, p%d smallint", i, i)
		cols = append(cols, fmt.Sprintf("e%d", i), fmt.Sprintf("p%d", i))
	}
	b.WriteString(")")
	if _, err := conn.Exec(ctx, b.String()); err != nil {
		return timing{}, err
	}
	logf("PostgreSQL: COPY %d rows into an UNLOGGED table", o.households)
	row := make([]any, 1+2*nInd)
	h := 0
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"outcomes"}, cols, pgx.CopyFromFunc(func() ([]any, error) {
		if h == o.households {
			return nil, nil
		}
		row[0] = out.Village[h]
		for i := range nInd {
			row[1+2*i], row[2+2*i] = int16(out.Eligible[i][h]), int16(out.Passed[i][h])
		}
		h++
		return row, nil
	})); err != nil {
		return timing{}, err
	}
	logf("PostgreSQL: VACUUM ANALYZE")
	if _, err := conn.Exec(ctx, "VACUUM ANALYZE outcomes"); err != nil {
		return timing{}, err
	}
	if _, err := conn.Exec(ctx, fmt.Sprintf("SET max_parallel_workers_per_gather = %d; SET work_mem = '256MB'", workers)); err != nil {
		return timing{}, err
	}
	t, err := measure("PostgreSQL 15", o.runs, func() error {
		rows, err := conn.Query(ctx, query)
		if err != nil {
			return err
		}
		defer rows.Close()
		return check(rows, want, o.villages)
	})
	if _, err2 := conn.Exec(ctx, "DROP TABLE outcomes"); err == nil {
		err = err2
	}
	return t, err
}
