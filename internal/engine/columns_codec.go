package engine

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"

	"tambon/internal/indicator"
)

// Layout names how c lays a household out: the set's questions in slot order
// with their level, type and number of choices. Columns of two sets that
// differ only in thresholds or rules share a layout, so a village's batch
// encoded under one set version reads back under the next
// (AppendEncoded refuses any other layout).
func (c *Columns) Layout() string {
	h := sha256.New()
	for _, q := range c.qs {
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00%d\x00", q.Code, q.Level, q.Type, len(q.Choices))
		for _, ch := range q.Choices {
			fmt.Fprintf(h, "%s\x00", ch)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

// batchFormat is the first byte of an encoded batch.
const batchFormat = 1

// AppendBinary appends b in the form AppendEncoded reads: counts as varints,
// money as zigzag varints, int8 answer rows as they are, number answers as
// IEEE 754 bits, and each member's packed roster. A village of 172
// households takes about 25 kB.
func (b *Batch) AppendBinary(dst []byte) []byte {
	people := len(b.roster)
	dst = append(dst, batchFormat)
	for _, n := range []int{b.n, people, len(b.hh), len(b.per), len(b.hhNum), len(b.perNum)} {
		dst = binary.AppendUvarint(dst, uint64(n))
	}
	for k := range b.money {
		for _, v := range b.money[k] {
			dst = binary.AppendVarint(dst, v)
		}
	}
	for i := range b.n {
		dst = binary.AppendUvarint(dst, uint64(b.start[i+1]-b.start[i]))
	}
	for _, r := range b.roster {
		dst = binary.AppendVarint(dst, int64(r.Birth))
		dst = binary.AppendUvarint(dst, uint64(r.Flags))
		dst = append(dst, byte(r.Edu))
	}
	dst = appendInt8s(dst, b.hh)
	dst = appendInt8s(dst, b.per)
	for _, col := range b.hhNum {
		dst = appendFloats(dst, col)
	}
	for _, col := range b.perNum {
		dst = appendFloats(dst, col)
	}
	return dst
}

func appendInt8s(dst []byte, s []int8) []byte {
	for _, v := range s {
		dst = append(dst, byte(v))
	}
	return dst
}

func appendFloats(dst []byte, s []float64) []byte {
	for _, v := range s {
		dst = binary.LittleEndian.AppendUint64(dst, math.Float64bits(v))
	}
	return dst
}

var errBatch = errors.New("engine: encoded batch is cut short or laid out for other questions")

// AppendEncoded adds a village's batch as AppendBinary wrote it. It fails
// when data is not such a batch of c's layout, or when c already holds the
// village.
func (c *Columns) AppendEncoded(village string, data []byte) error {
	b, err := c.DecodeBatch(village, data)
	if err != nil {
		return err
	}
	return c.AddBatch(b)
}

// AddBatch adds a batch DecodeBatch returned.
func (c *Columns) AddBatch(b *Batch) error {
	if _, dup := c.byVillage[b.village]; dup {
		return fmt.Errorf("engine: village %s appended twice", b.village)
	}
	c.byVillage[b.village] = len(c.batches)
	c.batches = append(c.batches, b)
	c.people += len(b.roster)
	return nil
}

// DecodeBatch reads a village's batch as AppendBinary wrote it, for c's
// layout, without adding it: it only reads c, so several goroutines may
// decode at once and one of them add the batches.
func (c *Columns) DecodeBatch(village string, data []byte) (*Batch, error) {
	d := decoder{b: data}
	if d.byte() != batchFormat {
		return nil, errBatch
	}
	n, people := int(d.uvarint()), int(d.uvarint())
	nhh, nper, nhn, npn := int(d.uvarint()), int(d.uvarint()), int(d.uvarint()), int(d.uvarint())
	if d.bad || nhh != n*len(c.hhQ) || nper != people*len(c.perQ) || nhn != len(c.hhNum) || npn != len(c.perNum) ||
		n > len(data) || people > len(data) {
		return nil, errBatch
	}
	b := &Batch{village: village, n: n, start: make([]int32, n+1), roster: make([]indicator.Roster, people),
		hhNum: make([][]float64, nhn), perNum: make([][]float64, npn)}
	for k := range b.money {
		b.money[k] = make([]int64, n)
		for i := range n {
			b.money[k][i] = d.varint()
		}
	}
	for i := range n {
		b.start[i+1] = b.start[i] + int32(d.uvarint())
	}
	if d.bad || int(b.start[n]) != people {
		return nil, errBatch
	}
	for m := range b.roster {
		b.roster[m] = indicator.Roster{Birth: int32(d.varint()), Flags: uint16(d.uvarint()), Edu: int8(d.byte())}
	}
	b.hh, b.per = d.int8s(nhh), d.int8s(nper)
	for k := range b.hhNum {
		b.hhNum[k] = d.floats(n)
	}
	for k := range b.perNum {
		b.perNum[k] = d.floats(people)
	}
	if d.bad || len(d.b) != 0 {
		return nil, errBatch
	}
	return b, nil
}

// decoder reads an encoded batch; bad records a read past the end.
type decoder struct {
	b   []byte
	bad bool
}

func (d *decoder) byte() byte {
	if len(d.b) == 0 {
		d.bad = true
		return 0
	}
	v := d.b[0]
	d.b = d.b[1:]
	return v
}

func (d *decoder) uvarint() uint64 {
	v, k := binary.Uvarint(d.b)
	if k <= 0 {
		d.bad = true
		return 0
	}
	d.b = d.b[k:]
	return v
}

func (d *decoder) varint() int64 {
	v, k := binary.Varint(d.b)
	if k <= 0 {
		d.bad = true
		return 0
	}
	d.b = d.b[k:]
	return v
}

func (d *decoder) int8s(n int) []int8 {
	if n > len(d.b) {
		d.bad = true
		return make([]int8, n)
	}
	out := make([]int8, n)
	for i, v := range d.b[:n] {
		out[i] = int8(v)
	}
	d.b = d.b[n:]
	return out
}

func (d *decoder) floats(n int) []float64 {
	if 8*n > len(d.b) {
		d.bad = true
		return make([]float64, n)
	}
	out := make([]float64, n)
	for i := range out {
		out[i] = math.Float64frombits(binary.LittleEndian.Uint64(d.b[8*i:]))
	}
	d.b = d.b[8*n:]
	return out
}

// Set returns the set c is laid out for.
func (c *Columns) Set() *indicator.Set { return c.set }

// EmptyBatch returns the encoded batch of a village with no complete
// household (drafts only), so that a store can tell it from one not read.
func (c *Columns) EmptyBatch() []byte {
	b := &Batch{start: []int32{0}, hhNum: make([][]float64, len(c.hhNum)), perNum: make([][]float64, len(c.perNum))}
	return b.AppendBinary(nil)
}
