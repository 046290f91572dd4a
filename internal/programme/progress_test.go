package programme_test

import (
	"strings"
	"testing"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/programme"
)

func TestStageMoves(t *testing.T) {
	award, err := programme.Lookup("award_nomination")
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2021, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name, from, to, reason string
		admin, ok, back        bool
		says                   string
	}{
		{name: "forward", from: "draft", to: "submitted", ok: true},
		{name: "not shortlisted", from: "submitted", to: "not_awarded", ok: true},
		{name: "awarded", from: "shortlisted", to: "awarded", ok: true},
		{name: "skipping", from: "draft", to: "shortlisted", says: "ข้ามขั้นไม่ได้"},
		{name: "after the result", from: "awarded", to: "not_awarded", admin: true, says: "ผลสุดท้าย"},
		{name: "back, not an administrator", from: "shortlisted", to: "submitted", reason: "เอกสารไม่ครบ", says: "เฉพาะผู้ดูแลระบบ"},
		{name: "back without a reason", from: "shortlisted", to: "submitted", admin: true, says: "ต้องระบุเหตุผล"},
		{name: "back with a reason", from: "awarded", to: "shortlisted", admin: true, reason: "ประกาศผลผิด", ok: true, back: true},
		{name: "standing still", from: "submitted", to: "submitted", admin: true, says: "อยู่ในขั้นนี้อยู่แล้ว"},
		{name: "unknown", from: "draft", to: "won", says: "ไม่รู้จักขั้น"},
	} {
		m := programme.StageMove{From: c.from, To: c.to, Reason: c.reason, Date: day}
		err := award.CheckMove(&m, c.admin)
		if c.ok != (err == nil) || m.Back != c.back {
			t.Errorf("%s: %v (back %v)", c.name, err, m.Back)
		}
		if c.says != "" && (err == nil || !strings.Contains(apperr.MessageOf(err).TH, c.says) || apperr.MessageOf(err).EN == "") {
			t.Errorf("%s: the refusal %v does not say %q", c.name, err, c.says)
		}
	}
	veg, _ := programme.Lookup("vegetable_gardens")
	if err := veg.CheckMove(&programme.StageMove{From: "enrolled", To: "model", Date: day}, true); err == nil {
		t.Error("a programme without stages took a stage move")
	}
}

func TestChangesListWhatDiffers(t *testing.T) {
	cl, _ := programme.Lookup("change_leaders")
	was := programme.Participant{ID: 7, Status: "enrolled", Fields: map[string]string{"role": "kamnan", "phone": "0812345678"}}
	is := programme.Participant{ID: 7, Status: "trained", Level: "district", Fields: map[string]string{"role": "kamnan", "phone": ""}, ActionPlan: "ตลาดชุมชน"}
	got := programme.Changes(cl, was, is)
	var fields []string
	for _, c := range got {
		fields = append(fields, c.Field+":"+c.Old+">"+c.New)
	}
	if want := "status:enrolled>trained level:>district phone:0812345678> action_plan:>ตลาดชุมชน"; strings.Join(fields, " ") != want {
		t.Errorf("changes %q, want %q", strings.Join(fields, " "), want)
	}
}

func TestSessionGardens(t *testing.T) {
	veg, _ := programme.Lookup("vegetable_gardens")
	se := programme.Session{Gardens: map[int64]string{1: "growing", 2: ""}}
	if err := veg.CheckSession(&se); err != nil || len(se.Gardens) != 1 {
		t.Errorf("%v %v", se.Gardens, err)
	}
	se.Gardens[3] = "flooded"
	if err := veg.CheckSession(&se); err == nil {
		t.Error("an unknown garden state was taken")
	}
	se = programme.Session{Observations: strings.Repeat("ผ", programme.MaxObservations+1)}
	if err := veg.CheckSession(&se); err == nil {
		t.Error("observations too long were taken")
	}
}
