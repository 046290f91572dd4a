package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/assign"
	"tambon/internal/store"
	"tambon/internal/user"
)

func cmdAssign(ctx context.Context, e *env, args []string) error {
	return dispatch(ctx, e, "assign", "Usage: tambon assign add|remove|list|progress|outcome [flags]   (tambon assign add --help)", args,
		subcommand{"add", assignAdd}, subcommand{"remove", assignRemove}, subcommand{"list", assignList},
		subcommand{"progress", assignProgress}, subcommand{"outcome", assignOutcome})
}

// commaList reads "a,b c" as [a b c].
func commaList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
}

// assigner is the account named by --by: the command acts with its rights,
// as the web page does with the signed-in account's.
func assigner(ctx context.Context, s *store.Store, name string) (user.User, error) {
	if strings.TrimSpace(name) == "" {
		return user.User{}, apperr.New(apperr.Invalid, apperr.T(
			"ต้องระบุ --by ชื่อบัญชีผู้มอบงาน (สิทธิ์ของบัญชีนั้นกำหนดว่ามอบงานที่ใดได้)",
			"give --by, the account that assigns (its rights say where it may assign)"))
	}
	return s.UserByName(ctx, name)
}

// assignAdd gives villages (whole, or chosen households of one) to an
// account, under the same rule as the web page (assign.Check).
func assignAdd(ctx context.Context, e *env, args []string) error {
	fs := e.flags("assign add", "assign add --round R --village V[,V…] --to USERNAME --by ACCOUNT [--household KEY[,KEY…]]")
	dsn := e.dbFlag(fs, "tambon.db")
	round := fs.String("round", "", "the round")
	villages := fs.String("village", "", "the villages (8 digits), separated by commas")
	to := fs.String("to", "", "the account that is to visit them")
	households := fs.String("household", "", "only these households of the one village (the previous round's keys: house code, else VILLAGE/HOUSE-NO)")
	by := fs.String("by", e.envOr("USER", ""), "the account that assigns")
	if err := parse(fs, args); err != nil {
		return err
	}
	vs, hs := commaList(*villages), commaList(*households)
	if *round == "" || len(vs) == 0 || *to == "" {
		return apperr.New(apperr.Invalid, apperr.T("ต้องระบุ --round --village และ --to", "give --round, --village and --to"))
	}
	if len(hs) > 0 && len(vs) != 1 {
		return apperr.New(apperr.Invalid, apperr.T("--household ใช้กับหมู่บ้านเดียว", "--household goes with one village"))
	}
	s, _, err := e.openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	u, err := assigner(ctx, s, *by)
	if err != nil {
		return err
	}
	for _, v := range vs {
		if err := s.Assign(ctx, u, *round, v, *to, hs); err != nil {
			return err
		}
		detail, _ := json.Marshal(map[string]any{"round": *round, "village": v, "to": *to, "households": hs})
		if err := s.AuditEvent(ctx, u.Username, "assign.add", v, "assign:"+*round+"/"+v, string(detail)); err != nil {
			return err
		}
		what := "the whole village"
		if len(hs) > 0 {
			what = fmt.Sprintf("%d households", len(hs))
		}
		fmt.Fprintf(e.stdout, "round %s, village %s: %s to %s\n", *round, v, what, *to)
	}
	return nil
}

func assignRemove(ctx context.Context, e *env, args []string) error {
	fs := e.flags("assign remove", "assign remove --round R --village V --by ACCOUNT [--household KEY[,KEY…]]")
	dsn := e.dbFlag(fs, "tambon.db")
	round := fs.String("round", "", "the round")
	village := fs.String("village", "", "the village (8 digits)")
	households := fs.String("household", "", "only these households' own assignments (else the village's)")
	by := fs.String("by", e.envOr("USER", ""), "the account that takes the work back")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *round == "" || *village == "" {
		return apperr.New(apperr.Invalid, apperr.T("ต้องระบุ --round และ --village", "give --round and --village"))
	}
	s, _, err := e.openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	u, err := assigner(ctx, s, *by)
	if err != nil {
		return err
	}
	hs := commaList(*households)
	if err := s.Unassign(ctx, u, *round, *village, hs); err != nil {
		return err
	}
	detail, _ := json.Marshal(map[string]any{"round": *round, "village": *village, "households": hs})
	if err := s.AuditEvent(ctx, u.Username, "assign.remove", *village, "assign:"+*round+"/"+*village, string(detail)); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "round %s, village %s: taken back\n", *round, *village)
	return nil
}

func assignList(ctx context.Context, e *env, args []string) error {
	fs := e.flags("assign list", "assign list --round R [--area CODE]")
	dsn := e.dbFlag(fs, "tambon.db")
	round := fs.String("round", "", "the round")
	areaCode := fs.String("area", area.CountryCode, "an area: its villages' assignments")
	return e.withStore(ctx, fs, dsn, args, func(s *store.Store) error {
		as, err := s.Assignments(ctx, *round, *areaCode)
		if err != nil {
			return err
		}
		tw := e.table("VILLAGE", "HOUSEHOLD", "TO", "BY", "WHEN")
		for _, a := range as {
			hh := a.Household
			if hh == "" {
				hh = "(whole village)"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", a.Village, hh, a.Username, a.AssignedBy, a.AssignedAt.Format("2006-01-02 15:04"))
		}
		return tw.Flush()
	})
}

// assignProgress prints the field work per enumerator and per village; the
// counts add up: visited + remaining + refused + moved + not found =
// households.
func assignProgress(ctx context.Context, e *env, args []string) error {
	fs := e.flags("assign progress", "assign progress --round R --area CODE [--format text|csv]")
	dsn := e.dbFlag(fs, "tambon.db")
	round := fs.String("round", "", "the round")
	areaCode := fs.String("area", "", "the area (a tambon, usually)")
	format := fs.String("format", "text", "text or csv")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *areaCode == "" || (*format != "text" && *format != "csv") {
		return apperr.New(apperr.Invalid, apperr.T("ต้องระบุ --area และ --format เป็น text หรือ csv", "give --area, and --format text or csv"))
	}
	s, _, err := e.openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := s.AssignProgress(ctx, *round, *areaCode)
	if err != nil {
		return err
	}
	head := []string{"kind", "name", "households", "visited", "remaining", "refused", "moved", "not_found", "new"}
	line := func(kind, name string, c store.Progress) []string {
		return []string{kind, name, fmt.Sprint(c.Households), fmt.Sprint(c.Visited), fmt.Sprint(c.Remaining), fmt.Sprint(c.Refused),
			fmt.Sprint(c.Moved), fmt.Sprint(c.NotFound), fmt.Sprint(c.New)}
	}
	var rows [][]string
	for _, en := range p.Enumerators {
		rows = append(rows, line("enumerator", en.User, en.Progress))
	}
	for _, v := range p.Villages {
		rows = append(rows, line("village", v.Code, v.Progress))
	}
	rows = append(rows, line("total", *areaCode, p.Total().Progress))
	if *format == "csv" {
		cw := csv.NewWriter(e.stdout)
		cw.Write(head)
		cw.WriteAll(rows)
		return cw.Error()
	}
	if p.Prev == "" {
		fmt.Fprintf(e.stdout, "round %s has no previous round with households: only new households are counted\n", *round)
	} else {
		fmt.Fprintf(e.stdout, "round %s, households of %s to visit again\n", *round, p.Prev)
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, strings.ToUpper(strings.Join(head, "\t"))+"\t")
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t")+"\t")
	}
	return tw.Flush()
}

// assignOutcome records what became of a visit (refused, moved, not_found),
// or clears it (--outcome none).
func assignOutcome(ctx context.Context, e *env, args []string) error {
	fs := e.flags("assign outcome", "assign outcome --round R --household KEY --outcome refused|moved|not_found|none [--note TEXT] --by ACCOUNT")
	dsn := e.dbFlag(fs, "tambon.db")
	round := fs.String("round", "", "the round")
	key := fs.String("household", "", "the previous round's household key (house code, else VILLAGE/HOUSE-NO)")
	outcome := fs.String("outcome", "", "refused, moved (moved away or dissolved), not_found, or none to clear")
	note := fs.String("note", "", "a note")
	by := fs.String("by", e.envOr("USER", ""), "the account that records it")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, _, err := e.openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	u, err := assigner(ctx, s, *by)
	if err != nil {
		return err
	}
	village, err := s.VisitHousehold(ctx, *round, *key)
	if err != nil {
		return err
	}
	if err := assign.MayRecord(u, village); err != nil {
		return err
	}
	if *outcome == "none" {
		err = s.ClearVisitOutcome(ctx, *round, *key)
	} else {
		var o assign.Outcome
		if o, err = assign.ParseOutcome(*outcome); err == nil {
			err = s.RecordVisitOutcome(ctx, *round, *key, o, *note, u.Username)
		}
	}
	if err != nil {
		return err
	}
	detail, _ := json.Marshal(map[string]any{"round": *round, "household": *key, "outcome": *outcome, "note": *note})
	if err := s.AuditEvent(ctx, u.Username, "assign.outcome", village, "assign:"+*round+"/"+*key, string(detail)); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "round %s, household %s: %s\n", *round, *key, *outcome)
	return nil
}
