package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// rowSink takes rows for one table inside a write transaction and writes
// them in batches: bulkInsert (multi-row INSERTs, both stores) or copyRows
// (PostgreSQL's COPY, for bulk imports).
type rowSink interface {
	add(vals ...any) error
	flush() error
	close()
}

// copyRows appends rows to one PostgreSQL table with COPY (binary format,
// through pgx on the transaction's own connection), a batch at a time.
// COPY sends rows as one stream with no statement per batch and no
// parameters to bind, which is what makes a PostgreSQL import as fast as
// SQLite's. It is part of the transaction: an error aborts it, and a
// rollback takes back every row copied.
type copyRows struct {
	ctx   context.Context
	conn  *sql.Conn
	table string
	cols  []string
	batch int
	rows  [][]any
	// settle waits for the COPYs the writer has in flight on conn (see
	// householdWriter.flushBehind): one connection runs one statement at
	// a time.
	settle func() error
}

func newCopyRows(ctx context.Context, conn *sql.Conn, table string, cols []string, batch int, settle func() error) *copyRows {
	return &copyRows{ctx: ctx, conn: conn, table: table, cols: cols, batch: batch, rows: make([][]any, 0, batch), settle: settle}
}

// add queues one row, writing the batch when it is full. vals is kept
// until then (a variadic call makes a new slice each time).
func (c *copyRows) add(vals ...any) error {
	c.rows = append(c.rows, vals)
	if len(c.rows) == c.batch {
		return c.flush()
	}
	return nil
}

// flush copies the rows still queued.
func (c *copyRows) flush() error {
	if len(c.rows) == 0 {
		return nil
	}
	if err := c.settle(); err != nil {
		return err
	}
	err := copyFrom(c.ctx, c.conn, c.table, c.cols, c.rows)
	clear(c.rows)
	c.rows = c.rows[:0]
	return err
}

func (c *copyRows) close() {}

// take hands over the rows queued, to be copied by copyFrom elsewhere, and
// starts a new queue.
func (c *copyRows) take() [][]any {
	rows := c.rows
	c.rows = make([][]any, 0, c.batch)
	return rows
}

// copyFrom runs one COPY of rows into table on conn, inside whatever
// transaction conn is in.
func copyFrom(ctx context.Context, conn *sql.Conn, table string, cols []string, rows [][]any) error {
	return conn.Raw(func(dc any) error {
		pc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("copy into %s: not a PostgreSQL connection (%T)", table, dc)
		}
		n, err := pc.Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
		if err != nil {
			return err
		}
		if int(n) != len(rows) {
			return fmt.Errorf("copy into %s: %d rows of %d written", table, n, len(rows))
		}
		return nil
	})
}

// sink returns the way rows go into table in this write: COPY when the
// write owns a PostgreSQL connection (a bulk import), multi-row INSERTs
// otherwise.
func (w *householdWriter) sink(table string, cols []string, batch int) rowSink {
	if w.conn != nil {
		return newCopyRows(w.ctx, w.conn, table, cols, max(batch, 5000), w.settle)
	}
	if w.pipe != nil {
		return pipedSink(w.pipe, table, cols)
	}
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	return newBulkInsert(w.ctx, w.tx, w.s.dialect, head, len(cols), batch)
}

// householdUpdate is one changed household: its new row and its history.
type householdUpdate struct {
	id                                       int64
	key, village, houseCode, houseNo, status string
	data                                     any
	version                                  int
	by, changes                              string
}

// updates applies changed households. On the row path each is one UPDATE
// and one history INSERT, at once. On a COPY import they are copied into a
// temporary table and applied by one UPDATE … FROM per batch, and their
// history rows are copied: a re-import that changes a province's households
// costs a few statements, not two round trips a household.
type updates struct {
	w       *householdWriter
	pending [][]any
	history rowSink
	made    bool // the temporary table exists in this transaction
}

var householdUpdateCols = []string{"id", "village_code", "house_code", "house_no", "status", "data", "version", "updated_at", "updated_by"}

func (u *updates) add(p householdUpdate) error {
	w := u.w
	if w.conn == nil && w.s.dialect.name == "postgres" {
		// One statement, one round trip: the history row goes in beside
		// the update. The round and key name the household's partition
		// (migration 0027): an id alone would plan over every one.
		const q = `WITH u AS (UPDATE households SET village_code = $1, house_code = $2, house_no = $3, status = $4, data = $5,
			version = $6, updated_at = $7, updated_by = $8 WHERE id = $9 AND round_id = $10 AND hh_key = $11)
			INSERT INTO household_history (round_id, hh_key, version, changed_at, changed_by, changes) VALUES ($10, $11, $6, $7, $8, $12)`
		args := []any{p.village, p.houseCode, p.houseNo, p.status, p.data, p.version, w.now, p.by, p.id, w.round, p.key, p.changes}
		if w.pipe != nil {
			w.pipe.exec(householdErr, q, args...)
			return nil
		}
		_, err := w.tx.ExecContext(w.ctx, q, args...)
		return householdErr(err)
	}
	if w.conn == nil {
		if _, err := w.tx.ExecContext(w.ctx, `UPDATE households SET village_code = $1, house_code = $2, house_no = $3, status = $4, data = $5,
			version = $6, updated_at = $7, updated_by = $8 WHERE id = $9`,
			p.village, p.houseCode, p.houseNo, p.status, p.data, p.version, w.now, p.by, p.id); err != nil {
			return householdErr(err)
		}
		_, err := w.tx.ExecContext(w.ctx, `INSERT INTO household_history (round_id, hh_key, version, changed_at, changed_by, changes) VALUES ($1, $2, $3, $4, $5, $6)`,
			w.round, p.key, p.version, w.now, p.by, p.changes)
		return mapErr(err)
	}
	u.pending = append(u.pending, []any{p.id, p.village, p.houseCode, p.houseNo, p.status, p.data, p.version, w.now, p.by})
	if err := u.history.add(w.round, p.key, p.version, w.now, p.by, p.changes); err != nil {
		return mapErr(err)
	}
	if len(u.pending) == 1000 {
		return u.flush()
	}
	return nil
}

// flush applies the updates still queued (COPY path).
func (u *updates) flush() error {
	w := u.w
	if w.conn == nil || len(u.pending) == 0 {
		return nil
	}
	if err := w.settle(); err != nil {
		return err
	}
	if !u.made {
		if _, err := w.tx.ExecContext(w.ctx, `CREATE TEMPORARY TABLE household_updates (id BIGINT NOT NULL, village_code TEXT NOT NULL,
			house_code TEXT NOT NULL, house_no TEXT NOT NULL, status TEXT NOT NULL, data BYTEA NOT NULL, version INTEGER NOT NULL,
			updated_at TEXT NOT NULL, updated_by TEXT NOT NULL) ON COMMIT DROP`); err != nil {
			return mapErr(err)
		}
		u.made = true
	}
	if err := copyFrom(w.ctx, w.conn, "household_updates", householdUpdateCols, u.pending); err != nil {
		return mapErr(err)
	}
	// The temporary table has no statistics until analyzed: without them
	// the planner may scan the round's households rather than look each
	// changed one up by its id.
	if _, err := w.tx.ExecContext(w.ctx, "ANALYZE household_updates"); err != nil {
		return mapErr(err)
	}
	n := len(u.pending)
	res, err := w.tx.ExecContext(w.ctx, `UPDATE households h SET village_code = u.village_code, house_code = u.house_code,
		house_no = u.house_no, status = u.status, data = u.data, version = u.version, updated_at = u.updated_at, updated_by = u.updated_by
		FROM household_updates u WHERE h.id = u.id AND h.round_id = $1`, w.round)
	if err != nil {
		return householdErr(err)
	}
	if got, err := res.RowsAffected(); err != nil || int(got) != n {
		return fmt.Errorf("update households: %d of %d changed households updated (%v)", got, n, err)
	}
	clear(u.pending)
	u.pending = u.pending[:0]
	_, err = w.tx.ExecContext(w.ctx, "TRUNCATE household_updates")
	return mapErr(err)
}
