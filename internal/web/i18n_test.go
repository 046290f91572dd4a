package web

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every locale key exists in both languages, and every key a template uses
// exists.
func TestLocalesAreComplete(t *testing.T) {
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range Langs {
		for _, b := range Langs {
			for k := range c[a] {
				if _, ok := c[b][k]; !ok {
					t.Errorf("key %q is in %s.json but not in %s.json", k, a, b)
				}
			}
		}
	}
	used := regexp.MustCompile(`\.T "([a-z0-9_.]+)"`)
	files, _ := fs.Glob(templateFiles, "templates/*.html")
	if len(files) == 0 {
		t.Fatal("no templates found")
	}
	for _, f := range files {
		b, _ := fs.ReadFile(templateFiles, f)
		for _, m := range used.FindAllStringSubmatch(string(b), -1) {
			if _, ok := c["th"][m[1]]; !ok {
				t.Errorf("%s uses key %q, which th.json lacks", f, m[1])
			}
		}
	}
}

func TestTextFillsPlaceholders(t *testing.T) {
	c := catalog{"th": {"x": "พบ {n} แห่ง"}, "en": {"x": "{n} found"}}
	if got := c.text("th", "x", "n", 3); got != "พบ 3 แห่ง" {
		t.Errorf("th: %q", got)
	}
	if got := c.text("en", "x", "n", "1,024"); got != "1,024 found" {
		t.Errorf("en: %q", got)
	}
	if got := c.text("en", "missing"); got != "[missing]" {
		t.Errorf("missing key: %q", got)
	}
}

// Every key the Go code asks for exists too: handlers name keys in
// s.msgs.text(lang, "…") and through the t("…") shorthand of the exports.
func TestGoCodeKeysExist(t *testing.T) {
	c, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	used := regexp.MustCompile(`(?:msgs\.text\([a-zA-Z.()]+, |\bt\()"([a-z0-9_.]+)"`)
	files, _ := filepath.Glob("*.go")
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range used.FindAllStringSubmatch(string(b), -1) {
			n++
			for _, lang := range Langs {
				if _, ok := c[lang][m[1]]; !ok && !strings.HasSuffix(m[1], ".") {
					t.Errorf("%s uses key %q, which %s.json lacks", f, m[1], lang)
				}
			}
		}
	}
	if n < 50 {
		t.Errorf("found only %d keys in the Go code: is the pattern stale?", n)
	}
}
