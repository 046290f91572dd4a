package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed locales/*.json
var localeFiles embed.FS

// Langs are the page languages, Thai first.
var Langs = []string{"th", "en"}

// catalog maps language → key → text. Every user-facing string of the pages
// comes from locales/th.json and locales/en.json; a test fails on a key
// missing from either.
type catalog map[string]map[string]string

func loadCatalog() (catalog, error) {
	c := catalog{}
	for _, lang := range Langs {
		// locales/th.json, plus any locales/<part>.th.json, so that each part
		// of the application can keep its strings in its own file.
		names, err := fs.Glob(localeFiles, "locales/*"+lang+".json")
		if err != nil {
			return nil, err
		}
		m := map[string]string{}
		for _, name := range names {
			if base := path.Base(name); base != lang+".json" && !strings.HasSuffix(base, "."+lang+".json") {
				continue
			}
			b, err := localeFiles.ReadFile(name)
			if err != nil {
				return nil, err
			}
			part := map[string]string{}
			if err := json.Unmarshal(b, &part); err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			for k, v := range part {
				if _, dup := m[k]; dup {
					return nil, fmt.Errorf("%s: key %q is defined twice", name, k)
				}
				m[k] = v
			}
		}
		c[lang] = m
	}
	return c, nil
}

// text returns key's text in lang with {name} placeholders filled from
// pairs of (name, value) arguments. A missing key shows itself in brackets,
// so a slip is visible on the page (and the locale test catches it first).
func (c catalog) text(lang, key string, args ...any) string {
	s, ok := c[lang][key]
	if !ok {
		s, ok = c["th"][key]
	}
	if !ok {
		return "[" + key + "]"
	}
	if len(args) == 0 {
		return s
	}
	pairs := make([]string, 0, len(args))
	for i := 0; i+1 < len(args); i += 2 {
		pairs = append(pairs, "{"+fmt.Sprint(args[i])+"}", fmt.Sprint(args[i+1]))
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

// langOf picks the page language: ?lang= (remembered in a cookie), then the
// cookie, then Thai.
func langOf(w http.ResponseWriter, r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "th" || l == "en" {
		http.SetCookie(w, &http.Cookie{Name: "lang", Value: l, Path: "/", MaxAge: 365 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode})
		return l
	}
	if c, err := r.Cookie("lang"); err == nil && (c.Value == "th" || c.Value == "en") {
		return c.Value
	}
	return "th"
}
