package main

import (
	"context"
	"fmt"

	"tambon/internal/apperr"
	"tambon/internal/store"
	"tambon/internal/thai"
	"tambon/internal/user"
)

// cmdPDPA is the data subjects' rights under Thailand's Personal Data
// Protection Act: erasure on request, and each round's retention rule.
// docs/privacy.md says what is stored where and what these commands do.
func cmdPDPA(ctx context.Context, e *env, args []string) error {
	return dispatch(ctx, e, "pdpa", "Usage: tambon pdpa erase|retention|retain [flags]   (tambon pdpa erase --help)", args,
		subcommand{"erase", pdpaErase}, subcommand{"retention", pdpaRetention}, subcommand{"retain", pdpaRetain})
}

// pdpaActor is who acts and where: an administrator's account (--as), whose
// area bounds what they may erase, or the operator at the server's console
// (the whole country, named by $USER).
func pdpaActor(ctx context.Context, e *env, s *store.Store, as string) (by, scope string, err error) {
	if as == "" {
		return e.envOr("USER", "cli"), "TH", nil
	}
	u, err := s.UserByName(ctx, as)
	if err != nil {
		return "", "", err
	}
	if !u.Can(user.ManageUsers) {
		return "", "", apperr.New(apperr.Forbidden, apperr.Tf(
			"บัญชี %s ไม่ใช่ผู้ดูแลระบบ จึงลบหรือทำข้อมูลแฝงไม่ได้", "the account %s is not an administrator and may not erase or pseudonymise data", as))
	}
	return u.Username, u.AreaCode, nil
}

func pdpaErase(ctx context.Context, e *env, args []string) error {
	fs := e.flags("pdpa erase", "pdpa erase --round R|all (--household ID (--member N | --whole) | --citizen-id CID [--whole]) --reason TEXT [--as ADMIN] [--yes]")
	dsn := e.dbFlag(fs, "tambon.db")
	var req store.ErasureRequest
	fs.StringVar(&req.Round, "round", "", "the round, or all: every household round the citizen ID is in (with --citizen-id)")
	fs.Int64Var(&req.HouseholdID, "household", 0, "the household's id (as in its page's address)")
	fs.IntVar(&req.MemberNo, "member", 0, "the member's number in the household")
	fs.StringVar(&req.CitizenID, "citizen-id", "", "or: the member's citizen ID")
	fs.BoolVar(&req.Whole, "whole", false, "erase the whole household")
	fs.StringVar(&req.Reason, "reason", "", "why: the request, its date and reference (required; kept in the audit log)")
	as := fs.String("as", "", "the administrator account acting (its area bounds the erasure); default: the console operator, everywhere")
	yes := fs.Bool("yes", false, "erase; without it, only show what would be erased")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, _, err := e.openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	if req.By, req.Scope, err = pdpaActor(ctx, e, s, *as); err != nil {
		return err
	}
	// A person's request covers every survey they are in: --round all finds
	// the citizen ID in each household round and erases it from each.
	rounds := []string{req.Round}
	if req.Round == "all" {
		if req.CitizenID == "" {
			return apperr.New(apperr.Invalid, apperr.T(
				"--round all ใช้คู่กับ --citizen-id: ระบุเลขประจำตัวประชาชนของผู้ขอ",
				"--round all goes with --citizen-id: give the requester's citizen ID"))
		}
		all, err := s.Rounds(ctx)
		if err != nil {
			return err
		}
		rounds = rounds[:0]
		for _, r := range all {
			if !r.AggregateOnly {
				rounds = append(rounds, r.ID)
			}
		}
	}
	var found []store.ErasureRequest
	var targets []store.ErasureTarget
	for _, id := range rounds {
		r := req
		r.Round = id
		t, err := s.FindErasure(ctx, r)
		if req.Round == "all" && apperr.Is(err, apperr.NotFound) {
			continue
		}
		if err != nil {
			return err
		}
		found, targets = append(found, r), append(targets, t)
	}
	if len(found) == 0 {
		return apperr.New(apperr.NotFound, apperr.T(
			"ไม่พบเลขประจำตัวประชาชนนี้ในรอบสำรวจใดในพื้นที่ของคุณ", "this citizen ID is in no round of your area"))
	}
	for i, t := range targets {
		what := fmt.Sprintf("member %d of household %d", t.MemberNo, t.HouseholdID)
		if t.MemberNo == 0 {
			what = fmt.Sprintf("household %d and its %d members", t.HouseholdID, t.Members)
		}
		if !*yes {
			fmt.Fprintf(e.stdout, "would erase %s (village %s, house no. %s) from round %s\n", what, t.Village, t.HouseNo, t.Round)
			continue
		}
		_, eng, err := roundEngine(ctx, s, found[i].Round)
		if err != nil {
			return err
		}
		res, err := s.Erase(ctx, eng, found[i])
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "erased %s from round %s; also removed: %d history changes, %d audit payloads, %d submissions, %d programme participants, %d plan targets, %d help records, %d pseudonyms, %d welfare-register entries\n",
			what, t.Round, res.History, res.Audit, res.Submissions, res.Participants, res.Targets, res.Assistance, res.Links, res.Welfare)
	}
	if !*yes {
		fmt.Fprintln(e.stdout, "run again with --yes to erase: this cannot be undone")
	}
	return nil
}

func pdpaRetention(ctx context.Context, e *env, args []string) error {
	fs := e.flags("pdpa retention", "pdpa retention --round R [--months N] [--as ADMIN]   (no --months: show the rule)")
	dsn := e.dbFlag(fs, "tambon.db")
	round := fs.String("round", "", "the round")
	months := fs.Int("months", -1, "keep personal data this many months after a tambon's data are certified")
	as := fs.String("as", "", "the administrator account acting")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, _, err := e.openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	by, scope, err := pdpaActor(ctx, e, s, *as)
	if err != nil {
		return err
	}
	if *months >= 0 {
		if scope != "TH" {
			return apperr.New(apperr.Forbidden, apperr.T("กฎการเก็บรักษาของรอบใช้ทั้งประเทศ: ต้องเป็นผู้ดูแลระดับประเทศ", "a round's retention rule applies nationwide: it needs a national administrator"))
		}
		if err := s.SetRetention(ctx, *round, *months, by); err != nil {
			return err
		}
	}
	rule, ok, err := s.Retention(ctx, *round)
	if err != nil {
		return err
	}
	if !ok {
		fmt.Fprintf(e.stdout, "round %s has no retention rule: personal data are kept until erased\n", *round)
		return nil
	}
	fmt.Fprintf(e.stdout, "round %s keeps personal data %d months after certification (set by %s, %s)\n",
		*round, rule.KeepMonths, rule.UpdatedBy, thai.FormatDate(rule.UpdatedAt.In(thai.Bangkok()), thai.DateTimeShort))
	return nil
}

func pdpaRetain(ctx context.Context, e *env, args []string) error {
	fs := e.flags("pdpa retain", "pdpa retain --round R [--apply] [--as ADMIN]   (without --apply: list the certified tambons and which are due)")
	dsn := e.dbFlag(fs, "tambon.db")
	round := fs.String("round", "", "the round")
	apply := fs.Bool("apply", false, "pseudonymise the households of every tambon that is due")
	as := fs.String("as", "", "the administrator account acting (its area bounds the tambons)")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, _, err := e.openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	by, scope, err := pdpaActor(ctx, e, s, *as)
	if err != nil {
		return err
	}
	if *apply {
		_, eng, err := roundEngine(ctx, s, *round)
		if err != nil {
			return err
		}
		res, err := s.ApplyRetention(ctx, eng, *round, scope, by)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "round %s: pseudonymised %d households (%d members) in %d tambons %v\n", *round, res.Households, res.Members, len(res.Areas), res.Areas)
		return nil
	}
	areas, err := s.RetentionAreas(ctx, *round, scope)
	if err != nil {
		return err
	}
	tw := e.table("TAMBON", "CERTIFIED", "DUE", "STATE")
	for _, a := range areas {
		state := "kept"
		switch {
		case !a.AppliedAt.IsZero():
			state = fmt.Sprintf("pseudonymised %s by %s (%d households)", a.AppliedAt.Format("2006-01-02"), a.AppliedBy, a.Households)
		case a.Due:
			state = "due"
		}
		due := "-"
		if !a.DueAt.IsZero() {
			due = a.DueAt.Format("2006-01-02")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", a.Area, a.CertifiedAt.Format("2006-01-02"), due, state)
	}
	return tw.Flush()
}
