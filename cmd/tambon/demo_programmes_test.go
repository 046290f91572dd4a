package main

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"
)

// The demo's programmes show what follows enrolment, dated within the
// story: leaders whose level changed after their kick-off training, garden
// visits with what was seen and a photo, and a nomination at the
// shortlist, each after the programme's first session or step and none
// after today.
func TestDemoProgrammesProgress(t *testing.T) {
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
	ps, err := s.Programmes(ctx, "70")
	if err != nil {
		t.Fatal(err)
	}
	day := func(tm time.Time) string { return tm.Format("2006-01-02") }
	levels, observed, photos, shortlisted := 0, 0, 0, 0
	for _, p := range ps {
		sessions, err := s.Sessions(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		steps, err := s.Steps(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		// The programme's story starts with its first session or step.
		var start time.Time
		for _, se := range sessions {
			if start.IsZero() || se.Date.Before(start) {
				start = se.Date
			}
			if se.Date.After(now) {
				t.Errorf("%s: session %q on %s, after today", p.Title, se.Title, day(se.Date))
			}
			if se.Observations != "" && len(se.Gardens) > 0 {
				observed++
			}
			photos += len(se.Photos)
		}
		for _, st := range steps {
			if start.IsZero() || st.Date.Before(start) {
				start = st.Date
			}
		}
		changes, err := s.ParticipantChanges(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range changes {
			if c.At.Before(start) || c.At.After(now) {
				t.Errorf("%s: the change of %s on %s is not between the programme's start (%s) and today", p.Title, c.Field, day(c.At), day(start))
			}
			if c.Field == "level" {
				levels++
			}
		}
		moves, err := s.StageMoves(ctx, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range moves {
			if m.Date.Before(start) || m.Date.After(now) || !m.At.Equal(m.Date.Add(3*time.Hour)) {
				t.Errorf("%s: the move to %s on %s (recorded %s) is not between the programme's start (%s) and today, on its day", p.Title, m.To, day(m.Date), m.At, day(start))
			}
		}
		pts, _ := s.Participants(ctx, p.ID)
		for _, pt := range pts {
			if p.Type == "award_nomination" && pt.Status == "shortlisted" {
				shortlisted++
			}
		}
	}
	if levels < 2 || observed < 2 || photos < 2 || shortlisted != 1 {
		t.Errorf("the demo has %d level changes, %d visits with observations and gardens, %d photos, %d nominations shortlisted", levels, observed, photos, shortlisted)
	}
}
