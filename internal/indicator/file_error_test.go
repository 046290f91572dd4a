package indicator_test

import (
	"bytes"
	"strings"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/indicator"
)

// A refused set file says where — line and column, or the path of the
// field — and why, in Thai for the official as well as in English.
func TestLoadRefusalsInThaiAndEnglish(t *testing.T) {
	set, err := indicator.Lookup("bmn-2566-2570")
	if err != nil {
		t.Fatal(err)
	}
	good := string(set.File())
	tests := []struct{ name, from, to, where, th, en string }{
		{"unknown question", `"pass": {"q": "h03", "eq": true}`, `"pass": {"q": "h99", "eq": true}`, "indicators[2] (H03).pass", "ไม่มีคำถาม", "unknown question"},
		{"yes/no compared with a number", `"pass": {"q": "h03", "eq": true}`, `"pass": {"q": "h03", "eq": 5}`, "indicators[2] (H03).pass", "ใช่/ไม่ใช่", "yes/no"},
		{"bad question type", `"type": "number"`, `"type": "text"`, "questions[", "ชนิดคำถาม", "type must be"},
		{"bad threshold year", `"2566": 100000`, `"1999": 100000`, "thresholds.welfare_income_cap.by_year", "ไม่ใช่ปีสำรวจ", "not a Buddhist Era"},
		{"broken JSON", `"id": "bmn-2566-2570"`, `"id": "bmn-2566-2570",,`, "line 2, column", "บรรทัด 2", "invalid character"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(good, tc.from) {
				t.Fatalf("the file has no %q", tc.from)
			}
			_, err := indicator.Load(bytes.NewReader([]byte(strings.Replace(good, tc.from, tc.to, 1))))
			if !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("err = %v, want invalid", err)
			}
			msg := apperr.MessageOf(err)
			if !strings.Contains(msg.TH, tc.where) || !strings.Contains(msg.TH, tc.th) {
				t.Errorf("Thai: %s\nwant %q and %q", msg.TH, tc.where, tc.th)
			}
			if !strings.Contains(msg.EN, tc.where) || !strings.Contains(msg.EN, tc.en) {
				t.Errorf("English: %s\nwant %q and %q", msg.EN, tc.where, tc.en)
			}
		})
	}
}
