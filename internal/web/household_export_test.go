package web

import "net/http"

// HouseholdHandler is the whole application with the household pages, for
// the tests: until routes.go calls householdRoutes itself, the tests add
// them to the router.
func HouseholdHandler(s *Server) http.Handler {
	mux := s.routes()
	probe, _ := http.NewRequest("GET", "/households/1", nil)
	if _, pattern := mux.Handler(probe); pattern == "/" {
		s.householdRoutes(mux)
	}
	return s.recoverPanics(s.securityHeaders(s.withUser(mux)))
}

// HouseholdFormValues writes a household into the form's fields.
var HouseholdFormValues = householdValues
