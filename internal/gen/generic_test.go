package gen_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"tambon/internal/indicator"
	"tambon/internal/survey"
)

// set2566Local is bmn-2566-2570 as a province might store it, with a
// household indicator of its own (passing when the answer is no) and a
// person indicator with a number question.
func set2566Local(t *testing.T) *indicator.Set {
	t.Helper()
	var f map[string]any
	if err := json.Unmarshal(mustLookup(t, "bmn-2566-2570").File(), &f); err != nil {
		t.Fatal(err)
	}
	group := f["groups"].([]any)[0].(map[string]any)["code"]
	label := func(th, en string) map[string]any { return map[string]any{"th": th, "en": en} }
	f["questions"] = append(f["questions"].([]any),
		map[string]any{"code": "loc01_burns_waste", "label": label("เผาขยะ", "burns waste"), "type": "bool", "level": "household"},
		map[string]any{"code": "loc02_hours", "label": label("ชั่วโมงจิตอาสา", "volunteer hours"), "type": "number", "min": 0, "max": 40, "level": "person"})
	prov := map[string]any{"source": "test", "confidence": "R", "note": label("ทดสอบ", "test")}
	f["indicators"] = append(f["indicators"].([]any),
		map[string]any{"code": "LOC01", "number": 38, "name": label("ไม่เผาขยะ", "Does not burn waste"), "group": group, "unit": "household",
			"who": label("ทุกครัวเรือน", "every household"), "pass": map[string]any{"not": map[string]any{"q": "loc01_burns_waste", "eq": true}}, "provenance": prov},
		map[string]any{"code": "LOC02", "number": 39, "name": label("จิตอาสา", "Volunteers"), "group": group, "unit": "person",
			"who": label("อายุ 15 ปีขึ้นไป", "aged 15+"), "eligible": map[string]any{"min_age": 15},
			"pass": map[string]any{"q": "loc02_hours", "gte": 4}, "provenance": prov})
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	set, err := indicator.Load(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// The generator fills rounds of the 2566-2570 set (here with two local
// indicators): every household validates against the set, the same seed
// gives the same households, and the indicators are judged — each that
// applies to enough people passes for most and fails for some, and no
// more than a few (the income line the set leaves unset, rare groups) apply
// to nobody.
func TestGenerate2566Set(t *testing.T) {
	set := set2566Local(t)
	targets := MustTargets(t)
	villages := sortedKeys(targets, "700513")
	if len(villages) < 5 {
		t.Fatalf("only %d villages", len(villages))
	}
	villages = villages[:5]
	opts := Options(t, 7, targets)
	opts.Set, opts.SurveyYear, opts.RoundID = set, 2567, "bmn-2567"
	ref := survey.ReferenceDate(2567)
	ev := set.NewEvaluator()
	var counts []indicator.Outcome
	eligible := make([]int64, len(set.Indicators))
	passed := make([]int64, len(set.Indicators))
	var first []byte
	n := 0
	MustGenerate(t, opts, villages, func(h *survey.Household) bool {
		n++
		if ps := survey.Validate(h, set, ref); ps != nil {
			t.Fatalf("household %s does not validate against %s: %v", h.Key(), set.ID, ps)
		}
		if n == 1 {
			first, _ = json.Marshal(h)
		}
		ev.Bind(h, 2567)
		counts = ev.Counts(counts[:0])
		for i, c := range counts {
			eligible[i] += int64(c.Eligible)
			passed[i] += int64(c.Passed)
		}
		return true
	})
	if n < 100 {
		t.Fatalf("%d households generated", n)
	}
	none := 0
	for i, ind := range set.Indicators {
		switch {
		case eligible[i] == 0:
			none++
			t.Logf("%s applies to nobody in %d households", ind.Code, n)
		case eligible[i] >= 200 && (passed[i] == 0 || passed[i] == eligible[i]):
			t.Errorf("%s: %d of %d pass, want some passing and some failing", ind.Code, passed[i], eligible[i])
		case eligible[i] >= 200 && 2*passed[i] < eligible[i]:
			// Answers are drawn to pass unless the village's rate says
			// otherwise: a rule read the wrong way round fails most.
			t.Errorf("%s: only %d of %d pass", ind.Code, passed[i], eligible[i])
		}
	}
	var all, failed int64
	for i := range eligible {
		all += eligible[i]
		failed += eligible[i] - passed[i]
	}
	if share := float64(failed) / float64(max(all, 1)); share < 0.005 || share > 0.4 {
		t.Errorf("%.1f %% of the judged units fail, want a plausible share (0.5-40 %%)", 100*share)
	}
	if none > 4 {
		t.Errorf("%d of %d indicators apply to nobody in %d households", none, len(set.Indicators), n)
	}
	for i, ind := range set.Indicators {
		if (ind.Code == "LOC01" || ind.Code == "LOC02") && eligible[i] == 0 {
			t.Errorf("local indicator %s is not judged", ind.Code)
		}
	}
	MustGenerate(t, opts, villages[:1], func(h *survey.Household) bool {
		again, _ := json.Marshal(h)
		if !bytes.Equal(again, first) {
			t.Errorf("the same seed gave another first household:\n%s\n%s", first, again)
		}
		return false
	})
}
