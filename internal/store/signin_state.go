package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"tambon/internal/signin"
)

// Security state shared by every server process on one database: sign-in
// attempt counts (SignInCounter), accepted Digest answers (FirstDigestAnswer)
// and the key that signs Digest nonces (SharedKey). With them, several
// `tambon serve` processes behind a load balancer give an attacker no more
// guesses, and a copied Digest answer no more uses, than one process does.

// SignInCounter is a signin.Counter kept in the database. Each Reserve is one
// transaction: PostgreSQL locks the keys' rows (in name order, so two
// attempts never wait on each other crosswise); SQLite has one writer.
// Rows whose lock is over and whose failures are forgotten are deleted at
// most once a minute per process.
type SignInCounter struct {
	s         *Store
	lastPrune atomic.Int64 // Unix ms of the latest prune
}

// SignInCounter returns the store's sign-in counter.
func (s *Store) SignInCounter() *SignInCounter { return &SignInCounter{s: s} }

// Reserve implements signin.Counter.
func (c *SignInCounter) Reserve(ctx context.Context, now time.Time, keys ...signin.Key) (time.Duration, error) {
	var wait time.Duration
	err := c.update(ctx, now, keys, func(keys []signin.Key, states []signin.State, live []bool) bool {
		for i, k := range keys {
			if live[i] {
				wait = max(wait, k.Rule.Wait(states[i], now))
			}
		}
		if wait > 0 {
			return false
		}
		for i := range keys {
			if !live[i] {
				states[i] = signin.State{}
			}
			states[i].N++
			states[i].Last = now
		}
		return true
	})
	if err != nil {
		return 0, err
	}
	c.prune(ctx, now)
	return wait, nil
}

// Undo implements signin.Counter.
func (c *SignInCounter) Undo(ctx context.Context, now time.Time, keys ...signin.Key) error {
	return c.update(ctx, now, keys, func(keys []signin.Key, states []signin.State, live []bool) bool {
		for i := range keys {
			if live[i] && states[i].N > 0 {
				states[i].N--
			}
		}
		return true
	})
}

// Reset implements signin.Counter.
func (c *SignInCounter) Reset(ctx context.Context, keys ...signin.Key) error {
	for _, k := range keys {
		if _, err := c.s.write.ExecContext(ctx, "DELETE FROM signin_counts WHERE name = $1", k.Name); err != nil {
			return mapErr(err)
		}
	}
	return nil
}

// update reads the keys' states as of now under a write lock, lets fn change
// them, and writes them back when fn says so — all in one transaction. fn
// gets the keys in the order their rows are locked (by name), each with its
// state and whether it is live (signin.Rule.Current).
func (c *SignInCounter) update(ctx context.Context, now time.Time, keys []signin.Key, fn func(keys []signin.Key, states []signin.State, live []bool) bool) error {
	keys = slices.Clone(keys)
	slices.SortFunc(keys, func(a, b signin.Key) int { return strings.Compare(a.Name, b.Name) })
	keys = slices.CompactFunc(keys, func(a, b signin.Key) bool { return a.Name == b.Name })
	if len(keys) == 0 {
		return nil
	}
	tx, err := c.s.write.BeginTx(ctx, nil)
	if err != nil {
		return mapErr(err)
	}
	defer tx.Rollback()
	names := make([]any, len(keys))
	for i, k := range keys {
		names[i] = k.Name
	}
	// Make every row exist, so that every one can be locked.
	vals := make([]string, len(keys))
	for i := range keys {
		vals[i] = "($" + strconv.Itoa(i+1) + ", 0, 0, 0)"
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO signin_counts (name, n, last_ms, expires_ms) VALUES "+
		strings.Join(vals, ", ")+" ON CONFLICT (name) DO NOTHING", names...); err != nil {
		return mapErr(err)
	}
	marks := make([]string, len(keys))
	for i := range keys {
		marks[i] = "$" + strconv.Itoa(i+1)
	}
	rows, err := tx.QueryContext(ctx, "SELECT name, n, last_ms FROM signin_counts WHERE name IN ("+
		strings.Join(marks, ", ")+") ORDER BY name"+c.s.dialect.forUpdate, names...)
	if err != nil {
		return mapErr(err)
	}
	stored := map[string]signin.State{}
	for rows.Next() {
		var name string
		var n int
		var last int64
		if err := rows.Scan(&name, &n, &last); err != nil {
			rows.Close()
			return mapErr(err)
		}
		stored[name] = signin.State{N: n, Last: time.UnixMilli(last)}
	}
	if err := rows.Close(); err != nil {
		return mapErr(err)
	}
	if err := rows.Err(); err != nil {
		return mapErr(err)
	}
	states, live := make([]signin.State, len(keys)), make([]bool, len(keys))
	for i, k := range keys {
		states[i], live[i] = k.Rule.Current(stored[k.Name], now)
	}
	if !fn(keys, states, live) {
		return nil // nothing changes; the rows made above go with the rollback
	}
	for i, k := range keys {
		st := states[i]
		if _, err := tx.ExecContext(ctx, "UPDATE signin_counts SET n = $1, last_ms = $2, expires_ms = $3 WHERE name = $4",
			st.N, st.Last.UnixMilli(), k.Rule.Expires(st).UnixMilli(), k.Name); err != nil {
			return mapErr(err)
		}
	}
	return mapErr(tx.Commit())
}

// prune deletes, at most once a minute, the counts and Digest answers that
// mean nothing any more. A failure is no reason to refuse a sign-in: the
// next prune tries again.
func (c *SignInCounter) prune(ctx context.Context, now time.Time) {
	ms := now.UnixMilli()
	last := c.lastPrune.Load()
	if ms-last < time.Minute.Milliseconds() && ms >= last || !c.lastPrune.CompareAndSwap(last, ms) {
		return
	}
	c.s.PruneSecurityState(ctx, now)
}

// PruneSecurityState deletes the sign-in counts and Digest answers that
// expired before now.
func (s *Store) PruneSecurityState(ctx context.Context, now time.Time) error {
	if _, err := s.write.ExecContext(ctx, "DELETE FROM signin_counts WHERE expires_ms < $1", now.UnixMilli()); err != nil {
		return mapErr(err)
	}
	_, err := s.write.ExecContext(ctx, "DELETE FROM digest_answers WHERE expires_ms < $1", now.UnixMilli())
	return mapErr(err)
}

// FirstDigestAnswer records an accepted Digest answer (its nonce, client
// nonce and nonce count, in one string) until it expires and reports whether
// no process had recorded it before. An expired record is replaced: its
// nonce is stale by then and refused before this is asked.
func (s *Store) FirstDigestAnswer(ctx context.Context, answer string, now, until time.Time) (bool, error) {
	key := sha256hex(answer)
	res, err := s.write.ExecContext(ctx, `INSERT INTO digest_answers (answer, expires_ms) VALUES ($1, $2)
		ON CONFLICT (answer) DO UPDATE SET expires_ms = excluded.expires_ms WHERE digest_answers.expires_ms < $3`,
		key, until.UnixMilli(), now.UnixMilli())
	if err != nil {
		return false, mapErr(err)
	}
	n, err := res.RowsAffected()
	return n == 1, mapErr(err)
}

// SharedKey returns the random key named name (32 bytes) that every process
// on this database shares, making it on first use. Digest nonces are signed
// with one, so a nonce one process gave out is good at every other.
func (s *Store) SharedKey(ctx context.Context, name string) ([]byte, error) {
	var b [32]byte
	rand.Read(b[:])
	if _, err := s.write.ExecContext(ctx, "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
		"key:"+name, hex.EncodeToString(b[:])); err != nil {
		return nil, mapErr(err)
	}
	var v string
	if err := s.write.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = $1", "key:"+name).Scan(&v); err != nil {
		return nil, mapErr(err)
	}
	return hex.DecodeString(v)
}

func sha256hex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

var _ signin.Counter = (*SignInCounter)(nil)
