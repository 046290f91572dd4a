package web

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every API route the server registers, in any file of the package (not
// only routes.go: the audit log's is in admin.go), is described in
// openapi.json with its method, and nothing described is missing from the
// routes.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(openapiJSON, &doc); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	route := regexp.MustCompile(`mux\.Handle(?:Func)?\("(GET|POST|PUT|PATCH|DELETE) (/api/v1/[^"]*|/healthz)"`)
	routes := map[string]bool{} // "get /api/v1/areas"
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range route.FindAllStringSubmatch(string(src), -1) {
			routes[strings.ToLower(m[1])+" "+m[2]] = true
		}
	}
	for _, want := range []string{"get /api/v1/audit", "post /api/v1/rounds/{round}/households", "get /api/v1/rounds"} {
		if !routes[want] {
			t.Fatalf("the route reader missed %s (found %d routes): it reads the source wrongly", want, len(routes))
		}
	}
	for r := range routes {
		method, path, _ := strings.Cut(r, " ")
		if _, ok := doc.Paths[path][method]; !ok {
			t.Errorf("route %s %s is not in openapi.json", strings.ToUpper(method), path)
		}
	}
	for p, ops := range doc.Paths {
		for method := range ops {
			if !routes[method+" "+p] {
				t.Errorf("openapi.json describes %s %s, which the server does not serve", strings.ToUpper(method), p)
			}
		}
	}
}
