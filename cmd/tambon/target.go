package main

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/mpi"
	"tambon/internal/store"
	"tambon/internal/survey"
	"tambon/internal/thai"
)

// targetFilter reads the flags that say which households a list targets.
type targetFlags struct {
	indicators, dimensions, k string
	poor                      bool
}

func (tf *targetFlags) filter(eng *engine.Engine) (engine.Filter, error) {
	f := engine.Filter{Indicators: splitList(tf.indicators), Dimensions: splitList(tf.dimensions)}
	if tf.poor || tf.k != "" {
		if eng.Poverty() == nil {
			return f, apperr.New(apperr.Invalid, apperr.T("รอบนี้ไม่มีดัชนีความยากจนหลายมิติ", "this round has no multidimensional poverty measure"))
		}
		f.PoorAt = eng.Poverty().K()
		if tf.k != "" {
			k, err := mpi.ParseFrac(tf.k)
			if err != nil {
				return f, err
			}
			f.PoorAt = k
		}
	}
	return f, nil
}

func cmdTarget(ctx context.Context, e *env, args []string) error {
	fs := e.flags("target", "target --round R --area CODE [--indicators 22,23] [--poor [--k 1/20]] [--dimensions income,…] [--out FILE.xlsx] [--reveal --by NAME]")
	dsn := e.dbFlag(fs, "tambon.db")
	roundID := fs.String("round", "", "the round")
	areaCode := fs.String("area", "", "area code (any level)")
	var tf targetFlags
	fs.StringVar(&tf.indicators, "indicators", "", "households failing any of these indicator codes")
	fs.BoolVar(&tf.poor, "poor", false, "households with an MPI-poor member")
	fs.StringVar(&tf.k, "k", "", "MPI cut-off for --poor (default the round's)")
	fs.StringVar(&tf.dimensions, "dimensions", "", "households with a member deprived in one of these MPI dimensions (health, living, education, income, access)")
	out := fs.String("out", "", "write the list to this XLSX/CSV file (default: a table on the terminal)")
	reveal := fs.Bool("reveal", false, "show names, citizen IDs and house codes unmasked (written to the audit log)")
	by := fs.String("by", e.envOr("USER", "cli"), "who asks, for the audit log")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, tree, err := e.openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := areaOf(tree, *areaCode); err != nil {
		return err
	}
	r, eng, err := roundEngine(ctx, s, *roundID)
	if err != nil {
		return err
	}
	f, err := tf.filter(eng)
	if err != nil {
		return err
	}
	type row struct {
		rec survey.Record
		hit engine.Hit
	}
	var rows []row
	w := eng.Worker()
	err = s.EachHousehold(ctx, r.ID, *areaCode, func(rec survey.Record) error {
		if hit, ok := engine.Target(w, rec.Household, f); ok {
			rows = append(rows, row{rec, hit})
		}
		return nil
	})
	if err != nil {
		return err
	}
	// Most deprived first, then by village and house number.
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i].hit.Score, rows[j].hit.Score
		if c := a.Num*b.Den - b.Num*a.Den; c != 0 {
			return c > 0
		}
		return rows[i].rec.Household.VillageCode < rows[j].rec.Household.VillageCode
	})
	header := []string{"หมู่บ้าน (village)", "บ้านเลขที่ (house_no)", "รหัสบ้าน (house_code)", "หัวหน้าครัวเรือน (head)", "สมาชิก (members)",
		"คะแนนความขาดแคลน (score)", "ตัวชี้วัดที่ไม่ผ่าน (failed)", "เหตุผล (reasons)"}
	var table [][]any
	for _, x := range rows {
		h := x.rec.Household
		head, house := "", h.HouseCode
		for _, m := range h.Members {
			if m.Relation == survey.RelHead {
				head = m.FirstName + " " + m.LastName
			}
		}
		if !*reveal {
			head, house = maskName(head), thai.MaskHouseCode(house)
		}
		var reasons []string
		for _, rs := range x.hit.Reasons {
			text := rs.Text.TH
			if !*reveal { // reasons name the members who failed
				for _, m := range h.Members {
					if m.FirstName != "" {
						text = strings.ReplaceAll(text, m.FirstName, maskName(m.FirstName))
					}
				}
			}
			reasons = append(reasons, rs.Code+": "+text)
		}
		table = append(table, []any{h.VillageCode, h.HouseNo, house, head, len(h.Members),
			fmt.Sprintf("%.3f", float64(x.hit.Score.Num)/float64(max(x.hit.Score.Den, 1))), strings.Join(x.hit.Failed, ","), strings.Join(reasons, "; ")})
	}
	if *reveal {
		if err := s.Audit(ctx, store.AuditEntry{User: *by, Action: "export.personal", Area: *areaCode, Object: "round:" + r.ID,
			Detail: fmt.Sprintf(`{"list":"target","households":%d}`, len(rows))}); err != nil {
			return err
		}
	}
	if *out == "" {
		fmt.Fprintln(e.stdout, strings.Join(header, "\t"))
		for _, t := range table {
			fmt.Fprintln(e.stdout, strings.TrimSuffix(fmt.Sprintln(t...), "\n"))
		}
		fmt.Fprintf(e.stderr, "%d households\n", len(rows))
		return nil
	}
	tw, c, err := outputWriter(e, *out, "")
	if err != nil {
		return err
	}
	defer c.Close()
	if err := tw.NewSheet("ครัวเรือนเป้าหมาย", header); err != nil {
		return err
	}
	for _, t := range table {
		if err := tw.Write(t...); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d households written to %s\n", len(rows), *out)
	return nil
}

// maskName keeps a name's first letter: enough to tell households apart on
// a list, not enough to identify a person (PDPA).
func maskName(name string) string {
	var out []string
	for _, part := range strings.Fields(name) {
		r := []rune(part)
		out = append(out, string(r[:1])+"***")
	}
	return strings.Join(out, " ")
}

func cmdTransitions(ctx context.Context, e *env, args []string) error {
	fs := e.flags("transitions", "transitions --from R1 --to R2 --area CODE [--indicators 22,…] [--children]   (who graduated, who fell back)")
	dsn := e.dbFlag(fs, "tambon.db")
	from := fs.String("from", "", "the earlier round")
	to := fs.String("to", "", "the later round")
	areaCode := fs.String("area", "TH", "area code")
	children := fs.Bool("children", false, "one line per child area")
	households := fs.Bool("households", false, "one line per household instead: its key in each round, how it was matched, and its transition")
	var tf targetFlags
	fs.StringVar(&tf.indicators, "indicators", "", "poor means failing any of these indicators (default: MPI-poor at the round's k)")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, tree, err := e.openExisting(ctx, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	a, err := areaOf(tree, *areaCode)
	if err != nil {
		return err
	}
	refs := func(round string) ([]engine.HouseholdRef, error) {
		_, eng, err := roundEngine(ctx, s, round)
		if err != nil {
			return nil, err
		}
		tf.poor = tf.indicators == ""
		f, err := tf.filter(eng)
		if err != nil {
			return nil, err
		}
		w := eng.Worker()
		// Members are named by their citizen IDs, or by the IDs'
		// pseudonyms once a round has been pseudonymised (docs/privacy.md).
		ids, err := s.FollowIDs(ctx, round)
		if err != nil {
			return nil, err
		}
		var out []engine.HouseholdRef
		err = s.EachHousehold(ctx, round, a.Code, func(rec survey.Record) error {
			h := rec.Household
			ref := engine.HouseholdRef{ID: rec.ID, Key: h.Key(), Village: h.VillageCode, CitizenIDs: ids(rec)}
			_, ref.Poor = engine.Target(w, h, f)
			out = append(out, ref)
			return nil
		})
		return out, err
	}
	prev, err := refs(*from)
	if err != nil {
		return err
	}
	cur, err := refs(*to)
	if err != nil {
		return err
	}
	pairs := engine.Match(prev, cur)
	if *households {
		fmt.Fprintln(e.stdout, "village\tprev_id\tcur_id\tmatched_by\tprev_poor\tcur_poor\ttransition")
		for _, p := range pairs {
			var village, pid, cid, pp, cp string
			if p.Prev != nil {
				village, pid, pp = p.Prev.Village, fmt.Sprint(p.Prev.ID), fmt.Sprint(p.Prev.Poor)
			}
			if p.Cur != nil {
				village, cid, cp = p.Cur.Village, fmt.Sprint(p.Cur.ID), fmt.Sprint(p.Cur.Poor)
			}
			fmt.Fprintf(e.stdout, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", village, pid, cid, p.By, pp, cp, p.Kind)
		}
		return nil
	}
	table := engine.TransitionTable(pairs, nil)
	codes := []string{a.Code}
	if *children {
		codes = nil
		for _, c := range tree.Children(a.Code) {
			codes = append(codes, c.Code)
		}
	}
	fmt.Fprintln(e.stdout, "area\tname\tgraduated\tfell_back\tstill_poor\tnever_poor\tnew\tgone")
	for _, code := range codes {
		t := table[code]
		if t == nil {
			t = &engine.TransitionCounts{}
		}
		ar, _ := tree.Get(code)
		fmt.Fprintf(e.stdout, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\n", code, ar.TitleTH(), t.Graduated, t.FellBack, t.StillPoor, t.NeverPoor, t.New, t.Gone)
	}
	return nil
}
