package web

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"os"
	"path"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/area"
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
	Data    any
	srv     *Server
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
	"num":      func(n int) string { return thai.FormatInt(int64(n)) },
	"int":      func(l area.Level) int { return int(l) },
	"dict2":    func(th, en string) apperr.Text { return apperr.Text{TH: th, EN: en} },
	"levelKey": func(l area.Level) string { return "level." + l.String() },
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
		Query: r.URL.Query().Get("q"), Version: s.cfg.Version, Data: data, srv: s}
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
	w.WriteHeader(status)
	_, err := w.Write(page.Bytes())
	return err
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
