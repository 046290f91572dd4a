package xform_test

import (
	"testing"

	"tambon/internal/surveyfile"
	"tambon/internal/xform"
)

// FuzzParse: whatever a client sends, reading it never panics, and what
// reads as a household of the form can be written back and read again.
func FuzzParse(f *testing.F) {
	form, set := mustForm(f, "bmn-2560-2564")
	for i, h := range surveyfile.Example(set, "70051301", 3, 1) {
		f.Add(xform.Encode(form, set, h, "uuid:fuzz-"+string(rune('a'+i)), ""))
	}
	f.Add([]byte(`<data id="tambon-bmn-2564"><meta><instanceID>x</instanceID></meta><members><birth_date>1-1-1</birth_date></members></data>`))
	f.Add([]byte(`<a><b><c>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		in, _, err := xform.Parse(form, set, data)
		if err != nil || in.Household == nil {
			return
		}
		again, _, err := xform.Parse(form, set, xform.Encode(form, set, in.Household, in.InstanceID, in.DeprecatedID))
		if err != nil {
			t.Fatalf("a household read from an instance cannot be read back: %v", err)
		}
		if len(again.Household.Members) != len(in.Household.Members) {
			t.Fatalf("members: %d, then %d", len(in.Household.Members), len(again.Household.Members))
		}
	})
}
