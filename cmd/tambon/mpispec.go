package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/mpi"
)

// cmdMPISpec shows, sets or resets the installation's multidimensional
// poverty measure, and recomputes every household round under it.
func cmdMPISpec(ctx context.Context, e *env, args []string) error {
	fs := e.flags("mpi-spec", "mpi-spec [--set FILE.json | --reset]   (the installation's MPI: dimensions, indicators, weights, k)")
	dsn := e.dbFlag(fs, "tambon.db")
	set := fs.String("set", "", "a JSON spec (print the current one to start from)")
	reset := fs.Bool("reset", false, "go back to the built-in TPMAP preset")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, _, err := e.openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	if *set == "" && !*reset {
		x, err := engine.DefaultPoverty(mustSet("bmn-2560-2564"))
		if err != nil || x == nil {
			return err
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(x.Spec())
	}
	var spec *mpi.Spec
	if *set != "" {
		b, err := os.ReadFile(*set)
		if err != nil {
			return apperr.Wrap(err, apperr.Invalid, apperr.Tf("อ่าน %s ไม่ได้", "cannot read %s", *set))
		}
		spec = new(mpi.Spec)
		if err := json.Unmarshal(b, spec); err != nil {
			return apperr.Wrap(err, apperr.Invalid, apperr.Tf("%s ไม่ใช่ JSON ของเกณฑ์ MPI ที่อ่านได้", "%s is not a readable MPI spec in JSON", *set))
		}
		snaps, err := spec.SnapPrinted()
		if err != nil {
			return err
		}
		for _, sn := range snaps {
			fmt.Fprintln(e.stdout, sn.SnapText().String())
		}
	}
	if err := engine.UsePoverty(spec); err != nil {
		return err
	}
	if err := s.SetPovertySpec(ctx, spec); err != nil {
		return err
	}
	rounds, err := s.Rounds(ctx)
	if err != nil {
		return err
	}
	for _, r := range rounds {
		if r.AggregateOnly {
			continue
		}
		eng, err := engine.ForRound(r)
		if err != nil {
			return err
		}
		all, err := recomputeRound(ctx, e, s, eng, r.ID)
		if err != nil {
			return err
		}
		if err := s.ReplaceTotals(ctx, r.ID, all); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "round %s recomputed under the new measure\n", r.ID)
	}
	fmt.Fprintln(e.stdout, "the installation's MPI spec is saved")
	return nil
}
