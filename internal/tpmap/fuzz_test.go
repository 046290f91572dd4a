package tpmap_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"tambon/internal/apperr"
	"tambon/internal/tpmap"
)

// FuzzParse feeds Parse arbitrary bytes under the publisher's file names.
// Whatever the input, Parse must not panic, must give either a File or
// bilingual Problems naming the file, and a File it gives must keep the
// invariants the rest of tambon relies on.
func FuzzParse(f *testing.F) {
	names := []string{
		"61_70_village_common.csv", "61_70_village_11111.csv", "61_70_tambol_common.csv",
		"61_70_tambol_11111.csv", "61_70_amphur_common.csv",
	}
	for i, name := range names {
		head, row := MustLines(f, name)
		f.Add(uint8(i), []byte(head+"\n"+row+"\n"))
		f.Add(uint8(i), []byte(head+"\r\n"+row))
		f.Add(uint8(i), []byte(head+"\n"+row+"\n"+row[:len(row)/2]))
		f.Add(uint8(i), []byte(head+"\n"+strings.ReplaceAll(row, ",0,", ",-1,")+"\n"))
		f.Add(uint8(i), []byte(head+"\n"+strings.ReplaceAll(row, ",0,", ",1e+05,")+"\n"))
		f.Add(uint8(i), []byte(head+"\n"))
	}
	f.Add(uint8(0), []byte(""))
	f.Add(uint8(0), []byte("\xef\xbb\xbf"))
	f.Add(uint8(0), []byte("<html><body>502 Bad Gateway</body></html>"))
	f.Add(uint8(0), []byte("\"village_ID\",\"household.CNT\"\n\"7001020201\",\"1"))
	f.Add(uint8(5), []byte("a,b\n1,2\n"))

	f.Fuzz(func(t *testing.T, pick uint8, data []byte) {
		name := "upload.csv"
		if int(pick) < len(names) {
			name = names[pick]
		}
		file, err := tpmap.Parse(name, bytes.NewReader(data))
		if (file == nil) == (err == nil) {
			t.Fatalf("file %v and error %v: want exactly one", file != nil, err)
		}
		if err != nil {
			var ps apperr.Problems
			if !errors.As(err, &ps) || len(ps) == 0 {
				t.Fatalf("error %v (%T), want apperr.Problems", err, err)
			}
			for _, p := range ps {
				if p.File != name || p.Reason.TH == "" || p.Reason.EN == "" ||
					!utf8.ValidString(p.Reason.TH+p.Reason.EN+p.Value) {
					t.Fatalf("problem %+v: want the file name and a Thai and English reason", p)
				}
			}
			return
		}
		digits := map[int]int{tpmap.LevelVillage: 8, tpmap.LevelTambon: 6, tpmap.LevelAmphoe: 4}[file.Level]
		if len(file.Rows)+len(file.Poverty) == 0 {
			t.Fatal("a File with no rows")
		}
		for _, r := range file.Rows {
			if len(r.Code) != digits || r.Level != file.Level || r.Code[:2] != file.Province {
				t.Fatalf("row %+v in a level %d file of province %s", r, file.Level, file.Province)
			}
			if r.Households < 0 || r.Members < 0 || r.HappinessSum < 0 || r.Happiness < 0 || r.Happiness > 10 {
				t.Fatalf("row %s: negative or out-of-range figures", r.ID)
			}
			for k, c := range r.Indicators {
				if c.Fail < 0 || c.Fail > c.All {
					t.Fatalf("row %s indicator %d: %+v", r.ID, k+1, c)
				}
			}
		}
		for _, r := range file.Poverty {
			if len(r.Code) != digits || r.TargetPoor > r.Poor || r.Rate < 0 || r.Rate > 100 {
				t.Fatalf("poverty row %+v", r)
			}
		}
		// Roll-ups of whatever was accepted must not panic and must keep the totals.
		if file.Kind == tpmap.KindCommon {
			var hh int64
			for _, r := range file.Rows {
				hh += r.Households
			}
			if got := tpmap.RollUp(file.Rows)[tpmap.Country].Households; got != hh {
				t.Fatalf("country households %d, want %d", got, hh)
			}
		}
	})
}
