package village_test

import (
	"strings"
	"tambon/internal/apperr"
	"testing"

	"tambon/internal/village"
)

func mustSet(t *testing.T) *village.Set {
	t.Helper()
	s, err := village.Lookup("kcc2k-2560-2564")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// answers gives every indicator its best answer, then applies overrides.
func answers(s *village.Set, over village.Answers) village.Answers {
	a := village.Answers{}
	for _, ind := range s.Indicators {
		switch {
		case ind.Kind == village.KindChoice:
			for _, c := range ind.Choices {
				if c.Score == village.Fine {
					a[ind.Code] = float64(c.Value)
				}
			}
		case ind.Scoring.Better == "higher":
			a[ind.Code] = ind.Scoring.Good
		default:
			a[ind.Code] = ind.Scoring.Good
		}
	}
	for k, v := range over {
		a[k] = v
	}
	return a
}

func TestBuiltinSet(t *testing.T) {
	s := mustSet(t)
	if len(s.Indicators) != 33 || len(s.Groups) != 7 {
		t.Fatalf("%d indicators in %d groups, want 33 in 7 (the 2560-2564 structure)", len(s.Indicators), len(s.Groups))
	}
	for _, ind := range s.Indicators {
		if ind.Provenance.Source == "" || ind.Provenance.Note.TH == "" || ind.Provenance.Note.EN == "" {
			t.Errorf("%s has no provenance", ind.Code)
		}
	}
	if !s.Indicators[0].Provenance.Uncertain() {
		t.Errorf("a reconstructed indicator must show as uncertain")
	}
	if got := village.ForYear(2562); got.ID != s.ID {
		t.Errorf("ForYear(2562) = %s", got.ID)
	}
}

func TestScore(t *testing.T) {
	s := mustSet(t)
	ind := func(code string) *village.Indicator {
		i, ok := s.Indicator(code)
		if !ok {
			t.Fatalf("no %s", code)
		}
		return i
	}
	tests := []struct {
		name   string
		code   string
		value  float64
		score  int
		reason string
	}{
		{"percent at the good cut-off", "k02", 95, 3, "95 ร้อยละ (ไม่น้อยกว่า 95)"},
		{"percent just below good", "k02", 94.9, 2, "ไม่ถึง 95"},
		{"percent at moderate", "k02", 80, 2, "ไม่น้อยกว่า 80"},
		{"percent below moderate", "k02", 79, 1, "ไม่ถึง 80"},
		{"lower is better, none", "k32", 0, 3, "ไม่เกิน 0"},
		{"lower is better, some", "k32", 2, 2, "ไม่เกิน 2"},
		{"lower is better, many", "k32", 3, 1, "ไม่ถึง 2"},
		{"choice serious", "k33", 1, 1, "มีผู้ค้าหรือผู้เสพจำนวนมาก"},
		{"choice fine", "k33", 3, 3, "ไม่มี"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sc := ind(tc.code).Score(tc.value)
			if sc.Score != tc.score {
				t.Errorf("score %v = %d, want %d (%s)", tc.value, sc.Score, tc.score, sc.Reason)
			}
			if !strings.Contains(sc.Reason.TH, tc.reason) || sc.Reason.EN == "" || sc.Reason.EN == sc.Reason.TH {
				t.Errorf("reason %q lacks %q or English", sc.Reason, tc.reason)
			}
		})
	}
}

func TestLevels(t *testing.T) {
	s := mustSet(t)
	seriousIn := func(n int) village.Answers {
		over := village.Answers{}
		for _, ind := range s.Indicators[:n] {
			if ind.Kind == village.KindChoice {
				over[ind.Code] = 1 // every built-in choice list starts with its serious answer
			} else if ind.Scoring.Better == "higher" {
				over[ind.Code] = ind.Min
			} else {
				over[ind.Code] = ind.Max
			}
		}
		return answers(s, over)
	}
	tests := []struct {
		name    string
		serious int
		level   int
	}{
		{"no problem", 0, 3},
		{"one serious", 1, 2},
		{"five serious", 5, 2},
		{"six serious", 6, 1},
		{"all serious", 33, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := s.Evaluate(seriousIn(tc.serious))
			if err != nil {
				t.Fatal(err)
			}
			if r.Serious != tc.serious || r.Level != tc.level {
				t.Fatalf("serious %d level %d, want %d and %d: %s", r.Serious, r.Level, tc.serious, tc.level, r.Reason)
			}
			if !strings.Contains(r.Reason.TH, village.LevelName(tc.level).TH) {
				t.Errorf("reason %q does not name the level", r.Reason)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	s := mustSet(t)
	a := answers(s, village.Answers{"k02": 140, "k33": 7, "zz": 1})
	delete(a, "k05")
	ps := s.Validate(a)
	got := map[string]bool{}
	for _, p := range ps {
		got[p.Field] = true
	}
	for _, f := range []string{"k02", "k33", "zz", "k05"} {
		if !got[f] {
			t.Errorf("no problem for %s in %v", f, ps)
		}
	}
	if _, err := s.Evaluate(a); err == nil {
		t.Error("Evaluate accepted bad answers")
	}
	k13, _ := s.Indicator("k13")
	if v, p := k13.Parse(" ๔๕,๐๐๐ "); p != nil || v != 45000 {
		t.Errorf("Parse Thai digits = %v %v", v, p)
	}
	if _, p := k13.Parse("abc"); p == nil || p.Field != "k13" {
		t.Errorf("Parse(abc) = %v", p)
	}
}

func TestCountsAdd(t *testing.T) {
	s := mustSet(t)
	r1, _ := s.Evaluate(answers(s, village.Answers{"k02": 10}))
	r2, _ := s.Evaluate(answers(s, nil))
	a, b, both := village.NewCounts(), village.NewCounts(), village.NewCounts()
	a.AddResult(r1)
	b.AddResult(r2)
	both.AddResult(r1)
	both.AddResult(r2)
	sum := village.NewCounts()
	sum.Add(a)
	sum.Add(b)
	if !sum.Equal(both) {
		t.Fatalf("sum %+v != both %+v", sum, both)
	}
	if both.ByScore["k02"] != [4]int{0, 1, 0, 1} || both.ByLevel != [4]int{0, 0, 1, 1} {
		t.Errorf("counts %v %v", both.ByScore["k02"], both.ByLevel)
	}
	sum.Add(a)
	if sum.Equal(both) {
		t.Error("Equal misses a difference")
	}
}

func TestLoadRefuses(t *testing.T) {
	base := `{"id":"x","name":{"th":"ชุด","en":"set"},"groups":[{"code":"g","name":{"th":"ด้าน","en":"group"}}],"levels":{"rules":[%s]},"indicators":[%s]}`
	ok := `{"code":"a","number":1,"name":{"th":"ก","en":"a"},"question":{"th":"ก?","en":"a?"},"group":"g","kind":"percent","min":0,"max":100,` +
		`"scoring":{"better":"higher","good":90,"moderate":50},"provenance":{"confidence":"R"}}`
	two := ok + "," + strings.Replace(ok, `"code":"a"`, `"code":"b"`, 1)
	tests := []struct{ name, rules, inds, want string }{
		{"bounded last rule", `{"level":1,"min_serious":1}`, ok, "levels.rules[0]"},
		{"bounds crossed", `{"level":1,"min_serious":3,"max_serious":1},{"level":3}`, ok, "levels.rules[0]"},
		{"unknown group", `{"level":3}`, strings.Replace(ok, `"group":"g"`, `"group":"h"`, 1), "indicators[0] (a).group"},
		{"bad kind", `{"level":3}`, strings.Replace(ok, "percent", "text", 1), "indicators[0] (a).kind"},
		{"cut-offs reversed", `{"level":3}`, strings.Replace(ok, `"good":90`, `"good":10`, 1), "indicators[0] (a).scoring.good"},
		{"cut-off out of range", `{"level":3}`, strings.Replace(ok, `"moderate":50`, `"moderate":-5`, 1), "indicators[0] (a).scoring.moderate"},
		{"number repeated", `{"level":3}`, two, "indicators[1] (b).number"},
		{"no Thai question", `{"level":3}`, strings.Replace(ok, `"th":"ก?"`, `"th":""`, 1), "indicators[0] (a).name"},
		{"unknown field", `{"level":3}`, strings.Replace(ok, `"code"`, `"colour":1,"code"`, 1), "colour"},
		{"wrong type", `{"level":3}`, strings.Replace(ok, `"min":0`, `"min":"none"`, 1), "line 1, column"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := village.Load([]byte(strings.Replace(strings.Replace(base, "%s", tc.rules, 1), "%s", tc.inds, 1)))
			if !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("err = %v, want invalid", err)
			}
			msg := apperr.MessageOf(err)
			if !strings.Contains(msg.EN, tc.want) || msg.TH == msg.EN {
				t.Fatalf("the refusal does not say %q in both languages:\nTH %s\nEN %s", tc.want, msg.TH, msg.EN)
			}
			if !strings.Contains(msg.TH, tc.want) {
				t.Errorf("the Thai refusal lacks %q: %s", tc.want, msg.TH)
			}
		})
	}
	if _, err := village.Load([]byte(strings.Replace(strings.Replace(base, "%s", `{"level":3}`, 1), "%s", two[:len(ok)], 1))); err != nil {
		t.Fatalf("a good set refused: %v", err)
	}
}
