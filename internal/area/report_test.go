package area_test

import (
	"strings"
	"testing"

	"tambon/internal/area"
)

// The cleaning report of the embedded data, reason by reason, as measured.
// Each count is a rule that fired on real dirt in the files; the numbers are
// explained in docs/data-cleaning.md.
func TestEmbeddedReport(t *testing.T) {
	rep := MustEmbedded(t).Report()
	tests := []struct {
		reason  area.Reason
		want    int
		example string // a fragment of one of the examples
	}{
		{area.ReasonRegistrationOffice, 2, "7074 ท้องถิ่นเทศบาลตำบลบ้านฆ้อง"},
		{area.ReasonDeleted, 0, ""},
		{area.ReasonNoParent, 0, ""},
		{area.ReasonHeaderRow, 2, "250939หม,ชื่อหมู่บ้าน"},
		{area.ReasonCodeQuestionMark, 7, "73??04"},
		{area.ReasonCodeLetters, 43, "501471A0"},
		{area.ReasonCodeGarbled, 4, "9602011-"},
		{area.ReasonCodeSixDigits, 14, "759901"},
		{area.ReasonCodeSevenRestored, 13, "1412801,ชุมชนเขตก. → 14128001"},
		{area.ReasonCodeSevenUnresolved, 0, ""},
		{area.ReasonDuplicateSame, 13, "4240401"},
		{area.ReasonDuplicateDifferent, 0, ""},
		{area.ReasonMooZero, 12, "19043900"},
		{area.ReasonUnknownTambon, 20702, "25096206"},
		{area.ReasonEmptyName, 0, ""},
		{area.ReasonNameComma, 35, "70071702,เตาอิฐ,โคก"},
		{area.ReasonNameAsterisk, 2 + 113, "*Suwannakarm"},
		{area.ReasonNameSpaces, 1 + 1, "ปอภาร  (ปอพาน)"},
	}
	for _, tt := range tests {
		t.Run(string(tt.reason), func(t *testing.T) {
			if got := rep.Count(tt.reason); got != tt.want {
				t.Errorf("Count(%s) = %d, want %d", tt.reason, got, tt.want)
			}
			if tt.reason.Describe() == "" {
				t.Errorf("%s has no description", tt.reason)
			}
			if tt.example == "" {
				return
			}
			for _, is := range rep.Issues {
				if is.Reason != tt.reason {
					continue
				}
				if len(is.Examples) == 0 || len(is.Examples) > 5 {
					t.Errorf("%s %s has %d examples, want 1..5", is.File, is.Reason, len(is.Examples))
				}
				for _, ex := range is.Examples {
					if strings.Contains(ex, tt.example) {
						return
					}
				}
			}
			t.Errorf("no example of %s contains %q", tt.reason, tt.example)
		})
	}
}

func TestReportAddsUp(t *testing.T) {
	tr := MustEmbedded(t)
	rep := tr.Report()
	tests := []struct {
		file       string
		rows, kept int
		level      area.Level
	}{
		{"provinces.csv", 77, 77, area.Province},
		{"districts.csv", 929, 927, area.District},
		{"sub_districts.csv", 7451, 7451, area.Subdistrict},
		{"bmn59.village_name.csv", 92622, 71825, area.Village},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var fc *area.FileCount
			for i := range rep.Files {
				if rep.Files[i].File == tt.file {
					fc = &rep.Files[i]
				}
			}
			if fc == nil {
				t.Fatalf("no file count for %s", tt.file)
			}
			if fc.Rows != tt.rows || fc.Kept != tt.kept {
				t.Errorf("%s: %d rows, %d kept; want %d, %d", tt.file, fc.Rows, fc.Kept, tt.rows, tt.kept)
			}
			if fc.Kept+rep.Dropped(tt.file) != fc.Rows {
				t.Errorf("%s: kept %d + left out %d != rows %d", tt.file, fc.Kept, rep.Dropped(tt.file), fc.Rows)
			}
			if tr.Count(tt.level) != fc.Kept {
				t.Errorf("%s: kept %d, tree has %d", tt.file, fc.Kept, tr.Count(tt.level))
			}
		})
	}
}

func TestReportString(t *testing.T) {
	s := MustEmbedded(t).Report().String()
	for _, want := range []string{
		"bmn59.village_name.csv: 92622 rows, 71825 kept, 20797 left out",
		"left out 20702 (unknown-tambon)",
		`"line 49848: 6604\x10308,คลองทองหลา?พะฒนา"`, // a control character is shown escaped
	} {
		if !strings.Contains(s, want) {
			t.Errorf("report lacks %q:\n%s", want, s)
		}
	}
}

func TestReportIsACopy(t *testing.T) {
	tr := MustEmbedded(t)
	r := tr.Report()
	r.Issues[0].Count = -1
	r.Issues[0].Examples[0] = "changed"
	again := tr.Report()
	if again.Issues[0].Count == -1 || again.Issues[0].Examples[0] == "changed" {
		t.Error("changing a report changed the tree's report")
	}
}
