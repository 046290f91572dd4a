package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/partner"
	"tambon/internal/plan"
	"tambon/internal/store"
	"tambon/internal/survey"
)

// The demo's development plan: ตำบลเขาขลุง's plan for fiscal year 2562,
// built from the failed indicators of the 2561 survey (collected January to
// April 2561), with items, the partners responsible, budgets, target
// households, the help delivered to some of them between October and
// December 2561 — after the survey that found them and before the 2562
// survey (from January 2562) that judges what became of them.

const (
	demoPlanArea  = "700513"
	demoPlanTitle = "แผนพัฒนาคุณภาพชีวิตตำบลเขาขลุง ปีงบประมาณ 2562"
)

// demoPlanPartners are the story's organisations, exactly as the activities
// demo names them, so whichever seeds first the other finds them.
var demoPlanPartners = []partner.Partner{
	{Kind: partner.ProvinceCDD, NameTH: "สำนักงานพัฒนาชุมชนจังหวัดราชบุรี", NameEN: "Ratchaburi Provincial Community Development Office", AreaCode: "70",
		Phone: "0 3200 0070", Email: "cdd-ratchaburi@example.org", Address: "ศาลากลางจังหวัดราชบุรี อำเภอเมืองราชบุรี"},
	{Kind: partner.DistrictCDD, NameTH: "สำนักงานพัฒนาชุมชนอำเภอบ้านโป่ง", NameEN: "Ban Pong District Community Development Office", AreaCode: "7005",
		Phone: "0 3200 7005", Email: "cdd-banpong@example.org", Address: "ที่ว่าการอำเภอบ้านโป่ง"},
	{Kind: partner.LocalGov, NameTH: "องค์การบริหารส่วนตำบลเขาขลุง", NameEN: "Khao Khlung Subdistrict Administrative Organization", AreaCode: "700513",
		Phone: "0 3200 0513", Email: "saraban@khaokhlung.example.org", Address: "ที่ทำการ อบต.เขาขลุง ตำบลเขาขลุง อำเภอบ้านโป่ง จังหวัดราชบุรี"},
}

// demoItem is a plan item the demo team would write for a problem.
type demoItem struct {
	title, objective, source string
	partner                  int // index in demoPlanPartners
	budget                   int64
	start, end               string
	physical, financial      int
	what                     string
}

// demoItems answer the problems the 2561 survey shows in เขาขลุง, by
// source:code; demoItemOther answers any other.
var demoItems = map[string]demoItem{
	"bmn:22": {"ส่งเสริมอาชีพและเพิ่มรายได้ครัวเรือนเป้าหมาย", "ให้ครัวเรือนที่รายได้ต่ำกว่าเกณฑ์มีอาชีพเสริมและรายได้เพิ่มขึ้น", "local", 2, 120000,
		"2018-10-01", "2019-09-30", 80, 65, "ฝึกอาชีพเสริมและวัสดุเริ่มต้น"},
	"bmn:23": {"ส่งเสริมการออมและการทำบัญชีครัวเรือน", "ครัวเรือนเป้าหมายมีเงินออมและทำบัญชีรับจ่ายได้", "local", 2, 60000,
		"2018-10-01", "2019-09-30", 90, 75, "อบรมบัญชีครัวเรือนและเปิดบัญชีกลุ่มออมทรัพย์"},
	"mpi:poor": {"ปลูกผักสวนครัวเพื่อความมั่นคงทางอาหาร ลดรายจ่ายครัวเรือนยากจน", "ครัวเรือนยากจนมีผักปลอดภัยกินเองและลดรายจ่าย", "department", 1, 30000,
		"2018-10-15", "2019-03-31", 100, 100, "เมล็ดพันธุ์ผัก ปุ๋ย และอบรมการปลูก"},
	"bmn:25": {"รณรงค์ลด ละ เลิกบุหรี่ในครัวเรือน", "คนในครัวเรือนเป้าหมายเลิกหรือลดการสูบบุหรี่", "province", 0, 25000,
		"2018-10-15", "2019-08-31", 60, 40, "เยี่ยมบ้าน ให้คำปรึกษา และส่งต่อคลินิกเลิกบุหรี่"},
}

var demoItemOther = demoItem{"เยี่ยมบ้านและประสานความช่วยเหลือครัวเรือนเป้าหมาย", "ครัวเรือนเป้าหมายได้รับคำแนะนำและการส่งต่อตามปัญหา", "province", 0, 20000,
	"2018-10-15", "2019-08-31", 50, 40, "เยี่ยมบ้านและประสานหน่วยงานที่เกี่ยวข้อง"}

func seedDemoPlans(ctx context.Context, e *env, s *store.Store) error {
	if err := seedDemoProgrammes(ctx, e, s); err != nil {
		return fmt.Errorf("demo programmes: %w", err)
	}
	plans, err := s.Plans(ctx, demoPlanArea)
	if err != nil {
		return err
	}
	for _, p := range plans {
		if p.Title == demoPlanTitle {
			return nil // already there
		}
	}
	if _, err := s.Round(ctx, demoRound1); apperr.Is(err, apperr.NotFound) {
		return nil // a demo of another area
	}
	var partnerIDs []int64
	for _, p := range demoPlanPartners {
		got, err := s.PartnerByName(ctx, p.AreaCode, p.NameTH)
		if apperr.Is(err, apperr.NotFound) {
			got, err = s.CreatePartner(ctx, p, "demo")
		}
		if err != nil {
			return fmt.Errorf("demo partner %s: %w", p.NameTH, err)
		}
		partnerIDs = append(partnerIDs, got.ID)
	}
	_, eng, err := roundEngine(ctx, s, demoRound1)
	if err != nil {
		return err
	}
	src := plan.SurveySource{Engine: func(context.Context, string) (*engine.Engine, error) { return eng, nil }, Each: s.EachHousehold}
	props, err := src.Propose(ctx, demoRound1, demoPlanArea)
	if err != nil {
		return err
	}
	if len(props) == 0 {
		return nil
	}
	// The team's priorities: income first when it fails, then the rest by
	// the households behind them.
	slices.SortStableFunc(props, func(a, b plan.Proposal) int {
		return boolRank(b.Source == plan.SourceBMN && b.Code == "22") - boolRank(a.Source == plan.SourceBMN && a.Code == "22")
	})
	var problems []plan.Problem
	for _, p := range props[:min(6, len(props))] {
		problems = append(problems, plan.Problem{Source: p.Source, Code: p.Code, Title: p.Title, Households: p.Households, Priority: 1,
			Note: "คัดเลือกในเวทีประชาคมตำบล 20 ก.ค. 2561"})
	}
	p, err := s.CreatePlan(ctx, plan.Plan{AreaCode: demoPlanArea, FiscalYear: 2562, RoundID: demoRound1, Title: demoPlanTitle, CreatedBy: "khaokhlung"}, problems)
	if err != nil {
		return fmt.Errorf("demo plan: %w", err)
	}
	stored, err := s.PlanProblems(ctx, p.ID)
	if err != nil {
		return err
	}
	helped := 0
	for _, pr := range stored[:min(3, len(stored))] {
		d, ok := demoItems[pr.Source+":"+pr.Code]
		if !ok {
			d = demoItemOther
		}
		start, _ := time.Parse("2006-01-02", d.start)
		end, _ := time.Parse("2006-01-02", d.end)
		it, err := s.SaveItem(ctx, plan.Item{PlanID: p.ID, ProblemID: pr.ID, Title: d.title, Objective: d.objective, PartnerID: partnerIDs[d.partner],
			Budget: d.budget, BudgetSource: d.source, Start: start, End: end, Physical: d.physical, Financial: d.financial}, "khaokhlung")
		if err != nil {
			return fmt.Errorf("demo plan item %s: %w", d.title, err)
		}
		// Target households: the problem's targeting list, หมู่ 4 first.
		f, ok := plan.FilterFor(eng, pr.Source, pr.Code)
		if !ok {
			continue
		}
		var hits []survey.Record
		w := eng.Worker()
		err = s.EachHousehold(ctx, demoRound1, demoPlanArea, func(rec survey.Record) error {
			if _, hit := engine.Target(w, rec.Household, f); hit {
				hits = append(hits, rec)
			}
			return nil
		})
		if err != nil {
			return err
		}
		slices.SortStableFunc(hits, func(a, b survey.Record) int {
			return boolRank(b.Household.VillageCode == "70051304") - boolRank(a.Household.VillageCode == "70051304")
		})
		hits = hits[:min(12, len(hits))]
		var ids []int64
		for _, h := range hits {
			ids = append(ids, h.ID)
		}
		if err := s.SetItemTargets(ctx, it.ID, ids); err != nil {
			return err
		}
		// Help delivered to most of them, one still under way; one a week
		// from a fortnight after the item starts, all before the next
		// round's survey opens on 1 January 2562.
		for j, h := range hits[:min(9, len(hits))] {
			status := plan.Delivered
			if j == 8 {
				status = plan.InProgress
			}
			day := start.AddDate(0, 0, 14+7*j)
			if _, err := s.AddAssistance(ctx, plan.Assistance{HouseholdID: h.ID, RoundID: demoRound1, ItemID: it.ID, What: d.what,
				Helper: strings.TrimSpace(demoPlanPartners[d.partner].NameTH), Date: day, Status: status, CreatedBy: "khaokhlung"}); err != nil {
				return err
			}
			helped++
		}
	}
	e.log.Info("demo: development plan loaded", "plan", p.ID, "problems", len(stored), "help records", helped)
	return nil
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}
