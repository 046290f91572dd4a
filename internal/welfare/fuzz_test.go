package welfare_test

import (
	"strings"
	"testing"

	"tambon/internal/tabular"
	"tambon/internal/thai"
	"tambon/internal/welfare"
)

// FuzzReadRegister feeds the register's reader any text as a CSV file: it
// never panics, and a list it accepts holds only checked, distinct
// citizen IDs, years in range and villages the check allowed.
func FuzzReadRegister(f *testing.F) {
	f.Add("เลขประจำตัวประชาชน,ปีที่ลงทะเบียน,สถานะบัตร\n1101700230708,2565,ได้รับสิทธิ์\n")
	f.Add("citizen id,year,village code\n3100600123450,2022,70051304\n3100600123450,2022,\n")
	f.Add("title\n\nเลขบัตรประชาชน\n\"1-1017-00230-70-8\"\n")
	f.Fuzz(func(t *testing.T, body string) {
		rd, err := tabular.Open("f.csv", strings.NewReader(body), int64(len(body)), tabular.Options{Expect: welfare.Columns()})
		if err != nil {
			return
		}
		defer rd.Close()
		es, ps, err := welfare.Read(rd, inTambon)
		if err != nil || len(ps) > 0 {
			if len(es) > 0 {
				t.Fatalf("entries returned with problems: %d entries, %d problems, %v", len(es), len(ps), err)
			}
			return
		}
		seen := map[string]bool{}
		for _, e := range es {
			if thai.ValidCitizenID(e.CitizenID) != nil || len(e.CitizenID) != 13 || seen[e.CitizenID] {
				t.Fatalf("accepted citizen ID %q", e.CitizenID)
			}
			seen[e.CitizenID] = true
			if e.Year != 0 && (e.Year < 2550 || e.Year > 2700) {
				t.Fatalf("accepted year %d", e.Year)
			}
			if _, ok := inTambon(e.Village); e.Village != "" && !ok {
				t.Fatalf("accepted village %q", e.Village)
			}
		}
	})
}
