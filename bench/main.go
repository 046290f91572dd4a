// Command bench measures tambon's engine against DuckDB and PostgreSQL on
// the same data in the same run (DESIGN §8). It is its own module so that
// the DuckDB driver (cgo) never enters the tambon binary:
//
//	cd bench && go run . aggregate [flags]   # the aggregation step alone
//	cd bench && go run . recompute [flags]   # full recompute vs a DuckDB subset
//
// The machines are shared and noisy: compare the ratios of one run, and
// repeat runs (--runs) to see the spread. docs/BENCHMARKS.md records the
// figures and the commands that produced them.
package main

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: go run . aggregate|recompute [flags]   (-h for the flags)")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "aggregate":
		err = aggregate(os.Args[2:])
	case "recompute":
		err = recompute(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// common flags of both commands.
type options struct {
	households, villages, runs int
	pg                         string
	duck, postgres             bool
}

func (o *options) register(fs *flag.FlagSet) {
	fs.IntVar(&o.households, "households", 12_900_000, "households (12.9 M: the national round)")
	fs.IntVar(&o.villages, "villages", 75_000, "villages")
	fs.IntVar(&o.runs, "runs", 5, "timed runs of each engine (the best and the median are reported)")
	fs.StringVar(&o.pg, "pg", "postgres://postgres@127.0.0.1:5432/test", "PostgreSQL URL")
	fs.BoolVar(&o.duck, "duckdb", true, "measure DuckDB")
	fs.BoolVar(&o.postgres, "postgres", true, "measure PostgreSQL")
}

// timing is the wall times of the runs of one engine.
type timing struct {
	name string
	runs []time.Duration
}

func measure(name string, runs int, f func() error) (timing, error) {
	t := timing{name: name}
	for range runs {
		start := time.Now()
		if err := f(); err != nil {
			return t, fmt.Errorf("%s: %w", name, err)
		}
		t.runs = append(t.runs, time.Since(start))
	}
	fmt.Fprintf(os.Stderr, "  %s: %v\n", name, t.runs)
	return t, nil
}

func (t timing) best() time.Duration { return slices.Min(t.runs) }

func (t timing) median() time.Duration {
	s := slices.Clone(t.runs)
	slices.Sort(s)
	return s[len(s)/2]
}

// table prints the timings with each one's ratio to the first.
func table(title string, ts []timing) {
	fmt.Printf("\n%s\n\n| Engine | best | median | runs | best ÷ %s |\n|---|---|---|---|---|\n", title, ts[0].name)
	for _, t := range ts {
		fmt.Printf("| %s | %.3f s | %.3f s | %d | %.2f× |\n", t.name, t.best().Seconds(), t.median().Seconds(), len(t.runs),
			t.best().Seconds()/ts[0].best().Seconds())
	}
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, time.Now().Format("15:04:05 ")+format+"\n", args...)
}
