package web

import "net/http"

// partnerOptions lists the partners an item may name as responsible. The
// partners feature fills it; until then an item names none.
func (s *Server) partnerOptions(r *http.Request, areaCode string) ([]partnerOption, error) {
	return nil, nil
}
