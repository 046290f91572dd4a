package web

import (
	"net/http"
	"strconv"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/area"
)

// apiAreaBody is the JSON shape of an area. It is its own type, not the
// domain struct, so the API stays stable when the domain changes.
type apiAreaBody struct {
	Code       string `json:"code"`
	Level      string `json:"level"`
	NameTH     string `json:"name_th"`
	NameEN     string `json:"name_en"`
	TitleTH    string `json:"title_th"`
	TitleEN    string `json:"title_en"`
	Parent     string `json:"parent,omitempty"`
	Moo        int    `json:"moo,omitempty"`
	Region     int    `json:"region,omitempty"`
	ChildCount int    `json:"child_count"`
}

func (s *Server) apiAreaOf(a area.Area) apiAreaBody {
	return apiAreaBody{Code: a.Code, Level: a.Level.String(), NameTH: a.NameTH, NameEN: a.NameEN,
		TitleTH: a.TitleTH(), TitleEN: a.TitleEN(), Parent: a.Parent, Moo: a.Moo, Region: a.Region,
		ChildCount: len(s.areas.Children(a.Code))}
}

func (s *Server) apiArea(w http.ResponseWriter, r *http.Request) error {
	a, err := s.areaOr404(r.PathValue("code"))
	if err != nil {
		return err
	}
	body := struct {
		apiAreaBody
		Path []apiAreaBody `json:"path"`
	}{apiAreaBody: s.apiAreaOf(a), Path: []apiAreaBody{}}
	for _, anc := range s.areas.Ancestors(a.Code) {
		body.Path = append(body.Path, s.apiAreaOf(anc))
	}
	return writeJSON(w, http.StatusOK, body)
}

func (s *Server) apiAreaChildren(w http.ResponseWriter, r *http.Request) error {
	a, err := s.areaOr404(r.PathValue("code"))
	if err != nil {
		return err
	}
	out := []apiAreaBody{}
	for _, k := range s.areas.Children(a.Code) {
		out = append(out, s.apiAreaOf(k))
	}
	return writeJSON(w, http.StatusOK, map[string]any{"area": a.Code, "children": out})
}

func (s *Server) apiSearchAreas(w http.ResponseWriter, r *http.Request) error {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if q == "" {
		return apperr.New(apperr.Invalid, apperr.T("ต้องระบุคำค้น q", "the query parameter q is required"))
	}
	limit := searchLimit
	if l := r.URL.Query().Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 500 {
			return apperr.New(apperr.Invalid, apperr.T("limit ต้องเป็นจำนวนเต็ม 1-500", "limit must be a whole number from 1 to 500"))
		}
		limit = n
	}
	type match struct {
		apiAreaBody
		PathTH string `json:"path_th"`
		PathEN string `json:"path_en"`
	}
	out := []match{}
	// within keeps the matches inside one area (the forms' area pickers
	// offer only the areas of the account's own).
	within := strings.TrimSpace(r.URL.Query().Get("within"))
	if within == "TH" {
		within = ""
	}
	asked := limit
	if within != "" {
		asked = 0
	}
	for _, m := range s.areas.Search(q, asked) {
		if len(out) == limit {
			break
		}
		if strings.HasPrefix(m.Area.Code, within) {
			out = append(out, match{apiAreaBody: s.apiAreaOf(m.Area), PathTH: m.Path, PathEN: m.PathEN})
		}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"q": q, "matches": out})
}
