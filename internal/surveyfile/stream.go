package surveyfile

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/indicator"
	"tambon/internal/survey"
	"tambon/internal/tabular"
	"tambon/internal/thai"
)

// Summary is what Stream found. Unlike Result it holds no households: they
// were handed to the caller one at a time.
type Summary struct {
	// Total is the number of households in the file, valid or not; Valid
	// and Invalid split it.
	Total, Valid, Invalid int
	// Problems, Warnings and More are as in Result.
	Problems apperr.Problems
	Warnings []apperr.Problem
	More     int
	// MaxHeld is the most households held in memory at once while
	// reading: open (their first row read, their last not yet) or waiting
	// to be validated. For a file whose households' rows are together it
	// stays below a few hundred whatever the size of the file.
	MaxHeld int
}

// validateBatch is how many complete households Stream validates at once,
// on every core, before handing them on.
const validateBatch = 256

// Stream reads a household file in two passes, so that memory does not grow
// with the file: households are held only from their first row to their
// last, then validated and handed to valid, one at a time, in the order
// their last rows appear.
//
// The first pass reads only the grouping columns and the citizen IDs: it
// notes which household each row belongs to (four bytes a row), where each
// household ends, and which citizen IDs two households share. The second
// pass reads every cell exactly as Read does, with the same problems; a
// household's rows may be anywhere in the file, at the cost of holding it
// from its first row to its last.
//
// open(pass) must return a Reader over the same file for pass 1 and 2
// (opened with Options.Expect = Columns(set); for pass 2 it may set
// Options.Checked, which saves re-reading a workbook for checks the first
// pass made); Stream closes it. The warnings are the first pass's. valid is called for
// each valid household with the number of problems found so far (a caller
// that writes all or nothing can stop writing at the first); h is the
// caller's to keep. An error from valid stops the reading and is returned.
// Everything else is as Read: an error only when the file cannot be read,
// what is wrong with the data in Summary.Problems.
func Stream(open func(pass int) (*tabular.Reader, error), set *indicator.Set, round survey.Round, opts ReadOptions,
	valid func(h *survey.Household, problems int) error) (*Summary, error) {
	r, err := open(1)
	if err != nil {
		return nil, err
	}
	warnings := r.Warnings()
	p, err := scan(r, opts)
	r.Close()
	if err != nil {
		return nil, err
	}
	if opts.Planned != nil {
		opts.Planned(len(p.last))
	}
	r, err = open(2)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	rd := newReader(r, set, round, opts)
	rd.res.Warnings = ownWarnings(warnings)
	rd.plan = p
	rd.stream = &streamState{open: map[int32]*household{}, emit: valid, ref: round.ReferenceDate()}
	n := 0
	for r.Next() {
		if rd.dataRow >= len(p.rowHH) {
			return nil, fmt.Errorf("read households: the file changed between its two readings")
		}
		rd.row(r.Row())
		if err := rd.stream.err; err != nil {
			return nil, err
		}
		if n++; opts.Progress != nil && n%1000 == 0 {
			opts.Progress(n)
		}
	}
	if err := r.Err(); err != nil {
		return nil, fmt.Errorf("read households: %w", err)
	}
	if rd.flush(); rd.stream.err != nil {
		return nil, rd.stream.err
	}
	if rd.dataRow != len(p.rowHH) || len(rd.stream.open) > 0 {
		return nil, fmt.Errorf("read households: the file changed between its two readings")
	}
	st := rd.stream
	return &Summary{Total: len(p.last), Valid: st.nValid, Invalid: st.nInvalid, Problems: withMore(rd.res.Problems, rd.res.More),
		Warnings: rd.res.Warnings, More: rd.res.More, MaxHeld: st.maxHeld}, nil
}

// plan is what the first pass learns.
type plan struct {
	rowHH []int32               // the household of each data row, in reading order; -1 for none
	last  []int32               // each household's last data row
	dups  map[int][]apperr.Text // by row number: the citizen ID there is another household's too
}

// streamState is the second pass's bookkeeping.
type streamState struct {
	open             map[int32]*household
	done             []*household // complete, waiting to be validated
	emit             func(h *survey.Household, problems int) error
	ref              time.Time
	held, maxHeld    int
	nValid, nInvalid int
	err              error
}

// opened notes a household whose first row has been read.
func (rd *reader) opened(ord int32, hh *household) {
	st := rd.stream
	st.open[ord] = hh
	st.held++
	st.maxHeld = max(st.maxHeld, st.held)
}

// complete takes a household whose last row has been read to be validated.
func (rd *reader) complete(ord int32, hh *household) {
	st := rd.stream
	delete(st.open, ord)
	st.done = append(st.done, hh)
	if len(st.done) == validateBatch {
		rd.flush()
	}
}

// flush validates the complete households, reports their problems and
// hands on the valid ones.
func (rd *reader) flush() {
	st := rd.stream
	found := rd.validateAll(st.done, st.ref)
	for i, hh := range st.done {
		for _, p := range found[i] {
			rd.problem(hh, rd.locate(hh, p))
		}
		if hh.bad {
			st.nInvalid++
		} else if st.err == nil {
			st.nValid++
			st.err = st.emit(hh.h, len(rd.res.Problems)+rd.res.More)
		}
	}
	st.held -= len(st.done)
	clear(st.done)
	st.done = st.done[:0]
}

// idAt is one citizen ID met by the first pass.
type idAt struct {
	id  uint64
	row int32 // row number
	hh  int32
}

// scan is the first pass: it groups rows into households exactly as the
// second pass (and Read) would, from the key columns alone, and finds the
// citizen IDs two households share.
func scan(r *tabular.Reader, opts ReadOptions) (*plan, error) {
	at := func(key string) int {
		if i, ok := r.Index(key); ok {
			return i
		}
		return -1
	}
	atVillage, atHouseCode, atHouseNo, atID := at("village_code"), at("house_code"), at("house_no"), at("citizen_id")
	p := &plan{dups: map[int][]apperr.Text{}}
	byKey := map[string]int32{}
	byAddr := map[string]int32{} // households with a house code, by village code and house number
	prev := int32(-1)
	var ids []idAt
	n := 0
	for r.Next() {
		row := r.Row()
		vc, hc, hn := row.At(atVillage), row.At(atHouseCode), row.At(atHouseNo)
		ord := prev // a continuation row, or none before any household
		if vc != "" || hc != "" || hn != "" {
			key, addr := householdKey(vc, hc, hn), householdKey(vc, "", hn)
			o, ok := byKey[key]
			if !ok && hn != "" {
				if hc == "" {
					o, ok = byAddr[addr]
				} else {
					o, ok = byKey[addr]
				}
			}
			if !ok {
				o = int32(len(p.last))
				p.last = append(p.last, 0)
				byKey[key] = o
				if _, taken := byAddr[addr]; !taken && hc != "" {
					byAddr[addr] = o
				}
			}
			ord, prev = o, o
		}
		if ord >= 0 {
			p.last[ord] = int32(len(p.rowHH))
			if s := row.At(atID); s != "" {
				if id, err := thai.NormalizeCitizenID(s); err == nil {
					if v, err := strconv.ParseUint(id, 10, 64); err == nil {
						ids = append(ids, idAt{id: v, row: int32(row.Num), hh: ord})
					}
				}
			}
		}
		p.rowHH = append(p.rowHH, ord)
		if n++; opts.Progress != nil && n%1000 == 0 {
			opts.Progress(n)
		}
	}
	if err := r.Err(); err != nil {
		return nil, fmt.Errorf("read households: %w", err)
	}
	p.findDups(ids, byKey)
	return p, nil
}

// findDups notes, on both rows, every citizen ID that a household shares
// with the household that first has it, as Read's citizenID does.
func (p *plan) findDups(ids []idAt, byKey map[string]int32) {
	slices.SortFunc(ids, func(a, b idAt) int {
		return cmp.Or(cmp.Compare(a.id, b.id), cmp.Compare(a.row, b.row))
	})
	type pair struct{ first, later idAt }
	var pairs []pair
	need := map[int32]string{}
	for i := 0; i < len(ids); {
		j := i + 1
		for j < len(ids) && ids[j].id == ids[i].id {
			if ids[j].hh != ids[i].hh {
				pairs = append(pairs, pair{ids[i], ids[j]})
				need[ids[i].hh], need[ids[j].hh] = "", ""
			}
			j++
		}
		i = j
	}
	if len(pairs) == 0 {
		return
	}
	for key, o := range byKey {
		if _, ok := need[o]; ok {
			need[o] = key
		}
	}
	for _, pr := range pairs {
		p.dups[int(pr.later.row)] = append(p.dups[int(pr.later.row)], dupReason(int(pr.first.row), need[pr.first.hh]))
		p.dups[int(pr.first.row)] = append(p.dups[int(pr.first.row)], dupReason(int(pr.later.row), need[pr.later.hh]))
	}
}

func dupReason(row int, key string) apperr.Text {
	return apperr.Tf(
		"เลขประจำตัวประชาชนซ้ำกับแถวที่ %[1]d (ครัวเรือน %[2]s) — คนหนึ่งคนต้องอยู่ในครัวเรือนเดียวในรอบการสำรวจ",
		"the citizen ID repeats row %[1]d (household %[2]s); a person belongs to one household in a round",
		row, key)
}
