package indicator_test

import (
	"syscall"
	"testing"
	"time"

	"tambon/internal/indicator"
	"tambon/internal/survey"
)

// The tests judge survey year 2564: the reference date is 31 Dec 2563 BE,
// i.e. 2020-12-31, and every age below is worked out by hand at that date.
const year = 2564

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// answers turns code, value pairs into Answers: bool, int or string values.
func answers(kv ...any) survey.Answers {
	a := survey.Answers{}
	for i := 0; i < len(kv); i += 2 {
		code := kv[i].(string)
		switch v := kv[i+1].(type) {
		case bool:
			a[code] = survey.Bool(v)
		case int:
			a[code] = survey.Number(float64(v))
		case string:
			a[code] = survey.Text(v)
		default:
			panic("answers: bad value")
		}
	}
	return a
}

// member returns a resident member born on birth ("YYYY-MM-DD", CE).
func member(first, birth string, rel survey.Relation, kv ...any) survey.Member {
	return survey.Member{FirstName: first, BirthDate: date(birth), Relation: rel, Resident: true,
		Sex: survey.Male, Occupation: "farming", Education: survey.EduPrimary, Answers: answers(kv...)}
}

func mustSet(tb testing.TB, id string) *indicator.Set {
	tb.Helper()
	s, err := indicator.Lookup(id)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// index returns the position of the indicator code in s.
func index(tb testing.TB, s *indicator.Set, code string) int {
	tb.Helper()
	for i, ind := range s.Indicators {
		if ind.Code == code {
			return i
		}
	}
	tb.Fatalf("set %s has no indicator %s", s.ID, code)
	return -1
}

// counts is an expected outcome: eligible and passed; applicable iff eligible > 0.
type counts struct{ eligible, passed int32 }

var na = counts{}

func (c counts) outcome() indicator.Outcome {
	return indicator.Outcome{Applicable: c.eligible > 0, Eligible: c.eligible, Passed: c.passed}
}

// cpuNsPerOp reports the process CPU time per operation as "cpu-ns/op". The
// development machines are shared, and wall-clock ns/op rises with their
// load; CPU time spent by this single-goroutine loop does not.
func cpuNsPerOp(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
