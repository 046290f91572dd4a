package store

import (
	"bytes"
	"encoding/json"
	"testing"
)

// PostgreSQL's stored form must stay exactly what encoding/json writes:
// households stored before are compared byte for byte to recognise unchanged
// ones. codecHouseholds (household_codec_test.go) are generated households of
// both sets and odd ones.
func TestHouseholdJSONMatchesEncodingJSON(t *testing.T) {
	for i, h := range codecHouseholds(t) {
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
