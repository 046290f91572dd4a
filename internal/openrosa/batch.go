package openrosa

import (
	"context"
	"time"
)

// Group commit. SQLite has one writer, and every household write reads and
// rewrites the statistics of its village, tambon, amphoe, province and
// country; written one by one, submissions queue behind each other. So
// submissions that arrive while a write is running wait together and go into
// the next transaction as one batch: one commit, and the area statistics
// touched once per batch instead of once per household. A lone submission
// is written at once (no added delay); the batch only grows under load.

// maxBatch bounds one transaction.
const maxBatch = 64

type pending struct {
	item Item
	res  Result
	err  error
	done chan struct{}
}

// submit queues one submission for the writer and waits for its result.
func (s *Server) submit(ctx context.Context, it Item) (Result, error) {
	p := &pending{item: it, done: make(chan struct{})}
	select {
	case s.queue <- p:
	case <-ctx.Done():
		return Result{}, ctx.Err()
	}
	// Once queued it is written even if the client goes away: the device
	// will retry, and the retry is then a duplicate, answered as success.
	<-p.done
	return p.res, p.err
}

// writer runs for the server's lifetime, writing what is queued in batches.
func (s *Server) writer() {
	for p := range s.queue {
		batch := []*pending{p}
	fill:
		for len(batch) < maxBatch {
			select {
			case q := <-s.queue:
				batch = append(batch, q)
			default:
				break fill
			}
		}
		items := make([]Item, len(batch))
		for i, q := range batch {
			items[i] = q.item
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		res, err := s.cfg.Store.SubmitBatch(ctx, items)
		cancel()
		for i, q := range batch {
			if err != nil {
				q.err = err
			} else {
				q.res, q.err = res[i], res[i].Err
			}
			close(q.done)
		}
	}
}
