package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strings"
)

//go:embed static
var staticFiles embed.FS

// assets serves the embedded static files. Each file is reachable at a URL
// with a hash of its content (css/app.3fa9c1d2e0.css), cached for a year, so a
// browser on a slow line downloads it once per release; text files are
// gzipped once at start.
type assets struct {
	byURL  map[string]*asset // "/static/css/app.3fa9c1d2e0.css" → file
	byName map[string]string // "css/app.css" → its hashed URL
}

type asset struct {
	body, gz []byte
	ctype    string
	hashed   bool
}

func loadAssets() (*assets, error) {
	as := &assets{byURL: map[string]*asset{}, byName: map[string]string{}}
	var css []string
	err := fs.WalkDir(staticFiles, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if path.Ext(p) == ".css" {
			css = append(css, p) // after the files they name, whose hashed URLs they need
			return nil
		}
		body, err := staticFiles.ReadFile(p)
		if err != nil {
			return err
		}
		as.add(strings.TrimPrefix(p, "static/"), body)
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, p := range css {
		body, err := staticFiles.ReadFile(p)
		if err != nil {
			return nil, err
		}
		name := strings.TrimPrefix(p, "static/")
		as.add(name, as.hashRefs(name, body))
	}
	return as, nil
}

// cssURL is a relative url("…") in a style sheet.
var cssURL = regexp.MustCompile(`url\("([^"/:][^":]*)"\)`)

// hashRefs rewrites the relative url("…") of a style sheet to the hashed URLs
// of the files they name, so that fonts are cached as long as the sheet: a
// plain URL would be cached for minutes only and fetched again on every visit.
func (as *assets) hashRefs(name string, body []byte) []byte {
	return cssURL.ReplaceAllFunc(body, func(m []byte) []byte {
		ref := string(cssURL.FindSubmatch(m)[1])
		target := path.Clean(path.Join(path.Dir(name), ref))
		if u, ok := as.byName[target]; ok {
			return []byte(`url("` + u + `")`)
		}
		return m
	})
}

// add keeps one file at its plain and its hashed URL.
func (as *assets) add(name string, body []byte) {
	sum := sha256.Sum256(body)
	ext := path.Ext(name)
	hashed := "/static/" + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext
	a := &asset{body: body, ctype: mime.TypeByExtension(ext)}
	if ext == ".woff2" {
		a.ctype = "font/woff2"
	}
	if a.ctype == "" {
		a.ctype = "application/octet-stream"
	}
	if compressible(ext) {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(body)
		zw.Close()
		if buf.Len() < len(body) {
			a.gz = buf.Bytes()
		}
	}
	as.byURL[hashed] = &asset{body: a.body, gz: a.gz, ctype: a.ctype, hashed: true}
	as.byURL["/static/"+name] = a
	as.byName[name] = hashed
}

func compressible(ext string) bool {
	switch ext {
	case ".css", ".js", ".json", ".svg", ".html", ".txt", ".topojson":
		return true
	}
	return false
}

// url returns the hashed URL of a static file, for templates.
func (as *assets) url(name string) string {
	if u, ok := as.byName[name]; ok {
		return u
	}
	return "/static/" + name
}

func (as *assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a, ok := as.byURL[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	serveBytes(w, r, a.body, a.gz, a.ctype, a.hashed)
}

// serveBytes writes a body, gzipped when the client accepts it, with caching
// that suits hashed (immutable) or plain URLs.
func serveBytes(w http.ResponseWriter, r *http.Request, body, gz []byte, ctype string, immutable bool) {
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Vary", "Accept-Encoding")
	if immutable {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=300")
	}
	if gz != nil && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		body = gz
	}
	http.ServeContent(w, r, "", zeroTime, bytes.NewReader(body))
}
