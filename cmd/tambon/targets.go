package main

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"tambon/internal/apperr"
)

func cmdTargets(ctx context.Context, e *env, args []string) error {
	fs := e.flags("targets", "targets [--set SET] [CODE=PERCENT …]   (print, or set, the % passing each indicator aims at; default 100)")
	dsn := e.dbFlag(fs, "tambon.db")
	setID := fs.String("set", "bmn-2560-2564", "indicator set")
	pairs, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	s, _, err := e.openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	set, err := s.HouseholdSet(ctx, *setID)
	if err != nil {
		return err
	}
	targets, err := s.Targets(ctx, set.ID)
	if err != nil {
		return err
	}
	if len(pairs) > 0 {
		known := map[string]bool{}
		for _, ind := range set.Indicators {
			known[ind.Code] = true
		}
		for _, a := range pairs {
			code, val, ok := strings.Cut(a, "=")
			pct, err := strconv.ParseFloat(val, 64)
			if !ok || err != nil {
				return apperr.New(apperr.Invalid, apperr.Tf("เขียนเป้าหมายเป็น รหัส=ร้อยละ เช่น 22=95 (ได้ %q)", "write targets as CODE=PERCENT, e.g. 22=95 (got %q)", a))
			}
			if !known[code] {
				return apperr.New(apperr.Invalid, apperr.Tf("ชุด %s ไม่มีตัวชี้วัด %s", "the set %s has no indicator %s", set.ID, code))
			}
			targets[code] = pct
		}
		if err := s.SetTargets(ctx, set.ID, targets); err != nil {
			return err
		}
	}
	codes := make([]string, 0, len(targets))
	for c := range targets {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	fmt.Fprintf(e.stdout, "set %s: every indicator aims at 100%%", set.ID)
	if len(codes) > 0 {
		fmt.Fprint(e.stdout, " except")
		for _, c := range codes {
			fmt.Fprintf(e.stdout, " %s=%g", c, targets[c])
		}
	}
	fmt.Fprintln(e.stdout)
	return nil
}
