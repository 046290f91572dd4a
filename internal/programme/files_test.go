package programme

import (
	"strings"
	"testing"

	"tambon/internal/apperr"
)

func TestCheckFile(t *testing.T) {
	for _, tc := range []struct {
		f    File
		size int
		ok   bool
		says string
	}{
		{File{Name: " a.pdf ", ContentType: "application/pdf"}, 10, true, ""},
		{File{Name: "a.xlsx", ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}, MaxFile, true, ""},
		{File{Name: "a.pdf", ContentType: "application/pdf"}, MaxFile + 1, false, "8 MB"},
		{File{Name: "a.pdf", ContentType: "application/pdf"}, 0, false, "ว่างเปล่า"},
		{File{Name: "a.html", ContentType: "text/html"}, 10, false, "text/html"},
		{File{Name: "a.png", ContentType: "image/png"}, 10, false, "image/png"}, // pictures arrive shrunk, as JPEG
		{File{Name: " ", ContentType: "application/pdf"}, 10, false, "ชื่อ"},
	} {
		f := tc.f
		err := CheckFile(&f, tc.size)
		if tc.ok != (err == nil) || !tc.ok && (!apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.MessageOf(err).TH, tc.says)) {
			t.Errorf("%+v (%d bytes): %v", tc.f, tc.size, err)
		}
		if tc.ok && (f.Size != tc.size || f.Name != strings.TrimSpace(tc.f.Name)) {
			t.Errorf("%+v: size %d name %q after the check", tc.f, f.Size, f.Name)
		}
	}
}

func TestSelfScoreCheck(t *testing.T) {
	cs := []Criterion{{Key: "a", Name: apperr.T("ก", "a"), Weight: 100}}
	for _, tc := range []struct {
		sc SelfScore
		ok bool
	}{
		{SelfScore{Criterion: "a", Score: 0}, true},
		{SelfScore{Criterion: "a", Score: 100, Note: strings.Repeat("ก", MaxNote)}, true},
		{SelfScore{Criterion: "a", Score: 100.5}, false},
		{SelfScore{Criterion: "a", Score: -1}, false},
		{SelfScore{Criterion: "b", Score: 50}, false},
		{SelfScore{Criterion: "a", Score: 50, Note: strings.Repeat("ก", MaxNote+1)}, false},
	} {
		if err := tc.sc.Check(cs); tc.ok != (err == nil) {
			t.Errorf("%+v: %v", tc.sc.Criterion, err)
		}
	}
}
