package main

import (
	"context"
	"io"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"tambon/internal/activity"
	"tambon/internal/plan"
	"tambon/internal/survey"
)

// The demo's plans and programmes load once: running the demo again keeps
// what is there and adds nothing.
func TestDemoPlansAreLoadedOnce(t *testing.T) {
	ctx := context.Background()
	e := &env{getenv: func(string) string { return "" }, stdout: io.Discard, stderr: io.Discard,
		log: slog.New(slog.NewTextHandler(io.Discard, nil)), now: time.Now}
	db := tempDB(t)
	counts := func() (plans, items, help, programmes, files int) {
		s, tree, err := e.openStore(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if _, err := seedDemo(ctx, e, s, tree, "700513"); err != nil {
			t.Fatal(err)
		}
		ps, _ := s.Plans(ctx, "700513")
		for _, p := range ps {
			its, _ := s.PlanItems(ctx, p.ID)
			items += len(its)
		}
		hs, _ := s.Assistance(ctx, plan.AssistanceFilter{Area: "700513"})
		if fs, err := s.Forums(ctx, "700513", demoRound2); err != nil || len(fs) != 1 || len(fs[0].Problems) < 4 {
			t.Errorf("the demo's village forums: %d, %v; want หมู่ 4's one, with its ranking", len(fs), err)
		}
		prs, _ := s.Programmes(ctx, "70")
		for _, p := range prs {
			fs, _ := s.ProgrammeFiles(ctx, p.ID)
			files += len(fs)
		}
		return len(ps), items, len(hs), len(prs), files
	}
	p1, i1, h1, r1, f1 := counts()
	if p1 != 2 || i1 == 0 || h1 == 0 || r1 != 4 || f1 != 4 {
		t.Fatalf("first run: %d plans (want 2: 2562's, and 2565's that หมู่ 4's forum feeds), %d items, %d help records, %d programmes, %d evidence files (want 4: the award's PDF and photo, two model-tambon step photos)", p1, i1, h1, r1, f1)
	}
	p2, i2, h2, r2, f2 := counts()
	if p2 != p1 || i2 != i1 || h2 != h1 || r2 != r1 || f2 != f1 {
		t.Errorf("second run changed the demo: %d/%d/%d/%d/%d, was %d/%d/%d/%d/%d", p2, i2, h2, r2, f2, p1, i1, h1, r1, f1)
	}
}

// The demo's hand-made PDF is well formed: its cross-reference table is
// where startxref says, and each object is where the table says.
func TestDemoPDFOffsets(t *testing.T) {
	pdf := string(demoPDF("Line one", "Line (two)"))
	if !strings.HasPrefix(pdf, "%PDF-1.4\n") || !strings.HasSuffix(pdf, "%%EOF\n") {
		t.Fatalf("header or trailer missing:\n%s", pdf)
	}
	i := strings.LastIndex(pdf, "startxref\n")
	xref, err := strconv.Atoi(strings.Fields(pdf[i+len("startxref\n"):])[0])
	if err != nil || !strings.HasPrefix(pdf[xref:], "xref\n0 6\n") {
		t.Fatalf("startxref %d does not point at the table: %v", xref, err)
	}
	rows := strings.Split(pdf[xref:], "\n")[3:8]
	for n, row := range rows {
		off, _ := strconv.Atoi(row[:10])
		if want := strconv.Itoa(n+1) + " 0 obj"; !strings.HasPrefix(pdf[off:], want) {
			t.Errorf("object %d: offset %d holds %q", n+1, off, pdf[off:min(off+12, len(pdf))])
		}
	}
	if !strings.Contains(pdf, `(Line \(two\)) Tj`) {
		t.Error("parentheses in text are not escaped")
	}
}

// The demo tells one story in order: each round's households are surveyed,
// the plan built from a round starts after that survey, help to a household
// of round N is given after round N's survey and before round N+1's (which
// judges it), follow-ups fall due and are done after their activity, and
// nothing is dated after today.
func TestDemoDatesFollowItsRounds(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	e := &env{getenv: func(string) string { return "" }, stdout: io.Discard, stderr: io.Discard,
		log: slog.New(slog.NewTextHandler(io.Discard, nil)), now: time.Now}
	s, tree, err := e.openStore(ctx, tempDB(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := seedDemo(ctx, e, s, tree, demoPlanArea); err != nil {
		t.Fatal(err)
	}
	day := func(tm time.Time) string { return tm.Format("2006-01-02") }
	// When each household round's survey ran in the plan's tambon.
	type span struct{ first, last time.Time }
	surveyed := map[string]span{}
	var order []string
	for _, id := range []string{demoRound1, demoRound2} {
		var sp span
		err := s.EachHousehold(ctx, id, demoPlanArea, func(r survey.Record) error {
			d := r.Household.SurveyDate
			if sp.first.IsZero() || d.Before(sp.first) {
				sp.first = d
			}
			if d.After(sp.last) {
				sp.last = d
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if sp.first.IsZero() {
			t.Fatalf("round %s has no households in %s", id, demoPlanArea)
		}
		if sp.last.After(now) {
			t.Errorf("round %s surveyed until %s, after today", id, day(sp.last))
		}
		surveyed[id] = sp
		order = append(order, id)
	}
	next := map[string]string{order[0]: order[1]}
	if !surveyed[order[0]].last.Before(surveyed[order[1]].first) {
		t.Errorf("round %s's survey (until %s) overlaps round %s's (from %s)", order[0], day(surveyed[order[0]].last), order[1], day(surveyed[order[1]].first))
	}

	plans, err := s.Plans(ctx, demoPlanArea)
	if err != nil || len(plans) == 0 {
		t.Fatalf("plans: %v, %d", err, len(plans))
	}
	for _, p := range plans {
		base, ok := surveyed[p.RoundID]
		if !ok {
			continue
		}
		items, err := s.PlanItems(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			if !it.Start.After(base.last) {
				t.Errorf("plan item %q starts %s, before round %s's survey ended (%s)", it.Title, day(it.Start), p.RoundID, day(base.last))
			}
			if it.End.Before(it.Start) {
				t.Errorf("plan item %q ends %s before it starts %s", it.Title, day(it.End), day(it.Start))
			}
		}
	}

	// A programme's steps that name a plan's fiscal year name one the demo has.
	years := map[string]bool{}
	for _, p := range plans {
		years[strconv.Itoa(p.FiscalYear)] = true
	}
	fiscal := regexp.MustCompile(`ปีงบประมาณ (\d{4})`)
	named := 0
	for _, code := range []string{"70", "700513", "70051304"} {
		progs, err := s.Programmes(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		for _, pr := range progs {
			steps, err := s.Steps(ctx, pr.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, st := range steps {
				for _, m := range fiscal.FindAllStringSubmatch(st.Evidence, -1) {
					named++
					if !years[m[1]] {
						t.Errorf("programme %q, step %s names a plan of fiscal year %s; the demo's plans are of %v", pr.Title, st.Step, m[1], years)
					}
				}
			}
		}
	}
	if named == 0 {
		t.Error("no programme step names the plan it was used in")
	}

	help, err := s.Assistance(ctx, plan.AssistanceFilter{Area: demoPlanArea})
	if err != nil || len(help) == 0 {
		t.Fatalf("help records: %v, %d", err, len(help))
	}
	for _, h := range help {
		sp, ok := surveyed[h.RoundID]
		if !ok {
			t.Errorf("help %q to %s belongs to round %s, which the demo does not survey", h.What, h.HouseNo, h.RoundID)
			continue
		}
		if !h.Date.After(sp.last) {
			t.Errorf("help %q to house %s is dated %s, before round %s's survey ended (%s)", h.What, h.HouseNo, day(h.Date), h.RoundID, day(sp.last))
		}
		if n, ok := next[h.RoundID]; ok && !h.Date.Before(surveyed[n].first) {
			t.Errorf("help %q to house %s is dated %s, after round %s's survey began (%s), which judges it", h.What, h.HouseNo, day(h.Date), n, day(surveyed[n].first))
		}
		if h.Date.After(now) {
			t.Errorf("help %q to house %s is dated %s, after today", h.What, h.HouseNo, day(h.Date))
		}
	}

	acts, err := s.Activities(ctx, activity.Filter{Within: "70"})
	if err != nil || len(acts) == 0 {
		t.Fatalf("activities: %v, %d", err, len(acts))
	}
	for _, a := range acts {
		full, err := s.Activity(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if full.Start.After(now) {
			t.Errorf("activity %q is dated %s, after today", full.TitleTH, day(full.Start))
		}
		if !full.Start.After(surveyed[order[0]].last) {
			t.Errorf("activity %q (%s) comes before the first round's survey ended", full.TitleTH, day(full.Start))
		}
		for _, f := range full.FollowUps {
			if f.Due.Before(full.Start.Truncate(24 * time.Hour)) {
				t.Errorf("follow-up %q is due %s, before its activity of %s", f.Action, day(f.Due), day(full.Start))
			}
			if !f.DoneAt.IsZero() && (f.DoneAt.Before(full.Start) || f.DoneAt.After(now)) {
				t.Errorf("follow-up %q was done %s: before its activity of %s or after today", f.Action, day(f.DoneAt), day(full.Start))
			}
		}
	}
	news, err := s.NewsList(ctx, "", now, 50)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range news {
		if n.PublishedAt.After(now) || (!n.ActivityStart.IsZero() && n.PublishedAt.Before(n.ActivityStart)) {
			t.Errorf("news %q published %s: after today or before its activity (%s)", n.TitleTH, day(n.PublishedAt), day(n.ActivityStart))
		}
	}
}
