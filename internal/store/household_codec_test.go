package store

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"testing"
	"time"

	"tambon/internal/indicator"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
)

// codecHouseholds returns generated households and odd ones: escapes,
// invalid UTF-8, zones, tiny and huge numbers, negative zero, empty and nil
// rosters and answers, times before 1970 and with nanoseconds.
func codecHouseholds(tb testing.TB) []*survey.Household {
	tb.Helper()
	var hs []*survey.Household
	for _, id := range []string{"bmn-2560-2564", "bmn-2566-2570"} {
		set, err := indicator.Lookup(id)
		if err != nil {
			tb.Fatal(err)
		}
		hs = append(hs, surveyfile.Example(set, "70051304", 150, 7)...)
	}
	odd := *hs[0]
	lat, lon := 1e-7, -1e21
	odd.Lat, odd.Lon = &lat, &lon
	odd.Respondent = "a<b>&\"c\"\\\n\t\x01 \u2028\u2029 \xff\xfe ไทย \xe0\xb8"
	odd.Members = append([]survey.Member(nil), odd.Members...)
	odd.Members[0].Title = "<นาย>"
	odd.Members[0].FirstName = "\xff"
	odd.Members[0].Answers = survey.Answers{"x": survey.Number(0.25), "a": survey.Text("&"), "n": {}, "m": survey.Number(-1e22),
		"neg0": survey.Number(math.Copysign(0, -1)), "big": survey.Number(1 << 60), "minus": survey.Number(-42), "\xffkey": survey.Bool(true)}
	odd.Members[0].BirthDate = time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC)
	odd.Members[0].Disabled, odd.Members[0].Bedridden, odd.Members[0].Dependent = true, true, true
	odd.Answers = survey.Answers{"z": survey.Bool(false)}
	odd.SurveyDate = time.Date(2021, 1, 2, 3, 4, 5, 600, time.FixedZone("x", 7*3600))
	lmt := odd
	bangkok, err := time.LoadLocation("Asia/Bangkok")
	if err == nil {
		// Before 1920 Bangkok kept local mean time, +6:42:04: JSON keeps
		// the offset to the minute only, and so must the binary form.
		lmt.SurveyDate = time.Date(1910, 5, 6, 7, 8, 9, 0, bangkok)
	}
	local := odd
	local.SurveyDate = time.Date(2021, 3, 4, 5, 6, 7, 0, time.Local)
	zeroZone := odd
	zeroZone.SurveyDate = time.Date(2021, 3, 4, 0, 0, 0, 0, time.FixedZone("GMT", 0))
	nanos := odd
	nanos.SurveyDate = time.Date(1969, 12, 31, 23, 59, 59, 999, time.UTC)
	none := survey.Household{}
	tiny := survey.Household{Members: []survey.Member{}, Answers: survey.Answers{}, Lat: new(float64), Lon: ptrFloat(math.Copysign(0, -1))}
	return append(hs, &odd, &lmt, &local, &zeroZone, &nanos, &none, &tiny)
}

// The binary form must read back as exactly the household a JSON round trip
// gives: which form a row holds must never change what a reader sees.
func TestHouseholdBinaryMatchesJSON(t *testing.T) {
	var jsonBytes, binBytes int
	for i, h := range codecHouseholds(t) {
		j := appendHouseholdJSON(nil, h)
		var want survey.Household
		if err := json.Unmarshal(j, &want); err != nil {
			t.Fatal(err)
		}
		b := appendHouseholdBinary(nil, h)
		var got survey.Household
		if err := decodeHousehold(b, &got); err != nil {
			t.Fatalf("household %d: %v", i, err)
		}
		// DeepEqual, and the JSON of both, which also tells -0 from 0.
		if !reflect.DeepEqual(got, want) || !bytes.Equal(appendHouseholdJSON(nil, &got), appendHouseholdJSON(nil, &want)) {
			t.Fatalf("household %d:\n got %+v\nwant %+v", i, got, want)
		}
		// Encoding what was read gives the same bytes: an unchanged
		// household is recognised by its bytes.
		if again := appendHouseholdBinary(nil, &got); !bytes.Equal(again, b) {
			t.Fatalf("household %d: encoding the decoded household gives other bytes", i)
		}
		// And the JSON form still reads through the same door.
		var viaJSON survey.Household
		if err := decodeHousehold(j, &viaJSON); err != nil || !reflect.DeepEqual(viaJSON, want) {
			t.Fatalf("household %d: JSON through decodeHousehold: %v", i, err)
		}
		jsonBytes += len(j)
		binBytes += len(b)
	}
	t.Logf("JSON %d bytes, binary %d bytes (%.2f×)", jsonBytes, binBytes, float64(jsonBytes)/float64(binBytes))
	if binBytes*2 > jsonBytes {
		t.Errorf("binary form %d bytes is not under half of JSON's %d", binBytes, jsonBytes)
	}
}

// Every cut of a stored household and every flipped byte must give an error
// or a household, never a panic; a cut one always gives an error.
func TestHouseholdBinaryDamaged(t *testing.T) {
	hs := codecHouseholds(t)
	for _, h := range []*survey.Household{hs[0], hs[len(hs)-7]} {
		b := appendHouseholdBinary(nil, h)
		for n := 0; n < len(b); n++ {
			var got survey.Household
			if err := decodeHousehold(b[:n], &got); n > 0 && err == nil {
				t.Fatalf("%d of %d bytes decoded without error", n, len(b))
			}
		}
		for i := 1; i < len(b); i++ {
			c := bytes.Clone(b)
			c[i] ^= 0xA5
			var got survey.Household
			_ = decodeHousehold(c, &got)
		}
		var got survey.Household
		if err := decodeHousehold(append(bytes.Clone(b), 0), &got); err == nil {
			t.Fatal("a trailing byte decoded without error")
		}
	}
}

func FuzzHouseholdBinary(f *testing.F) {
	for _, h := range codecHouseholds(f)[295:] {
		f.Add(appendHouseholdBinary(nil, h))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var h survey.Household
		if decodeHousehold(append([]byte{householdBinary}, b...), &h) != nil {
			return
		}
		// What decodes encodes back to bytes that decode to the same.
		again := appendHouseholdBinary(nil, &h)
		var h2 survey.Household
		if err := decodeHousehold(again, &h2); err != nil {
			t.Fatalf("re-encoded household does not decode: %v", err)
		}
		if !reflect.DeepEqual(stripNaN(h), stripNaN(h2)) {
			t.Fatalf("re-encoded household reads differently")
		}
	})
}

// stripNaN drops coordinates that are NaN, which never equal themselves.
func stripNaN(h survey.Household) survey.Household {
	if h.Lat != nil && math.IsNaN(*h.Lat) {
		h.Lat = nil
	}
	if h.Lon != nil && math.IsNaN(*h.Lon) {
		h.Lon = nil
	}
	return h
}

func BenchmarkHouseholdForms(b *testing.B) {
	set, err := indicator.Lookup("bmn-2560-2564")
	if err != nil {
		b.Fatal(err)
	}
	hs := surveyfile.Example(set, "70051304", 1000, 3)
	for _, form := range []struct {
		name   string
		encode func([]byte, *survey.Household) []byte
	}{{"json", appendHouseholdJSON}, {"binary", appendHouseholdBinary}} {
		var stored [][]byte
		size := 0
		for _, h := range hs {
			s := form.encode(nil, h)
			stored = append(stored, s)
			size += len(s)
		}
		b.Run("encode/"+form.name, func(b *testing.B) {
			var buf []byte
			for i := 0; b.Loop(); i++ {
				buf = form.encode(buf[:0], hs[i%len(hs)])
			}
			b.ReportMetric(float64(size)/float64(len(hs)), "bytes/household")
		})
		b.Run("decode/"+form.name, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				var h survey.Household
				if err := decodeHousehold(stored[i%len(stored)], &h); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
