package main

import (
	"context"
	"net/http"

	"tambon/internal/area"
	"tambon/internal/engine"
	"tambon/internal/openrosa"
	"tambon/internal/store"
	"tambon/internal/survey"
	"tambon/internal/xform"
)

// openRosaStore fits the SQL store to openrosa.Store.
type openRosaStore struct{ *store.Store }

func (s openRosaStore) Submit(ctx context.Context, eng *engine.Engine, sub xform.Submission, h *survey.Household) (openrosa.Result, error) {
	res, err := s.Store.Submit(ctx, eng, sub, h)
	return openrosa.Result{Submission: res.Submission, Duplicate: res.Duplicate}, err
}

// withOpenRosa serves field capture (ODK Collect, KoboCollect, Web Forms)
// under /openrosa/ beside the web application. It sits outside the web
// middleware on purpose: devices send no cookies nor Origin headers, and
// submissions have their own size limit and authentication.
func (e *env) withOpenRosa(s *store.Store, tree *area.Tree, web http.Handler) http.Handler {
	or := openrosa.New(openrosa.Config{Store: openRosaStore{s}, Areas: tree, Log: e.log, Now: e.now}).Handler()
	mux := http.NewServeMux()
	mux.Handle("/openrosa/", or)
	mux.Handle("/", web)
	return mux
}
