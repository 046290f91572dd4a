package store

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
	"time"

	"tambon/internal/indicator"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
)

// The stored form must stay exactly what encoding/json writes: households
// stored before are compared byte for byte to recognise unchanged ones.
func TestHouseholdJSONMatchesEncodingJSON(t *testing.T) {
	set, err := indicator.Lookup("bmn-2560-2564")
	if err != nil {
		t.Fatal(err)
	}
	hs := surveyfile.Example(set, "70051304", 200, 3)
	odd := *hs[0]
	lat, lon := 1e-7, -1e21
	odd.Lat, odd.Lon = &lat, &lon
	odd.Respondent = "a<b>&\"c\"\\\n\t\x01 \u2028\u2029 \xff ไทย"
	odd.Members = append([]survey.Member(nil), odd.Members...)
	odd.Members[0].Title = "<นาย>"
	odd.Members[0].Answers = survey.Answers{"x": survey.Number(0.25), "a": survey.Text("&"), "n": {}, "m": survey.Number(-1e22)}
	odd.Answers = survey.Answers{"z": survey.Bool(false)}
	odd.SurveyDate = time.Date(2021, 1, 2, 3, 4, 5, 600, time.FixedZone("x", 7*3600))
	none := survey.Household{}
	tiny := survey.Household{Members: []survey.Member{}, Lat: new(float64), Lon: ptrFloat(math.Copysign(0, -1))}
	for i, h := range append(hs, &odd, &none, &tiny) {
		want, err := json.Marshal(h)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendHouseholdJSON(nil, h); !bytes.Equal(got, want) {
			t.Fatalf("household %d:\n got %s\nwant %s", i, got, want)
		}
	}
}

func ptrFloat(f float64) *float64 { return &f }
