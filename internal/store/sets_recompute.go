package store

import (
	"context"
	"database/sql"
	"fmt"
	"hash/maphash"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/survey"
)

// Recomputed is a household round's statistics recomputed from its stored
// households under one engine (every level, as RollUp gives them), ready
// for RepinRecomputed to make live.
//
// A recompute reads each village from household_columns, the round kept in
// the engine's columnar form, and decodes stored households only for the
// villages whose columns are missing or stale; those it rebuilds, and
// RepinRecomputed stores them in the same transaction as the figures. So the
// first recompute of a round decodes every household once, and a threshold
// change after it reads a few GB of fixed-width columns instead: no JSON, no
// answer maps. The figures are RecomputeColumns', exactly those of judging
// the households one by one (engine.TestRecomputeColumnsEqualsRecompute,
// TestFastRecomputeEqualsFull).
type Recomputed struct {
	Round      string
	Totals     map[string]*engine.Totals
	Households int // stored households read (drafts too)
	Decoded    int // of them, decoded from the households table
	gen        int64
	layout     string
	all        bool // every village rebuilt: the round's other rows go
	fresh      []villageColumns
	stale      []string        // villages whose stored columns go
	have       map[string]bool // villages read from their stored columns
	// Phases is where the time went, in order: counting the stored
	// households, reading the kept columns, decoding stored households,
	// judging; RepinRecomputed adds writing the figures and the columns.
	Phases []Phase
}

// Phase is one step of a recompute and how long it took.
type Phase struct {
	Name string
	Took time.Duration
}

// phase appends the step that began at start and returns now.
func (rc *Recomputed) phase(name string, start time.Time) time.Time {
	now := time.Now()
	rc.Phases = append(rc.Phases, Phase{name, now.Sub(start)})
	return now
}

// villageColumns is one village's columns to store.
type villageColumns struct {
	village    string
	households int
	data       []byte
}

// RecomputeRound recomputes a round's statistics under eng from its stored
// households, calling progress (if not nil) with the households done so far
// and the round's total as it goes. Nothing is written: RepinRecomputed
// makes the result live unless something was written meanwhile.
func (s *Store) RecomputeRound(ctx context.Context, round string, eng *engine.Engine, progress func(done, total int)) (*Recomputed, error) {
	return s.recomputeRound(ctx, round, eng, false, progress)
}

// RebuildRound is RecomputeRound ignoring every stored column: it decodes
// every household of the round, and RepinRecomputed then replaces all the
// round's columns. tambon recompute uses it to rebuild a round from its
// households alone.
func (s *Store) RebuildRound(ctx context.Context, round string, eng *engine.Engine, progress func(done, total int)) (*Recomputed, error) {
	return s.recomputeRound(ctx, round, eng, true, progress)
}

func (s *Store) recomputeRound(ctx context.Context, round string, eng *engine.Engine, all bool, progress func(done, total int)) (*Recomputed, error) {
	if progress == nil {
		progress = func(int, int) {}
	}
	start := time.Now()
	gen, err := s.StatsGeneration(ctx)
	if err != nil {
		return nil, err
	}
	cols := engine.NewColumns(eng.Set())
	rc := &Recomputed{Round: round, gen: gen, layout: cols.Layout(), all: all, have: map[string]bool{}}
	if !all {
		// The kept columns first, checked against the statistics each
		// village has now: no scan of the households table, which on
		// PostgreSQL means reading every stored household from the heap.
		done, missing, err := s.readKeptColumns(ctx, rc, cols, progress)
		if err != nil {
			return nil, err
		}
		start = time.Now()
		if len(missing) == 0 && done > 0 {
			return s.finishRecompute(rc, cols, eng, done, done, start, progress), nil
		}
		// Some villages to decode: count them (through the index) and add
		// them, unless they are many, when the round is read whole below.
		if len(missing) > 0 && 4*len(missing) < len(rc.have)+len(missing) {
			counts, err := s.householdsOfVillages(ctx, round, missing)
			if err != nil {
				return nil, err
			}
			n := 0
			for _, v := range missing {
				n += counts[v]
			}
			start = rc.phase("count villages to decode", start)
			if err := s.rebuildColumns(ctx, rc, cols, counts, missing, false, func(k int) { progress(done+k, done+n) }); err != nil {
				return nil, err
			}
			return s.finishRecompute(rc, cols, eng, done+n, done+n, start, progress), nil
		}
		cols = engine.NewColumns(eng.Set())
		rc.have, rc.stale = map[string]bool{}, nil
	}
	counts, total, err := s.householdsByVillage(ctx, round)
	if err != nil {
		return nil, err
	}
	progress(0, total)
	start = rc.phase("count", start)
	done := 0
	if !all {
		if done, err = s.readColumns(ctx, rc, cols, counts, func(n int) { progress(n, total) }, nil); err != nil {
			return nil, err
		}
	}
	start = rc.phase("read columns", start)
	var missing []string
	for v := range counts {
		if !rc.have[v] {
			missing = append(missing, v)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		if err := s.rebuildColumns(ctx, rc, cols, counts, missing, 4*len(missing) >= len(counts), func(n int) { progress(done+n, total) }); err != nil {
			return nil, err
		}
	}
	return s.finishRecompute(rc, cols, eng, total, total, start, progress), nil
}

// finishRecompute judges cols into rc: households is the number of stored
// households read, total what progress was counting to.
func (s *Store) finishRecompute(rc *Recomputed, cols *engine.Columns, eng *engine.Engine, households, total int, start time.Time, progress func(done, total int)) *Recomputed {
	if rc.Decoded > 0 {
		start = rc.phase("decode households", start)
	}
	progress(total, total)
	rc.Households = households
	rc.Totals = engine.RollUp(eng.RecomputeColumns(cols, 0), eng.NewTotals)
	rc.phase("judge", start)
	return rc
}

// readKeptColumns adds to cols every kept village row whose layout is the
// set's and whose complete households are as many as its village's stored
// statistics count (a village written to since has lost its row anyway;
// this also catches a household moved out of it). It returns the stored
// households those rows were built from (drafts too) and the villages
// whose statistics count households but which have no such row, sorted.
// Progress counts to the households the kept rows were built from.
// A village holding only drafts has no figures: without a row it is left
// out, as judging it would give nothing.
func (s *Store) readKeptColumns(ctx context.Context, rc *Recomputed, cols *engine.Columns, progress func(done, total int)) (int, []string, error) {
	start := time.Now()
	judged := map[string]int{}
	rows, err := s.read.QueryContext(ctx, "SELECT area_code, households FROM area_stats WHERE round_id = $1", rc.Round)
	if err != nil {
		return 0, nil, fmt.Errorf("recompute %s: %w", rc.Round, mapErr(err))
	}
	for rows.Next() {
		var code string
		var n int
		if err := rows.Scan(&code, &n); err != nil {
			rows.Close()
			return 0, nil, mapErr(err)
		}
		if len(code) == 8 && n > 0 {
			judged[code] = n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, nil, mapErr(err)
	}
	var total int
	if err := s.read.QueryRowContext(ctx, "SELECT COALESCE(sum(households), 0) FROM household_columns WHERE round_id = $1", rc.Round).Scan(&total); err != nil {
		return 0, nil, mapErr(err)
	}
	progress(0, total)
	start = rc.phase("count", start)
	done, err := s.readColumns(ctx, rc, cols, nil, func(n int) { progress(min(n, total), total) }, func(v string, b *engine.Batch) bool {
		return b.Len() == judged[v]
	})
	if err != nil {
		return 0, nil, err
	}
	rc.phase("read columns", start)
	var missing []string
	for v := range judged {
		if !rc.have[v] {
			missing = append(missing, v)
		}
	}
	sort.Strings(missing)
	return done, missing, nil
}

// householdsOfVillages counts the stored households of some villages of a
// round, through the village index.
func (s *Store) householdsOfVillages(ctx context.Context, round string, villages []string) (map[string]int, error) {
	out := make(map[string]int, len(villages))
	err := chunks(villages, 500, func(part []string) error {
		rows, err := s.read.QueryContext(ctx, "SELECT village_code, count(*) FROM households WHERE "+s.dialect.inList("village_code", len(part))+" GROUP BY village_code",
			s.dialect.oneOff(strArgs([]any{round}, part))...)
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
			out[v] = n
		}
		return mapErr(rows.Err())
	})
	if err != nil {
		return nil, fmt.Errorf("recompute %s: %w", round, err)
	}
	return out, nil
}

// householdsByVillage counts the round's stored households by village.
func (s *Store) householdsByVillage(ctx context.Context, round string) (map[string]int, int, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT village_code, count(*) FROM households WHERE round_id = $1 GROUP BY village_code", round)
	if err != nil {
		return nil, 0, fmt.Errorf("recompute %s: %w", round, mapErr(err))
	}
	defer rows.Close()
	out, total := map[string]int{}, 0
	for rows.Next() {
		var v string
		var n int
		if err := rows.Scan(&v, &n); err != nil {
			return nil, 0, mapErr(err)
		}
		out[v] = n
		total += n
	}
	return out, total, mapErr(rows.Err())
}

// readColumns adds to cols every stored village batch that still matches
// its village (same layout; as many stored households as counts says, when
// counts is given; accepted by accept, when given), decoding on every core,
// and returns the stored households they hold; the others are marked stale.
func (s *Store) readColumns(ctx context.Context, rc *Recomputed, cols *engine.Columns, counts map[string]int, progress func(int),
	accept func(village string, b *engine.Batch) bool) (int, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT village_code, layout, households, data FROM household_columns WHERE round_id = $1", rc.Round)
	if err != nil {
		return 0, fmt.Errorf("recompute %s: %w", rc.Round, mapErr(err))
	}
	defer rows.Close()
	type job struct {
		village string
		n       int
		data    []byte
	}
	type result struct {
		village string
		n       int
		b       *engine.Batch // nil: the row does not hold its village
	}
	jobs := make(chan job, 64)
	results := make(chan result, 64)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				// A row that does not read back is rebuilt like a stale one.
				b, err := cols.DecodeBatch(j.village, j.data)
				if err != nil || accept != nil && !accept(j.village, b) {
					b = nil
				}
				results <- result{j.village, j.n, b}
			}
		}()
	}
	var added sync.WaitGroup
	added.Add(1)
	var addErr error
	var rejected []string
	done := 0
	go func() {
		defer added.Done()
		for r := range results {
			if r.b == nil {
				rejected = append(rejected, r.village)
				continue
			}
			rc.have[r.village] = true
			done += r.n
			if err := cols.AddBatch(r.b); err != nil && addErr == nil {
				addErr = err
			}
		}
	}()
	read := 0
	var scanErr error
	for rows.Next() {
		var j job
		var layout string
		if scanErr = rows.Scan(&j.village, &layout, &j.n, &j.data); scanErr != nil {
			break
		}
		if layout != rc.layout || counts != nil && counts[j.village] != j.n {
			rc.stale = append(rc.stale, j.village)
			continue
		}
		jobs <- j
		read += j.n
		progress(read)
	}
	close(jobs)
	wg.Wait()
	close(results)
	added.Wait()
	rc.stale = append(rc.stale, rejected...)
	if scanErr == nil {
		scanErr = rows.Err()
	}
	if scanErr != nil {
		return 0, fmt.Errorf("recompute %s: %w", rc.Round, mapErr(scanErr))
	}
	if addErr != nil {
		return 0, addErr
	}
	return done, nil
}

// rebuildColumns decodes the stored households of the villages listed
// (sorted), on every core, adds their batches to cols and keeps them to be
// stored. With whole the round is read in one pass (for many villages);
// otherwise village by village through the index.
func (s *Store) rebuildColumns(ctx context.Context, rc *Recomputed, cols *engine.Columns, counts map[string]int, villages []string, whole bool, progress func(int)) error {
	workers := runtime.GOMAXPROCS(0)
	parts := make([]*engine.Columns, workers)
	in := make([]chan [][]byte, workers)
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		parts[w] = engine.NewColumns(cols.Set())
		in[w] = make(chan [][]byte, 4)
		wg.Add(1)
		go func() {
			defer wg.Done()
			h := new(survey.Household)
			for batch := range in[w] {
				for _, data := range batch {
					if errs[w] != nil {
						continue
					}
					*h = survey.Household{}
					if err := decodeHousehold(data, h); err != nil {
						errs[w] = fmt.Errorf("recompute %s: a stored household: %w", rc.Round, err)
						continue
					}
					parts[w].Append(h)
				}
			}
		}()
	}
	// Each village goes to one worker, so each worker's columns hold whole
	// villages. Each reader of the round keeps its own pending batches.
	seed := maphash.MakeSeed()
	want := make(map[string]bool, len(villages))
	for _, v := range villages {
		want[v] = true
	}
	var read atomic.Int64
	var progressMu sync.Mutex
	reader := func() (each func(village string, data []byte), end func()) {
		pending := make([][][]byte, workers)
		send := func(w int) {
			in[w] <- pending[w]
			pending[w] = nil
		}
		each = func(village string, data []byte) {
			w := int(maphash.String(seed, village) % uint64(workers))
			pending[w] = append(pending[w], data)
			if len(pending[w]) == 256 {
				send(w)
			}
			if n := read.Add(1); n%1000 == 0 {
				progressMu.Lock()
				progress(int(n))
				progressMu.Unlock()
			}
		}
		end = func() {
			for w := range workers {
				if len(pending[w]) > 0 {
					send(w)
				}
			}
		}
		return each, end
	}
	var err error
	if whole {
		err = s.scanRound(ctx, rc.Round, counts, want, reader)
	} else {
		each, end := reader()
		for _, v := range villages {
			if err = s.scanHouseholds(ctx, rc.Round, v, v, func(v string, data []byte) { each(v, data) }); err != nil {
				break
			}
		}
		end()
	}
	for w := range workers {
		close(in[w])
	}
	wg.Wait()
	if err != nil {
		return fmt.Errorf("recompute %s: %w", rc.Round, mapErr(err))
	}
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	rc.Decoded = int(read.Load())
	built := map[string]bool{}
	for _, p := range parts {
		for _, b := range p.Batches() {
			built[b.Village()] = true
			rc.fresh = append(rc.fresh, villageColumns{village: b.Village(), households: counts[b.Village()], data: b.AppendBinary(nil)})
			if err := cols.AddBatch(b); err != nil {
				return err
			}
		}
	}
	// A village of drafts only has an empty batch: a recompute from the
	// households gives it zero figures, not none.
	for _, v := range villages {
		if !built[v] {
			data := cols.EmptyBatch()
			b, err := cols.DecodeBatch(v, data)
			if err != nil {
				return err
			}
			rc.fresh = append(rc.fresh, villageColumns{village: v, households: counts[v], data: data})
			if err := cols.AddBatch(b); err != nil {
				return err
			}
		}
	}
	return nil
}

// scanHouseholds calls fn with the village and stored form of each of a
// round's households whose village code lies between lo and hi (one
// village: lo = hi; lo "": all of them). data is the caller's to keep.
func (s *Store) scanHouseholds(ctx context.Context, round, lo, hi string, fn func(village string, data []byte)) error {
	q, args := "SELECT village_code, data FROM households WHERE round_id = $1", []any{round}
	switch {
	case lo != "" && lo == hi:
		q, args = q+" AND village_code = $2", append(args, lo)
	case lo != "":
		q, args = q+" AND village_code BETWEEN $2 AND $3", append(args, lo, hi)
	}
	return s.eachVillageData(ctx, q, args, fn)
}

// recomputeStreams is how many readers a recompute streams a round's
// households with, each reading whole provinces (or, in a round of fewer
// provinces than readers, whole amphoes), so that on PostgreSQL several
// server processes read and send rows at once while the decoding workers
// take them. The default is one: on a machine whose cores the database
// shares with tambon, four readers were no faster than one on either store
// (docs/BENCHMARKS.md, National scale on PostgreSQL); tambon recompute
// --readers asks for more where the database has cores of its own.
func (s *Store) recomputeStreams() int {
	return max(s.streams, 1)
}

// SetRecomputeStreams sets how many readers a recompute from the stored
// households uses (0: the store's default), for measuring one against
// many; the figures are the same whatever it is (TestRecomputeStreamsAgree).
func (s *Store) SetRecomputeStreams(n int) { s.streams = n }

// scanRound streams the households of a whole round whose villages are in
// want to readers made by reader, one region (a province, or an amphoe) at
// a time per reader, recomputeStreams readers at once. A region is read by
// the households' keys, which begin with their province's code: on
// PostgreSQL a reader then reads its province's partition of households
// and no other (partitions.go), and the regions' key ranges meet end to
// end, so every household is read once, whatever its key.
func (s *Store) scanRound(ctx context.Context, round string, counts map[string]int, want map[string]bool,
	reader func() (func(string, []byte), func())) error {
	streams := s.recomputeStreams()
	if streams <= 1 {
		each, end := reader()
		defer end()
		return s.scanHouseholds(ctx, round, "", "", func(v string, data []byte) {
			if want[v] {
				each(v, data)
			}
		})
	}
	regions := regionsOf(counts, 2)
	if len(regions) < streams {
		regions = regionsOf(counts, 4)
	}
	bounds := keyBounds(regions)
	next := make(chan string, len(regions))
	for _, r := range regions {
		next <- r
	}
	close(next)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make(chan error, streams)
	for range min(streams, len(regions)) {
		go func() {
			each, end := reader()
			var err error
			for r := range next {
				b := bounds[r]
				if err = s.scanKeys(ctx, round, b[0], b[1], func(v string, data []byte) {
					if want[v] {
						each(v, data)
					}
				}); err != nil {
					cancel()
					break
				}
			}
			end() // before saying it is done: the caller then closes the workers' queues
			errs <- err
		}()
	}
	var first error
	for range min(streams, len(regions)) {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// keyBounds gives each region the keys from its own code to the next
// region's code, the first from the lowest key and the last to the
// highest, so that the ranges cover every key once ("" is no bound).
func keyBounds(regions []string) map[string][2]string {
	sorted := slices.Clone(regions)
	slices.Sort(sorted)
	out := make(map[string][2]string, len(sorted))
	for i, r := range sorted {
		var b [2]string
		if i > 0 {
			b[0] = r
		}
		if i < len(sorted)-1 {
			b[1] = sorted[i+1]
		}
		out[r] = b
	}
	return out
}

// scanKeys calls fn with the village and stored form of each of a round's
// households whose key is at least lo and below hi ("" is no bound).
func (s *Store) scanKeys(ctx context.Context, round, lo, hi string, fn func(village string, data []byte)) error {
	q, args := "SELECT village_code, data FROM households WHERE round_id = $1", []any{round}
	if lo != "" {
		args = append(args, lo)
		q += fmt.Sprintf(" AND hh_key >= $%d", len(args))
	}
	if hi != "" {
		args = append(args, hi)
		q += fmt.Sprintf(" AND hh_key < $%d", len(args))
	}
	return s.eachVillageData(ctx, q, args, fn)
}

// eachVillageData runs q, which selects village_code and data, and calls fn
// with each row: the one reading loop of scanHouseholds and scanKeys.
func (s *Store) eachVillageData(ctx context.Context, q string, args []any, fn func(village string, data []byte)) error {
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var v string
		var data []byte
		if err := rows.Scan(&v, &data); err != nil {
			return err
		}
		fn(v, data)
	}
	return rows.Err()
}

// regionsOf lists the distinct n-digit prefixes of the villages in counts,
// largest first, so the biggest regions start first.
func regionsOf(counts map[string]int, n int) []string {
	size := map[string]int{}
	for v, c := range counts {
		size[v[:min(n, len(v))]] += c
	}
	out := make([]string, 0, len(size))
	for r := range size {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		if size[out[i]] != size[out[j]] {
			return size[out[i]] > size[out[j]]
		}
		return out[i] < out[j]
	})
	return out
}

// RepinRecomputed moves a household round from one set version to another
// and replaces its statistics with rc's, in one transaction: pages show the
// old figures until it commits, then the new. The villages' columns rebuilt
// by the recompute are stored with them. It refuses (Conflict) when the
// round is no longer on version from, or when anything was written since
// the recompute began (read again and retry).
func (s *Store) RepinRecomputed(ctx context.Context, rc *Recomputed, from, to int) error {
	start := time.Now()
	n := len(rc.Phases)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		rc.Phases = rc.Phases[:n] // a retried transaction times itself again
		if err := s.holdPin(ctx, tx, rc.Round); err != nil {
			return err
		}
		if err := checkRepin(ctx, tx, rc.Round, from, rc.gen); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE rounds SET set_version = $1 WHERE id = $2", to, rc.Round); err != nil {
			return mapErr(err)
		}
		if err := s.replaceTotalsBulk(ctx, tx, rc.Round, rc.Totals); err != nil {
			return err
		}
		at := rc.phase("write figures", start)
		if err := s.storeColumns(ctx, tx, rc); err != nil {
			return err
		}
		if err := bumpGeneration(ctx, tx); err != nil {
			return err
		}
		start = rc.phase("write columns", at)
		return nil
	})
	if err == nil {
		rc.phase("commit", start)
	}
	return err
}

// checkRepin refuses a repin when the round moved off version from or
// anything was written since generation gen was read.
func checkRepin(ctx context.Context, tx *sql.Tx, round string, from int, gen int64) error {
	var v int
	if err := tx.QueryRowContext(ctx, "SELECT set_version FROM rounds WHERE id = $1", round).Scan(&v); err != nil {
		return mapErr(err)
	}
	now, err := countryGeneration(ctx, tx)
	if err != nil {
		return err
	}
	if v != from || now != gen {
		return apperr.New(apperr.Conflict, apperr.Tf("รอบ %s เปลี่ยนไประหว่างคำนวณใหม่: โปรดสั่งอีกครั้ง", "the round %s changed during the recompute: run it again", round))
	}
	return nil
}

// replaceTotalsBulk replaces every statistics row of a round inside tx, many
// rows a statement: a national round has about 84,000 areas.
func (s *Store) replaceTotalsBulk(ctx context.Context, tx *sql.Tx, round string, all map[string]*engine.Totals) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM area_stats WHERE round_id = $1", round); err != nil {
		return mapErr(err)
	}
	codes := storedCodes(all)
	ins := newBulkInsert(ctx, tx, s.dialect, "INSERT INTO area_stats (round_id, area_code, households, people, net_income, indicators, poverty) VALUES ", 7, 500)
	defer ins.close()
	for _, c := range codes {
		t := all[c]
		pov, err := encodePoverty(t)
		if err != nil {
			return err
		}
		if err := ins.add(round, c, t.Households, t.People, t.NetIncome, encodeIndicators(t), pov); err != nil {
			return mapErr(err)
		}
	}
	return mapErr(ins.flush())
}

// storeColumns stores the villages' columns a recompute rebuilt and drops
// the stale ones.
func (s *Store) storeColumns(ctx context.Context, tx *sql.Tx, rc *Recomputed) error {
	if rc.all {
		if _, err := tx.ExecContext(ctx, "DELETE FROM household_columns WHERE round_id = $1", rc.Round); err != nil {
			return mapErr(err)
		}
	} else {
		gone := append([]string(nil), rc.stale...)
		for _, f := range rc.fresh {
			gone = append(gone, f.village)
		}
		if err := forgetColumns(ctx, tx, s.dialect, rc.Round, gone); err != nil {
			return err
		}
	}
	ins := newBulkInsert(ctx, tx, s.dialect, "INSERT INTO household_columns (round_id, village_code, layout, households, data) VALUES ", 5, 100)
	defer ins.close()
	for _, f := range rc.fresh {
		if err := ins.add(rc.Round, f.village, rc.layout, f.households, f.data); err != nil {
			return mapErr(err)
		}
	}
	return mapErr(ins.flush())
}

// forgetColumns drops the stored columns of villages of a round: every
// household write calls it for the villages it wrote to, in its
// transaction, so household_columns never holds a village's old households.
// (A household moved to another village also changes its old village's
// count of households, which makes that village's row stale.)
func forgetColumns(ctx context.Context, tx querier, d dialect, round string, villages []string) error {
	return chunks(villages, 500, func(part []string) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM household_columns WHERE "+d.inList("village_code", len(part)), d.oneOff(strArgs([]any{round}, part))...)
		return mapErr(err)
	})
}

// forgetVillageColumns is forgetColumns for one village.
func forgetVillageColumns(ctx context.Context, tx querier, round, village string) error {
	_, err := tx.ExecContext(ctx, "DELETE FROM household_columns WHERE round_id = $1 AND village_code = $2", round, village)
	return mapErr(err)
}

// villagesOf lists the distinct villages of the households hs[i], i in idx.
func villagesOf(hs []*survey.Household, idx []int) []string {
	seen := map[string]bool{}
	var out []string
	for _, i := range idx {
		if v := hs[i].VillageCode; !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}
