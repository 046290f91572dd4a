package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/indicator"
	"tambon/internal/mpi"
	"tambon/internal/store"
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
		x, which, err := currentPoverty(ctx, s)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stderr, which)
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(x)
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
	rounds, err := s.Rounds(ctx)
	if err != nil {
		return err
	}
	if err := checkPovertySpec(ctx, s, spec); err != nil {
		return err
	}
	old, err := s.PovertySpec(ctx)
	if err != nil {
		return err
	}
	if err := engine.UsePoverty(spec); err != nil {
		return err
	}
	// Every household round must be judged under the new measure, by the
	// set version it is pinned to, before anything is stored.
	for _, r := range rounds {
		if _, err := engine.ForRound(r); err != nil && !r.AggregateOnly {
			engine.UsePoverty(old)
			return apperr.Wrap(err, apperr.Invalid, apperr.Tf("รอบ %s (ชุดตัวชี้วัด %s รุ่น %d) ใช้เกณฑ์นี้ไม่ได้: %s",
				"round %s (indicator set %s version %d) cannot be judged under this spec: %s", r.ID, r.SetID, r.SetVersion, err.Error()))
		}
	}
	if err := s.SetPovertySpec(ctx, spec); err != nil {
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

// currentPoverty returns the installation's MPI measure and says where it
// comes from: its own spec stored in the database, or the TPMAP preset over
// the newest version of bmn-2560-2564 in the database.
func currentPoverty(ctx context.Context, s *store.Store) (mpi.Spec, string, error) {
	if own, err := s.PovertySpec(ctx); err != nil || own != nil {
		if own == nil {
			return mpi.Spec{}, "", err
		}
		return *own, fmt.Sprintf("the installation's own MPI spec %q, stored in the database", own.ID), nil
	}
	const presetSet = "bmn-2560-2564"
	v, _, err := s.SetVersion(ctx, presetSet, 0)
	if err != nil {
		return mpi.Spec{}, "", err
	}
	set, err := s.HouseholdSet(ctx, presetSet)
	if err != nil {
		return mpi.Spec{}, "", err
	}
	x, err := engine.DefaultPoverty(set)
	if err != nil {
		return mpi.Spec{}, "", err
	}
	if x == nil {
		return mpi.Spec{}, "", apperr.New(apperr.Invalid, apperr.Tf("เกณฑ์ TPMAP ใช้กับชุดตัวชี้วัด %s รุ่น %d ไม่ได้",
			"the TPMAP preset does not fit indicator set %s version %d", v.ID, v.Version))
	}
	// The preset must resolve against the stored version, not only the
	// built-in file.
	if _, err := engine.New(set, v.PeriodTo, x); err != nil {
		return mpi.Spec{}, "", err
	}
	return x.Spec(), fmt.Sprintf("the built-in TPMAP preset over indicator set %s version %d, the newest in the database", v.ID, v.Version), nil
}

// checkPovertySpec refuses a spec whose indicators map to a set or an
// indicator the database does not hold (in the newest version of the set),
// naming the MPI indicator and what it maps to.
func checkPovertySpec(ctx context.Context, s *store.Store, spec *mpi.Spec) error {
	if spec == nil {
		return nil
	}
	sets := map[string]*indicator.Set{}
	for _, in := range spec.Indicators {
		id, code, ok := strings.Cut(in.Maps, ":")
		if !ok {
			return apperr.New(apperr.Invalid, apperr.Tf("ตัวชี้วัด MPI %s: maps %q ต้องเป็น ชุด:รหัสตัวชี้วัด เช่น bmn-2560-2564:22",
				"MPI indicator %s: maps %q must be set:indicator, e.g. bmn-2560-2564:22", in.ID, in.Maps))
		}
		set, seen := sets[id]
		if !seen {
			var err error
			if set, err = s.HouseholdSet(ctx, id); err != nil {
				return apperr.Wrap(err, apperr.Invalid, apperr.Tf("ตัวชี้วัด MPI %s อ้างถึงชุด %s ซึ่งไม่มีในฐานข้อมูล",
					"MPI indicator %s maps to set %s, which the database does not hold", in.ID, id))
			}
			sets[id] = set
		}
		if !slices.ContainsFunc(set.Indicators, func(x indicator.Indicator) bool { return x.Code == code }) {
			return apperr.New(apperr.Invalid, apperr.Tf("ตัวชี้วัด MPI %s อ้างถึง %q ซึ่งไม่มีในชุดตัวชี้วัด %s รุ่นล่าสุด",
				"MPI indicator %s maps to %q, which is not an indicator of the newest version of set %s", in.ID, in.Maps, id))
		}
	}
	return nil
}
