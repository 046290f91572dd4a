package web

import (
	_ "embed"
	"net/http"
)

//go:embed api/openapi.json
var openapiJSON []byte

// openapi serves the description of /api/v1.
func (s *Server) openapi(w http.ResponseWriter, r *http.Request) {
	serveBytes(w, r, openapiJSON, nil, "application/json; charset=utf-8", false)
}
