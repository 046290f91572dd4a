package main

import (
	"context"
	"fmt"
	"time"

	"tambon/internal/activity"
	"tambon/internal/programme"
	"tambon/internal/store"
	"tambon/internal/survey"
)

// The demo's programmes, from the story of 18 January 2564: ตำบลเขาขลุง
// chosen as the province's model information tambon; the change-leader
// project with its kick-off on 1 March 2564 at the community hall of บ้าน
// หนองไม้เฝ้า หมู่ 4; หมู่ 4 as a phase-2 model village for household
// vegetable gardens; and its 2564 award nomination.

const demoModelTitle = "คัดเลือกตำบลสารสนเทศต้นแบบเพื่อพัฒนาคุณภาพชีวิต จังหวัดราชบุรี ปี 2564"

func demoDay(s string) time.Time {
	t, _ := time.Parse("2006-01-02", s)
	return t
}

func seedDemoProgrammes(ctx context.Context, e *env, s *store.Store) error {
	existing, err := s.Programmes(ctx, "70")
	if err != nil {
		return err
	}
	for _, p := range existing {
		if p.Title == demoModelTitle {
			return seedDemoProgrammeEvidence(ctx, s)
		}
	}
	add := func(p programme.Programme) (programme.Programme, error) {
		p.CreatedBy = "ratchaburi"
		return s.CreateProgramme(ctx, p)
	}
	join := func(pt programme.Participant) (int64, error) {
		got, err := s.AddParticipant(ctx, pt)
		return got.ID, err
	}
	// 1. The model information tambon.
	model, err := add(programme.Programme{Type: "model_info_tambon", Title: demoModelTitle, AreaCode: "70", FiscalYear: 2564})
	if err != nil {
		return fmt.Errorf("demo programme: %w", err)
	}
	kk, err := join(programme.Participant{ProgrammeID: model.ID, Name: "ตำบลเขาขลุง อำเภอบ้านโป่ง", AreaCode: "700513", Level: "province", Status: "selected"})
	if err != nil {
		return err
	}
	for _, st := range []struct{ step, day, evidence string }{
		{"understand", "2021-01-18", "ประชุมบูรณาการ ณ ที่ทำการ อบต.เขาขลุง 18 ม.ค. 2564 เวลา 15.00 น."},
		{"needs", "2021-02-05", "เวทีประชาคมตำบล กำหนดความต้องการข้อมูล"},
		{"collect", "2021-02-26", "ข้อมูล จปฐ. และ กชช. 2ค ครบทุกหมู่บ้าน"},
		{"analyse", "2021-03-15", "วิเคราะห์ตัวชี้วัดที่ไม่ผ่านเกณฑ์ จัดลำดับปัญหา"},
		{"use", "2021-04-02", "ใช้ข้อมูล จปฐ. ปี 2562 ติดตามผล" + demoPlanTitle + " และเสนอโครงการต่อเนื่องเข้าแผนพัฒนาท้องถิ่น"},
	} {
		if err := s.MarkStep(ctx, model.ID, programme.StepDone{ParticipantID: kk, Step: st.step, Date: demoDay(st.day), Evidence: st.evidence, By: "banpong"}); err != nil {
			return err
		}
	}
	var scores []programme.Score
	for judge, base := range map[string]float64{"คณะกรรมการจังหวัด คนที่ 1": 84, "คณะกรรมการจังหวัด คนที่ 2": 88} {
		for i, c := range model.Criteria {
			scores = append(scores, programme.Score{ParticipantID: kk, Criterion: c.Key, Judge: judge, Score: base - float64(i)})
		}
	}
	if err := s.SetScores(ctx, model.ID, scores); err != nil {
		return err
	}

	// 2. Change leaders in หมู่ 4, with the kick-off.
	leaders, err := add(programme.Programme{Type: "change_leaders", Title: "เสริมสร้างและพัฒนาผู้นำการเปลี่ยนแปลง ตำบลเขาขลุง ปี 2564", AreaCode: "700513", FiscalYear: 2564})
	if err != nil {
		return err
	}
	var ids []int64
	for _, l := range []struct{ name, role, plan string }{
		{"นายประยูร ทองมา", "kamnan", "ขับเคลื่อนศูนย์ข้อมูลตำบลและติดตามครัวเรือนเป้าหมายทุกเดือน"},
		{"นายสมบัติ ใจเย็น", "village_head", "ผู้ใหญ่บ้านปลูกผักก่อน ชวนทุกครัวเรือนหมู่ 4 ปลูกผักสวนครัว"},
		{"นางสาวสมศรี ใจดี", "volunteer", "ทำบัญชีครัวเรือนกับครัวเรือนที่ไม่มีเงินออม"},
		{"นายบุญมี ศรีสุข", "council_member", "เสนอโครงการจากข้อมูล จปฐ. เข้าแผนพัฒนาท้องถิ่น"},
		{"นางมาลี แก้วงาม", "volunteer", "ดูแลแปลงผักรวมและธนาคารเมล็ดพันธุ์ของหมู่บ้าน"},
	} {
		id, err := join(programme.Participant{ProgrammeID: leaders.ID, Name: l.name, AreaCode: "70051304", Status: "trained",
			Fields: map[string]string{"role": l.role}, ActionPlan: l.plan})
		if err != nil {
			return err
		}
		ids = append(ids, id)
	}
	if _, err := s.AddSession(ctx, programme.Session{ProgrammeID: leaders.ID, Title: "Kick-off โครงการเสริมสร้างและพัฒนาผู้นำการเปลี่ยนแปลง",
		Date: demoDay("2021-03-01"), Place: "ศาลาประชาคม บ้านหนองไม้เฝ้า หมู่ 4 (มาตรการป้องกันโควิด-19)", Attendees: ids}); err != nil {
		return err
	}
	if err := seedDemoLeaderChanges(ctx, s, leaders.ID, ids); err != nil {
		return err
	}

	// 3. หมู่ 4, a phase-2 model village for vegetable gardens.
	gardens, err := add(programme.Programme{Type: "vegetable_gardens", Title: "หมู่บ้านต้นแบบปลูกผักสวนครัวเพื่อสร้างความมั่นคงทางอาหาร ระยะที่ 2 บ้านหนองไม้เฝ้า",
		AreaCode: "70051304", FiscalYear: 2564, Phase: 2})
	if err != nil {
		return err
	}
	var hhIDs []int64
	n := 0
	err = s.EachHousehold(ctx, demoRound2, "70051304", func(rec survey.Record) error {
		if n >= 15 {
			return nil
		}
		kinds := 3 + n%5
		planting := []string{"harvesting", "planting", "harvesting", "not_yet"}[n%4]
		id, err := join(programme.Participant{ProgrammeID: gardens.ID, Name: "บ้านเลขที่ " + rec.Household.HouseNo, HouseholdID: rec.ID, Status: "enrolled",
			Fields: map[string]string{"planting": planting, "kinds": "ผักบุ้ง พริก มะเขือ ตะไคร้ กะเพรา", "kinds_count": fmt.Sprint(kinds),
				"plot_m2": fmt.Sprint(4 + n%6), "saving_per_day": fmt.Sprint(20 + 5*(n%7))}})
		if err != nil {
			return err
		}
		hhIDs = append(hhIDs, id)
		n++
		return nil
	})
	if err != nil {
		return err
	}
	if _, err := s.AddSession(ctx, programme.Session{ProgrammeID: gardens.ID, Title: "ลงพื้นที่ติดตามการปลูกผักสวนครัว หมู่ 4",
		Date: demoDay("2021-01-18"), Place: "บ้านหนองไม้เฝ้า หมู่ 4", Attendees: hhIDs[:min(8, len(hhIDs))]}); err != nil {
		return err
	}
	if err := seedDemoGardenVisits(ctx, s, gardens.ID, hhIDs); err != nil {
		return err
	}

	// 4. The 2564 award nomination, people's-participation category.
	award, err := add(programme.Programme{Type: "award_nomination", Title: "รางวัลเลิศรัฐ ปี 2564 สาขาการบริหารราชการแบบมีส่วนร่วม", AreaCode: "700513", FiscalYear: 2564})
	if err != nil {
		return err
	}
	nominee, err := join(programme.Participant{ProgrammeID: award.ID, Name: "บ้านหนองไม้เฝ้า หมู่ 4 ตำบลเขาขลุง", AreaCode: "70051304", Status: "draft",
		Fields: map[string]string{"category": "ประเภทสัมฤทธิผลประชาชนมีส่วนร่วม", "evidence": "ข้อมูล จปฐ. ก่อน-หลัง, ภาพกิจกรรม, บันทึกการประชุม 18 ม.ค. 2564"}})
	if err != nil {
		return err
	}
	for _, st := range []string{"problem", "design", "work"} {
		if err := s.MarkStep(ctx, award.ID, programme.StepDone{ParticipantID: nominee, Step: st, Date: demoDay("2021-04-30"), Evidence: "แบบฟอร์มใบสมัคร", By: "khaokhlung"}); err != nil {
			return err
		}
	}
	var screening []programme.Score
	for i, c := range award.Criteria {
		screening = append(screening, programme.Score{ParticipantID: nominee, Criterion: c.Key, Judge: "คณะกรรมการกลั่นกรองระดับจังหวัด", Score: 78 + float64(i%2)*4})
	}
	if err := s.SetScores(ctx, award.ID, screening); err != nil {
		return err
	}
	// Submitted once the application's steps were written up; shortlisted
	// by the province's screening committee.
	for _, m := range []struct{ to, day, by string }{{"submitted", "2021-05-03", "khaokhlung"}, {"shortlisted", "2021-07-15", "ratchaburi"}} {
		if _, err := demoOn(s, m.day).MoveStage(ctx, award.ID, programme.StageMove{ParticipantID: nominee, To: m.to, Date: demoDay(m.day), By: m.by}, false); err != nil {
			return fmt.Errorf("demo nomination: %w", err)
		}
	}
	e.log.Info("demo: programmes loaded", "leaders", len(ids), "gardens", len(hhIDs))
	return seedDemoProgrammeEvidence(ctx, s) // documents and the self-assessment: demo_programme_files.go
}

// demoOn is the store stamping what it writes at ten in the morning,
// Bangkok time, of a day of the story.
func demoOn(s *store.Store, day string) *store.Store {
	at := demoDay(day).Add(3 * time.Hour) // 10:00 in Bangkok
	return s.WithClock(func() time.Time { return at })
}

// seedDemoLeaderChanges: after the kick-off, two leaders are chosen at the
// district's selection of outstanding change leaders and one of them goes
// on to the province's; one withdraws.
func seedDemoLeaderChanges(ctx context.Context, s *store.Store, prog int64, ids []int64) error {
	pts, err := s.Participants(ctx, prog)
	if err != nil {
		return err
	}
	byID := map[int64]programme.Participant{}
	for _, pt := range pts {
		byID[pt.ID] = pt
	}
	for _, c := range []struct {
		who                  int
		day, by, note        string
		level, status, phone string
	}{
		{who: 0, day: "2021-06-15", by: "banpong", level: "district", note: "ผ่านการคัดเลือกผู้นำการเปลี่ยนแปลงดีเด่นระดับอำเภอบ้านโป่ง"},
		{who: 4, day: "2021-06-15", by: "banpong", level: "district", note: "ผ่านการคัดเลือกผู้นำการเปลี่ยนแปลงดีเด่นระดับอำเภอบ้านโป่ง"},
		{who: 0, day: "2021-08-20", by: "ratchaburi", level: "province", note: "ได้รับการคัดเลือกเป็นผู้นำการเปลี่ยนแปลงดีเด่นระดับจังหวัดราชบุรี"},
		{who: 3, day: "2021-09-01", by: "khaokhlung", status: "withdrawn", note: "ย้ายไปทำงานต่างจังหวัด ขอถอนตัวจากโครงการ"},
	} {
		pt := byID[ids[c.who]]
		if c.level != "" {
			pt.Level = c.level
		}
		if c.status != "" {
			pt.Status = c.status
		}
		if _, err := demoOn(s, c.day).UpdateParticipant(ctx, prog, pt, c.by, c.note); err != nil {
			return fmt.Errorf("demo leader %s: %w", pt.Name, err)
		}
		byID[pt.ID] = pt
	}
	return nil
}

// seedDemoGardenVisits: two follow-up visits after the first, each
// recording what the team saw in each household's garden, with a photo;
// a household that had not planted yet starts after the first of them.
func seedDemoGardenVisits(ctx context.Context, s *store.Store, prog int64, hhIDs []int64) error {
	states := [][]string{
		{"harvesting", "growing", "harvesting", "planted", "growing", "harvesting", "abandoned", "growing"},
		{"harvesting", "harvesting", "harvesting", "growing", "harvesting", "harvesting", "planted", "harvesting"},
	}
	for i, v := range []struct{ day, title, seen, caption string }{
		{"2021-03-20", "ติดตามเยี่ยมแปลงผักครัวเรือน ครั้งที่ 2", "ครัวเรือนส่วนใหญ่ปลูกผักบุ้ง กะเพรา พริก เริ่มเก็บกินได้ แปลงหนึ่งถูกทิ้งร้างเพราะเจ้าของไปรับจ้างต่างอำเภอ นัดคืนเมล็ดพันธุ์ให้ธนาคารเมล็ดพันธุ์หมู่บ้าน",
			"แปลงผักสวนครัวหลังบ้าน ผักบุ้งและกะเพราพร้อมเก็บ"},
		{"2021-06-10", "ติดตามเยี่ยมแปลงผักครัวเรือน ครั้งที่ 3", "เกือบทุกครัวเรือนเก็บผลผลิตได้ มีผักเหลือแบ่งปันเพื่อนบ้านและนำไปขายที่ตลาดนัดหมู่บ้าน แปลงที่เคยทิ้งร้างกลับมาปลูกใหม่",
			"ผลผลิตจากแปลงรวม นำไปขายที่ตลาดนัดหมู่บ้าน"},
	} {
		n := min(len(hhIDs), len(states[i]))
		gardens := map[int64]string{}
		for j, id := range hhIDs[:n] {
			gardens[id] = states[i][j]
		}
		at := demoOn(s, v.day)
		se, err := at.AddSession(ctx, programme.Session{ProgrammeID: prog, Title: v.title, Date: demoDay(v.day), Place: "บ้านหนองไม้เฝ้า หมู่ 4",
			Attendees: hhIDs[:n], Gardens: gardens, Observations: v.seen})
		if err != nil {
			return fmt.Errorf("demo visit: %w", err)
		}
		sh, err := activity.ShrinkPhoto("แปลงผัก.jpg", demoPicture(3+i))
		if err != nil {
			return err
		}
		if _, err := at.AddSessionPhoto(ctx, prog, programme.Photo{SessionID: se.ID, ParticipantID: hhIDs[0], Caption: v.caption, Width: sh.Width, Height: sh.Height,
			Image: sh.Image, Thumb: sh.Thumb, By: "khaokhlung"}); err != nil {
			return fmt.Errorf("demo visit photo: %w", err)
		}
	}
	// The household that had not planted by the first visit starts.
	pts, err := s.Participants(ctx, prog)
	if err != nil {
		return err
	}
	for _, pt := range pts {
		if pt.Fields["planting"] == "not_yet" {
			pt.Fields["planting"] = "planting"
			if _, err := demoOn(s, "2021-03-20").UpdateParticipant(ctx, prog, pt, "khaokhlung", "เริ่มปลูกหลังการติดตามเยี่ยม ครั้งที่ 2"); err != nil {
				return err
			}
			break
		}
	}
	return nil
}
