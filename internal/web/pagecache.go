package web

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// generationStore is implemented by stores that count changes to what area
// pages show (see store.StatsGeneration). Without it nothing is cached.
type generationStore interface {
	StatsGeneration(ctx context.Context) (int64, error)
}

// pageCache keeps rendered area pages and results API answers. An entry is
// served only while the store's statistics generation is the one it was
// rendered at, so figures stay exactly live: one cheap read replaces
// reading and rendering an area's statistics, which is what lets a page
// answer 100 concurrent clients on two cores.
type pageCache struct {
	mu      sync.Mutex
	entries map[string]*cachedPage
}

type cachedPage struct {
	gen    int64
	header http.Header
	body   []byte
}

const maxCachedPages = 5000

// cached wraps a GET handler whose answer depends only on the URL, the
// language, the signed-in account and the statistics.
func (s *Server) cached(h handlerFunc) handlerFunc {
	gs, ok := s.store.(generationStore)
	if !ok {
		return h
	}
	return func(w http.ResponseWriter, r *http.Request) error {
		gen, err := gs.StatsGeneration(r.Context())
		if err != nil || r.URL.Query().Has("lang") { // a language switch sets a cookie: render it
			return h(w, r)
		}
		key := cacheKey(r)
		s.pages.mu.Lock()
		e := s.pages.entries[key]
		s.pages.mu.Unlock()
		if e != nil && e.gen == gen {
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
			s.pages.mu.Lock()
			if s.pages.entries == nil || len(s.pages.entries) >= maxCachedPages {
				s.pages.entries = map[string]*cachedPage{}
			}
			s.pages.entries[key] = &cachedPage{gen: gen, header: rec.Header().Clone(), body: rec.buf.Bytes()}
			s.pages.mu.Unlock()
		}
		return nil
	}
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
