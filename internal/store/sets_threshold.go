package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/indicator"
)

// ThresholdChange is what setting a threshold did: the set version that now
// holds the value and the rounds that must move to it (recomputed one by one
// with RepinRound).
type ThresholdChange struct {
	Set     string
	Name    string
	Year    int
	Old     float64
	HadOld  bool
	New     float64
	Version int            // the version holding the new value
	Created bool           // whether Version was made now
	Rounds  map[string]int // round → the version it is pinned to now
}

// SetThreshold stores a new version of a จปฐ. set whose threshold name has
// value for a survey year, and lists the rounds to move to it: those pinned
// to a version that, with the same change, is the new version. Those are the
// rounds that used the set before; a round deliberately kept on an older,
// different version stays there. Setting a value the newest version already
// has stores nothing but still lists the rounds not moved yet, so an
// interrupted recompute is finished by giving the same command again.
func (s *Store) SetThreshold(ctx context.Context, id, name string, year int, value float64, by string) (ThresholdChange, error) {
	c := ThresholdChange{Set: id, Name: name, Year: year, New: value, Rounds: map[string]int{}}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		versions, err := setBodies(ctx, tx, id)
		if err != nil {
			return err
		}
		last := versions[len(versions)-1]
		if last.kind != SetKindHousehold {
			return apperr.New(apperr.Invalid, apperr.Tf("%s เป็นชุดตัวชี้วัด กชช. 2ค ซึ่งไม่มีเกณฑ์รายปี", "%s is a กชช. 2ค set, which has no yearly thresholds", id))
		}
		out, old, had, err := indicator.WithThreshold(last.body, name, year, value)
		if err != nil {
			return err
		}
		c.Old, c.HadOld, c.Version = old, had, last.version
		target := indicator.Digest(out)
		if target != indicator.Digest(last.body) {
			f, err := ParseSetFile(out)
			if err != nil {
				return err
			}
			c.Version, c.Created = last.version+1, true
			note := fmt.Sprintf("threshold %s %d: %s → %s", name, year, thresholdText(old, had), thresholdText(value, true))
			if err := insertSetVersion(ctx, tx, f, c.Version, note, by, formatTime(s.now())); err != nil {
				return err
			}
		}
		moving := map[int]bool{}
		for _, v := range versions {
			if v.version == c.Version {
				continue
			}
			o, _, _, err := indicator.WithThreshold(v.body, name, year, value)
			if err == nil && indicator.Digest(o) == target {
				moving[v.version] = true
			}
		}
		rows, err := tx.QueryContext(ctx, "SELECT id, set_version FROM rounds WHERE set_id = $1 AND aggregate_only = $2", id, false)
		if err != nil {
			return mapErr(err)
		}
		defer rows.Close()
		for rows.Next() {
			var r string
			var v int
			if err := rows.Scan(&r, &v); err != nil {
				return mapErr(err)
			}
			if moving[v] {
				c.Rounds[r] = v
			}
		}
		return rows.Err()
	})
	return c, err
}

func thresholdText(v float64, had bool) string {
	if !had {
		return "none"
	}
	return fmt.Sprint(v)
}

// RoundsToMove lists a change's rounds in order.
func (c ThresholdChange) RoundsToMove() []string {
	out := make([]string, 0, len(c.Rounds))
	for r := range c.Rounds {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

type setBody struct {
	kind    string
	version int
	body    []byte
}

// setBodies returns every version of a set, oldest first, or NotFound.
func setBodies(ctx context.Context, q querier, id string) ([]setBody, error) {
	rows, err := q.QueryContext(ctx, "SELECT kind, version, body FROM indicator_sets WHERE id = $1 ORDER BY version", id)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rows.Close()
	var out []setBody
	for rows.Next() {
		var b setBody
		var body string
		if err := rows.Scan(&b.kind, &b.version, &body); err != nil {
			return nil, mapErr(err)
		}
		b.body = []byte(body)
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, mapErr(err)
	}
	if len(out) == 0 {
		return nil, apperr.New(apperr.NotFound, apperr.Tf("ไม่มีชุดตัวชี้วัด %s (ดูรายการด้วย tambon sets list)",
			"there is no indicator set %s (list them with tambon sets list)", id))
	}
	return out, nil
}

// RepinRound moves a household round from one set version to another and
// replaces its statistics with all, computed under the new version from its
// stored households, in one transaction: pages show the old figures until it
// commits, then the new. It refuses (Conflict) when the round is no longer
// on version from, or when anything was written since generation gen was
// read (the statistics may then be stale; read again and retry).
func (s *Store) RepinRound(ctx context.Context, round string, from, to int, gen int64, all map[string]*engine.Totals) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.holdPin(ctx, tx, round); err != nil {
			return err
		}
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
		if _, err := tx.ExecContext(ctx, "UPDATE rounds SET set_version = $1 WHERE id = $2", to, round); err != nil {
			return mapErr(err)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM area_stats WHERE round_id = $1", round); err != nil {
			return mapErr(err)
		}
		for _, c := range storedCodes(all) {
			if err := s.putTotals(ctx, tx, round, c, all[c]); err != nil {
				return err
			}
		}
		return bumpGeneration(ctx, tx)
	})
}
