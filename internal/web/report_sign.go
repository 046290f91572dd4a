package web

import (
	"context"
	"time"

	"tambon/internal/area"
	"tambon/internal/survey"
	"tambon/internal/thai"
)

// signature is one signature line of the printed report: who verified or
// certified the figures and when, as far as the review workflow recorded
// it, with lines left to sign by hand.
type signature struct {
	Role string // "verify" (the district) or "certify" (the province)
	Name string // the account's name; empty: left blank to fill in
	Date string // when the step was taken; empty: left blank
}

// reviewHistory is what the signature block reads. *store.Store has it.
type reviewHistory interface {
	ReviewHistory(ctx context.Context, round, area string) ([]survey.ReviewEntry, error)
}

// reportSignatures fills the verifier's and certifier's lines. For a
// tambon (or a village in it) whose round is certified they carry the
// names and dates of the last verification and certification since the
// round was last reopened or returned; otherwise the lines are blank for
// the officials to sign.
func (s *Server) reportSignatures(ctx context.Context, lang string, p *profile) ([]signature, error) {
	out := []signature{{Role: "verify"}, {Role: "certify"}}
	if !p.HasRound || p.Round.AggregateOnly || p.Area.Level < area.Subdistrict {
		return out, nil
	}
	rh, ok := s.store.(reviewHistory)
	if !ok {
		return out, nil
	}
	hist, err := rh.ReviewHistory(ctx, p.Round.ID, p.Area.Code[:6])
	if err != nil {
		return nil, err
	}
	var verified, certified *survey.ReviewEntry
	for i := range hist {
		e := &hist[i]
		switch e.Step {
		case survey.Verify:
			verified = e
		case survey.Certify:
			certified = e
		case survey.Return, survey.Reopen:
			verified, certified = nil, nil
		}
	}
	if certified == nil {
		return out, nil // not final: nobody to name
	}
	for i, e := range []*survey.ReviewEntry{verified, certified} {
		if e == nil {
			continue
		}
		out[i].Name = s.displayName(ctx, e.By)
		out[i].Date = s.reportDate(lang, e.At)
	}
	return out, nil
}

// displayName is an account's name, or the username when the account is gone.
func (s *Server) displayName(ctx context.Context, username string) string {
	u, err := s.store.UserByName(ctx, username)
	if err != nil || u.DisplayName == "" {
		return username
	}
	return u.DisplayName
}

func (s *Server) reportDate(lang string, t time.Time) string {
	t = t.In(thai.Bangkok())
	if lang == "en" {
		return thai.FormatDate(t, thai.DateEnglish)
	}
	return thai.FormatDate(t, thai.DateLong)
}
