package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/gen"
	"tambon/internal/thai"
)

// nationalHouseholds is the size of a national round (DESIGN §8).
const nationalHouseholds = 12_900_000

// keptSchema is the PostgreSQL schema tambon bench --keep keeps.
const keptSchema = "tambon_bench_kept"

// benchThreshold times a threshold change made live, as tambon sets
// threshold makes it, on each store: the households of areas are generated
// into a fresh database (a temporary SQLite file; a new schema of the
// PostgreSQL server at pgURL, dropped afterwards), then the income line of
// 2564 is changed three times. The households are stored as imports, which
// keep their villages' columns, so the first change reads columns as the
// next two do. With keep (a directory) the databases are kept instead — the
// SQLite file keep/threshold.db and the schema keptSchema — and a later run
// with the same keep generates only the areas they do not hold yet, so a
// national round is generated once and timed as often as wanted.
func benchThreshold(ctx context.Context, e *env, areas []string, pgURL, keep string, add func(what, figure, target string)) error {
	dir := keep
	if keep == "" {
		d, err := os.MkdirTemp("", "tambon-bench-threshold-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		dir = d
	} else if err := os.MkdirAll(keep, 0o755); err != nil {
		return err
	}
	dsns := []string{filepath.Join(dir, "threshold.db")}
	if pgURL != "" {
		dsn, drop, err := benchSchema(ctx, pgURL, keep != "")
		if err != nil {
			return err
		}
		defer drop()
		dsns = append(dsns, dsn)
	}
	for _, dsn := range dsns {
		if err := benchThresholdOn(ctx, e, dsn, areas, add); err != nil {
			return err
		}
	}
	return nil
}

// benchSchema makes a new schema in the PostgreSQL database at base and
// returns a DSN using it and a function that drops it; kept, it uses the
// schema keptSchema, made if missing, and never drops it.
func benchSchema(ctx context.Context, base string, kept bool) (string, func(), error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", nil, apperr.New(apperr.Invalid, apperr.Tf("--postgres ต้องเป็น postgres://… (ได้ %q)", "--postgres must be a postgres://… URL (got %q)", base))
	}
	db, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, err
	}
	schema, create := keptSchema, "CREATE SCHEMA IF NOT EXISTS "
	if !kept {
		var b [6]byte
		rand.Read(b[:])
		schema, create = "tambon_bench_"+hex.EncodeToString(b[:]), "CREATE SCHEMA "
	}
	if _, err := db.ExecContext(ctx, create+schema); err != nil {
		db.Close()
		return "", nil, fmt.Errorf("create schema %s: %w", schema, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), func() {
		if !kept {
			db.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
		}
		db.Close()
	}, nil
}

func benchThresholdOn(ctx context.Context, e *env, dsn string, areas []string, add func(what, figure, target string)) error {
	s, tree, err := e.openStore(ctx, dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	round := "bench-2564"
	r, err := ensureRound(ctx, s, round, 2564)
	if err != nil {
		return err
	}
	eng, err := engine.ForRound(r)
	if err != nil {
		return err
	}
	targets, err := ratchaburiTargets()
	if err != nil {
		return err
	}
	n, kept := 0, 0
	start := time.Now()
	for i, code := range areas {
		villages := gen.Villages(tree, code)
		if len(villages) == 0 {
			return apperr.New(apperr.NotFound, apperr.Tf("ไม่พบพื้นที่รหัส %s", "no area has the code %s", code))
		}
		have, err := s.CountHouseholds(ctx, round, code)
		if err != nil {
			return err
		}
		if have > 0 {
			fmt.Fprintf(e.stderr, "area %s: %s households already stored in %s\n", code, thai.FormatInt(int64(have)), s.Dialect())
			n += have
			kept += have
			continue
		}
		fmt.Fprintf(e.stderr, "generating area %s into %s…\n", code, s.Dialect())
		opts := gen.Options{Set: eng.Set(), SurveyYear: r.SurveyYear, RoundID: r.ID, Seed: uint64(i + 1), Targets: targets}
		k, err := generateInto(ctx, e, s, eng, round, opts, villages)
		if err != nil {
			return err
		}
		n += k
	}
	took := time.Since(start)
	where := fmt.Sprintf("%s, %s households of %s", s.Dialect(), thai.FormatInt(int64(n)), strings.Join(areas, "+"))
	if n > kept {
		what := "generate and store " + where
		if kept > 0 {
			what = fmt.Sprintf("generate and store %s, %s households", s.Dialect(), thai.FormatInt(int64(n-kept)))
		}
		add(what,
			fmt.Sprintf("%s (%.0f households/s)", took.Round(time.Second), float64(n-kept)/took.Seconds()), "")
	}
	line, _ := eng.Set().Threshold("income_threshold", 2564)
	for i, what := range []string{"first threshold change after the import",
		"threshold change", "threshold change again"} {
		line += 1000
		start, cpu := time.Now(), cpuTime()
		c, err := s.SetThreshold(ctx, r.SetID, "income_threshold", 2564, line, "tambon bench")
		if err != nil {
			return err
		}
		var m movedRound
		if err := moveRounds(ctx, e, s, c, func(x movedRound) { m = x }); err != nil {
			return err
		}
		took, used := time.Since(start), cpuTime()-cpu
		rate := float64(n) / took.Seconds()
		target, figure := "", fmt.Sprintf("%s (%s households/s; %s decoded; %.1f CPU-s in tambon, %.2f µs a household)", took.Round(10*time.Millisecond),
			thai.FormatInt(int64(rate)), thai.FormatInt(int64(m.Decoded)), used.Seconds(), float64(used.Microseconds())/float64(n))
		figure += "; " + m.phases()
		if rss := peakRSS(); n == kept && rss > 0 {
			// Nothing generated in this process: its peak is the recompute's.
			figure += fmt.Sprintf("; peak RSS of tambon %s MB", thai.FormatInt(rss>>20))
		}
		if i > 0 {
			target = "national ≤ 60 s"
			figure += fmt.Sprintf("; national at this rate ≈ %.0f s", nationalHouseholds/rate)
		}
		add(fmt.Sprintf("%s, %s (set, recompute, move the round live)", what, where), figure, target)
	}
	return nil
}
