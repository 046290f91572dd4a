package surveyfile_test

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"tambon/internal/survey"
	"tambon/internal/surveyfile"
)

// handmade returns households Example does not make: Thai text with marks
// that normalisation could change, blank optional fields, coordinates with
// every digit a float64 holds, a draft household without members.
func handmade(round survey.Round) []*survey.Household {
	lat, lon := 13.123456789012345, -99.000000000001
	date := time.Date(2021, time.February, 28, 0, 0, 0, 0, time.UTC)
	return []*survey.Household{
		{
			RoundID: round.ID, VillageCode: "70051304", HouseNo: "99/12 ซอย 3", Lat: &lat, Lon: &lon,
			Respondent: "นางสาวน้ำฝน ศรีสำราญ", Collector: "อสม. \"ดวงใจ\", หมู่ 4", SurveyDate: date,
			Status: survey.Draft,
		},
		{
			RoundID: round.ID, VillageCode: "70051304", HouseCode: "70050000001", HouseNo: "1", Status: survey.Draft,
			Members: []survey.Member{{No: 3, FirstName: "ก้อง", LastName: "ฟ้าใส", CitizenID: "1101700203450",
				Sex: survey.Male, Relation: survey.RelOther, Occupation: "ขายของออนไลน์, ส่งของ"}},
			Answers: survey.Answers{"q4_1": survey.Bool(false)},
		},
	}
}

// Export → import gives back exactly the households exported, in CSV and in
// XLSX, for every built-in set.
func TestRoundTrip(t *testing.T) {
	for _, setID := range []string{"bmn-2560-2564", "bmn-2566-2570"} {
		for _, format := range []string{"csv", "xlsx"} {
			t.Run(setID+"/"+format, func(t *testing.T) {
				set := MustSet(t, setID)
				round := surveyfile.ExampleRound(set)
				hs := surveyfile.Example(set, "70051304", 60, 5)
				if setID == "bmn-2560-2564" {
					hs = append(hs, handmade(round)...)
				}
				b := MustWrite(t, format, set, hs)
				res := MustRead(t, "households."+format, set, b, surveyfile.ReadOptions{})
				if len(res.Problems) > 0 {
					t.Fatalf("problems: %v", res.Problems)
				}
				if len(res.Households) != len(hs) {
					t.Fatalf("read %d households, wrote %d", len(res.Households), len(hs))
				}
				for i := range hs {
					if !reflect.DeepEqual(res.Households[i], hs[i]) {
						t.Fatalf("household %d differs:\nwrote %s\nread  %s", i, dump(hs[i]), dump(res.Households[i]))
					}
				}
				for _, w := range res.Warnings {
					if w.Sheet == surveyfile.HelpSheet {
						t.Errorf("warned about the instructions sheet: %v", w)
					}
				}
			})
		}
	}
}

func dump(h *survey.Household) string { return fmt.Sprintf("%+v", *h) }

// A template written with an example reads back as that one valid
// household; an empty template has the header only.
func TestTemplate(t *testing.T) {
	set := MustSet(t, "bmn-2560-2564")
	for _, tc := range []struct {
		name    string
		example bool
		want    int
	}{
		{"with example", true, 1},
		{"empty", false, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var hs []*survey.Household
			if tc.example {
				hs = surveyfile.Example(set, "70051304", 1, 1)
			}
			b := MustWrite(t, "xlsx", set, hs)
			if !tc.example {
				// The header alone reads as zero households, not an error.
				rd, err := Open("template.xlsx", set, b)
				if err != nil {
					t.Fatal(err)
				}
				defer rd.Close()
				res, err := surveyfile.Read(rd, set, surveyfile.ExampleRound(set), surveyfile.ReadOptions{Now: now})
				if err != nil || res.Total != 0 {
					t.Fatalf("empty template: %d households, %v", res.Total, err)
				}
				return
			}
			res := MustRead(t, "template.xlsx", set, b, surveyfile.ReadOptions{})
			if len(res.Households) != tc.want || len(res.Problems) > 0 {
				t.Fatalf("got %d households, problems %v", len(res.Households), res.Problems)
			}
		})
	}
}

// An official's own workbook holds typed cells, not text: real Excel dates,
// a citizen ID typed as a number, TRUE/FALSE, money as numbers. They read
// as the same household.
func TestTypedExcelCells(t *testing.T) {
	set := MustSet(t, "bmn-2560-2564")
	hs := surveyfile.Example(set, "70051304", 1, 3)
	h := hs[0]
	g := MustGrid(t, set, hs)
	data := xlsxOf(t, g, func(f *excelize.File) {
		for i := range h.Members {
			m := &h.Members[i]
			row := i + 2
			set := func(key string, v any) {
				cell, _ := excelize.CoordinatesToCellName(g.Col(t, key)+1, row)
				if err := f.SetCellValue("Sheet1", cell, v); err != nil {
					t.Fatal(err)
				}
			}
			set("survey_date", h.SurveyDate)
			set("birth_date", m.BirthDate)
			var id int64
			fmt.Sscan(m.CitizenID, &id)
			set("citizen_id", id)
			set("income_main", float64(h.Income.MainOccupation))
			set("resident", m.Resident)
			set("disabled", m.Disabled)
		}
	})
	res := MustRead(t, "official.xlsx", set, data, surveyfile.ReadOptions{})
	if len(res.Problems) > 0 {
		t.Fatalf("problems: %v", res.Problems)
	}
	if !reflect.DeepEqual(res.Households[0], h) {
		t.Fatalf("read  %s\nwant %s", dump(res.Households[0]), dump(h))
	}
}
