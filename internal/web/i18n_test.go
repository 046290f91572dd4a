package web

import (
	"io/fs"
	"regexp"
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
