package store

import (
	"context"
	"database/sql"
	"sort"

	"tambon/internal/engine"
	"tambon/internal/indicator"
)

// keepColumns stores, in the import's transaction, the columns of every
// village the import wrote whole: one whose stored households are exactly
// those the import wrote (as many stored as written, and every household
// written is stored in its village). So the first threshold change after an
// import reads columns rather than decoding the round. A village that also
// holds households the import did not write gets no row, and the next
// recompute decodes it; the recompute's own checks (layout, number of
// households) still judge every row it reads. The villages left without a
// row are listed in w.partial for keepPartialColumns, after the commit.
func (w *householdWriter) keepColumns() error {
	if w.cols == nil || len(w.counts) == 0 {
		return nil
	}
	ctx, tx, d := w.ctx, w.tx, w.s.dialect
	villages := make([]string, 0, len(w.counts))
	for v := range w.counts {
		villages = append(villages, v)
	}
	sort.Strings(villages)
	stored := make(map[string]int, len(villages))
	if err := chunks(villages, 500, func(part []string) error {
		rows, err := tx.QueryContext(ctx, "SELECT village_code, count(*) FROM households WHERE "+d.inList("village_code", len(part))+" GROUP BY village_code",
			d.oneOff(strArgs([]any{w.round}, part))...)
		if err != nil {
			return mapErr(err)
		}
		defer rows.Close()
		for rows.Next() {
			var v string
			var n int
			if err := rows.Scan(&v, &n); err != nil {
				return mapErr(err)
			}
			stored[v] = n
		}
		return mapErr(rows.Err())
	}); err != nil {
		return err
	}
	batches := map[string]*engine.Batch{}
	for _, b := range w.cols.Batches() {
		batches[b.Village()] = b
	}
	var whole []string
	for _, v := range villages {
		if stored[v] == w.counts[v] {
			whole = append(whole, v)
		} else {
			w.partial = append(w.partial, v)
		}
	}
	if err := forgetColumns(ctx, tx, d, w.round, whole); err != nil {
		return err
	}
	layout := w.cols.Layout()
	ins := w.sink("household_columns", []string{"round_id", "village_code", "layout", "households", "data"}, 100)
	defer ins.close()
	for _, v := range whole {
		data := w.cols.EmptyBatch() // drafts only
		if b, ok := batches[v]; ok {
			data = b.AppendBinary(nil)
		}
		if err := ins.add(w.round, v, layout, w.counts[v], data); err != nil {
			return mapErr(err)
		}
	}
	return mapErr(ins.flush())
}

// keepPartialColumns builds, after an import has committed, the columns of
// the villages it wrote only part of, decoding their stored households, and
// stores them unless anything was written since it began (the statistics
// generation moved): then it stores nothing, and the next recompute decodes
// those villages as before. The import is committed whatever happens here.
func (s *Store) keepPartialColumns(ctx context.Context, round string, set *indicator.Set, villages []string) error {
	if len(villages) == 0 {
		return nil
	}
	gen, err := s.StatsGeneration(ctx)
	if err != nil {
		return err
	}
	counts, _, err := s.householdsByVillage(ctx, round)
	if err != nil {
		return err
	}
	var held []string
	for _, v := range villages {
		if counts[v] > 0 {
			held = append(held, v)
		}
	}
	if len(held) == 0 {
		return nil
	}
	cols := engine.NewColumns(set)
	rc := &Recomputed{Round: round, gen: gen, layout: cols.Layout(), have: map[string]bool{}}
	if err := s.rebuildColumns(ctx, rc, cols, counts, held, 4*len(held) >= len(counts), func(int) {}); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		now, err := countryGeneration(ctx, tx)
		if err != nil {
			return err
		}
		if now != gen {
			return nil // written meanwhile: the rows could be old
		}
		return s.storeColumns(ctx, tx, rc)
	})
}
