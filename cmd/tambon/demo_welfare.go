package main

import (
	"context"
	"fmt"
	"hash/fnv"
	"time"

	"tambon/internal/area"
	"tambon/internal/store"
	"tambon/internal/survey"
	"tambon/internal/thai"
	"tambon/internal/welfare"
)

// The demo's welfare-card register: a generated list for the demo area in
// each household round, so that the area pages show every group. The
// shares follow TPMAP's 2561 figures for ตำบลเขาขลุง: 313 of its 961 poor
// people were registered (a third), and 1,961 of its 7,873 people in all
// (a quarter of the others). One person in fifty on the list is someone
// the survey did not find (moved away, or surveyed elsewhere). Who is
// drawn is fixed by the citizen ID, so every demo database gets the same
// list.

const (
	demoWelfarePoor    = 33 // % of the poor registered
	demoWelfareNotPoor = 24 // % of the others registered
	demoWelfareAway    = 2  // extra people on the list, % of those registered
)

func seedDemoWelfare(ctx context.Context, e *env, s *store.Store, tree *area.Tree, demoArea string) error {
	for _, id := range []string{demoRound1, demoRound2} {
		if err := seedDemoWelfareRound(ctx, e, s, tree, demoArea, id); err != nil {
			return fmt.Errorf("demo: welfare register of %s: %w", id, err)
		}
	}
	return nil
}

func seedDemoWelfareRound(ctx context.Context, e *env, s *store.Store, tree *area.Tree, demoArea, round string) error {
	r, err := s.Round(ctx, round)
	if err != nil {
		return nil // a demo without household rounds
	}
	if ims, err := s.WelfareImports(ctx, r.ID, demoArea); err != nil || len(ims) > 0 {
		return err
	}
	a, ok := tree.Get(demoArea)
	if !ok || a.Level == area.Country {
		return nil
	}
	_, eng, err := roundEngine(ctx, s, r.ID)
	if err != nil {
		return err
	}
	m, ok := welfare.MappingFor(eng.Set().ID)
	if !ok {
		return nil
	}
	j, err := welfare.NewJudge(m, eng.Set(), eng.SurveyYear())
	if err != nil {
		return err
	}
	start := time.Now()
	var entries []welfare.Entry
	var villages []string
	seen := map[string]bool{}
	add := func(cid, village string, draw uint64) {
		if cid == "" || seen[cid] {
			return
		}
		seen[cid] = true
		e := welfare.Entry{Row: len(entries) + 2, CitizenID: cid, Year: r.SurveyYear - 1 - int(draw%2), Status: "ได้รับสิทธิ์",
			IncomeBand: "ไม่เกิน 30,000 บาท/ปี", Village: village}
		if draw%7 == 0 {
			e.Status = "ลงทะเบียน รอตรวจสอบสิทธิ์"
		}
		if draw%3 == 0 {
			e.IncomeBand = "30,001–100,000 บาท/ปี"
		}
		entries = append(entries, e)
	}
	err = s.EachHousehold(ctx, r.ID, a.Code, func(rec survey.Record) error {
		h := rec.Household
		if len(villages) == 0 || villages[len(villages)-1] != h.VillageCode {
			villages = append(villages, h.VillageCode)
		}
		for _, p := range j.People(h) {
			if p.CitizenID == "" {
				continue
			}
			draw := demoDraw(p.CitizenID)
			share := uint64(demoWelfareNotPoor)
			if p.Poor() {
				share = demoWelfarePoor
			}
			if draw%100 < share {
				add(p.CitizenID, h.VillageCode, draw/100)
			}
		}
		return nil
	})
	if err != nil || len(entries) == 0 {
		return err
	}
	away := len(entries) * demoWelfareAway / 100
	for i := 0; i < away; i++ {
		draw := demoDraw(fmt.Sprintf("away-%s-%d", r.ID, i))
		add(demoCitizenID(draw), villages[int(draw%uint64(len(villages)))], draw/7)
	}
	im, err := s.ImportWelfare(ctx, store.WelfareImport{Round: r.ID, Area: a.Code, File: "ทะเบียนบัตรสวัสดิการแห่งรัฐ-" + a.Code + ".xlsx", By: "demo"}, entries)
	if err != nil {
		return err
	}
	e.log.Info("demo: welfare-card register generated", "round", r.ID, "area", a.Code, "people", im.Entries, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// demoDraw is a fixed pseudo-random number for a key.
func demoDraw(key string) uint64 {
	h := fnv.New64a()
	h.Write([]byte("welfare/" + key))
	return h.Sum64()
}

// demoCitizenID makes a valid citizen ID nobody in the demo has: category
// 3 (registered when the numbers began), from the draw.
func demoCitizenID(draw uint64) string {
	base := fmt.Sprintf("3%011d", draw%1e11)
	for d := range 10 {
		if id := base + fmt.Sprint(d); thai.ValidCitizenID(id) == nil {
			return id
		}
	}
	return ""
}
