package xform_test

import (
	"errors"
	"strings"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/surveyfile"
	"tambon/internal/xform"
)

// TestParseCapsLengths: a real instance with a long Thai answer reads; a
// value past MaxValueBytes, an attribute as long, or an instance past
// MaxInstanceBytes is refused as ErrTooLong with a message in both
// languages, before the rest is read.
func TestParseCapsLengths(t *testing.T) {
	form, set := mustForm(t, "bmn-2560-2564")
	h := surveyfile.Example(set, "70051301", 1, 1)[0]
	data := string(xform.Encode(form, set, h, "uuid:caps", ""))
	respondent := "<respondent>" + h.Respondent + "</respondent>"
	if h.Respondent == "" || !strings.Contains(data, respondent) {
		t.Fatalf("the example instance has no respondent to lengthen")
	}
	with := func(v string) []byte {
		return []byte(strings.Replace(data, respondent, "<respondent>"+v+"</respondent>", 1))
	}
	tests := []struct {
		name string
		data []byte
		ok   bool
	}{
		{"4,000 Thai characters", with(strings.Repeat("ก", 4000)), true},
		{"text split by comments, within the cap", with(strings.Repeat("กข<!-- -->", 1000)), true},
		{"a value of 20 MB", with(strings.Repeat("x", 20<<20)), false},
		{"a value just over the cap", with(strings.Repeat("x", xform.MaxValueBytes+1)), false},
		{"a value over the cap in pieces between comments", with(strings.Repeat("x<!---->", xform.MaxValueBytes+1)), false},
		{"a long attribute", []byte(strings.Replace(data, "<respondent>", `<respondent note="`+strings.Repeat("y", xform.MaxValueBytes+1)+`">`, 1)), false},
		{"many values, too large in all", []byte(strings.Replace(data, "</data>", strings.Repeat("<extra>12345678</extra>", xform.MaxInstanceBytes/20)+"</data>", 1)), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := xform.Parse(form, set, tt.data)
			if tt.ok {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if !errors.Is(err, xform.ErrTooLong) || !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("got %v, want refused as too long", err)
			}
			if m := apperr.MessageOf(err); m.TH == "" || m.EN == "" {
				t.Errorf("message %+v", m)
			}
		})
	}
}
