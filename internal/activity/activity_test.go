package activity_test

import (
	"errors"
	"testing"
	"time"

	"tambon/internal/activity"
	"tambon/internal/apperr"
)

// Due dates are Thai dates: an action due on 1 February is late from
// midnight in Bangkok, which is 17:00 UTC the day before.
func TestOverdueFollowsThaiMidnight(t *testing.T) {
	f := activity.FollowUp{Action: "ส่งรายชื่อ", Due: time.Date(2021, 2, 1, 0, 0, 0, 0, time.UTC), Status: activity.Open}
	tests := []struct {
		name string
		now  time.Time
		want bool
	}{
		{"the day before, Bangkok evening", time.Date(2021, 1, 31, 16, 59, 0, 0, time.UTC), false},
		{"the due day, just after Bangkok midnight", time.Date(2021, 1, 31, 17, 1, 0, 0, time.UTC), false},
		{"the due day, Bangkok evening", time.Date(2021, 2, 1, 16, 59, 0, 0, time.UTC), false},
		{"the next day in Bangkok, still 1 Feb in UTC", time.Date(2021, 2, 1, 17, 1, 0, 0, time.UTC), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := f.Overdue(tt.now); got != tt.want {
				t.Errorf("Overdue(%v) = %v, want %v", tt.now, got, tt.want)
			}
		})
	}
	for _, s := range []activity.FollowUpStatus{activity.Done, activity.Cancelled} {
		g := f
		g.Status = s
		if g.Overdue(time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("a %s action is overdue", s)
		}
	}
}

func TestValidateNamesEveryProblem(t *testing.T) {
	a := activity.Activity{Kind: "party", AreaCode: "หมู่ 4", Start: time.Date(2021, 3, 1, 9, 0, 0, 0, time.UTC),
		End:       time.Date(2021, 3, 1, 8, 0, 0, 0, time.UTC),
		FollowUps: []activity.FollowUp{{Action: "ทำ", Status: "maybe"}}, Safety: []string{"prayer"}}
	a.Normalize()
	var ps apperr.Problems
	if !errors.As(a.Validate(), &ps) {
		t.Fatal("an activity with many problems passed")
	}
	got := map[string]bool{}
	for _, p := range ps {
		got[p.Field] = true
		if p.Reason.TH == "" || p.Reason.EN == "" {
			t.Errorf("%s: reason %+v not in both languages", p.Field, p.Reason)
		}
	}
	for _, f := range []string{"kind", "title_th", "end", "area_code", "followups", "safety"} {
		if !got[f] {
			t.Errorf("no problem named %s (got %v)", f, got)
		}
	}
	ok := activity.Activity{Kind: activity.Meeting, TitleTH: "ประชุม", AreaCode: "700513", Start: a.Start, Safety: []string{"masks"}}
	if err := ok.Validate(); err != nil {
		t.Errorf("a good activity is refused: %v", err)
	}
}
