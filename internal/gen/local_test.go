package gen_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"tambon/internal/gen"
	"tambon/internal/indicator"
	"tambon/internal/survey"
)

// localVersion is bmn-2560-2564 as a province might store it: the national
// set with a household indicator and a person indicator of its own.
func localVersion(t *testing.T, swap bool) *indicator.Set {
	t.Helper()
	var f map[string]any
	if err := json.Unmarshal(MustSet(t).File(), &f); err != nil {
		t.Fatal(err)
	}
	group := f["groups"].([]any)[0].(map[string]any)["code"]
	label := func(th, en string) map[string]any { return map[string]any{"th": th, "en": en} }
	f["questions"] = append(f["questions"].([]any),
		map[string]any{"code": "loc01_sorts_waste", "label": label("คัดแยกขยะ", "sorts waste"), "type": "bool", "level": "household"},
		map[string]any{"code": "loc02_hours", "label": label("ชั่วโมงจิตอาสา", "volunteer hours"), "type": "number", "min": 0, "max": 40, "level": "person"})
	prov := map[string]any{"source": "test", "confidence": "R", "note": label("ทดสอบ", "test")}
	inds := append(f["indicators"].([]any),
		map[string]any{"code": "LOC01", "number": 32, "name": label("คัดแยกขยะ", "Sorts waste"), "group": group, "unit": "household",
			"who": label("ทุกครัวเรือน", "every household"), "pass": map[string]any{"q": "loc01_sorts_waste", "eq": true}, "provenance": prov},
		map[string]any{"code": "LOC02", "number": 33, "name": label("จิตอาสา", "Volunteers"), "group": group, "unit": "person",
			"who": label("อายุ 15 ปีขึ้นไป", "aged 15+"), "eligible": map[string]any{"min_age": 15},
			"pass": map[string]any{"q": "loc02_hours", "gte": 4}, "provenance": prov})
	if swap {
		inds[0], inds[1] = inds[1], inds[0]
	}
	f["indicators"] = inds
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

// A stored version of the national set with local indicators after the
// national ones generates households that validate against it and answer
// the local questions where they are asked, passing and failing; a version
// that reorders the national indicators is refused.
func TestGenerateLocalVersion(t *testing.T) {
	set := localVersion(t, false)
	opts := Options(t, 3, MustTargets(t))
	opts.Set = set
	eng := set.NewEvaluator()
	counts := make([]indicator.Outcome, 0, len(set.Indicators))
	var passed, eligible [2]int64
	n := 0
	ref := survey.ReferenceDate(2561)
	MustGenerate(t, opts, []string{"70051304", "70051301"}, func(h *survey.Household) bool {
		n++
		if ps := survey.Validate(h, set, ref); ps != nil {
			t.Fatalf("household %s: %v", h.Key(), ps)
		}
		eng.Bind(h, 2561)
		counts = eng.Counts(counts[:0])
		for k, c := range counts[len(counts)-2:] {
			passed[k] += int64(c.Passed)
			eligible[k] += int64(c.Eligible)
		}
		return true
	})
	for k, code := range []string{"LOC01", "LOC02"} {
		if eligible[k] == 0 || passed[k] == 0 || passed[k] == eligible[k] {
			t.Errorf("%s over %d households: %d of %d pass, want some passing and some failing", code, n, passed[k], eligible[k])
		}
	}
	opts.Set = localVersion(t, true)
	if err := gen.Generate(opts, []string{"70051304"}, func(*survey.Household) bool { return true }); err == nil {
		t.Error("a version with the national indicators reordered was accepted")
	}
}
