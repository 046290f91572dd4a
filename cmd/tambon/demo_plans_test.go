package main

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"tambon/internal/plan"
)

// The demo's plans and programmes load once: running the demo again keeps
// what is there and adds nothing.
func TestDemoPlansAreLoadedOnce(t *testing.T) {
	ctx := context.Background()
	e := &env{getenv: func(string) string { return "" }, stdout: io.Discard, stderr: io.Discard,
		log: slog.New(slog.NewTextHandler(io.Discard, nil)), now: time.Now}
	db := tempDB(t)
	counts := func() (plans, items, help, programmes int) {
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
		prs, _ := s.Programmes(ctx, "70")
		return len(ps), items, len(hs), len(prs)
	}
	p1, i1, h1, r1 := counts()
	if p1 != 1 || i1 == 0 || h1 == 0 || r1 != 4 {
		t.Fatalf("first run: %d plans, %d items, %d help records, %d programmes", p1, i1, h1, r1)
	}
	p2, i2, h2, r2 := counts()
	if p2 != p1 || i2 != i1 || h2 != h1 || r2 != r1 {
		t.Errorf("second run changed the demo: %d/%d/%d/%d, was %d/%d/%d/%d", p2, i2, h2, r2, p1, i1, h1, r1)
	}
}
