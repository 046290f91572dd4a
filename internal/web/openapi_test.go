package web

import (
	"encoding/json"
	"os"
	"regexp"
	"testing"
)

// Every API route in routes.go is described in openapi.json, and nothing
// described is missing from the routes.
func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(openapiJSON, &doc); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile("routes.go")
	if err != nil {
		t.Fatal(err)
	}
	routes := map[string]bool{}
	for _, m := range regexp.MustCompile(`"GET (/api/v1/[^"]*|/healthz)"`).FindAllStringSubmatch(string(src), -1) {
		if m[1] != "/api/v1/openapi.json" {
			routes[m[1]] = true
		}
	}
	if len(routes) < 5 {
		t.Fatalf("found only %d API routes in routes.go", len(routes))
	}
	for r := range routes {
		if _, ok := doc.Paths[r]; !ok {
			t.Errorf("route %s is not in openapi.json", r)
		}
	}
	for p := range doc.Paths {
		if !routes[p] {
			t.Errorf("openapi.json describes %s, which routes.go does not serve", p)
		}
	}
}
