package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path"
	"strconv"
	"strings"
	"sync"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/indicator"
	"tambon/internal/survey"
	"tambon/internal/thai"
	"tambon/internal/user"
)

//go:embed templates/*.html
var templateFiles embed.FS

type ctxKey int

const (
	ctxUser ctxKey = iota
	ctxLang
)

// view is what every template receives: the page's data plus the request's
// language, account and helpers.
type view struct {
	Lang    string
	Title   string
	User    *user.User
	Path    string // the request path, for the language switch
	Query   string // the search box's text
	Version string
	LangURL string // this page in the other language
	Data    any
	srv     *Server
	query   url.Values // the request's query, for ExportURL
}

// RoundName is how a round is called on a page.
func (v view) RoundName(r survey.Round) string { return v.srv.roundName(v.Lang, r) }

// RoundCalled names a round (จปฐ. or กชช. 2ค) known by its id, for pages
// whose data holds only the id; an id no round has is shown as it is.
func (v view) RoundCalled(id string) string {
	return v.srv.roundCalled(context.Background(), v.Lang, id)
}

func (s *Server) roundCalled(ctx context.Context, lang, id string) string {
	if id == "" {
		return ""
	}
	if rd, err := s.store.Round(ctx, id); err == nil {
		return s.roundName(lang, rd)
	}
	if vs, err := s.vstore(); err == nil {
		if rd, err := vs.VillageRound(ctx, id); err == nil {
			return s.msgs.text(lang, "kcc.round.name", "year", rd.SurveyYear)
		}
	}
	return id
}

// Pct writes a percentage of a fraction (0..1) with two decimals.
func (v view) Pct(x float64) string { return thai.FormatFloat(x*100, 2) }

// Can reports whether the signed-in user may take an action (a user.Action
// name) in an area, so pages offer only the links that will work.
func (v view) Can(action, code string) bool {
	return v.User != nil && v.User.CanAt(user.Action(action), code)
}

// T returns a locale string in the page's language; args are name, value pairs.
func (v view) T(key string, args ...any) string { return v.srv.msgs.text(v.Lang, key, args...) }

// Text picks the page's language from a bilingual text.
func (v view) Text(t apperr.Text) string { return t.In(v.Lang) }

// Name picks an area's title in the page's language.
func (v view) Name(a area.Area) string {
	if v.Lang == "en" {
		return a.TitleEN()
	}
	return a.TitleTH()
}

// Other is the other language, for the switch.
func (v view) Other() string {
	if v.Lang == "en" {
		return "th"
	}
	return "en"
}

var funcs = template.FuncMap{
	"num":       func(n int) string { return thai.FormatInt(int64(n)) },
	"int":       func(l area.Level) int { return int(l) },
	"dict2":     func(th, en string) apperr.Text { return apperr.Text{TH: th, EN: en} },
	"levelKey":  func(l area.Level) string { return "level." + l.String() },
	"num64":     thai.FormatInt,
	"pct":       func(x float64) string { return thai.FormatFloat(x, 2) },
	"dec":       func(x float64, places int) string { return thai.FormatFloat(x, places) },
	"baht":      func(x float64) string { return thai.FormatFloat(x, 0) },
	"signed":    signed,
	"signedDec": signedDec,
	"signedInt": func(n int64) string {
		if n > 0 {
			return "+" + thai.FormatInt(n)
		}
		if n < 0 {
			return "−" + thai.FormatInt(-n)
		}
		return "0"
	},
	"unitKey": func(u indicator.Unit) string { return "unit." + string(u) },
	"deref": func(p *float64) float64 {
		if p == nil {
			return 0
		}
		return *p
	},
	"sub":    func(a, b float64) float64 { return a - b },
	"sub1":   func(n int) int { return n - 1 },
	"subInt": func(a, b int64) int64 { return a - b },
	"mul100": func(x float64) float64 { return x * 100 },
	"childValue": func(c childStat, key string) string {
		v, ok := childValue(c, key)
		if !ok {
			return ""
		}
		if key == "below" {
			return thai.FormatFloat(v, 0)
		}
		return thai.FormatFloat(v, 2) + "%"
	},
	"colspan": func(d *areaPageData) int {
		n := 4
		if d.ChildHasMPI {
			n++
		}
		if d.MapKey != "below" {
			n++
		}
		return n
	},
	"childrenKey": func(l area.Level) string {
		return "children." + area.Level(l+1).String()
	},
}

// parseTemplates builds one template set per page: the layout and partials
// with the page's own file. In development they come from disk.
func (s *Server) parseTemplates() (*template.Template, error) {
	var files fs.FS = templateFiles
	if s.cfg.TemplateDir != "" {
		files = os.DirFS(s.cfg.TemplateDir)
		files, _ = fs.Sub(files, ".")
		return s.parseFrom(files, ".")
	}
	return s.parseFrom(files, "templates")
}

func (s *Server) parseFrom(files fs.FS, dir string) (*template.Template, error) {
	root := template.New("root").Funcs(funcs).Funcs(template.FuncMap{"asset": s.assets.url})
	names, err := fs.Glob(files, path.Join(dir, "*.html"))
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		b, err := fs.ReadFile(files, name)
		if err != nil {
			return nil, err
		}
		base := strings.TrimSuffix(path.Base(name), ".html")
		if _, err := root.New(base).Parse(string(b)); err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
	}
	return root, nil
}

// render writes a page: the named template inside the layout.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) error {
	tmpl := s.tmpl
	if s.cfg.TemplateDir != "" {
		var err error
		if tmpl, err = s.parseTemplates(); err != nil {
			return err
		}
	}
	v := view{Lang: langFrom(r.Context()), Title: title, User: userFrom(r.Context()), Path: r.URL.Path,
		Query: r.URL.Query().Get("q"), Data: data, srv: s}
	if v.User != nil && v.User.Role == user.Admin {
		v.Version = s.cfg.Version // only administrators learn which release runs
	}
	v.LangURL = langURL(r.URL, v.Other())
	v.query = r.URL.Query()
	var body bytes.Buffer
	if err := tmpl.ExecuteTemplate(&body, name, v); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	var page bytes.Buffer
	if err := tmpl.ExecuteTemplate(&page, "layout", struct {
		view
		Body template.HTML
	}{v, template.HTML(body.String())}); err != nil {
		return fmt.Errorf("render layout: %w", err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	writeCompressed(w, r, status, page.Bytes())
	return nil
}

var gzipPool = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	return zw
}}

// writeCompressed sends a body gzipped when the client takes it and it is
// worth it: an area page of 50 kB travels as about 6 kB on a slow line.
func writeCompressed(w http.ResponseWriter, r *http.Request, status int, body []byte) {
	h := w.Header()
	h.Add("Vary", "Accept-Encoding")
	if len(body) < 1400 || !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(status)
		w.Write(body)
		return
	}
	var buf bytes.Buffer
	zw := gzipPool.Get().(*gzip.Writer)
	zw.Reset(&buf)
	zw.Write(body)
	zw.Close()
	gzipPool.Put(zw)
	h.Set("Content-Encoding", "gzip")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

func langFrom(ctx context.Context) string {
	if l, ok := ctx.Value(ctxLang).(string); ok {
		return l
	}
	return "th"
}

func userFrom(ctx context.Context) *user.User {
	u, _ := ctx.Value(ctxUser).(*user.User)
	return u
}

// signed writes a change in percentage points with its sign: +1.25, −0.50.
func signed(x float64) string { return signedDec(x, 2) }

// signedDec writes a change with its sign and places decimals.
func signedDec(x float64, places int) string {
	s := thai.FormatFloat(x, places)
	switch {
	case strings.Trim(s, "0.") == "":
		return s
	case x > 0:
		return "+" + s
	}
	return "−" + s[1:]
}

// langURL is the page's own URL in another language, keeping its other
// parameters (round, map, sort).
func langURL(u *url.URL, lang string) string {
	q := u.Query()
	q.Set("lang", lang)
	return u.Path + "?" + q.Encode()
}
