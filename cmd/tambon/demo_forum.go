package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	"tambon/internal/activity"
	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/plan"
	"tambon/internal/store"
	"tambon/internal/thai"
)

// The demo's village forum (เวทีประชาคม): on the evening of the kick-off,
// 1 March 2564, the tambon team shows บ้านหนองไม้เฝ้า หมู่ 4 its 2562 figures
// in the village's meeting hall; the villagers rank their problems — not in
// the survey's order, and with a problem of their own the survey does not
// show — and agree what to do. Their ranking goes beside the survey's in
// ตำบลเขาขลุง's plan for fiscal year 2565, made from the same round.

const (
	demoForumVillage = "70051304"
	demoForumTitle   = "เวทีประชาคมบ้านหนองไม้เฝ้า หมู่ที่ 4: นำเสนอข้อมูล จปฐ. ปี 2562 และจัดลำดับปัญหา"
	demoForumPlan    = "แผนพัฒนาคุณภาพชีวิตตำบลเขาขลุง ปีงบประมาณ 2565"
)

// demoForumRoad is the problem หมู่ 4 raised itself.
const demoForumRoad = "ถนนเข้าหมู่บ้านชำรุด น้ำท่วมขังในหน้าฝน"

func seedDemoForum(ctx context.Context, e *env, s *store.Store) error {
	if _, err := s.Round(ctx, demoRound2); apperr.Is(err, apperr.NotFound) {
		return nil // a demo of another area
	}
	bkk := thai.Bangkok()
	start := time.Date(2021, 3, 1, 18, 0, 0, 0, bkk)
	existing, err := s.Activities(ctx, activity.Filter{Within: demoForumVillage, From: start, To: start.Add(time.Minute)})
	if err != nil {
		return err
	}
	for _, x := range existing {
		if x.TitleTH == demoForumTitle {
			return nil // already there
		}
	}
	ids := map[string]int64{}
	for _, d := range demoPartners {
		p, err := s.PartnerByName(ctx, d.p.AreaCode, d.p.NameTH)
		if err != nil {
			return fmt.Errorf("demo forum: partner %s: %w", d.p.NameTH, err)
		}
		ids[d.key] = p.ID
	}
	a, err := s.CreateActivity(ctx, activity.Activity{
		Kind: activity.Forum, TitleTH: demoForumTitle,
		TitleEN: "Village forum of Moo 4 Ban Nong Mai Fao: the 2019 BMN figures and the village's ranking of its problems",
		Start:   start, End: time.Date(2021, 3, 1, 20, 0, 0, 0, bkk),
		AreaCode: demoForumVillage, Venue: "ศาลาประชาคมบ้านหนองไม้เฝ้า หมู่ที่ 4",
		OrganiserID: ids["sao"], PartnerIDs: []int64{ids["sao"], ids["district"]},
		Summary: "ทีมตำบลนำเสนอข้อมูล จปฐ. ปี 2562 และ กชช. 2ค ของหมู่บ้านให้ชาวบ้านร่วมพิจารณา ชาวบ้านร่วมกันจัดลำดับปัญหาและตกลงกิจกรรมที่จะทำ " +
			"เพื่อเสนอเข้าแผนพัฒนาตำบลเขาขลุง ปีงบประมาณ 2565",
		Attendees: []activity.Attendee{
			{PartnerID: ids["head4"], Name: "นายสมบัติ ใจเย็น", Role: "ประธานเวที"},
			{PartnerID: ids["district_worker"], Name: "นางสาวกมลวรรณ ดีงาม", Role: "วิทยากรกระบวนการ"},
			{PartnerID: ids["sao_head"], Name: "นางสาวรัตนา ศรีเมือง", Role: "ผู้นำเสนอข้อมูล"},
			{PartnerID: ids["kamnan"], Name: "นายประยูร ทองมา", Role: "ผู้เข้าร่วม"},
		},
		Agenda:      []string{"นำเสนอข้อมูล จปฐ. และ กชช. 2ค ของหมู่บ้าน", "ร่วมกันจัดลำดับปัญหา", "ตกลงกิจกรรมและผู้รับผิดชอบ"},
		Resolutions: []string{"ที่ประชุมเห็นชอบลำดับปัญหาของหมู่บ้าน และเสนอเข้าแผนพัฒนาตำบลเขาขลุง ปีงบประมาณ 2565"},
		Safety:      []string{"masks", "distancing", "handwash"},
	}, "khaokhlung")
	if err != nil {
		return fmt.Errorf("demo forum: %w", err)
	}
	_, eng, err := roundEngine(ctx, s, demoRound2)
	if err != nil {
		return err
	}
	src := plan.SurveySource{Engine: func(context.Context, string) (*engine.Engine, error) { return eng, nil }, Each: s.EachHousehold}
	props, err := src.Propose(ctx, demoRound2, demoForumVillage)
	if err != nil {
		return err
	}
	// The village's order: its own road first, then the survey's third,
	// first, fifth and second problems — villagers weigh what the survey
	// cannot count, and the plan shows where they disagree.
	var problems []activity.ForumProblem
	problems = append(problems, activity.ForumProblem{Source: activity.ForumVillage, TitleTH: demoForumRoad, TitleEN: "The road into the village is broken and floods in the rainy season", Votes: 48})
	votes := []int{37, 29, 18, 11}
	for i, at := range []int{2, 0, 4, 1} {
		if at >= len(props) {
			continue
		}
		p := props[at]
		problems = append(problems, activity.ForumProblem{Source: p.Source, Code: p.Code, TitleTH: p.Title.TH, TitleEN: p.Title.EN, Votes: votes[i]})
	}
	rec := activity.ForumRecord{ActivityID: a.ID, RoundID: demoRound2,
		Minutes: "ผู้ใหญ่บ้านเปิดเวที ทีมตำบลนำเสนอข้อมูลหมู่บ้านทีละหน้าจอ ชาวบ้านซักถามและอภิปราย " +
			"จากนั้นลงคะแนนจัดลำดับปัญหาคนละ 3 คะแนน ปัญหาถนนเข้าหมู่บ้านได้คะแนนมากที่สุดแม้ไม่อยู่ในข้อมูล จปฐ. " +
			"ที่ประชุมตกลงกิจกรรมและผู้รับผิดชอบตามตาราง และมอบให้ผู้ใหญ่บ้านนำเสนอ อบต. เข้าแผนพัฒนาตำบล",
		Headcount: []activity.Headcount{{Sex: "male", Band: "18to59", N: 24}, {Sex: "female", Band: "18to59", N: 31},
			{Sex: "male", Band: "60plus", N: 9}, {Sex: "female", Band: "60plus", N: 12}, {Sex: "female", Band: "under18", N: 3}},
		Problems: problems,
		Actions: []activity.ForumAction{
			{Problem: activity.ForumVillage + ":v1", Action: "สำรวจจุดถนนชำรุดและเสนอ อบต. ซ่อมก่อนฤดูฝน", OwnerID: ids["head4"], Owner: "ผู้ใหญ่บ้าน",
				Due: time.Date(2021, 4, 30, 0, 0, 0, 0, time.UTC)},
			{Problem: problems[min(1, len(problems)-1)].Key(), Action: "ตั้งกลุ่มอาชีพและหาตลาดให้สมาชิก", OwnerID: ids["district"], Owner: "พัฒนากรประจำตำบล",
				Due: time.Date(2021, 9, 30, 0, 0, 0, 0, time.UTC)},
		},
	}
	if _, err := s.SaveForum(ctx, rec, "khaokhlung"); err != nil {
		return fmt.Errorf("demo forum results: %w", err)
	}
	if _, err := s.PublishNews(ctx, activity.News{ActivityID: a.ID, TitleTH: "บ้านหนองไม้เฝ้า หมู่ 4 จัดเวทีประชาคม จัดลำดับปัญหาของหมู่บ้าน",
		TitleEN:     "Moo 4 Ban Nong Mai Fao ranks its problems at a village forum",
		BodyTH:      "ชาวบ้านหนองไม้เฝ้า หมู่ที่ 4 ร่วมเวทีประชาคม 79 คน ดูข้อมูล จปฐ. ปี 2562 ของหมู่บ้าน และร่วมกันจัดลำดับปัญหา ปัญหาถนนเข้าหมู่บ้านได้คะแนนมากที่สุด ผลเวทีจะเสนอเข้าแผนพัฒนาตำบลเขาขลุง ปีงบประมาณ 2565",
		BodyEN:      "79 villagers of Moo 4 looked at their 2019 BMN figures and ranked their problems; the road into the village came first. The ranking goes into Khao Khlung's plan for fiscal year 2022.",
		PublishedBy: "khaokhlung", PublishedAt: time.Date(2021, 3, 2, 10, 0, 0, 0, bkk)}); err != nil && !apperr.Is(err, apperr.Conflict) {
		return err
	}
	return seedDemoForumPlan(ctx, e, s, eng, a.ID)
}

// seedDemoForumPlan makes ตำบลเขาขลุง's plan for fiscal year 2565 from the
// 2562 round: the survey's six largest problems and the road หมู่ 4 raised,
// in the survey's order; the page then shows the village's ranks beside.
func seedDemoForumPlan(ctx context.Context, e *env, s *store.Store, eng *engine.Engine, forumID int64) error {
	plans, err := s.Plans(ctx, demoPlanArea)
	if err != nil {
		return err
	}
	for _, p := range plans {
		if p.Title == demoForumPlan {
			return nil
		}
	}
	src := plan.SurveySource{Engine: func(context.Context, string) (*engine.Engine, error) { return eng, nil }, Each: s.EachHousehold}
	props, err := src.Propose(ctx, demoRound2, demoPlanArea)
	if err != nil {
		return err
	}
	var problems []plan.Problem
	for _, p := range props[:min(6, len(props))] {
		problems = append(problems, plan.Problem{Source: p.Source, Code: p.Code, Title: p.Title, Households: p.Households, Priority: 1})
	}
	problems = append(problems, plan.Problem{Source: plan.SourceForum, Code: plan.ForumCode(forumID, "v1"), Priority: 1,
		Title: apperr.Text{TH: demoForumRoad, EN: "The road into the village is broken and floods in the rainy season"},
		Note:  "เสนอโดยเวทีประชาคมหมู่ 4 วันที่ 1 มี.ค. 2564"})
	slices.SortStableFunc(problems, func(a, b plan.Problem) int { return b.Households - a.Households })
	p, err := s.CreatePlan(ctx, plan.Plan{AreaCode: demoPlanArea, FiscalYear: 2565, RoundID: demoRound2, Title: demoForumPlan, CreatedBy: "khaokhlung"}, problems)
	if err != nil {
		return fmt.Errorf("demo plan 2565: %w", err)
	}
	e.log.Info("demo: village forum and the 2565 plan loaded", "forum", forumID, "plan", p.ID, "problems", len(problems))
	return nil
}
