package store

import (
	"context"
	"database/sql"
	"strings"
)

// bulkInsert appends rows to one table inside a transaction, in multi-row
// INSERTs of a fixed number of rows. The full-batch statement is prepared
// once and reused, so SQLite parses it once per import rather than once per
// batch; only the last, shorter batch is parsed on its own.
//
// SQLite gets anonymous "?" placeholders: binding a numbered "$n" makes the
// driver look every parameter's name up in a list (sqlite3_bind_parameter_name),
// which costs O(n²) over a statement of thousands of parameters and was most
// of the time of a large import. PostgreSQL only accepts "$n".
type bulkInsert struct {
	ctx   context.Context
	tx    *sql.Tx
	d     dialect
	head  string // "INSERT INTO t (a, b) VALUES "
	cols  int
	batch int
	stmt  *sql.Stmt
	args  []any
}

func newBulkInsert(ctx context.Context, tx *sql.Tx, d dialect, head string, cols, batch int) *bulkInsert {
	return &bulkInsert{ctx: ctx, tx: tx, d: d, head: head, cols: cols, batch: batch, args: make([]any, 0, cols*batch)}
}

// add queues one row of exactly cols values, writing a batch when it is full.
func (b *bulkInsert) add(vals ...any) error {
	b.args = append(b.args, vals...)
	if len(b.args) == b.cols*b.batch {
		return b.flushFull()
	}
	return nil
}

func (b *bulkInsert) flushFull() error {
	if b.stmt == nil {
		st, err := b.tx.PrepareContext(b.ctx, b.head+b.d.values(b.batch, b.cols))
		if err != nil {
			return err
		}
		b.stmt = st
	}
	_, err := b.stmt.ExecContext(b.ctx, b.args...)
	clear(b.args)
	b.args = b.args[:0]
	return err
}

// flush writes the rows still queued.
func (b *bulkInsert) flush() error {
	if len(b.args) == 0 {
		return nil
	}
	_, err := b.tx.ExecContext(b.ctx, b.head+b.d.values(len(b.args)/b.cols, b.cols), b.d.oneOff(b.args)...)
	clear(b.args)
	b.args = b.args[:0]
	return err
}

// close releases the prepared statement; the transaction would too, at its end.
func (b *bulkInsert) close() {
	if b.stmt != nil {
		b.stmt.Close()
		b.stmt = nil
	}
}

// values returns the VALUES list of a multi-row insert of rows×cols values:
// "(?,?),(?,?)" on SQLite, "($1,$2),($3,$4)" on PostgreSQL.
func (d dialect) values(rows, cols int) string {
	if d.name != dialectSQLite.name {
		return placeholders(rows, cols)
	}
	one := "(" + strings.Repeat("?,", cols-1) + "?)"
	var b strings.Builder
	b.Grow(rows * (len(one) + 1))
	for r := range rows {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteString(one)
	}
	return b.String()
}
