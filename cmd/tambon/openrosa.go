package main

import (
	"context"
	"net/http"

	"tambon/internal/area"
	"tambon/internal/openrosa"
	"tambon/internal/signin"
	"tambon/internal/store"
)

// openRosaStore fits the SQL store to openrosa.Store.
type openRosaStore struct{ *store.Store }

func (s openRosaStore) SubmitBatch(ctx context.Context, items []openrosa.Item) ([]openrosa.Result, error) {
	in := make([]store.SubmitItem, len(items))
	for i, it := range items {
		in[i] = store.SubmitItem{Sub: it.Sub, Household: it.Household, Engine: it.Engine, Scope: it.Scope}
		if it.Visit != nil {
			in[i].Visit = &store.VisitOutcome{Key: it.Visit.Key, Outcome: it.Visit.Outcome}
		}
	}
	res, err := s.Store.SubmitBatch(ctx, in)
	if err != nil {
		return nil, err
	}
	out := make([]openrosa.Result, len(res))
	for i, r := range res {
		out[i] = openrosa.Result{Submission: r.Submission, Duplicate: r.Duplicate, Err: r.Err}
	}
	return out, nil
}

// withOpenRosa serves field capture (ODK Collect, KoboCollect, Web Forms)
// under /openrosa/ beside the web application. It sits outside the web
// middleware on purpose: devices send no cookies nor Origin headers, and
// submissions have their own size limit and authentication. Digest nonces
// are signed with a key kept in the database, so that every server process
// on it accepts the nonces of the others.
func (e *env) withOpenRosa(ctx context.Context, s *store.Store, tree *area.Tree, gate *signin.Gate, web http.Handler) (http.Handler, error) {
	key, err := s.SharedKey(ctx, "openrosa-digest-nonce")
	if err != nil {
		return nil, err
	}
	or := openrosa.New(openrosa.Config{Store: openRosaStore{s}, Areas: tree, Log: e.log, Now: e.now, SignIn: gate, NonceKey: key}).Handler()
	mux := http.NewServeMux()
	mux.Handle("/openrosa/", or)
	mux.Handle("/", web)
	return mux, nil
}
