package store

import (
	"context"
	"database/sql"
	"hash/fnv"

	"github.com/jackc/pgx/v5"

	"tambon/internal/apperr"
	"tambon/internal/engine"
)

// A round's statistics are computed with the set version it is pinned to. A
// household write computes its change with the engine its caller built; a
// repin (a threshold change, a new set version) replaces every figure of
// the round computed with another. The two must not cross: a write that
// commits between a repin's check and its commit would be left out of the
// new figures, and a write computed with the old version after the repin
// commits would add the old version's counts to the new figures.
//
// So a household write holds the round's pin shared and checks, once it
// holds it, that its engine's set is the one the round is pinned to; a
// repin holds the pin alone before it checks that nothing was written since
// it began. On PostgreSQL the pin is a transaction-scoped advisory lock
// (shared locks never wait for each other, so writers in different
// provinces still do not queue); SQLite has one writer at a time anyway.

// pinKey is the advisory lock key of a round's pin.
func pinKey(round string) int64 {
	h := fnv.New64a()
	h.Write([]byte("round-pin:" + round))
	return int64(h.Sum64())
}

// beginRoundWrite starts a household write into round inside tx: the round
// must hold households (requireHouseholdRound), its pin is held shared until
// tx ends (PostgreSQL), and eng's set must be the one the round is pinned to
// once the pin is held (checked by the statement after the one that takes
// it: a statement sees what committed before it began). It reports whether
// the round holds households already. Two statements, not four: when
// writers queue for the cores every round trip waits its turn.
func (s *Store) beginRoundWrite(ctx context.Context, tx *sql.Tx, pipe *pipeline, eng *engine.Engine, round string) (stored bool, err error) {
	if pipe != nil {
		return beginRoundWritePiped(s.dialect, pipe, eng, round)
	}
	if s.dialect.name == "postgres" {
		var agg bool
		err := tx.QueryRowContext(ctx, pinQuery, round, pinKey(round)).Scan(&agg, new(string))
		if err := householdRoundErr(round, agg, err); err != nil {
			return false, err
		}
	} else if err := requireHouseholdRound(ctx, tx, round); err != nil {
		return false, err
	}
	var digest string
	err = tx.QueryRowContext(ctx, pinnedQuery, round).Scan(&digest, &stored)
	if err != nil {
		return false, mapErr(err)
	}
	return stored, pinnedTo(eng, round, digest)
}

// pinQuery takes a round's pin shared (PostgreSQL) and reads whether the
// round holds only aggregates; pinnedQuery reads the digest of the set the
// round is pinned to and whether it holds households.
const (
	pinQuery    = "SELECT aggregate_only, pg_advisory_xact_lock_shared($2)::text FROM rounds WHERE id = $1"
	pinnedQuery = `SELECT COALESCE(x.digest, ''), EXISTS (SELECT 1 FROM households WHERE round_id = $1) FROM rounds r
		LEFT JOIN indicator_sets x ON x.kind = r.kind AND x.id = r.set_id AND x.version = r.set_version
		WHERE r.id = $1`
)

// beginRoundWritePiped is beginRoundWrite's two statements in one round
// trip, with the write's reads ahead (pipeline.queueReadAhead): each
// statement still begins once the one before it, the pin first, is done.
func beginRoundWritePiped(d dialect, pipe *pipeline, eng *engine.Engine, round string) (stored bool, err error) {
	var agg, found, pinned bool
	var digest string
	pipe.query(pinQuery, []any{round, pinKey(round)}, func(row pgx.Rows) error {
		found = true
		return row.Scan(&agg, new(string))
	})
	pipe.query(pinnedQuery, []any{round}, func(row pgx.Rows) error {
		pinned = true
		return row.Scan(&digest, &stored)
	})
	pipe.queueReadAhead(d, round)
	if err := pipe.run(); err != nil {
		return false, err
	}
	var none error
	if !found {
		none = sql.ErrNoRows
	}
	if err := householdRoundErr(round, agg, none); err != nil {
		return false, err
	}
	if !pinned {
		return false, mapErr(sql.ErrNoRows)
	}
	return stored, pinnedTo(eng, round, digest)
}

// holdPin takes round's pin alone until tx ends (PostgreSQL only): it waits
// for the household writes in flight to commit.
func (s *Store) holdPin(ctx context.Context, tx *sql.Tx, round string) error {
	if s.dialect.name != "postgres" {
		return nil
	}
	_, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", pinKey(round))
	return mapErr(err)
}

// pinnedTo refuses a write computed with a set other than the one round is
// pinned to now, digest (Conflict: the caller reads the round again and
// retries). A round whose version is not stored (built by hand, digest
// empty) is not checked, nor a write without an engine.
func pinnedTo(eng *engine.Engine, round, digest string) error {
	if eng != nil && digest != "" && digest != eng.Set().Digest() {
		return apperr.New(apperr.Conflict, apperr.Tf(
			"ชุดตัวชี้วัดของรอบ %s เพิ่งถูกเปลี่ยน (เช่น แก้เกณฑ์): โปรดบันทึกอีกครั้ง",
			"the indicator set of round %s has just changed (a threshold, say): save again", round))
	}
	return nil
}
