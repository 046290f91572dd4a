package survey

import "time"

// WriteSummary says what a write of households did.
type WriteSummary struct {
	Inserted, Updated, Unchanged int
}

// HistoryEntry is one edit of a household: who, when, and the fields it
// changed.
type HistoryEntry struct {
	Version   int
	ChangedAt time.Time
	ChangedBy string
	Changes   []Change
}

// ReviewEntry is one recorded step of a round's review for an area.
type ReviewEntry struct {
	Step     Review
	From, To Status
	Comment  string
	At       time.Time
	By       string
}
