package store_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/jpeg"
	"strings"
	"testing"
	"time"

	"tambon/internal/activity"
	"tambon/internal/apperr"
	"tambon/internal/programme"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
)

// refusedWith checks that err is a refusal of the code whose message says
// th in Thai and has an English text too.
func refusedWith(t *testing.T, what string, err error, code apperr.Code, th string) {
	t.Helper()
	msg := apperr.MessageOf(err)
	if !apperr.Is(err, code) || !strings.Contains(msg.TH, th) || msg.EN == "" || msg.EN == msg.TH {
		t.Errorf("%s: %v (%q / %q), want %s saying %q in Thai and in English", what, err, msg.TH, msg.EN, code, th)
	}
}

func TestParticipantChangesKeepHistory(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		planFixture(t, s)
		cl, err := s.CreateProgramme(ctx, programme.Programme{Type: "change_leaders", Title: "ผู้นำการเปลี่ยนแปลง", AreaCode: "700513", FiscalYear: 2564})
		if err != nil {
			t.Fatal(err)
		}
		other, err := s.CreateProgramme(ctx, programme.Programme{Type: "change_leaders", Title: "ผู้นำตำบลอื่น", AreaCode: "700514", FiscalYear: 2564})
		if err != nil {
			t.Fatal(err)
		}
		pt, err := s.AddParticipant(ctx, programme.Participant{ProgrammeID: cl.ID, Name: "นายประยูร ทองมา", AreaCode: "70051304", Fields: map[string]string{"role": "kamnan", "phone": "0812345678"}})
		if err != nil {
			t.Fatal(err)
		}
		stranger, err := s.AddParticipant(ctx, programme.Participant{ProgrammeID: other.ID, Name: "นายอื่น", AreaCode: "700514"})
		if err != nil {
			t.Fatal(err)
		}

		edit := pt
		edit.Status, edit.Level, edit.ActionPlan = "trained", "district", "ตั้งกลุ่มออมทรัพย์"
		edit.Fields = map[string]string{"role": "village_head"}
		got, err := s.UpdateParticipant(ctx, cl.ID, edit, "tambon", "ผ่านการอบรมรุ่นที่ 1")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 4 {
			t.Errorf("changes %+v, want status, level, role and action plan (the phone left out of the form keeps its value)", got)
		}
		// Refusals write nothing.
		for _, c := range []struct {
			name string
			id   int64
			prog int64
			pt   func(p programme.Participant) programme.Participant
			note string
			code apperr.Code
			th   string
		}{
			{"another programme's participant", stranger.ID, cl.ID, func(p programme.Participant) programme.Participant { p.Status = "withdrawn"; return p }, "", apperr.Invalid, "ไม่ได้อยู่ในโครงการนี้"},
			{"an unknown status", pt.ID, cl.ID, func(p programme.Participant) programme.Participant { p.Status = "promoted"; return p }, "", apperr.Invalid, "ไม่รู้จักสถานะ"},
			{"an unknown level", pt.ID, cl.ID, func(p programme.Participant) programme.Participant { p.Level = "galaxy"; return p }, "", apperr.Invalid, "ไม่รู้จักระดับ"},
			{"a role not on the list", pt.ID, cl.ID, func(p programme.Participant) programme.Participant {
				p.Fields = map[string]string{"role": "king"}
				return p
			}, "", apperr.Invalid, "ไม่มีตัวเลือก"},
			{"a note too long", pt.ID, cl.ID, func(p programme.Participant) programme.Participant { p.Status = "withdrawn"; return p }, strings.Repeat("ก", programme.MaxNote+1), apperr.Invalid, "ยาวเกิน"},
		} {
			e := edit
			e.ID = c.id
			e.Fields = map[string]string{}
			_, err := s.UpdateParticipant(ctx, c.prog, c.pt(e), "tambon", c.note)
			refusedWith(t, c.name, err, c.code, c.th)
		}
		// Saving the same values again changes nothing.
		if again, err := s.UpdateParticipant(ctx, cl.ID, edit, "tambon", ""); err != nil || len(again) != 0 {
			t.Errorf("saving unchanged: %+v %v", again, err)
		}
		edit.Level = "province"
		if _, err := s.UpdateParticipant(ctx, cl.ID, edit, "district", ""); err != nil {
			t.Fatal(err)
		}
		pts, _ := s.Participants(ctx, cl.ID)
		if p := pts[0]; p.Status != "trained" || p.Level != "province" || p.Fields["role"] != "village_head" || p.Fields["phone"] != "0812345678" || p.ActionPlan != "ตั้งกลุ่มออมทรัพย์" {
			t.Errorf("participant after the edits: %+v", p)
		}
		hist, err := s.ParticipantChanges(ctx, cl.ID)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, c := range hist {
			lines = append(lines, c.Field+":"+c.Old+">"+c.New+" by "+c.By+" "+c.Note)
		}
		want := []string{"status:enrolled>trained by tambon ผ่านการอบรมรุ่นที่ 1", "level:>district by tambon ผ่านการอบรมรุ่นที่ 1",
			"role:kamnan>village_head by tambon ผ่านการอบรมรุ่นที่ 1", "action_plan:>ตั้งกลุ่มออมทรัพย์ by tambon ผ่านการอบรมรุ่นที่ 1", "level:district>province by district "}
		if strings.Join(lines, "\n") != strings.Join(want, "\n") {
			t.Errorf("history:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
		}
		if !hist[0].At.Equal(storetest.Now()) {
			t.Errorf("changed at %v, want the store's clock %v", hist[0].At, storetest.Now())
		}
		if h, _ := s.ParticipantChanges(ctx, other.ID); len(h) != 0 {
			t.Errorf("the other programme has history: %+v", h)
		}

		// A nomination's status moves only by stage.
		aw, err := s.CreateProgramme(ctx, programme.Programme{Type: "award_nomination", Title: "รางวัลเลิศรัฐ", AreaCode: "700513", FiscalYear: 2564})
		if err != nil {
			t.Fatal(err)
		}
		nom, err := s.AddParticipant(ctx, programme.Participant{ProgrammeID: aw.ID, Name: "บ้านหนองไม้เฝ้า", AreaCode: "70051304"})
		if err != nil {
			t.Fatal(err)
		}
		nom.Status = "awarded"
		_, err = s.UpdateParticipant(ctx, aw.ID, nom, "tambon", "")
		refusedWith(t, "a nomination's status edited", err, apperr.Invalid, "เลื่อนขั้น")
		_, err = s.AddParticipant(ctx, programme.Participant{ProgrammeID: aw.ID, Name: "บ้านอื่น", AreaCode: "70051304", Status: "awarded"})
		refusedWith(t, "a nominee enrolled as awarded", err, apperr.Invalid, "เริ่มที่ขั้นแรก")
	})
}

func TestStageMovesForwardOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		planFixture(t, s)
		aw, err := s.CreateProgramme(ctx, programme.Programme{Type: "award_nomination", Title: "รางวัลเลิศรัฐ", AreaCode: "700513", FiscalYear: 2564})
		if err != nil {
			t.Fatal(err)
		}
		nom, err := s.AddParticipant(ctx, programme.Participant{ProgrammeID: aw.ID, Name: "บ้านหนองไม้เฝ้า", AreaCode: "70051304"})
		if err != nil {
			t.Fatal(err)
		}
		day := func(m, d int) time.Time { return time.Date(2026, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
		move := func(to string, on time.Time, reason string, admin bool) error {
			_, err := s.MoveStage(ctx, aw.ID, programme.StageMove{ParticipantID: nom.ID, To: to, Date: on, Reason: reason, By: "tambon"}, admin)
			return err
		}
		must(t, move("submitted", day(3, 1), "", false))
		for _, c := range []struct {
			name, to string
			on       time.Time
			reason   string
			admin    bool
			code     apperr.Code
			th       string
		}{
			{"skipping to the award", "awarded", day(3, 5), "", false, apperr.Invalid, "ข้ามขั้นไม่ได้"},
			{"back, not an administrator", "draft", day(3, 5), "ส่งผิดฉบับ", false, apperr.Invalid, "เฉพาะผู้ดูแลระบบ"},
			{"back without a reason", "draft", day(3, 5), "", true, apperr.Invalid, "ต้องระบุเหตุผล"},
			{"a day in the future", "shortlisted", day(12, 25), "", false, apperr.Invalid, "ยังมาไม่ถึง"},
			{"a day before the last move", "shortlisted", day(2, 1), "", false, apperr.Invalid, "ไม่ก่อนการเลื่อนขั้นครั้งก่อน"},
			{"an unknown stage", "gold", day(3, 5), "", false, apperr.Invalid, "ไม่รู้จักขั้น"},
		} {
			refusedWith(t, c.name, move(c.to, c.on, c.reason, c.admin), c.code, c.th)
		}
		if _, err := s.MoveStage(ctx, aw.ID, programme.StageMove{ParticipantID: 999999, To: "submitted", Date: day(3, 5)}, true); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("a stranger moved: %v", err)
		}
		must(t, move("shortlisted", day(6, 10), "", false))
		must(t, move("awarded", day(9, 1), "", false))
		refusedWith(t, "after the result", move("not_awarded", day(9, 2), "", false), apperr.Invalid, "ผลสุดท้าย")
		must(t, move("shortlisted", day(9, 3), "ประกาศผลคลาดเคลื่อน รอคณะกรรมการยืนยัน", true))

		moves, err := s.StageMoves(ctx, aw.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range moves {
			got = append(got, m.From+">"+m.To+" "+m.Date.Format("01-02"))
			if m.Back != (m.To == "shortlisted" && m.From == "awarded") {
				t.Errorf("move %+v: back %v", m, m.Back)
			}
		}
		if want := "draft>submitted 03-01 submitted>shortlisted 06-10 shortlisted>awarded 09-01 awarded>shortlisted 09-03"; strings.Join(got, " ") != want {
			t.Errorf("moves %q, want %q", strings.Join(got, " "), want)
		}
		if pts, _ := s.Participants(ctx, aw.ID); pts[0].Status != "shortlisted" {
			t.Errorf("status %q after the moves", pts[0].Status)
		}
		// A programme without stages takes no moves.
		cl, _ := s.CreateProgramme(ctx, programme.Programme{Type: "change_leaders", Title: "ผู้นำ", AreaCode: "700513", FiscalYear: 2564})
		leader, _ := s.AddParticipant(ctx, programme.Participant{ProgrammeID: cl.ID, Name: "นายก", AreaCode: "70051304"})
		_, err = s.MoveStage(ctx, cl.ID, programme.StageMove{ParticipantID: leader.ID, To: "trained", Date: day(3, 1)}, true)
		refusedWith(t, "a programme without stages", err, apperr.Invalid, "ไม่มีขั้น")
	})
}

func testPhoto(t *testing.T) activity.Shrunk {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for x := range 40 {
		for y := range 30 {
			img.Set(x, y, color.RGBA{30, uint8(100 + x), 40, 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	sh, err := activity.ShrinkPhoto("แปลงผัก.jpg", b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return sh
}

func TestVisitsRecordWhatWasSeen(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		planFixture(t, s)
		vg, err := s.CreateProgramme(ctx, programme.Programme{Type: "vegetable_gardens", Title: "ผักสวนครัว", AreaCode: "70051304", FiscalYear: 2564})
		if err != nil {
			t.Fatal(err)
		}
		var hhs []survey.Record
		s.EachHousehold(ctx, "bmn-2562", "70051304", func(r survey.Record) error { hhs = append(hhs, r); return nil })
		var pts []programme.Participant
		for _, h := range hhs[:3] {
			pt, err := s.AddParticipant(ctx, programme.Participant{ProgrammeID: vg.ID, Name: "บ้าน " + h.Household.HouseNo, HouseholdID: h.ID})
			if err != nil {
				t.Fatal(err)
			}
			pts = append(pts, pt)
		}
		cl, _ := s.CreateProgramme(ctx, programme.Programme{Type: "change_leaders", Title: "ผู้นำ", AreaCode: "700513", FiscalYear: 2564})
		leader, _ := s.AddParticipant(ctx, programme.Participant{ProgrammeID: cl.ID, Name: "นายก", AreaCode: "70051304"})
		day := time.Date(2021, 5, 10, 0, 0, 0, 0, time.UTC)
		visit := programme.Session{ProgrammeID: vg.ID, Title: "เยี่ยมแปลงผัก ครั้งที่ 1", Date: day, Attendees: []int64{pts[0].ID, pts[1].ID},
			Observations: "  ผักบุ้งและกะเพราโตดี แปลงบ้านที่สองขาดน้ำ  ", Gardens: map[int64]string{pts[0].ID: "harvesting", pts[1].ID: "abandoned", pts[2].ID: ""}}
		se, err := s.AddSession(ctx, visit)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			se   programme.Session
			th   string
		}{
			{"a garden state not on the list", programme.Session{ProgrammeID: vg.ID, Title: "x", Date: day, Gardens: map[int64]string{pts[0].ID: "flooded"}}, "ไม่รู้จักสภาพแปลงผัก"},
			{"another programme's participant's garden", programme.Session{ProgrammeID: vg.ID, Title: "x", Date: day, Gardens: map[int64]string{leader.ID: "growing"}}, "ไม่ได้อยู่ในโครงการนี้"},
			{"observations too long", programme.Session{ProgrammeID: vg.ID, Title: "x", Date: day, Observations: strings.Repeat("ผ", programme.MaxObservations+1)}, "ยาวเกิน"},
		} {
			_, err := s.AddSession(ctx, c.se)
			refusedWith(t, c.name, err, apperr.Invalid, c.th)
		}
		sh := testPhoto(t)
		ph, err := s.AddSessionPhoto(ctx, vg.ID, programme.Photo{SessionID: se.ID, ParticipantID: pts[0].ID, Caption: "แปลงผักบ้านแรก", Width: sh.Width, Height: sh.Height,
			Image: sh.Image, Thumb: sh.Thumb, By: "moo4"})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			prog int64
			ph   programme.Photo
			code apperr.Code
			th   string
		}{
			{"a session of another programme", cl.ID, programme.Photo{SessionID: se.ID, Image: sh.Image, Thumb: sh.Thumb}, apperr.NotFound, "ไม่พบ"},
			{"another programme's participant", vg.ID, programme.Photo{SessionID: se.ID, ParticipantID: leader.ID, Image: sh.Image, Thumb: sh.Thumb}, apperr.Invalid, "ไม่ได้อยู่ในโครงการนี้"},
			{"no picture", vg.ID, programme.Photo{SessionID: se.ID}, apperr.Invalid, "ไม่ได้แนบรูป"},
		} {
			_, err := s.AddSessionPhoto(ctx, c.prog, c.ph)
			refusedWith(t, c.name, err, c.code, c.th)
		}
		ss, err := s.Sessions(ctx, vg.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ss) != 1 {
			t.Fatalf("%d sessions, want 1 (refused ones write nothing)", len(ss))
		}
		got := ss[0]
		if got.Observations != "ผักบุ้งและกะเพราโตดี แปลงบ้านที่สองขาดน้ำ" || len(got.Attendees) != 2 || len(got.Gardens) != 2 ||
			got.Gardens[pts[0].ID] != "harvesting" || got.Gardens[pts[1].ID] != "abandoned" {
			t.Errorf("the visit: %+v", got)
		}
		if len(got.Photos) != 1 || got.Photos[0].ID != ph.ID || got.Photos[0].Caption != "แปลงผักบ้านแรก" || got.Photos[0].ParticipantID != pts[0].ID || got.Photos[0].By != "moo4" {
			t.Errorf("photos: %+v", got.Photos)
		}
		if _, data, err := s.SessionPhoto(ctx, vg.ID, ph.ID, false); err != nil || !bytes.Equal(data, sh.Image) {
			t.Errorf("the photo's JPEG: %d bytes, %v", len(data), err)
		}
		if _, data, err := s.SessionPhoto(ctx, vg.ID, ph.ID, true); err != nil || !bytes.Equal(data, sh.Thumb) {
			t.Errorf("the thumbnail: %d bytes, %v", len(data), err)
		}
		if _, _, err := s.SessionPhoto(ctx, cl.ID, ph.ID, false); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("the photo asked for under another programme: %v", err)
		}
	})
}
