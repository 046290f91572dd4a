package store

import "time"

// dateLayout is how a calendar day (a due date, a plan's start) is stored:
// ISO 8601, which sorts as text on both databases.
const dateLayout = "2006-01-02"

func formatDay(t time.Time) string { return t.Format(dateLayout) }

func parseDay(s string) time.Time {
	t, _ := time.Parse(dateLayout, s)
	return t
}
