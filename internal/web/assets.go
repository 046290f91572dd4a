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
	err := fs.WalkDir(staticFiles, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFiles.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		sum := sha256.Sum256(body)
		ext := path.Ext(name)
		hashed := "/static/" + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext
		a := &asset{body: body, ctype: mime.TypeByExtension(ext)}
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
		return nil
	})
	return as, err
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
