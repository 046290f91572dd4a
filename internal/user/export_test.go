package user

import "time"

// HashPeak returns the most argon2id hashes seen running at once since the
// last call, and starts counting again.
func HashPeak() int64 { return hashPeakSeen.Swap(hashActive.Load()) }

// HoldHashSlots takes n hashing slots until the returned function is called.
func HoldHashSlots(n int) (release func()) {
	for range n {
		hashSlots <- struct{}{}
	}
	return func() {
		for range n {
			<-hashSlots
		}
	}
}

// SetHashWait changes how long a hash waits for a slot, until reset is called.
func SetHashWait(d time.Duration) (reset func()) {
	old := hashWait
	hashWait = d
	return func() { hashWait = old }
}

// CommonPasswords is the embedded list.
func CommonPasswords() []string { return commonList() }
