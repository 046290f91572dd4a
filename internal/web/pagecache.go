package web

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"tambon/internal/area"
)

// generationStore is implemented by stores that count changes to what area
// pages show (see store.AreaGeneration). Without it nothing is cached.
type generationStore interface {
	// StatsGeneration is the country's: it moves with any change anywhere.
	StatsGeneration(ctx context.Context) (int64, error)
	// AreaGeneration moves with any change inside an area, and with the
	// events that change every area.
	AreaGeneration(ctx context.Context, code string) (int64, error)
}

// pageCache keeps rendered area pages and results API answers. An entry is
// served only while the generation its page depends on (pageGeneration) is
// the one it was rendered at, so figures stay exactly live: one cheap read
// replaces reading and rendering an area's statistics, which is what lets a
// page answer 100 concurrent clients on two cores. A write in one area
// leaves the pages of areas outside its chain cached.
type pageCache struct {
	mu      sync.Mutex
	entries map[string]*cachedPage
	bytes   int // the bodies' total size
}

type cachedPage struct {
	gen    int64
	scope  string // the area whose generation gen is; "TH" for the country's
	header http.Header
	body   []byte
}

// The cache starts again, empty, rather than pass either bound: 5,000 pages
// or 32 MiB of bodies. Browsers take gzip, so a page is a few kB; the byte
// bound is for clients that do not (scripts reading the API), whose pages
// are several times larger. Without it a district server crawled without
// gzip held 72 MB of pages (docs/BENCHMARKS.md, Memory).
const (
	maxCachedPages = 5000
	maxCachedBytes = 32 << 20
)

// put keeps p under key, starting the cache again when it would pass a
// bound. The body is copied to its own length: a recorder's buffer may have
// up to twice the capacity.
func (c *pageCache) put(key string, p *cachedPage) {
	if len(p.body) <= maxCachedBytes {
		p.body = append(make([]byte, 0, len(p.body)), p.body...)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.entries[key]; old != nil {
		c.bytes -= len(old.body)
		delete(c.entries, key)
	}
	if len(p.body) > maxCachedBytes {
		return // never kept; the others stay
	}
	if c.entries == nil || len(c.entries) >= maxCachedPages || c.bytes+len(p.body) > maxCachedBytes {
		c.entries, c.bytes = map[string]*cachedPage{}, 0
	}
	c.entries[key] = p
	c.bytes += len(p.body)
}

// cached wraps a GET handler whose answer depends only on the URL, the
// language, the signed-in account and the statistics.
func (s *Server) cached(h handlerFunc) handlerFunc {
	gs, ok := s.store.(generationStore)
	if !ok {
		return h
	}
	return func(w http.ResponseWriter, r *http.Request) error {
		scope := s.pageScope(r)
		gen, err := gs.AreaGeneration(r.Context(), scope)
		if err != nil || r.URL.Query().Has("lang") { // a language switch sets a cookie: render it
			return h(w, r)
		}
		key := cacheKey(r)
		s.pages.mu.Lock()
		e := s.pages.entries[key]
		s.pages.mu.Unlock()
		if e != nil && e.gen == gen && e.scope == scope {
			for k, v := range e.header {
				w.Header()[k] = v
			}
			w.Header().Set("X-Tambon-Cache", "hit")
			w.WriteHeader(http.StatusOK)
			_, err := w.Write(e.body)
			return err
		}
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		if err := h(rec, r); err != nil {
			return err
		}
		if rec.status == http.StatusOK && rec.Header().Get("Set-Cookie") == "" {
			s.pages.put(key, &cachedPage{gen: gen, scope: scope, header: rec.Header().Clone(), body: rec.buf.Bytes()})
		}
		return nil
	}
}

// pageScope names the area whose generation a cached page depends on. An
// area's page shows only what lies inside the area (its figures, its
// children's, its coverage, villages and lists), so it is the area's own:
// every write bumps the generations of its village, tambon, amphoe and
// province, and so refreshes exactly the pages of that chain. The country's
// page depends on every province. So do the public's pages while small
// counts are suppressed: the pattern is decided over the whole country at
// once (engine.Protect), and a count changed in one province can hide a
// figure in another.
func (s *Server) pageScope(r *http.Request) string {
	code := r.PathValue("code")
	if code == "" || public(r.Context()) && s.smallCell() > 1 {
		return area.CountryCode
	}
	return code
}

// cacheKey names what a page depends on besides the statistics.
func cacheKey(r *http.Request) string {
	var b strings.Builder
	b.WriteString(r.URL.RequestURI())
	b.WriteByte('|')
	b.WriteString(langFrom(r.Context()))
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		b.WriteString("|gz")
	}
	if u := userFrom(r.Context()); u != nil { // pages name the signed-in user
		b.WriteString("|u" + strconv.FormatInt(u.ID, 10))
	}
	return b.String()
}

// recorder passes a response through while keeping a copy of its body.
type recorder struct {
	http.ResponseWriter
	status int
	buf    bytes.Buffer
}

func (r *recorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(p []byte) (int, error) {
	r.buf.Write(p)
	return r.ResponseWriter.Write(p)
}
