package survey

import "time"

// Record is a stored household with the facts of its storage: its id (for
// links), its key within the round, and its latest version.
type Record struct {
	ID        int64
	Key       string
	Version   int
	UpdatedAt time.Time
	UpdatedBy string
	Household *Household
}
