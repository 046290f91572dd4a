package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/assign"
	"tambon/internal/engine"
	"tambon/internal/plan"
	"tambon/internal/programme"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
	"tambon/internal/thai"
	"tambon/internal/user"
	"tambon/internal/welfare"
	"tambon/internal/xform"
)

// pdpaFixture is a round whose first two households' data have been copied
// everywhere a person's data can travel: edit history, audit payloads, an
// OpenRosa submission with an attachment, a plan target, help given, a
// programme participant.
type pdpaFixture struct {
	eng *engine.Engine
	hs  []*survey.Household
	ids []int64 // stored ids of hs
}

const pdpaRound = "bmn-2564"

func mustPDPAFixture(t *testing.T, s *store.Store) pdpaFixture {
	t.Helper()
	ctx := context.Background()
	eng := mustEngine(t)
	mustRound(t, s, pdpaRound, false)
	hs := append(surveyfile.Example(eng.Set(), "70051304", 5, 11), surveyfile.Example(eng.Set(), "70051301", 3, 12)...)
	if len(hs[0].Members) < 2 {
		hs[0].Members = append(hs[0].Members, hs[0].Members[0])
		hs[0].Members[1].No = 2
		hs[0].Members[1].CitizenID = "1101700230705"
		hs[0].Members[1].Relation = survey.RelSpouse
	}
	// Names nobody else has, so that finding them anywhere means a copy was
	// missed. The first names are written once differently (an earlier
	// spelling lives on in the history).
	for i, h := range hs {
		h.RoundID = pdpaRound
		for j := range h.Members {
			h.Members[j].FirstName = fmt.Sprintf("ชื่อเดิม%dก%d", i, j)
			h.Members[j].LastName = fmt.Sprintf("สกุลทดสอบ%dข%d", i, j)
		}
	}
	if _, err := s.WriteHouseholds(ctx, eng, pdpaRound, hs, "import", nil); err != nil {
		t.Fatal(err)
	}
	for i, h := range hs {
		for j := range h.Members {
			h.Members[j].FirstName = fmt.Sprintf("ชื่อจริง%dค%d", i, j)
		}
		h.Respondent = h.Members[0].FirstName + " " + h.Members[0].LastName
	}
	if _, err := s.WriteHouseholds(ctx, eng, pdpaRound, hs, "editor", nil); err != nil {
		t.Fatal(err)
	}
	f := pdpaFixture{eng: eng, hs: hs}
	for _, h := range hs {
		rec, err := s.HouseholdByKey(ctx, pdpaRound, h.Key())
		if err != nil {
			t.Fatal(err)
		}
		f.ids = append(f.ids, rec.ID)
	}
	form, err := xform.Build(survey.Round{ID: pdpaRound, Kind: survey.KindBMN, SurveyYear: 2564, SetID: "bmn-2560-2564"}, eng.Set())
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		h, id := hs[i], f.ids[i]
		m := h.Members[len(h.Members)-1]
		full := m.FirstName + " " + m.LastName
		must(t, s.AuditEvent(ctx, "somchai", "personal.reveal", h.VillageCode, fmt.Sprintf("household:%d", id), `{"shown":"`+full+`"}`))
		must(t, s.AuditEvent(ctx, "somchai", "household.assistance", h.VillageCode, fmt.Sprintf("/households/%d/assistance", id), `{"posted":{"note":"ok"}}`))
		must(t, s.AuditEvent(ctx, "somchai", "programme.participant", h.VillageCode, "/programmes/1/participants", `{"posted":{"name":"`+full+`","cid":"`+m.CitizenID+`"}}`))
		xml := xform.Encode(form, eng.Set(), h, fmt.Sprintf("uuid:pdpa-%d", i), "")
		if !strings.Contains(string(xml), m.CitizenID) {
			t.Fatalf("the encoded submission has no citizen ID: %s", xml)
		}
		if _, err := s.Submit(ctx, eng, xform.Submission{InstanceID: fmt.Sprintf("uuid:pdpa-%d", i), FormID: "tambon-bmn-2564", RoundID: pdpaRound,
			VillageCode: h.VillageCode, HouseholdKey: h.Key(), Username: "moo4", XML: xml,
			Media: []xform.Media{{Name: "sign.jpg", Data: []byte("signature of " + full)}}}, h); err != nil {
			t.Fatal(err)
		}
	}
	// The welfare-card register lists every member of the first three
	// households, their citizen IDs kept as they are (the administrator's
	// setting), so that the erasure must reach the register too.
	must(t, s.SetWelfareRawIDs(ctx, true, "admin"))
	var register []welfare.Entry
	for _, h := range hs[:3] {
		for _, m := range h.Members {
			register = append(register, welfare.Entry{Row: len(register) + 2, CitizenID: m.CitizenID, Year: 2564})
		}
	}
	if _, err := s.ImportWelfare(ctx, store.WelfareImport{Round: pdpaRound, Area: "700513", By: "tambon"}, register); err != nil {
		t.Fatal(err)
	}
	p, err := s.CreatePlan(ctx, plan.Plan{AreaCode: "700513", FiscalYear: 2565, RoundID: pdpaRound, Title: "แผนทดสอบ", CreatedBy: "tambon"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	it, err := s.SaveItem(ctx, plan.Item{PlanID: p.ID, Title: "ส่งเสริมอาชีพ", Budget: 1000, BudgetSource: "local",
		Start: time.Date(2021, 11, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2022, 9, 30, 0, 0, 0, 0, time.UTC)}, "tambon")
	if err != nil {
		t.Fatal(err)
	}
	must(t, s.SetItemTargets(ctx, it.ID, f.ids[:3]))
	prog, err := s.CreateProgramme(ctx, programme.Programme{Type: "vegetable_gardens", Title: "ผักสวนครัว", AreaCode: "700513", FiscalYear: 2565})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		m := hs[i].Members[len(hs[i].Members)-1]
		if _, err := s.AddAssistance(ctx, plan.Assistance{HouseholdID: f.ids[i], RoundID: pdpaRound, ItemID: it.ID, What: "พันธุ์ผัก",
			Helper: "อบต.", Date: time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC), Status: plan.Planned, CreatedBy: "tambon",
			Note: "มอบให้ " + m.FirstName + " " + m.LastName}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddParticipant(ctx, programme.Participant{ProgrammeID: prog.ID, Name: m.FirstName + " " + m.LastName, HouseholdID: f.ids[i]}); err != nil {
			t.Fatal(err)
		}
	}
	// The next round's field work: the three households' visits, noted
	// with a name, and the first one given to an enumerator by itself.
	if err := s.CreateRound(ctx, survey.Round{ID: "bmn-2565", Kind: survey.KindBMN, SurveyYear: 2565, SetID: "bmn-2560-2564"}); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		m := hs[i].Members[len(hs[i].Members)-1]
		must(t, s.RecordVisitOutcome(ctx, "bmn-2565", hs[i].Key(), assign.Moved, "ย้ายไปอยู่กับ "+m.FirstName+" "+m.LastName, "moo4"))
	}
	team := user.User{Username: "tambon", Role: user.Tambon, AreaCode: "700513"}
	if _, err := s.CreateUser(ctx, user.User{Username: "moo4pdpa", PasswordHash: "x", Role: user.Enumerator, AreaCode: "70051304"}); err != nil {
		t.Fatal(err)
	}
	must(t, s.Assign(ctx, team, "bmn-2565", hs[0].VillageCode, "moo4pdpa", []string{hs[0].Key()}))
	// What is written after enrolment names them too: the third
	// household's action plan and the note of its change, a visit's
	// observations and photos (one of the first household's garden, one
	// of the visit whose caption names the second's people).
	pts, err := s.Participants(ctx, prog.ID)
	if err != nil {
		t.Fatal(err)
	}
	full := func(i, j int) string {
		m := hs[i].Members[(j+len(hs[i].Members))%len(hs[i].Members)]
		return m.FirstName + " " + m.LastName
	}
	third := pts[2]
	third.ActionPlan = "แบ่งเมล็ดพันธุ์ให้ " + full(0, -1) + " และ " + full(1, 0)
	if _, err := s.UpdateParticipant(ctx, prog.ID, third, "tambon", "ตามที่ "+full(0, -1)+" ขอ (บัตร "+hs[1].Members[0].CitizenID+")"); err != nil {
		t.Fatal(err)
	}
	visit, err := s.AddSession(ctx, programme.Session{ProgrammeID: prog.ID, Title: "เยี่ยมแปลงผัก", Date: time.Date(2022, 4, 1, 0, 0, 0, 0, time.UTC),
		Attendees: []int64{pts[0].ID, pts[1].ID}, Gardens: map[int64]string{pts[0].ID: "growing", pts[1].ID: "abandoned"},
		Observations: "แปลงของ " + full(0, -1) + " งามดี; " + full(1, 0) + " ไม่ได้รดน้ำ"})
	if err != nil {
		t.Fatal(err)
	}
	sh := testPhoto(t)
	for _, ph := range []programme.Photo{
		{SessionID: visit.ID, ParticipantID: pts[0].ID, Caption: "แปลงผัก"},
		{SessionID: visit.ID, Caption: full(1, 0) + " กับแปลงผัก"},
	} {
		ph.Image, ph.Thumb, ph.Width, ph.Height = sh.Image, sh.Thumb, sh.Width, sh.Height
		if _, err := s.AddSessionPhoto(ctx, prog.ID, ph); err != nil {
			t.Fatal(err)
		}
	}
	// Each of the first two households has a photo of its house and one of
	// a document whose caption names the member erased below.
	for i := range 2 {
		lat, lon := 13.8, 99.9
		for _, p := range []store.HouseholdPhoto{
			{Kind: survey.PhotoHouse, Caption: "หน้าบ้าน"},
			{Kind: survey.PhotoDocument, Caption: "บัตรประชาชนของ " + full(i, -1)},
		} {
			p.Round, p.Key, p.Image, p.Thumb, p.Width, p.Height, p.Lat, p.Lon = pdpaRound, hs[i].Key(), sh.Image, sh.Thumb, sh.Width, sh.Height, &lat, &lon
			if _, err := s.AddHouseholdPhoto(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
	}
	return f
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// needles are what identifies members: names (and the earlier spelling of
// the first name), citizen IDs bare and as printed.
func needles(ms ...survey.Member) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.FirstName, m.LastName, strings.Replace(m.FirstName, "ชื่อจริง", "ชื่อเดิม", 1), m.CitizenID, thai.FormatCitizenID(m.CitizenID))
	}
	return out
}

func assertGone(t *testing.T, s *store.Store, ms ...survey.Member) {
	t.Helper()
	hits, err := s.GrepForTest(context.Background(), needles(ms...)...)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hits {
		t.Errorf("erased data still stored in %s", h)
	}
}

func assertThere(t *testing.T, s *store.Store, ms ...survey.Member) {
	t.Helper()
	for _, n := range needles(ms...) {
		hits, err := s.GrepForTest(context.Background(), n)
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) == 0 && !strings.HasPrefix(n, "ชื่อเดิม") && !strings.Contains(n, "-") {
			t.Errorf("%s, who was not erased, is found nowhere: the search or the erasure is wrong", n)
		}
	}
}

func lastAudit(t *testing.T, s *store.Store, action string) store.AuditEntry {
	t.Helper()
	es, err := s.AuditLog(context.Background(), store.AuditFilter{Action: action, Limit: 1})
	if err != nil || len(es) != 1 {
		t.Fatalf("audit %s: %v %v", action, es, err)
	}
	return es[0]
}

func TestEraseMemberAndHousehold(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := mustPDPAFixture(t, s)
		eng := f.eng
		h0 := f.hs[0]
		victim := h0.Members[len(h0.Members)-1]
		others := append([]survey.Member(nil), h0.Members[:len(h0.Members)-1]...)
		assertThere(t, s, victim)

		// No reason, no erasure; nor outside the account's area.
		req := store.ErasureRequest{Round: pdpaRound, HouseholdID: f.ids[0], MemberNo: victim.No, Scope: "700513", By: "admin"}
		if _, err := s.Erase(ctx, eng, req); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("erasure without a reason: %v", err)
		}
		req.Reason = strings.Repeat("ก", store.MaxReason+1)
		if _, err := s.Erase(ctx, eng, req); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("erasure with a reason too long: %v", err)
		}
		req.Reason = "คำขอของ " + victim.FirstName + " ลงวันที่ 1 ธ.ค. 2569 เลขที่ 12/2569"
		outside := req
		outside.Scope = "700514"
		if _, err := s.Erase(ctx, eng, outside); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("erasure outside the account's area: %v", err)
		}
		if _, err := s.FindErasure(ctx, outside); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("finding outside the account's area: %v", err)
		}
		assertThere(t, s, victim)

		target, err := s.FindErasure(ctx, req)
		if err != nil || target.Village != h0.VillageCode || target.Members != len(h0.Members) {
			t.Fatalf("find: %+v %v", target, err)
		}
		res, err := s.Erase(ctx, eng, req)
		if err != nil {
			t.Fatal(err)
		}
		if res.Submissions != 1 || res.Participants != 1 || res.Audit < 3 || res.Welfare != 1 || res.Photos != 1 {
			t.Errorf("member erasure: %+v", res)
		}
		// The document went; the house stays.
		if ps, err := s.HouseholdPhotos(ctx, pdpaRound, h0.Key()); err != nil || len(ps) != 1 || ps[0].Kind != survey.PhotoHouse {
			t.Errorf("photos after the member's erasure: %+v %v", ps, err)
		}
		assertStatsMatch(t, s, eng, pdpaRound)
		assertGone(t, s, victim)
		assertThere(t, s, others...)
		// The photo of the erased participant's garden went with it; the
		// visit's own photo stays, its caption naming another household's
		// member as it did.
		progs, _ := s.Programmes(ctx, "700513")
		visits := 0
		for _, p := range progs {
			ss, err := s.Sessions(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, se := range ss {
				visits++
				if len(se.Photos) != 1 || se.Photos[0].ParticipantID != 0 || !strings.Contains(se.Photos[0].Caption, f.hs[1].Members[0].LastName) {
					t.Errorf("photos of the visit after the member's erasure: %+v", se.Photos)
				}
				if strings.Contains(se.Observations, victim.LastName) || !strings.Contains(se.Observations, "***") {
					t.Errorf("observations after the erasure: %q", se.Observations)
				}
			}
		}
		if visits != 1 {
			t.Errorf("%d visits after the erasure, want the fixture's 1", visits)
		}
		rec, err := s.Household(ctx, f.ids[0])
		if err != nil || len(rec.Household.Members) != len(h0.Members)-1 {
			t.Fatalf("household after the erasure: %d members, %v", len(rec.Household.Members), err)
		}
		a := lastAudit(t, s, "pdpa.erase_member")
		if a.User != "admin" || a.Area != h0.VillageCode || !strings.Contains(a.Detail, "12/2569") || !strings.Contains(a.Detail, pdpaRound) {
			t.Errorf("audit of the erasure: %+v", a)
		}
		// The same member cannot be erased twice.
		if _, err := s.Erase(ctx, eng, req); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("second erasure: %v", err)
		}

		// A whole household, found by a member's citizen ID.
		h1 := f.hs[1]
		res, err = s.Erase(ctx, eng, store.ErasureRequest{Round: pdpaRound, CitizenID: thai.FormatCitizenID(h1.Members[0].CitizenID), Whole: true,
			Scope: "TH", By: "admin", Reason: "คำขอเลขที่ 13/2569"})
		if err != nil {
			t.Fatal(err)
		}
		if res.HouseholdID != f.ids[1] || res.Targets != 1 || res.Assistance != 1 || res.Participants != 1 || res.History == 0 || res.Welfare != int64(len(h1.Members)) || res.Photos != 2 {
			t.Errorf("household erasure: %+v", res)
		}
		assertStatsMatch(t, s, eng, pdpaRound)
		assertGone(t, s, h1.Members...)
		assertThere(t, s, f.hs[2].Members...)
		if _, err := s.Household(ctx, f.ids[1]); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("erased household: %v", err)
		}
		if n, _ := s.CountHouseholds(ctx, pdpaRound, "TH"); n != len(f.hs)-1 {
			t.Errorf("%d households left, want %d", n, len(f.hs)-1)
		}
		a = lastAudit(t, s, "pdpa.erase_household")
		if !strings.Contains(a.Detail, "13/2569") || a.Object != fmt.Sprintf("household:%d", f.ids[1]) || strings.Contains(a.Detail, "HouseNo") {
			t.Errorf("audit of the household erasure: %+v", a)
		}
		// The phone sending the erased household's form again is told it
		// is a duplicate: the data do not come back.
		subs, _ := s.Submissions(ctx, store.SubmissionFilter{})
		for _, sub := range subs {
			if sub.HouseholdKey == h1.Key() && sub.Note == "" {
				t.Errorf("submission %d of the erased household kept no note", sub.ID)
			}
		}
	})
}

func TestEraseRefusesTheLastMember(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		eng := mustEngine(t)
		mustRound(t, s, pdpaRound, false)
		h := surveyfile.Example(eng.Set(), "70051304", 1, 3)[0]
		h.Members = h.Members[:1]
		if _, err := s.WriteHouseholds(ctx, eng, pdpaRound, []*survey.Household{h}, "t", nil); err != nil {
			t.Fatal(err)
		}
		_, err := s.Erase(ctx, eng, store.ErasureRequest{Round: pdpaRound, CitizenID: h.Members[0].CitizenID, Scope: "TH", By: "a", Reason: "r"})
		if !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("erasing the only member: %v", err)
		}
	})
}

func TestRetentionKeepsTheFigures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := mustPDPAFixture(t, s)
		eng := f.eng
		for _, step := range []survey.Review{survey.Submit, survey.Verify, survey.Certify} {
			if _, err := s.Review(ctx, pdpaRound, "700513", step, "province", ""); err != nil {
				t.Fatal(err)
			}
		}
		before, err := s.AllTotals(ctx, eng, pdpaRound)
		if err != nil {
			t.Fatal(err)
		}
		// No rule yet: nothing is due.
		res, err := s.ApplyRetention(ctx, eng, pdpaRound, "TH", "admin")
		if err != nil || len(res.Areas) != 0 {
			t.Fatalf("without a rule: %+v %v", res, err)
		}
		if err := s.SetRetention(ctx, pdpaRound, -1, "admin"); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("a negative period: %v", err)
		}
		must(t, s.SetRetention(ctx, pdpaRound, 0, "admin"))
		// A district elsewhere sees no tambon of its own due.
		if res, err := s.ApplyRetention(ctx, eng, pdpaRound, "7001", "admin"); err != nil || len(res.Areas) != 0 {
			t.Fatalf("outside the scope: %+v %v", res, err)
		}
		areas, err := s.RetentionAreas(ctx, pdpaRound, "TH")
		if err != nil || len(areas) != 1 || !areas[0].Due {
			t.Fatalf("areas: %+v %v", areas, err)
		}
		res, err = s.ApplyRetention(ctx, eng, pdpaRound, "TH", "admin")
		if err != nil || !reflect.DeepEqual(res.Areas, []string{"700513"}) || res.Households != len(f.hs) {
			t.Fatalf("retention: %+v %v", res, err)
		}
		after, err := s.AllTotals(ctx, eng, pdpaRound)
		if err != nil {
			t.Fatal(err)
		}
		if len(after) != len(before) {
			t.Errorf("%d areas before, %d after", len(before), len(after))
		}
		for code, b := range before {
			if !b.Equal(after[code]) {
				t.Errorf("area %s: %+v before retention, %+v after", code, b, after[code])
			}
		}
		assertStatsMatch(t, s, eng, pdpaRound)
		var all []survey.Member
		for _, h := range f.hs {
			all = append(all, h.Members...)
		}
		assertGone(t, s, all...)
		// Birth dates keep their month; citizen IDs live on as links.
		rec, err := s.Household(ctx, f.ids[0])
		if err != nil {
			t.Fatal(err)
		}
		m := rec.Household.Members[0]
		want := f.hs[0].Members[0].BirthDate
		if m.BirthDate.Year() != want.Year() || m.BirthDate.Month() != want.Month() || m.BirthDate.Day() != 1 || m.FirstName != "" {
			t.Errorf("pseudonymised member: %+v", m)
		}
		links, err := s.PersonLinks(ctx, pdpaRound, f.hs[0].Key())
		if err != nil || len(links) != len(f.hs[0].Members) || links[1] == "" || links[1] == f.hs[0].Members[0].CitizenID {
			t.Errorf("links: %v %v", links, err)
		}
		a := lastAudit(t, s, "pdpa.retention")
		var d map[string]any
		if err := json.Unmarshal([]byte(a.Detail), &d); err != nil || d["households"] != float64(len(f.hs)) || a.Area != "700513" {
			t.Errorf("audit of retention: %+v", a)
		}
		// A person asks for erasure after retention: found by the link of
		// their citizen ID, erased with their pseudonyms.
		h2 := f.hs[2]
		res2, err := s.Erase(ctx, eng, store.ErasureRequest{Round: pdpaRound, CitizenID: h2.Members[0].CitizenID, Whole: true, Scope: "TH", By: "admin", Reason: "r"})
		if err != nil || res2.HouseholdID != f.ids[2] || res2.Links != int64(len(h2.Members)) {
			t.Fatalf("erasure after retention: %+v %v", res2, err)
		}
		assertStatsMatch(t, s, eng, pdpaRound)
		if links, _ := s.PersonLinks(ctx, pdpaRound, h2.Key()); len(links) != 0 {
			t.Errorf("pseudonyms left after the erasure: %v", links)
		}
		// Done once: not due again.
		if res, err := s.ApplyRetention(ctx, eng, pdpaRound, "TH", "admin"); err != nil || len(res.Areas) != 0 {
			t.Errorf("second run: %+v %v", res, err)
		}
	})
}

func TestRetentionWaitsForItsTime(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := mustPDPAFixture(t, s)
		for _, step := range []survey.Review{survey.Submit, survey.Verify, survey.Certify} {
			if _, err := s.Review(ctx, pdpaRound, "700513", step, "province", ""); err != nil {
				t.Fatal(err)
			}
		}
		must(t, s.SetRetention(ctx, pdpaRound, 6, "admin"))
		areas, err := s.RetentionAreas(ctx, pdpaRound, "70")
		if err != nil || len(areas) != 1 || areas[0].Due || !areas[0].DueAt.Equal(storetest.Now().AddDate(0, 6, 0).Truncate(time.Microsecond)) {
			t.Fatalf("areas: %+v %v", areas, err)
		}
		res, err := s.ApplyRetention(ctx, f.eng, pdpaRound, "TH", "admin")
		if err != nil || len(res.Areas) != 0 {
			t.Fatalf("before its time: %+v %v", res, err)
		}
		assertThere(t, s, f.hs[0].Members...)
	})
}

// After retention, households that moved house are still followed into the
// next round by their members in common: through the pseudonyms, since the
// citizen IDs are gone from the earlier round.
func TestFollowAcrossAPseudonymisedRound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		f := mustPDPAFixture(t, s)
		next := "bmn-2565" // made by the fixture
		var moved []*survey.Household
		for _, h := range f.hs {
			c := *h
			c.RoundID, c.HouseCode, c.HouseNo = next, "", "9"+h.HouseNo
			moved = append(moved, &c)
		}
		if _, err := s.WriteHouseholds(ctx, f.eng, next, moved, "import", nil); err != nil {
			t.Fatal(err)
		}
		for _, step := range []survey.Review{survey.Submit, survey.Verify, survey.Certify} {
			if _, err := s.Review(ctx, pdpaRound, "700513", step, "province", ""); err != nil {
				t.Fatal(err)
			}
		}
		must(t, s.SetRetention(ctx, pdpaRound, 0, "admin"))
		if _, err := s.ApplyRetention(ctx, f.eng, pdpaRound, "TH", "admin"); err != nil {
			t.Fatal(err)
		}
		refs := func(round string, ids func(survey.Record) []string) []engine.HouseholdRef {
			var out []engine.HouseholdRef
			must(t, s.EachHousehold(ctx, round, "TH", func(rec survey.Record) error {
				out = append(out, engine.HouseholdRef{ID: rec.ID, Key: rec.Household.HouseCode, Village: rec.Household.VillageCode, CitizenIDs: ids(rec)})
				return nil
			}))
			return out
		}
		byMembers := func(prevIDs, curIDs func(survey.Record) []string) int {
			n := 0
			for _, p := range engine.Match(refs(pdpaRound, prevIDs), refs(next, curIDs)) {
				if p.By == engine.ByCitizenID {
					n++
				}
			}
			return n
		}
		prevIDs, err := s.FollowIDs(ctx, pdpaRound)
		if err != nil {
			t.Fatal(err)
		}
		curIDs, err := s.FollowIDs(ctx, next)
		if err != nil {
			t.Fatal(err)
		}
		if n := byMembers(prevIDs, curIDs); n != len(f.hs) {
			t.Errorf("%d of %d moved households followed through their pseudonyms", n, len(f.hs))
		}
		raw := func(rec survey.Record) []string {
			var out []string
			for _, m := range rec.Household.Members {
				if m.CitizenID != "" {
					out = append(out, m.CitizenID)
				}
			}
			return out
		}
		if n := byMembers(raw, raw); n != 0 {
			t.Errorf("%d households followed by citizen IDs that retention removed", n)
		}
	})
}
