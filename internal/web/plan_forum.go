package web

import (
	"context"

	"tambon/internal/plan"
)

// planForums is what a plan shows of its villages' forums: beside each of
// its problems the rank the survey gives it (by the households behind it)
// and the ranks village forums gave it, with their source ("ประชาคมหมู่ 4,
// 1 มี.ค. 2564") and a flag where they disagree (plan.Beside); and the
// problems forums ranked that the plan does not hold.
type planForums struct {
	Any        bool // some village forum of the plan's round ranked something
	SurveyRank map[int64]int
	Marks      map[int64][]markRow
	Outside    []outsideRow
	Disagree   int
	By         int
}

type markRow struct {
	plan.VillageMark
	Text string // "อันดับ 2 · ประชาคมหมู่ 4, 1 มี.ค. 2564"
}

type outsideRow struct {
	Title string
	Marks []markRow
	Added bool
}

// planForums matches the forums held within the plan's area that were
// shown the plan's round to the plan's problems.
func (s *Server) planForums(ctx context.Context, p plan.Plan, problems []plan.Problem, lang string) (planForums, error) {
	out := planForums{SurveyRank: map[int64]int{}, Marks: map[int64][]markRow{}, By: plan.DisagreeBy}
	rankings, err := s.villageRankings(ctx, p.RoundID, p.AreaCode)
	if err != nil || len(rankings) == 0 {
		return out, err
	}
	out.Any = true
	keys := make([]string, len(problems))
	hh := make([]int, len(problems))
	// The survey's ranks stand on the counts the requester may see: a
	// hidden count ranks nothing (its place among the others would bound it).
	shown, err := s.planProblemCounts(ctx, p.AreaCode, p.RoundID, problems)
	if err != nil {
		return out, err
	}
	for i, pr := range problems {
		keys[i], hh[i] = pr.Source+":"+pr.Code, pr.Households
		if shown[pr.ID] == "" {
			hh[i] = 0
		}
	}
	survey := plan.SurveyRanks(keys, hh)
	marks := plan.Beside(rankings)
	rows := func(ms []plan.VillageMark) []markRow {
		var rs []markRow
		for _, m := range ms {
			rs = append(rs, s.markRow(m, lang))
			if m.Disagree {
				out.Disagree++
			}
		}
		return rs
	}
	inPlan := map[string]bool{}
	for i, pr := range problems {
		inPlan[keys[i]] = true
		out.SurveyRank[pr.ID] = survey[keys[i]]
		out.Marks[pr.ID] = rows(marks[keys[i]])
	}
	seen := map[string]bool{}
	for _, vr := range rankings {
		for _, rp := range vr.Problems {
			k := rp.Key()
			if inPlan[k] || seen[k] {
				continue
			}
			seen[k] = true
			out.Outside = append(out.Outside, outsideRow{Title: rp.Title.In(lang), Marks: rows(marks[k]), Added: rp.Added})
		}
	}
	return out, nil
}

// proposalForums puts the village forums' ranks beside an area's proposed
// problems, and the survey's rank of each (by households).
func (s *Server) proposalForums(ctx context.Context, d *planListData, lang string) error {
	rankings, err := s.villageRankings(ctx, d.Round.ID, d.Area.Code)
	if err != nil || len(rankings) == 0 {
		return err
	}
	d.HasForums = true
	var keys []string
	var hh []int
	for _, p := range d.Proposals {
		if p.Source != plan.SourceForum {
			n := p.Households
			if p.Shown == "" { // hidden from the requester: ranks nothing
				n = 0
			}
			keys, hh = append(keys, p.Key), append(hh, n)
		}
	}
	survey := plan.SurveyRanks(keys, hh)
	marks := plan.Beside(rankings)
	for i := range d.Proposals {
		p := &d.Proposals[i]
		p.SurveyRank = survey[p.Key]
		for _, m := range marks[p.Key] {
			p.Marks = append(p.Marks, s.markRow(m, lang))
		}
	}
	return nil
}

// markRow writes a village's rank of a problem with its source, and the
// village survey's rank of it: "อันดับ 1 · ประชาคมหมู่ 4, 1 มี.ค. 2564
// (ข้อมูลสำรวจของหมู่บ้าน: อันดับ 4)".
func (s *Server) markRow(m plan.VillageMark, lang string) markRow {
	text := s.msgs.text(lang, "plan.forum.mark", "rank", m.Rank, "label", m.Label.In(lang))
	if m.SurveyRank > 0 {
		text += " " + s.msgs.text(lang, "plan.forum.mark.survey", "rank", m.SurveyRank)
	}
	return markRow{VillageMark: m, Text: text}
}
