package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"sort"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/survey"
)

// householdWriter writes households of one round inside a transaction, a
// batch at a time, so that a write of a whole province holds one batch in
// memory rather than the province. What must hold across batches is kept
// small: the keys written (to refuse a key twice), the villages checked to
// be unlocked, the statistics differences by village (applied once, at the
// end) and the few members whose citizen ID another household of the round
// held when their batch was written (checked again at the end, once every
// household has been written). WriteHouseholds writes its households as one
// batch; HouseholdImport feeds it from a file.
type householdWriter struct {
	s        *Store
	ctx      context.Context
	tx       *sql.Tx
	eng      *engine.Engine
	round    string
	now      string
	stored   bool           // the round held households before this write (if not, no key or citizen ID is looked up)
	seen     map[string]int // keys written so far → their ordinal
	checked  map[string]bool
	deltas   map[string]*engine.Totals
	conn     *sql.Conn // the transaction's connection when rows go by COPY (PostgreSQL bulk import); nil otherwise
	pipe     *pipeline // a write of a few households on PostgreSQL (pipeline.go); nil otherwise
	inserts  rowSink
	members  rowSink
	updates  *updates
	moved    []movedMember
	n        int // households written so far: the ordinal of the next
	sum      WriteSummary
	progress func(done int)
	// On the COPY path a batch's rows are copied while the caller reads
	// and prepares the next (flushBehind): flight reports the COPYs in
	// progress, forget holds the villages whose kept columns the write
	// must drop (dropped at the end, not a statement per batch).
	flight chan error
	forget map[string]bool
	// A bulk import keeps the columns of the villages it writes whole
	// (keepColumns); cols holds them, counts the households written by
	// village, drafts and unchanged ones too. nil for other writes.
	cols    *engine.Columns
	counts  map[string]int
	partial []string // villages written in part: keepPartialColumns
}

// movedMember is a member whose citizen ID belonged, in the database, to a
// household not (yet) written by this write: the person moved, if that
// household is rewritten without them later in the write; otherwise the ID
// is taken. Its members row is inserted, or refused, at the end.
type movedMember struct {
	id, key, owner string
	no, i          int
}

// newHouseholdWriter starts a write in tx. conn is tx's connection when the
// write may use COPY (a PostgreSQL bulk import), else nil; pipe, when set,
// queues the write's statements on tx's connection (pipeline.go).
func (s *Store) newHouseholdWriter(ctx context.Context, tx *sql.Tx, conn *sql.Conn, pipe *pipeline, eng *engine.Engine, round string, progress func(done int)) (*householdWriter, error) {
	stored, err := s.beginRoundWrite(ctx, tx, pipe, eng, round)
	if err != nil {
		return nil, err
	}
	w := &householdWriter{s: s, ctx: ctx, tx: tx, conn: conn, pipe: pipe, eng: eng, round: round, now: formatTime(s.now()), stored: stored,
		seen: map[string]int{}, checked: map[string]bool{}, deltas: map[string]*engine.Totals{}, progress: progress, forget: map[string]bool{}}
	w.inserts = w.sink("households", []string{"round_id", "hh_key", "village_code", "house_code", "house_no", "status", "data", "version", "created_at", "updated_at", "updated_by"}, writeBatch)
	w.members = w.sink("members", []string{"round_id", "citizen_id", "hh_key", "member_no"}, writeBatch)
	w.updates = &updates{w: w, history: w.sink("household_history", []string{"round_id", "hh_key", "version", "changed_at", "changed_by", "changes"}, writeBatch)}
	return w, nil
}

// close waits for the COPYs in flight and releases the prepared
// statements.
func (w *householdWriter) close() {
	if w.pipe != nil {
		w.pipe.queued = nil // the write failed, or has sent everything
	}
	w.settle()
	w.inserts.close()
	w.members.close()
	w.updates.history.close()
}

// write writes one batch: by(i) is who wrote hs[i].
func (w *householdWriter) write(hs []*survey.Household, by func(i int) string) error {
	ctx, tx, d := w.ctx, w.tx, w.s.dialect
	// checkUnlocked reads a tambon's status once: a village of a tambon
	// already checked needs no statement.
	villages := map[string]bool{}
	for _, h := range hs {
		t := h.VillageCode
		if len(t) >= 6 {
			t = t[:6]
		}
		if !w.checked[t] {
			villages[h.VillageCode] = true
			w.checked[t] = true
		}
	}
	if len(villages) > 0 {
		if err := w.settle(); err != nil {
			return err
		}
		if err := w.checkUnlocked(villages); err != nil {
			return err
		}
	}
	base := w.n
	keys := make([]string, len(hs))
	var ps apperr.Problems
	for i, h := range hs {
		for _, p := range h.TakeLeavers() {
			p.Field = fmt.Sprintf("households[%d].%s", base+i, p.Field)
			ps = append(ps, p)
		}
	}
	if len(ps) > 0 {
		return ps
	}
	if err := w.checkResurveyed(hs, base); err != nil {
		return err
	}
	for i, h := range hs {
		keys[i] = h.Key()
		if j, dup := w.seen[keys[i]]; dup {
			return apperr.Problems{{Field: fmt.Sprintf("households[%d]", base+i), Value: keys[i], Reason: apperr.Tf(
				"ครัวเรือนรหัส %s ซ้ำกับรายการที่ %d", "household %s appears twice (also item %d)", keys[i], j+1)}}
		}
		w.seen[keys[i]] = base + i
	}
	w.n += len(hs)
	old := map[string]existing{}
	if w.stored {
		// The lookups see the rows of the batches before: wait for them.
		if err := w.settle(); err != nil {
			return err
		}
		var err error
		if old, err = w.loadExisting(keys); err != nil {
			return err
		}
	}
	held, err := w.checkCitizenIDs(hs, keys, base)
	if err != nil {
		return err
	}
	// Encoding, diffing and counting run beside the SQL (see
	// prepareHouseholds); this goroutine only writes.
	batches := make(chan []preparedHousehold, 4)
	stop := make(chan struct{})
	wait := prepareHouseholds(d, w.eng, hs, keys, old, w.deltas, batches, stop)
	defer func() {
		close(stop)
		wait()
	}()
	var changed []int
	for batch := range batches {
		for _, p := range batch {
			i, h := p.i, hs[p.i]
			if w.progress != nil && (base+i)%1000 == 0 {
				w.progress(base + i)
			}
			if p.unchanged {
				w.sum.Unchanged++
				continue
			}
			if prev, known := old[keys[i]]; known {
				if err := w.updates.add(householdUpdate{id: prev.id, key: keys[i], village: h.VillageCode, houseCode: h.HouseCode, houseNo: h.HouseNo,
					status: string(h.Status), data: p.data, version: prev.version + 1, by: by(i), changes: p.changes}); err != nil {
					return err
				}
				w.sum.Updated++
			} else {
				if p.changes != "" { // started from an earlier round: the history says so
					if err := w.updates.history.add(w.round, keys[i], 1, w.now, by(i), p.changes); err != nil {
						return mapErr(err)
					}
				}
				if err := w.inserts.add(w.round, keys[i], h.VillageCode, h.HouseCode, h.HouseNo, string(h.Status), p.data, 1, w.now, w.now, by(i)); err != nil {
					return householdErr(err)
				}
				w.sum.Inserted++
			}
			changed = append(changed, i)
		}
	}
	if _, err := wait(); err != nil {
		return err
	}
	for _, i := range changed {
		if len(hs[i].Photos) > 0 {
			if err := w.settle(); err != nil {
				return err
			}
			if err := addPhotosOf(ctx, tx, w.round, keys[i], hs[i], by(i), w.now); err != nil {
				return err
			}
		}
	}
	if w.cols != nil {
		for _, h := range hs {
			w.counts[h.VillageCode]++
			w.cols.Append(h)
		}
	}
	// The kept columns of the villages written are dropped, and the
	// citizen-ID index of the written households: their old rows go, their
	// members go in, except those whose ID another household holds.
	forget := villagesOf(hs, changed)
	var gone []string
	if len(old) > 0 {
		gone = make([]string, len(changed))
		for j, i := range changed {
			gone[j] = keys[i]
		}
	}
	if w.conn != nil {
		// Nothing in the import reads the kept columns before its end:
		// they are dropped there, in one statement (finish).
		for _, v := range forget {
			w.forget[v] = true
		}
		forget = nil
	}
	if err := w.dropStale(forget, gone); err != nil {
		return err
	}
	for _, i := range changed {
		for _, m := range hs[i].Members {
			if m.CitizenID == "" {
				continue
			}
			if owner, ok := held[m.CitizenID]; ok {
				w.moved = append(w.moved, movedMember{id: m.CitizenID, key: keys[i], owner: owner, no: m.No, i: base + i})
				continue
			}
			if err := w.members.add(w.round, m.CitizenID, keys[i], m.No); err != nil {
				return mapErr(err)
			}
		}
	}
	if w.conn != nil {
		// COPY: the batch's rows go now, so the next batch's lookups
		// (stored keys, citizen IDs) see them, as they would row by row;
		// they are copied while the caller reads the next batch.
		if err := w.flushBehind(); err != nil {
			return err
		}
	}
	if w.progress != nil {
		w.progress(w.n)
	}
	return nil
}

// dropStale deletes the kept columns of the villages forget and the members
// rows of the households gone. On PostgreSQL a write of a few households
// does both in one statement: one round trip, not two.
func (w *householdWriter) dropStale(forget, gone []string) error {
	if len(forget) == 0 && len(gone) == 0 {
		return nil
	}
	if w.pipe != nil {
		w.dropStalePiped(forget, gone)
		return nil
	}
	if err := w.settle(); err != nil {
		return err
	}
	ctx, tx, d := w.ctx, w.tx, w.s.dialect
	if d.name == "postgres" && len(forget) > 0 && len(forget) <= 100 && len(gone) > 0 && len(gone) <= 100 {
		args := strArgs(strArgs([]any{w.round}, forget), gone)
		cols := inPlaceholders(2, len(forget))
		members := inPlaceholders(2+len(forget), len(gone))
		_, err := tx.ExecContext(ctx, "WITH c AS (DELETE FROM household_columns WHERE round_id = $1 AND village_code IN ("+cols+
			")) DELETE FROM members WHERE round_id = $1 AND hh_key IN ("+members+")", d.oneOff(args)...)
		return mapErr(err)
	}
	if err := forgetColumns(ctx, tx, d, w.round, forget); err != nil {
		return err
	}
	return chunks(gone, 500, func(part []string) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM members WHERE "+d.inList("hh_key", len(part)), d.oneOff(strArgs([]any{w.round}, part))...)
		return mapErr(err)
	})
}

// inPlaceholders is "$from, $from+1, …", n of them (PostgreSQL).
func inPlaceholders(from, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "$%d", from+i)
	}
	return b.String()
}

// flushBehind starts copying the rows queued on the COPY path and returns
// without waiting for the server: the connection copies one batch while
// the caller reads, checks and encodes the next, so that tambon and the
// database server work at once rather than by turns. At most one batch is
// in flight; every statement of the write waits for it first (settle), so
// the write reads what it has written, and an error of the COPY fails the
// write at its next step (the next batch, or the end), which rolls the
// whole transaction back. Changed households go by UPDATE, at once.
func (w *householdWriter) flushBehind() error {
	if len(w.updates.pending) > 0 {
		return w.flushRows()
	}
	if err := w.settle(); err != nil {
		return err
	}
	type job struct {
		c    *copyRows
		rows [][]any
		wrap func(error) error
	}
	var jobs []job
	for _, q := range []struct {
		s    rowSink
		wrap func(error) error
	}{{w.inserts, householdErr}, {w.updates.history, mapErr}, {w.members, mapErr}} {
		c := q.s.(*copyRows)
		if len(c.rows) > 0 {
			jobs = append(jobs, job{c, c.take(), q.wrap})
		}
	}
	if len(jobs) == 0 {
		return nil
	}
	flight := make(chan error, 1)
	w.flight = flight
	go func() {
		for _, j := range jobs {
			if err := copyFrom(w.ctx, w.conn, j.c.table, j.c.cols, j.rows); err != nil {
				flight <- j.wrap(err)
				return
			}
		}
		flight <- nil
	}()
	return nil
}

// settle waits for the rows in flight (flushBehind) to be written and
// returns the error of their COPY, once; on a pipelined write it sends the
// statements queued.
func (w *householdWriter) settle() error {
	if w.pipe != nil {
		return w.pipe.run()
	}
	if w.flight == nil {
		return nil
	}
	err := <-w.flight
	w.flight = nil
	return err
}

// flushRows writes every row still queued: new households, changed ones,
// their history and members.
func (w *householdWriter) flushRows() error {
	if err := w.settle(); err != nil {
		return err
	}
	if err := w.inserts.flush(); err != nil {
		return householdErr(err)
	}
	if err := w.updates.flush(); err != nil {
		return err
	}
	if err := w.updates.history.flush(); err != nil {
		return mapErr(err)
	}
	return mapErr(w.members.flush())
}

// checkResurveyed refuses a household said to be started from an earlier
// round (survey.Resurvey) when that round is not an earlier household round
// or does not hold the household under the same key: the key is the link
// between the rounds, so a re-survey must keep it.
func (w *householdWriter) checkResurveyed(hs []*survey.Household, base int) error {
	// One query per earlier round named in the batch (a batch names one,
	// as a rule), not one per household: inside a group commit's
	// transaction every round trip holds the others back.
	byRound := map[string][]string{}
	var froms []string
	for _, h := range hs {
		if h.Resurvey == nil || h.Resurvey.From == "" {
			continue
		}
		from := h.Resurvey.From
		if _, ok := byRound[from]; !ok {
			froms = append(froms, from)
		}
		byRound[from] = append(byRound[from], h.Key())
	}
	if len(froms) == 0 {
		return nil
	}
	if err := w.settle(); err != nil {
		return err
	}
	d := w.s.dialect
	found := map[string]map[string]bool{}
	for _, from := range froms {
		held := map[string]bool{}
		found[from] = held
		err := chunks(byRound[from], 500, func(part []string) error {
			// The earlier round must be of the same kind and an earlier year
			// than the one written: its parameter follows the list's.
			cur := "?"
			if d.name != dialectSQLite.name {
				cur = fmt.Sprintf("$%d", len(part)+2)
			}
			args := append(strArgs([]any{from}, part), w.round)
			rows, err := w.tx.QueryContext(w.ctx, "SELECT hh_key FROM households WHERE "+d.inList("hh_key", len(part))+
				` AND EXISTS (SELECT 1 FROM rounds f JOIN rounds c ON c.id = `+cur+
				` WHERE f.id = households.round_id AND f.kind = c.kind AND f.survey_year < c.survey_year)`, d.oneOff(args)...)
			if err != nil {
				return mapErr(err)
			}
			defer rows.Close()
			for rows.Next() {
				var key string
				if err := rows.Scan(&key); err != nil {
					return mapErr(err)
				}
				held[key] = true
			}
			return mapErr(rows.Err())
		})
		if err != nil {
			return err
		}
	}
	var ps apperr.Problems
	for i, h := range hs {
		if h.Resurvey == nil || h.Resurvey.From == "" {
			continue
		}
		if from := h.Resurvey.From; !found[from][h.Key()] {
			ps = append(ps, apperr.Problem{Field: fmt.Sprintf("households[%d].house_no", base+i), Value: h.Key(), Reason: apperr.Tf(
				"ไม่พบครัวเรือนนี้ (บ้านเลขที่และรหัสประจำบ้านเดิม) ในรอบ %s ก่อนหน้า", "this household (the same house number and house code) is not in the earlier round %s", from)})
		}
	}
	if len(ps) > 0 {
		return ps
	}
	return nil
}

// checkCitizenIDs refuses a citizen ID that appears twice in the batch, or
// that belongs in the database to a household this write has already
// written. It returns the IDs held by households this write has not
// written, by their holder's key: they are settled at the end (finish).
func (w *householdWriter) checkCitizenIDs(hs []*survey.Household, keys []string, base int) (map[string]string, error) {
	owner := map[string]int{}
	var ids []string
	var ps apperr.Problems
	for i, h := range hs {
		for j, m := range h.Members {
			if m.CitizenID == "" {
				continue
			}
			if o, dup := owner[m.CitizenID]; dup && o != i {
				ps = append(ps, apperr.Problem{Field: fmt.Sprintf("households[%d].members[%d].citizen_id", base+i, j), Value: m.CitizenID,
					Reason: apperr.Tf("เลขประจำตัวประชาชนซ้ำกับสมาชิกของครัวเรือน %s", "the citizen ID is also a member of household %s", keys[o])})
				continue
			}
			owner[m.CitizenID] = i
			ids = append(ids, m.CitizenID)
		}
	}
	if len(ps) > 0 {
		return nil, ps
	}
	if !w.stored {
		return nil, nil // no household of the round was stored: no member to meet
	}
	inBatch := make(map[string]bool, len(keys))
	for _, k := range keys {
		inBatch[k] = true
	}
	held := map[string]string{}
	err := w.eachHolder(ids, func(id, key string) {
		switch i := owner[id]; {
		case inBatch[key]:
			// the holder is in this batch: its old rows go first
		case w.written(key):
			ps = append(ps, apperr.Problem{Field: fmt.Sprintf("households[%d].members", base+i), Value: id,
				Reason: apperr.Tf("เลขประจำตัวประชาชนซ้ำกับสมาชิกของครัวเรือน %s", "the citizen ID is also a member of household %s", key)})
		default:
			held[id] = key
		}
	})
	if err != nil {
		return nil, err
	}
	if len(ps) > 0 {
		return nil, ps
	}
	return held, nil
}

// written reports whether this write has written the household key.
func (w *householdWriter) written(key string) bool {
	_, ok := w.seen[key]
	return ok
}

// finish writes what is still queued, settles the members whose ID another
// household held, and applies the statistics differences.
func (w *householdWriter) finish() error {
	if err := w.flushRows(); err != nil {
		return err
	}
	if len(w.forget) > 0 {
		villages := make([]string, 0, len(w.forget))
		for v := range w.forget {
			villages = append(villages, v)
		}
		sort.Strings(villages)
		if err := forgetColumns(w.ctx, w.tx, w.s.dialect, w.round, villages); err != nil {
			return err
		}
	}
	if len(w.moved) > 0 {
		if err := w.settleMoved(); err != nil {
			return err
		}
	}
	if w.pipe != nil {
		if err := w.applyDeltasPiped(); err != nil {
			return err
		}
	} else if err := w.s.applyDeltas(w.ctx, w.tx, w.eng, w.round, w.deltas); err != nil {
		return err
	}
	return w.keepColumns()
}

// settleMoved inserts the members rows of people who moved from a household
// this write rewrote without them, and refuses an ID still held by another
// household: one this write did not touch, or one it rewrote still holding
// the person.
func (w *householdWriter) settleMoved() error {
	if err := w.settle(); err != nil {
		return err
	}
	ids := make([]string, len(w.moved))
	for i, m := range w.moved {
		ids[i] = m.id
	}
	holder := map[string]string{}
	if err := w.queryHolders(ids, func(id, key string) { holder[id] = key }); err != nil {
		return err
	}
	var ps apperr.Problems
	for _, m := range w.moved {
		key, held := holder[m.id]
		switch {
		case !held:
			if err := w.members.add(w.round, m.id, m.key, m.no); err != nil {
				return mapErr(err)
			}
		case w.written(key):
			ps = append(ps, apperr.Problem{Field: fmt.Sprintf("households[%d].members", m.i), Value: m.id,
				Reason: apperr.Tf("เลขประจำตัวประชาชนซ้ำกับสมาชิกของครัวเรือน %s", "the citizen ID is also a member of household %s", key)})
		default:
			ps = append(ps, apperr.Problem{Field: fmt.Sprintf("households[%d].members", m.i), Value: m.id,
				Reason: apperr.Tf("เลขประจำตัวประชาชนนี้เป็นสมาชิกของครัวเรือน %s ในรอบนี้อยู่แล้ว", "this citizen ID is already a member of household %s in this round", key)})
		}
	}
	if len(ps) > 0 {
		return ps
	}
	return mapErr(w.members.flush())
}

// HouseholdImport writes households into a round in one transaction, a
// batch at a time, as a file is read: memory holds one batch, whatever the
// size of the file. Nothing is visible to anyone else until Commit, and
// nothing at all is written if the import is rolled back or fails (the
// transaction is then rolled back). It is for one goroutine.
type HouseholdImport struct {
	s     *Store
	conn  *sql.Conn // PostgreSQL: the connection the import holds for COPY
	tx    *sql.Tx
	w     *householdWriter
	by    string
	batch []*survey.Household
	err   error
	ended bool
}

// importBatch is how many households HouseholdImport writes at a time.
const importBatch = 500

// BeginHouseholdImport starts an import into round by a user (for the
// history); progress, when set, is told how many households have been
// written.
//
// On PostgreSQL the import holds one connection of the pool and writes new
// households, members, history and changed households by COPY on it;
// SQLite has one writer connection and writes by multi-row INSERTs. Both
// keep the same rules: identical households left alone, changed ones
// updated with their history, citizen IDs unique in the round, statistics
// updated, all or nothing (TestCopyImportEqualsRowImport).
func (s *Store) BeginHouseholdImport(ctx context.Context, eng *engine.Engine, round, by string, progress func(done int)) (*HouseholdImport, error) {
	var conn *sql.Conn
	var tx *sql.Tx
	var err error
	if s.dialect == dialectPostgres && !s.rowImport {
		if conn, err = s.write.Conn(ctx); err != nil {
			return nil, mapErr(err)
		}
		if tx, err = conn.BeginTx(ctx, nil); err == nil {
			// A COPY of 5,000 households hands them to the statement
			// triggers of households (the id registry, the round and
			// village checks) as a transition table of about 6 MB: kept
			// in memory, not spilled to a temporary file as the default
			// 4 MB would, for this transaction only.
			if _, err = tx.ExecContext(ctx, "SET LOCAL work_mem = '32MB'"); err != nil {
				tx.Rollback()
				err = mapErr(err)
			}
		}
	} else {
		tx, err = s.write.BeginTx(ctx, nil)
	}
	if err != nil {
		if conn != nil {
			conn.Close()
		}
		return nil, mapErr(err)
	}
	w, err := s.newHouseholdWriter(ctx, tx, conn, nil, eng, round, progress)
	if err != nil {
		tx.Rollback()
		if conn != nil {
			conn.Close()
		}
		return nil, err
	}
	w.cols, w.counts = engine.NewColumns(eng.Set()), map[string]int{}
	return &HouseholdImport{s: s, conn: conn, tx: tx, w: w, by: by, batch: make([]*survey.Household, 0, importBatch)}, nil
}

// release returns the import's connection to the pool, once the
// transaction has ended.
func (im *HouseholdImport) release() {
	if im.conn != nil {
		im.conn.Close()
		im.conn = nil
	}
}

// Add queues a valid household (survey.Validate), writing a batch when one
// is full. Once Add has failed the import can only be rolled back. The
// import keeps h until its batch is written.
func (im *HouseholdImport) Add(h *survey.Household) error {
	if im.err != nil {
		return im.err
	}
	if im.ended {
		return fmt.Errorf("household import: add after the end")
	}
	im.batch = append(im.batch, h)
	if len(im.batch) == importBatch {
		return im.flush()
	}
	return nil
}

func (im *HouseholdImport) flush() error {
	if len(im.batch) == 0 {
		return nil
	}
	im.err = im.w.write(im.batch, func(int) string { return im.by })
	clear(im.batch)
	im.batch = im.batch[:0]
	return im.err
}

// Commit writes what is queued and commits the whole import; on any error
// nothing is written.
func (im *HouseholdImport) Commit() (WriteSummary, error) {
	if im.ended {
		return WriteSummary{}, fmt.Errorf("household import: commit after the end")
	}
	err := im.err // a failed Add: the transaction must not commit what went before it
	if err == nil {
		err = im.flush()
	}
	if err == nil {
		err = im.w.finish()
	}
	im.w.close()
	im.ended = true
	if err != nil {
		im.tx.Rollback()
		im.release()
		return WriteSummary{}, err
	}
	err = im.tx.Commit()
	im.release()
	if err != nil {
		return WriteSummary{}, mapErr(err)
	}
	im.s.analyzeAfterImport(im.w.ctx, im.w.sum)
	if err := im.s.keepPartialColumns(im.w.ctx, im.w.round, im.w.eng.Set(), im.w.partial); err != nil {
		slog.Warn("keep the columns of villages imported in part", "round", im.w.round, "err", err)
	}
	return im.w.sum, nil
}

// Rollback abandons the import: nothing is written. It is safe to call
// after Commit (it does nothing then), so callers can defer it.
func (im *HouseholdImport) Rollback() {
	if im.ended {
		return
	}
	im.ended = true
	im.w.close()
	im.tx.Rollback()
	im.release()
}

// analyzeAfterImport refreshes PostgreSQL's table statistics after a bulk
// import into a fresh database, which otherwise leaves it planning the next
// writes' lookups (stored keys, citizen IDs) from empty-table statistics
// until autovacuum comes by. Failing to is harmless: the data are committed.
//
// Only the columns queries look up, join, group or count by are analyzed:
// the rest (the stored household, dates, house numbers) are never planned
// on, and each column costs about as much again on the partitioned
// households (its partitions and the whole; about 0.2 s instead of 0.5 s after
// 25,808 households). Autovacuum still analyzes every column of the
// partitions later.
func (s *Store) analyzeAfterImport(ctx context.Context, sum WriteSummary) {
	if s.dialect != dialectPostgres || sum.Inserted < analyzeAfter {
		return
	}
	if _, err := s.write.ExecContext(ctx, "ANALYZE households (id, round_id, hh_key, village_code, status, updated_by), members (round_id, citizen_id, hh_key)"); err != nil {
		slog.Warn("analyze after import", "err", err)
	}
}

// ImportHouseholds is HouseholdImport as one call, for callers that know
// the store only by an interface: fill adds households with add; when fill
// returns an error, or adding fails, nothing is written and the error is
// returned; otherwise the import is committed.
func (s *Store) ImportHouseholds(ctx context.Context, eng *engine.Engine, round, by string, progress func(done int),
	fill func(add func(h *survey.Household) error) error) (WriteSummary, error) {
	im, err := s.BeginHouseholdImport(ctx, eng, round, by, progress)
	if err != nil {
		return WriteSummary{}, err
	}
	defer im.Rollback()
	if err := fill(im.Add); err != nil {
		return WriteSummary{}, err
	}
	return im.Commit()
}

// CountStoredHouseholds counts how many of the keys name a household stored
// in the round: what a dry run of an import would update rather than add.
func (s *Store) CountStoredHouseholds(ctx context.Context, round string, keys []string) (int, error) {
	n := 0
	err := chunks(keys, 500, func(part []string) error {
		var c int
		err := s.read.QueryRowContext(ctx, "SELECT count(*) FROM households WHERE "+s.dialect.inList("hh_key", len(part)),
			s.dialect.oneOff(strArgs([]any{round}, part))...).Scan(&c)
		n += c
		return mapErr(err)
	})
	return n, err
}
