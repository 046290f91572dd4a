package web

import "net/http"

// HouseholdHandler is the whole application with the household pages, for
// the tests: until routes.go calls householdRoutes itself, the tests add
// them to the router.
func HouseholdHandler(s *Server) http.Handler { return s.Handler() }

// HouseholdFormValues writes a household into the form's fields.
var HouseholdFormValues = householdValues
