package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"tambon/internal/engine"
	"tambon/internal/survey"
)

// preparedHousehold is what a household write needs besides SQL: the stored
// form, and for an edit, or a new household started from an earlier round,
// the history entry. unchanged households carry neither.
type preparedHousehold struct {
	i         int
	unchanged bool
	data      []byte // the stored form (appendHouseholdBinary)
	changes   string // an update's history, or a re-survey's (survey.ResurveyChanges), as JSON
}

// prepareHouseholds does the CPU work of a write on its own goroutine while
// the caller's goroutine talks to the database: it encodes each household,
// compares it with the stored version, diffs an edit for the history and
// counts the statistics differences, by village, into deltas (which the
// caller must not touch until wait returns). It sends the households in
// order, in batches, and closes out at the end or on error (reported by the
// returned wait, with the deltas). Closing stop makes it give up.
func prepareHouseholds(d dialect, eng *engine.Engine, hs []*survey.Household, keys []string, old map[string]existing,
	deltas map[string]*engine.Totals, out chan<- []preparedHousehold, stop <-chan struct{}) (wait func() (map[string]*engine.Totals, error)) {
	done := make(chan struct{})
	var failed error
	go func() {
		defer close(done)
		defer close(out)
		failed = prepareEach(d, eng, hs, keys, old, deltas, out, stop)
	}()
	return func() (map[string]*engine.Totals, error) {
		<-done
		return deltas, failed
	}
}

const prepareBatch = 128

func prepareEach(d dialect, eng *engine.Engine, hs []*survey.Household, keys []string, old map[string]existing,
	deltas map[string]*engine.Totals, out chan<- []preparedHousehold, stop <-chan struct{}) error {
	w := eng.Worker()
	delta := func(village string) *engine.Totals {
		d := deltas[village]
		if d == nil {
			d = eng.NewTotals()
			deltas[village] = d
		}
		return d
	}
	var buf []byte
	batch := make([]preparedHousehold, 0, prepareBatch)
	send := func() bool {
		select {
		case out <- batch:
			batch = make([]preparedHousehold, 0, prepareBatch)
			return true
		case <-stop:
			return false
		}
	}
	for i, h := range hs {
		buf = appendHouseholdBinary(buf[:0], h)
		prev, known := old[keys[i]]
		p := preparedHousehold{i: i}
		switch {
		case !known:
			p.data = slices.Clone(buf)
			if rc := survey.ResurveyChanges(h); rc != nil {
				cj, err := json.Marshal(rc)
				if err != nil {
					return err
				}
				p.changes = string(cj)
			}
		case prev.data == string(buf):
			p.unchanged = true
		default:
			var before survey.Household
			if err := decodeHousehold([]byte(prev.data), &before); err != nil {
				return fmt.Errorf("stored household %s: %w", keys[i], err)
			}
			// A row kept in the other form (JSON written before SQLite's
			// binary form) is unchanged if it encodes the same now. A row in
			// this form already differs: encoding is deterministic.
			if prev.data[0] != buf[0] && bytes.Equal(appendHouseholdBinary(nil, &before), buf) {
				p.unchanged = true
				break
			}
			p.data = slices.Clone(buf)
			delta(before.VillageCode).Sub(w.Contribution(&before))
			changes, err := survey.Diff(&before, h)
			if err != nil {
				return err
			}
			changes = append(changes, survey.LeaverChanges(h)...)
			cj, err := json.Marshal(changes)
			if err != nil {
				return err
			}
			p.changes = string(cj)
		}
		if !p.unchanged {
			w.Add(h, delta(h.VillageCode))
		}
		batch = append(batch, p)
		if len(batch) == prepareBatch && !send() {
			return context.Canceled
		}
	}
	if len(batch) > 0 && !send() {
		return context.Canceled
	}
	return nil
}
