package web

import "net/http"

// AdminHandler is the whole application, administration pages included.
func AdminHandler(s *Server) http.Handler { return s.Handler() }
