package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/store"
	"tambon/internal/survey"
	"tambon/internal/thai"
)

func cmdReview(ctx context.Context, e *env, args []string) error {
	fs := e.flags("review", "review --round R --area TAMBON --step submit|verify|return|certify|reopen [--comment TEXT] [--by NAME]   (no --step: show the history)")
	dsn := e.dbFlag(fs, "tambon.db")
	roundID := fs.String("round", "", "the round")
	areaCode := fs.String("area", "", "the tambon (6 digits)")
	step := fs.String("step", "", "submit, verify, return, certify or reopen")
	comment := fs.String("comment", "", "why (required to return or reopen)")
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
		to, err := s.Review(ctx, *roundID, *areaCode, survey.Review(*step), *by, *comment)
		if err != nil {
			return err
		}
		if err := s.Audit(ctx, store.AuditEntry{User: *by, Action: "round." + *step, Area: *areaCode, Object: "round:" + *roundID, Detail: *comment}); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "round %s, tambon %s: %s\n", *roundID, *areaCode, to)
	}
	hist, err := s.ReviewHistory(ctx, *roundID, *areaCode)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "WHEN\tWHO\tSTEP\tSTATUS\tCOMMENT")
	for _, h := range hist {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s → %s\t%s\n", thai.FormatDate(h.At.In(thai.Bangkok()), thai.DateTimeShort), h.By, h.Step, h.From, h.To, h.Comment)
	}
	return tw.Flush()
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
	if err := parse(fs, args); err != nil {
		return err
	}
	s, _, err := e.openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	log, err := s.AuditLog(ctx, f)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "WHEN\tWHO\tACTION\tAREA\tOBJECT\tDETAIL")
	for _, l := range log {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", l.At.UTC().Format("2006-01-02 15:04:05Z"), l.User, l.Action, l.Area, l.Object, l.Detail)
	}
	return tw.Flush()
}
