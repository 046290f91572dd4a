package village

import (
	"fmt"

	"tambon/internal/apperr"
)

// The problem scores.
const (
	Serious  = 1 // ปัญหามาก
	Moderate = 2 // ปัญหาปานกลาง
	Fine     = 3 // ปัญหาน้อยหรือไม่มีปัญหา
)

// ScoreName names a score.
func ScoreName(score int) apperr.Text {
	switch score {
	case Serious:
		return apperr.T("ปัญหามาก", "serious problem")
	case Moderate:
		return apperr.T("ปัญหาปานกลาง", "moderate problem")
	case Fine:
		return apperr.T("ไม่มีปัญหาหรือมีน้อย", "little or no problem")
	}
	return apperr.T("ไม่ทราบ", "unknown")
}

// LevelName names a development level.
func LevelName(level int) apperr.Text {
	switch level {
	case 1:
		return apperr.T("หมู่บ้านเร่งรัดพัฒนาอันดับ 1 (ล้าหลัง)", "Priority 1 (lagging)")
	case 2:
		return apperr.T("หมู่บ้านเร่งรัดพัฒนาอันดับ 2 (ปานกลาง)", "Priority 2 (intermediate)")
	case 3:
		return apperr.T("หมู่บ้านเร่งรัดพัฒนาอันดับ 3 (ก้าวหน้า)", "Priority 3 (advanced)")
	}
	return apperr.T("ไม่ทราบ", "unknown")
}

// Score is one indicator's score for a village, and why.
type Score struct {
	Indicator *Indicator
	Value     float64
	Score     int
	Reason    apperr.Text
}

// Result is a village judged against a set.
type Result struct {
	Scores   []Score // in set order
	Serious  int     // indicators scored 1
	Moderate int     // indicators scored 2
	Level    int     // 1, 2 or 3
	Reason   apperr.Text
}

// Score scores one raw answer, with the reason in both languages.
func (ind *Indicator) Score(v float64) Score {
	sc := Score{Indicator: ind, Value: v}
	if ind.Kind == KindChoice {
		c, _ := ind.choice(v)
		sc.Score = c.Score
		sc.Reason = apperr.Tf("ตอบ %d %s → %s", "answer %d %s → %s", c.Value, c.Label.TH, ScoreName(c.Score).TH)
		sc.Reason.EN = fmt.Sprintf("answer %d %s → %s", c.Value, c.Label.EN, ScoreName(c.Score).EN)
		return sc
	}
	r := ind.Scoring
	good, mod := v >= r.Good, v >= r.Moderate
	cmpTH, cmpEN := "ไม่น้อยกว่า", "at least"
	if r.Better == "lower" {
		good, mod = v <= r.Good, v <= r.Moderate
		cmpTH, cmpEN = "ไม่เกิน", "at most"
	}
	unitTH, unitEN := ind.Unit.TH, ind.Unit.EN
	switch {
	case good:
		sc.Score = Fine
		sc.Reason = apperr.Tf("%s %s (%s %s) → %s", "%s %s (%s %s) → %s", num(v), unitTH, cmpTH, num(r.Good), ScoreName(Fine).TH)
	case mod:
		sc.Score = Moderate
		sc.Reason = apperr.Tf("%s %s (%s %s แต่ไม่ถึง %s) → %s", "%s %s (%s %s but not %s) → %s", num(v), unitTH, cmpTH, num(r.Moderate), num(r.Good), ScoreName(Moderate).TH)
	default:
		sc.Score = Serious
		sc.Reason = apperr.Tf("%s %s (ไม่ถึง %s) → %s", "%s %s (short of %s) → %s", num(v), unitTH, num(r.Moderate), ScoreName(Serious).TH)
	}
	// The English half needs English units and names.
	switch sc.Score {
	case Fine:
		sc.Reason.EN = fmt.Sprintf("%s %s (%s %s) → %s", num(v), unitEN, cmpEN, num(r.Good), ScoreName(Fine).EN)
	case Moderate:
		sc.Reason.EN = fmt.Sprintf("%s %s (%s %s but not %s) → %s", num(v), unitEN, cmpEN, num(r.Moderate), num(r.Good), ScoreName(Moderate).EN)
	default:
		sc.Reason.EN = fmt.Sprintf("%s %s (short of %s) → %s", num(v), unitEN, num(r.Moderate), ScoreName(Serious).EN)
	}
	return sc
}

// Evaluate scores every indicator and ranks the village. Answers must pass
// Validate; an invalid one is an Invalid error naming it.
func (s *Set) Evaluate(a Answers) (Result, error) {
	if ps := s.Validate(a); len(ps) > 0 {
		return Result{}, ps
	}
	res := Result{Scores: make([]Score, len(s.Indicators))}
	for i := range s.Indicators {
		sc := s.Indicators[i].Score(a[s.Indicators[i].Code])
		res.Scores[i] = sc
		switch sc.Score {
		case Serious:
			res.Serious++
		case Moderate:
			res.Moderate++
		}
	}
	res.Level, res.Reason = s.level(res.Serious, res.Moderate)
	return res, nil
}

// level applies the first matching rule.
func (s *Set) level(serious, moderate int) (int, apperr.Text) {
	in := func(n int, lo, hi *int) bool { return (lo == nil || n >= *lo) && (hi == nil || n <= *hi) }
	for _, r := range s.Levels.Rules {
		if in(serious, r.MinSerious, r.MaxSerious) && in(moderate, r.MinModerate, r.MaxModerate) {
			th := fmt.Sprintf("ปัญหามาก %d ตัวชี้วัด ปัญหาปานกลาง %d ตัวชี้วัด", serious, moderate)
			en := fmt.Sprintf("%d serious and %d moderate problems", serious, moderate)
			if b := bounds(r); b.TH != "" {
				th += " (" + b.TH + ")"
				en += " (" + b.EN + ")"
			}
			return r.Level, apperr.T(th+" → "+LevelName(r.Level).TH, en+" → "+LevelName(r.Level).EN)
		}
	}
	return 0, apperr.Text{} // unreachable: Load requires an unbounded last rule
}

// bounds says a rule's conditions in words.
func bounds(r LevelRule) apperr.Text {
	var th, en []string
	add := func(p *int, t, e string) {
		if p != nil {
			th = append(th, fmt.Sprintf(t, *p))
			en = append(en, fmt.Sprintf(e, *p))
		}
	}
	add(r.MinSerious, "ปัญหามากตั้งแต่ %d", "serious ≥ %d")
	add(r.MaxSerious, "ปัญหามากไม่เกิน %d", "serious ≤ %d")
	add(r.MinModerate, "ปัญหาปานกลางตั้งแต่ %d", "moderate ≥ %d")
	add(r.MaxModerate, "ปัญหาปานกลางไม่เกิน %d", "moderate ≤ %d")
	if len(th) == 0 {
		return apperr.T("ไม่เข้าเกณฑ์ก่อนหน้า", "none of the rules before")
	}
	return apperr.T(join(th), join(en))
}

func join(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += ", "
		}
		out += s
	}
	return out
}
