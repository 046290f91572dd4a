package thai_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"tambon/internal/apperr"
)

// mustDate returns midnight UTC of a CE date, failing the test if the fields
// would be normalised into another date.
func mustDate(tb testing.TB, y int, m time.Month, d int) time.Time {
	tb.Helper()
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || t.Month() != m || t.Day() != d {
		tb.Fatalf("mustDate(%d, %d, %d): no such date", y, m, d)
	}
	return t
}

// mustInvalid checks that err is an apperr.Invalid error whose Thai and
// English messages both contain the given fragments.
func mustInvalid(tb testing.TB, err error, th, en string) {
	tb.Helper()
	if err == nil {
		tb.Fatalf("got no error, want an invalid-input error")
	}
	var e *apperr.Error
	if !errors.As(err, &e) || e.Code != apperr.Invalid {
		tb.Fatalf("got %T %v, want *apperr.Error with code invalid", err, err)
	}
	if e.Msg.TH == "" || e.Msg.EN == "" {
		tb.Errorf("message is not bilingual: %+v", e.Msg)
	}
	if !strings.Contains(e.Msg.TH, th) {
		tb.Errorf("Thai message %q does not contain %q", e.Msg.TH, th)
	}
	if !strings.Contains(e.Msg.EN, en) {
		tb.Errorf("English message %q does not contain %q", e.Msg.EN, en)
	}
}
