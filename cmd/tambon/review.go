package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/store"
	"tambon/internal/survey"
	"tambon/internal/thai"
)

func cmdReview(ctx context.Context, e *env, args []string) error {
	fs := e.flags("review", "review --round R --area TAMBON --step submit|verify|return|certify|reopen [--comment TEXT] [--override REASON] [--by NAME]   (no --step: show the checklist and the history)")
	dsn := e.dbFlag(fs, "tambon.db")
	roundID := fs.String("round", "", "the round")
	areaCode := fs.String("area", "", "the tambon (6 digits)")
	step := fs.String("step", "", "submit, verify, return, certify or reopen")
	comment := fs.String("comment", "", "why (required to return or reopen)")
	override := fs.String("override", "", "submit, verify or certify although the checklist is not complete, for this written reason (audited)")
	by := fs.String("by", e.envOr("USER", "cli"), "who takes the step")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, tree, err := e.openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	if a, ok := tree.Get(*areaCode); !ok || a.Level != area.Subdistrict {
		return apperr.New(apperr.Invalid, apperr.Tf("--area ต้องเป็นรหัสตำบล 6 หลักที่มีอยู่ (ได้ %q)", "--area must be an existing 6-digit tambon code (got %q)", *areaCode))
	}
	if *step != "" {
		to, err := s.ReviewChecked(ctx, *roundID, *areaCode, survey.Review(*step), *by, *comment, *override)
		var inc *store.IncompleteError
		if errors.As(err, &inc) {
			fmt.Fprintln(e.stderr, "ข้อมูลยังไม่ครบ / the data are not complete:")
			for _, r := range inc.Reasons {
				fmt.Fprintf(e.stderr, "  - %s\n    %s\n", r.TH, r.EN)
			}
			return apperr.New(apperr.Conflict, apperr.Tf(
				"ไม่%sรอบ %s ของตำบล %s: ยังไม่ครบ %d รายการ (ทำให้ครบ หรือระบุ --override \"เหตุผล\")",
				"round %s for tambon %s was not %s: %d things are not complete (complete them, or give --override \"reason\")",
				*step, *roundID, *areaCode, len(inc.Reasons)))
		}
		if err != nil {
			return err
		}
		detail := *comment
		if strings.TrimSpace(*override) != "" {
			detail = strings.TrimSpace(*comment + " [override: " + strings.TrimSpace(*override) + "]")
		}
		if err := s.Audit(ctx, store.AuditEntry{User: *by, Action: "round." + *step, Area: *areaCode, Object: "round:" + *roundID, Detail: detail}); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "round %s, tambon %s: %s\n", *roundID, *areaCode, to)
	} else {
		c, err := s.RoundChecklist(ctx, *roundID, *areaCode)
		if err != nil {
			return err
		}
		printChecklist(e, c)
	}
	hist, err := s.ReviewHistory(ctx, *roundID, *areaCode)
	if err != nil {
		return err
	}
	tw := e.table("WHEN", "WHO", "STEP", "STATUS", "COMMENT")
	for _, h := range hist {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s → %s\t%s\n", thai.FormatDate(h.At.In(thai.Bangkok()), thai.DateTimeShort), h.By, h.Step, h.From, h.To, h.Comment)
	}
	return tw.Flush()
}

// printChecklist writes a tambon's completeness checklist: village by
// village, then by enumerator, then what is still open.
func printChecklist(e *env, c store.Checklist) {
	switch {
	case c.Prev == "":
		fmt.Fprintln(e.stdout, "no earlier round: households expected unknown / ไม่มีรอบก่อนให้เทียบ")
	case c.PrevRecords:
		fmt.Fprintf(e.stdout, "compared with round %s / เทียบกับรอบ %s\n", c.Prev, c.Prev)
	default:
		fmt.Fprintf(e.stdout, "compared with the households round %s counted / เทียบกับจำนวนที่รอบ %s นับได้\n", c.Prev, c.Prev)
	}
	tw := e.table("VILLAGE", "EXPECTED", "SURVEYED", "DRAFTS", "ODK WAITING", "NOT RE-SURVEYED")
	for _, v := range c.Villages {
		exp := "?"
		if v.ExpectedKnown {
			exp = fmt.Sprint(v.Expected)
		}
		fmt.Fprintf(tw, "%s หมู่ %d %s\t%s\t%d\t%d\t%d\t%d\n", v.Code, v.Moo, v.NameTH, exp, v.Surveyed, v.Drafts, v.Waiting, v.NotResurveyed)
	}
	tw.Flush()
	if len(c.Enumerators) > 0 {
		tw = e.table("ENTERED BY", "HOUSEHOLDS", "DRAFTS", "ODK WAITING")
		for _, u := range c.Enumerators {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\n", u.User, u.Households, u.Drafts, u.Waiting)
		}
		tw.Flush()
	}
	if rs := c.Reasons(); len(rs) > 0 {
		fmt.Fprintf(e.stdout, "not complete (%d) / ยังไม่ครบ:\n", len(rs))
		for _, r := range rs {
			fmt.Fprintf(e.stdout, "  - %s\n    %s\n", r.TH, r.EN)
		}
	} else {
		fmt.Fprintln(e.stdout, "complete / ครบ")
	}
}

func cmdAudit(ctx context.Context, e *env, args []string) error {
	fs := e.flags("audit", "audit [--user U] [--action A] [--area CODE] [--object O] [--limit N]")
	dsn := e.dbFlag(fs, "tambon.db")
	var f store.AuditFilter
	fs.StringVar(&f.User, "user", "", "only this user")
	fs.StringVar(&f.Action, "action", "", "only this action (household.write, household.view, personal.reveal, export.personal, round.submit, …)")
	fs.StringVar(&f.AreaPrefix, "area", "", "only inside this area")
	fs.StringVar(&f.Object, "object", "", "only this object (household:123, round:bmn-2564)")
	fs.IntVar(&f.Limit, "limit", 200, "at most this many lines, newest first")
	return e.withStore(ctx, fs, dsn, args, func(s *store.Store) error {
		log, err := s.AuditLog(ctx, f)
		if err != nil {
			return err
		}
		tw := e.table("WHEN", "WHO", "ACTION", "AREA", "OBJECT", "DETAIL")
		for _, l := range log {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", l.At.UTC().Format("2006-01-02 15:04:05Z"), l.User, l.Action, l.Area, l.Object, l.Detail)
		}
		return tw.Flush()
	})
}
