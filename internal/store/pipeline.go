package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"tambon/internal/engine"
	"tambon/internal/survey"
)

// A write of a few households on PostgreSQL (the household form, the API,
// a phone's submission) is a dozen short statements, and most of its cost
// is their round trips: each one wakes the server and tambon in turn and
// pays the network stack twice, whatever the statement does. So such a
// write holds its connection, and the statements whose only answer is
// "done" (the household's update and history, the members index, the
// generations and statistics rows) are queued rather than sent, then sent
// together, in the order they were made, with the next statement that
// returns rows, as one pgx batch: one round trip for many. The server runs
// them one after the other in the write's transaction exactly as it would
// have one at a time; the first that fails stops the rest and fails the
// write, which rolls everything back. Every statement the write sends on
// its own first sends what is queued (householdWriter.settle), so it sees
// everything written before it.
//
// The batch's statements are prepared once per connection and kept (pgx's
// statement cache): a write of a few households has few shapes, so the
// server plans them once rather than at every write. Larger writes keep
// the one-off statements of dialect.oneOff.

// pipelineMax is the most households a write sends by pipeline.
const pipelineMax = 8

// pipeline queues statements for one transaction on one PostgreSQL
// connection.
type pipeline struct {
	ctx    context.Context
	conn   *sql.Conn
	queued []piped
	// hs are the write's households: what the write will look up about
	// them is read ahead, in the round trip that takes the round's pin
	// (readAhead), into read.
	hs   []*survey.Household
	read *readAhead
}

// readAhead is what a pipelined write reads before it writes: the review
// status of its tambons (absent: open), its households as stored, and the
// households that hold its members' citizen IDs.
type readAhead struct {
	status   map[string]survey.Status
	existing map[string]existing
	holders  map[string]string
}

// queueReadAhead queues the reads of readAhead for the households p.hs.
// They are the reads the writer would make one by one (checkUnlocked,
// loadExisting, checkCitizenIDs), made at once: the writer reads them
// from p.read instead. The citizen IDs read include those of members
// marked as leaving; the writer asks only for those who stay.
func (p *pipeline) queueReadAhead(d dialect, round string) {
	var tambons, keys, ids []string
	seen := map[string]bool{}
	for _, h := range p.hs {
		if t := h.VillageCode; len(t) >= 6 && !seen[t[:6]] {
			seen[t[:6]] = true
			tambons = append(tambons, t[:6])
		}
		if k := h.Key(); !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
		for _, m := range h.Members {
			if m.CitizenID != "" && !seen[m.CitizenID] {
				seen[m.CitizenID] = true
				ids = append(ids, m.CitizenID)
			}
		}
	}
	r := &readAhead{status: map[string]survey.Status{}, existing: map[string]existing{}, holders: map[string]string{}}
	p.read = r
	p.query("SELECT area_code, status FROM round_areas WHERE round_id = $1 AND area_code = ANY($2)", []any{round, tambons}, func(row pgx.Rows) error {
		var code, st string
		err := row.Scan(&code, &st)
		r.status[code] = survey.Status(st)
		return err
	})
	if len(keys) > 0 {
		// A custom plan, with the keys, reaches only their partitions.
		p.query("SELECT hh_key, id, version, data FROM households WHERE "+d.inList("hh_key", len(keys)), strArgs([]any{round}, keys), func(row pgx.Rows) error {
			var k string
			var e existing
			var data []byte
			err := row.Scan(&k, &e.id, &e.version, &data)
			e.data = string(data)
			r.existing[k] = e
			return err
		})
	}
	p.query("SELECT citizen_id, hh_key FROM members WHERE round_id = $1 AND citizen_id = ANY($2)", []any{round, ids}, func(row pgx.Rows) error {
		var id, key string
		err := row.Scan(&id, &key)
		r.holders[id] = key
		return err
	})
}

// eachHolder calls fn with each of the citizen IDs ids that a household of
// the round holds, and its holder's key.
func (w *householdWriter) eachHolder(ids []string, fn func(id, key string)) error {
	if w.pipe != nil && w.pipe.read != nil {
		for _, id := range ids {
			if key, ok := w.pipe.read.holders[id]; ok {
				fn(id, key)
			}
		}
		return nil
	}
	return w.queryHolders(ids, fn)
}

// queryHolders asks the store, in this write's transaction, which
// households of the round hold the citizen IDs ids: fn is called with each
// ID held and its holder's key.
func (w *householdWriter) queryHolders(ids []string, fn func(id, key string)) error {
	d := w.s.dialect
	return chunks(ids, 500, func(part []string) error {
		rows, err := w.tx.QueryContext(w.ctx, "SELECT citizen_id, hh_key FROM members WHERE "+d.inList("citizen_id", len(part)),
			d.oneOff(strArgs([]any{w.round}, part))...)
		if err != nil {
			return mapErr(err)
		}
		defer rows.Close()
		for rows.Next() {
			var id, key string
			if err := rows.Scan(&id, &key); err != nil {
				return err
			}
			fn(id, key)
		}
		return rows.Err()
	})
}

// loadExisting reads the stored households of keys.
func (w *householdWriter) loadExisting(keys []string) (map[string]existing, error) {
	if w.pipe != nil && w.pipe.read != nil {
		out := map[string]existing{}
		for _, k := range keys {
			if e, ok := w.pipe.read.existing[k]; ok {
				out[k] = e
			}
		}
		return out, nil
	}
	return loadExisting(w.ctx, w.tx, w.s.dialect, w.round, keys)
}

// checkUnlocked refuses a write to the villages of a locked tambon
// (checkUnlocked).
func (w *householdWriter) checkUnlocked(villages map[string]bool) error {
	if w.pipe != nil && w.pipe.read != nil {
		return checkUnlockedBy(w.round, villages, func(tambon string) (survey.Status, error) {
			if st, ok := w.pipe.read.status[tambon]; ok {
				return st, nil
			}
			return survey.StatusOpen, nil
		})
	}
	return checkUnlocked(w.ctx, w.tx, w.round, villages)
}

// piped is one queued statement: rows, when set, reads its rows; wrap
// explains its error.
type piped struct {
	sql  string
	args []any
	rows func(pgx.Rows) error
	wrap func(error) error
}

// exec queues a statement whose only answer is an error.
func (p *pipeline) exec(wrap func(error) error, query string, args ...any) {
	p.queued = append(p.queued, piped{sql: query, args: plainArgs(args), wrap: wrap})
}

// query queues a statement whose rows each call scan; nothing is sent
// until run.
func (p *pipeline) query(query string, args []any, scan func(row pgx.Rows) error) {
	p.queued = append(p.queued, piped{sql: query, args: plainArgs(args), wrap: mapErr, rows: func(rows pgx.Rows) error {
		for rows.Next() {
			if err := scan(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}})
}

// run sends what is queued, in one round trip, and reads the answers in
// order; it returns the first error.
func (p *pipeline) run() error {
	if len(p.queued) == 0 {
		return nil
	}
	queued := p.queued
	p.queued = nil
	return p.conn.Raw(func(dc any) error {
		pc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("pipeline: not a PostgreSQL connection (%T)", dc)
		}
		b := &pgx.Batch{}
		for _, q := range queued {
			b.Queue(q.sql, q.args...)
		}
		br := pc.Conn().SendBatch(p.ctx, b)
		for _, q := range queued {
			var err error
			if q.rows != nil {
				var rows pgx.Rows
				if rows, err = br.Query(); err == nil {
					err = q.rows(rows)
					rows.Close()
				}
			} else {
				_, err = br.Exec()
			}
			if err != nil {
				br.Close()
				return q.wrap(err)
			}
		}
		return mapErr(br.Close())
	})
}

// plainArgs drops the execution mode dialect.oneOff puts first: a batch's
// statements all go as the connection sends them, prepared and kept.
func plainArgs(args []any) []any {
	if len(args) > 0 {
		if _, ok := args[0].(pgx.QueryExecMode); ok {
			return args[1:]
		}
	}
	return args
}

// writeFewHouseholds is WriteHouseholds by pipeline (PostgreSQL, at most
// pipelineMax households): the same writer, the same statements, the same
// transaction, fewer round trips.
func (s *Store) writeFewHouseholds(ctx context.Context, eng *engine.Engine, round string, hs []*survey.Household, by string, progress func(done int)) (WriteSummary, error) {
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return WriteSummary{}, mapErr(err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return WriteSummary{}, mapErr(err)
	}
	sum, err := func() (WriteSummary, error) {
		w, err := s.newHouseholdWriter(ctx, tx, nil, &pipeline{ctx: ctx, conn: conn, hs: hs}, eng, round, progress)
		if err != nil {
			return WriteSummary{}, err
		}
		defer w.close()
		if err := w.write(hs, func(int) string { return by }); err != nil {
			return WriteSummary{}, err
		}
		if err := w.finish(); err != nil {
			return WriteSummary{}, err
		}
		return w.sum, nil
	}()
	if err != nil {
		tx.Rollback()
		return WriteSummary{}, err
	}
	if err := tx.Commit(); err != nil {
		return WriteSummary{}, mapErr(err)
	}
	return sum, nil
}

// pipedRows is the rowSink of a pipelined write: its rows go as one
// multi-row INSERT, queued at flush.
type pipedRows struct {
	p    *pipeline
	head string
	cols int
	wrap func(error) error
	args []any
}

func (r *pipedRows) add(vals ...any) error {
	r.args = append(r.args, vals...)
	return nil
}

func (r *pipedRows) flush() error {
	if len(r.args) == 0 {
		return nil
	}
	r.p.exec(r.wrap, r.head+placeholders(len(r.args)/r.cols, r.cols), r.args...)
	r.args = nil
	return nil
}

func (r *pipedRows) close() {}

// pipedSink is householdWriter.sink for a pipelined write.
func pipedSink(p *pipeline, table string, cols []string) rowSink {
	wrap := mapErr
	if table == "households" {
		wrap = householdErr
	}
	return &pipedRows{p: p, head: "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ", cols: len(cols), wrap: wrap}
}

// dropStalePiped queues dropStale's deletions.
func (w *householdWriter) dropStalePiped(forget, gone []string) {
	if len(forget) > 0 {
		w.pipe.exec(mapErr, "DELETE FROM household_columns WHERE round_id = $1 AND village_code = ANY($2)", w.round, forget)
	}
	if len(gone) > 0 {
		w.pipe.exec(mapErr, "DELETE FROM members WHERE round_id = $1 AND hh_key = ANY($2)", w.round, gone)
	}
}

// applyDeltasPiped is Store.applyDeltas for a pipelined write: the
// generations and the locking read of the statistics go in one round trip
// with the statements queued before them, the statistics written back in
// the next.
func (w *householdWriter) applyDeltasPiped() error {
	s, p := w.s, w.pipe
	byArea, codes, written := areaDeltas(w.deltas)
	if chains := chainsOf(written); len(chains) > 0 {
		q, args := s.bumpSQL(chains)
		p.exec(mapErr, q, args...)
	}
	if len(codes) == 0 {
		return p.run()
	}
	cur := map[string]*engine.Totals{}
	p.query("SELECT area_code, households, people, net_income, indicators, poverty FROM area_stats WHERE round_id = $1 AND area_code = ANY($2) ORDER BY area_code FOR UPDATE",
		[]any{w.round, codes}, func(row pgx.Rows) error {
			var code, ind, pov string
			var h, n, inc int64
			if err := row.Scan(&code, &h, &n, &inc, &ind, &pov); err != nil {
				return err
			}
			t, err := decodeTotals(w.eng, h, n, inc, ind, pov)
			cur[code] = t
			return err
		})
	if err := p.run(); err != nil {
		return err
	}
	for _, code := range codes {
		if cur[code] == nil {
			cur[code] = w.eng.NewTotals()
		}
		cur[code].Add(byArea[code])
	}
	q, args, err := s.putAllTotalsSQL(w.round, codes, cur)
	if err != nil {
		return err
	}
	p.exec(mapErr, q, args...)
	return p.run()
}
