package engine

import (
	"context"
	"fmt"
	"sync"

	"tambon/internal/survey"
)

// batchSize is how many households the reader hands a worker at once: large
// enough that channel operations cost nothing per household, small enough
// that workers start at once and memory stays flat.
const batchSize = 256

// Recompute streams a round's households once and returns village code →
// Totals (complete households only; villages with none are absent).
//
// each is called once, on the calling goroutine, and must yield every
// household; it should stop and return when yield returns false (the context
// was cancelled). Households are judged on other goroutines after yield
// returns, so each must not reuse or change a household it has yielded.
// workers ≤ 1 judges them on the calling goroutine.
func (e *Engine) Recompute(ctx context.Context, each func(yield func(*survey.Household) bool) error, workers int) (map[string]*Totals, error) {
	if workers <= 1 {
		w, out := e.Worker(), map[string]*Totals{}
		err := each(func(h *survey.Household) bool {
			if ctx.Err() != nil {
				return false
			}
			w.Add(h, e.villageTotals(out, h.VillageCode))
			return true
		})
		return finish(ctx, out, err)
	}
	batches := make(chan []*survey.Household, workers*2)
	results := make([]map[string]*Totals, workers)
	var wg sync.WaitGroup
	for g := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w, out := e.Worker(), map[string]*Totals{}
			for b := range batches {
				for _, h := range b {
					w.Add(h, e.villageTotals(out, h.VillageCode))
				}
			}
			results[g] = out
		}()
	}
	batch := make([]*survey.Household, 0, batchSize)
	err := each(func(h *survey.Household) bool {
		if ctx.Err() != nil {
			return false
		}
		batch = append(batch, h)
		if len(batch) == batchSize {
			select {
			case batches <- batch:
			case <-ctx.Done():
				return false
			}
			batch = make([]*survey.Household, 0, batchSize)
		}
		return true
	})
	if len(batch) > 0 && err == nil && ctx.Err() == nil {
		batches <- batch
	}
	close(batches)
	wg.Wait()
	out := results[0]
	for _, r := range results[1:] {
		for code, t := range r {
			if o, ok := out[code]; ok {
				o.Add(t)
			} else {
				out[code] = t
			}
		}
	}
	return finish(ctx, out, err)
}

func finish(ctx context.Context, out map[string]*Totals, err error) (map[string]*Totals, error) {
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		return nil, fmt.Errorf("recompute: %w", err)
	}
	return out, nil
}

// villageTotals returns out[code], creating it.
func (e *Engine) villageTotals(out map[string]*Totals, code string) *Totals {
	t := out[code]
	if t == nil {
		t = e.NewTotals()
		out[code] = t
	}
	return t
}
