package web_test

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// chartData returns the JSON of every chart of a page, in order.
func chartData(t *testing.T, page string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, m := range regexp.MustCompile(`(?s)class="chart-data">(.*?)</script>`).FindAllStringSubmatch(page, -1) {
		var v map[string]any
		if err := json.Unmarshal([]byte(m[1]), &v); err != nil {
			t.Fatalf("chart JSON: %v\n%s", err, m[1])
		}
		out = append(out, v)
	}
	return out
}

// The tambon's trend sits on one time axis by the year the data describe
// (TPMAP 2561 at 2560), zoomed onto its values, with its numbers in a table
// for screen readers; the map's legend knows a percentage stops at 100.
func TestChartsAxesAndTimeAxis(t *testing.T) {
	ts := mustServer(t)
	page := mustGet(t, ts.URL, "/areas/700513")
	var trend, bars map[string]any
	for _, c := range chartData(t, page) {
		if _, ok := c["years"]; ok {
			trend = c
		} else if bars == nil {
			bars = c
		}
	}
	if trend == nil {
		t.Fatal("no trend chart")
	}
	var years []int
	for _, y := range trend["years"].([]any) {
		years = append(years, int(y.(float64)))
	}
	if !slices.Equal(years, []int{2560, 2561, 2562}) {
		t.Errorf("trend years %v, want TPMAP 2561 at 2560, then จปฐ. 2561 and 2562", years)
	}
	rounds := trend["rounds"].([]any)
	if len(rounds) != 3 || !strings.Contains(rounds[0].(string), "TPMAP") {
		t.Errorf("trend rounds %v", rounds)
	}
	lo, hi := trend["min"].(float64), trend["max"].(float64)
	for _, s := range trend["series"].([]any) {
		for _, v := range s.(map[string]any)["values"].([]any) {
			if f, ok := v.(float64); ok && (f < lo || f > hi) {
				t.Errorf("trend value %v outside its axis %v–%v", f, lo, hi)
			}
		}
	}
	if lo == 0 && hi == 100 {
		t.Errorf("the trend keeps the 0–100 axis")
	}
	if !regexp.MustCompile(`(?s)<table class="chart-fallback"><caption>แนวโน้มตามรอบสำรวจ</caption>.*ข้อมูลเผยแพร่ TPMAP ปี 2561</th><td class="num">\d+\.\d\d</td>`).MatchString(page) {
		t.Error("the trend has no table of its numbers")
	}
	// The fixture's rates are spread out: the bars keep their zero baseline.
	if bars == nil || bars["min"] != nil {
		t.Errorf("the pass-rate chart of spread-out rates is zoomed: %v", bars)
	}
	if !strings.Contains(page, `data-min="0" data-max="100"`) && !strings.Contains(page, `data-min="0" data-max="31" data-integer="1"`) {
		t.Error("the map does not say its values' domain")
	}
	ind := mustGet(t, ts.URL, "/areas/700513/indicators/6")
	if !strings.Contains(ind, `"years":[2560,2561,2562]`) || !strings.Contains(ind, `class="chart-fallback"`) {
		t.Error("the indicator's trend is not on the time axis or has no table")
	}
}
