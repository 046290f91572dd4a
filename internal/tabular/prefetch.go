package tabular

import "io"

// prefetch reads a source's rows on a second goroutine, a batch ahead of
// the caller: parsing CSV, or a worksheet's XML in excelize, is a large part
// of reading a big file, and with it off the caller's goroutine an import
// uses a second core for it. Rows come out in order, with their numbers and
// the source's error (or io.EOF) after the last one, exactly as the source
// gives them. A row's cells stay valid until the caller has read the rest of
// its batch, which is longer than Reader.Next promises.
type prefetch struct {
	src  source
	out  chan *rowBatch
	free chan *rowBatch
	quit chan struct{}
	done chan struct{}
	cur  *rowBatch
	pos  int
}

// rowBatch holds rows copied out of the source (which reuses its cells) into
// one backing array.
type rowBatch struct {
	cells [][]string
	nums  []int
	arena []string
	ends  []int // where each row ends in arena
	err   error // after the rows: io.EOF at the end
	errAt int
}

const prefetchRows = 256

func newPrefetch(src source) *prefetch {
	p := &prefetch{src: src, out: make(chan *rowBatch, 2), free: make(chan *rowBatch, 4),
		quit: make(chan struct{}), done: make(chan struct{})}
	go p.run()
	return p
}

func (p *prefetch) run() {
	defer close(p.done)
	defer close(p.out)
	for {
		var b *rowBatch
		select {
		case b = <-p.free:
			b.cells, b.nums, b.arena, b.err = b.cells[:0], b.nums[:0], b.arena[:0], nil
		default:
			b = &rowBatch{}
		}
		b.ends = b.ends[:0]
		for len(b.ends) < prefetchRows {
			cells, num, err := p.src.next()
			if err != nil {
				b.err, b.errAt = err, num
				break
			}
			b.arena = append(b.arena, cells...)
			b.ends = append(b.ends, len(b.arena))
			b.nums = append(b.nums, num)
		}
		// Slice the rows out of the arena only now: appending may have
		// moved it.
		start := 0
		for _, end := range b.ends {
			b.cells = append(b.cells, b.arena[start:end:end])
			start = end
		}
		select {
		case p.out <- b:
		case <-p.quit:
			return
		}
		if b.err != nil {
			return
		}
	}
}

func (p *prefetch) next() ([]string, int, error) {
	for p.cur == nil || p.pos == len(p.cur.cells) {
		if p.cur != nil {
			if p.cur.err != nil {
				return nil, p.cur.errAt, p.cur.err
			}
			select {
			case p.free <- p.cur:
			default:
			}
			p.cur = nil
		}
		b, ok := <-p.out
		if !ok {
			return nil, 0, io.EOF
		}
		p.cur, p.pos = b, 0
	}
	i := p.pos
	p.pos++
	return p.cur.cells[i], p.cur.nums[i], nil
}

func (p *prefetch) close() error {
	close(p.quit)
	<-p.done
	return p.src.close()
}
