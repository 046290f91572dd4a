package web

import (
	"net/http"

	"tambon/internal/partner"
)

// partnerOptions lists the partners an item may name as responsible: those
// who work in the plan's area.
func (s *Server) partnerOptions(r *http.Request, areaCode string) ([]partnerOption, error) {
	ps, err := s.pstore()
	if err != nil {
		return nil, err
	}
	list, err := ps.Partners(r.Context(), partner.Filter{Serves: areaCode})
	if err != nil {
		return nil, err
	}
	lang := langFrom(r.Context())
	out := make([]partnerOption, 0, len(list))
	for _, p := range list {
		out = append(out, partnerOption{ID: p.ID, Name: p.Name(lang)})
	}
	return out, nil
}
