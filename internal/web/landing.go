package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"tambon/internal/area"
	"tambon/internal/store"
	"tambon/internal/survey"
	"tambon/internal/user"
	"tambon/internal/xform"
)

// The home page of a signed-in account is its own area: the latest figures
// there and what needs doing, each a link the account may open. Everything
// here is read-only and best effort: a part that cannot be read is left
// out (and logged), the home page always opens.

// completenessStore counts a round's completeness under an area
// (store.RoundCompleteness).
type completenessStore interface {
	RoundCompleteness(ctx context.Context, round, code string) (store.Completeness, error)
}

// myArea is the signed-in account's area on its home page.
type myArea struct {
	Area     area.Area
	Profile  *profile
	Below    int // indicators below target in the latest round
	Assessed int
	// Links the account may open, each shown only when it will work.
	Plans, Dashboard, Households string
	Round                        survey.Round // the household round the work is counted in
	HasWork                      bool         // a household round exists to count work in
	Todo                         []todoItem
}

// todoItem is one line of "what needs doing": how many, and where to do it.
type todoItem struct {
	Key   string // the locale key: landing.todo.<Key>
	N     int
	Href  string
	Extra string // a name to say beside the count (a round, a tambon)
	More  bool   // N is a bound: there are at least N
}

// myAreaFor builds the signed-in account's home box; nil for the public.
func (s *Server) myAreaFor(r *http.Request) *myArea {
	u := userFrom(r.Context())
	if u == nil {
		return nil
	}
	ctx := r.Context()
	a, ok := s.areas.Get(u.AreaCode)
	if u.AreaCode == "" || u.AreaCode == area.CountryCode {
		a, ok = s.areas.Get(area.CountryCode)
	}
	if !ok {
		return nil
	}
	m := &myArea{Area: a}
	if p, err := s.loadProfile(ctx, a, "", false); err != nil {
		s.log.Warn("home: my area's figures", "area", a.Code, "err", err)
	} else {
		m.Profile = p
		for _, g := range p.Report.Groups {
			m.Assessed += g.Assessed
			m.Below += g.BelowTarget
		}
	}
	if u.CanAt(user.ViewPlans, a.Code) {
		m.Plans = "/areas/" + a.Code + "/plans"
	}
	m.Todo = s.todoFor(ctx, u, a, m)
	return m
}

// currentHouseholdRound is the newest จปฐ. round that holds household
// records: the one work is done in.
func currentHouseholdRound(rounds []survey.Round) (survey.Round, bool) {
	for _, r := range rounds { // newest first
		if !r.AggregateOnly && r.Kind == survey.KindBMN {
			return r, true
		}
	}
	return survey.Round{}, false
}

// todoFor lists what needs doing in the account's area, most urgent first:
// review steps waiting for this account, submissions waiting for a
// reviewer, overdue follow-ups, plan items past their end, drafts, and
// households of the previous round not yet re-surveyed. Lines with nothing
// to do are left out.
func (s *Server) todoFor(ctx context.Context, u *user.User, a area.Area, m *myArea) []todoItem {
	var out []todoItem
	add := func(it todoItem) {
		if it.N > 0 {
			out = append(out, it)
		}
	}
	rounds, err := s.store.Rounds(ctx)
	if err != nil {
		s.log.Warn("home: rounds", "err", err)
		return nil
	}
	rd, hasRound := currentHouseholdRound(rounds)
	seesHouseholds := u.CanAt(user.ViewHouseholds, a.Code)
	var work store.Completeness
	if hasRound && seesHouseholds {
		m.Round, m.HasWork = rd, true
		rid := url.PathEscape(rd.ID)
		m.Dashboard = "/rounds/" + rid + "/areas/" + a.Code + "/completeness"
		if a.Level == area.Subdistrict || a.Level == area.Village {
			m.Households = "/rounds/" + rid + "/areas/" + a.Code + "/households"
		}
		if cs, ok := s.store.(completenessStore); ok {
			if work, err = s.cachedWork(ctx, cs, rd.ID, a.Code); err != nil {
				s.log.Warn("home: completeness", "area", a.Code, "err", err)
			}
		}
	}
	// Review steps this account may take now, tambon by tambon.
	if hasRound && (u.Can(user.SubmitRound) || u.Can(user.VerifyRound) || u.Can(user.CertifyRound)) {
		if cs, ok := s.store.(coverageStore); ok {
			covers, err := s.tambonCovers(ctx, cs, rd.ID, a.Code)
			if err != nil {
				s.log.Warn("home: review states", "err", err)
			}
			for _, step := range []survey.Review{survey.Certify, survey.Verify, survey.Submit} {
				it := todoItem{Key: "review." + string(step), Extra: s.roundName(langFrom(ctx), rd)}
				for _, c := range covers {
					if mayReview(u, step, c.Status, c.Code) {
						it.N++
						it.Href = "/rounds/" + url.PathEscape(rd.ID) + "/areas/" + c.Code + "/review"
					}
				}
				if it.N > 1 {
					it.Href = m.Dashboard
				}
				if it.Href != "" {
					add(it)
				}
			}
		}
	}
	total := work.Total()
	if seesHouseholds {
		// Counted afresh and over every round, as the queue it opens lists them.
		if ss, err := s.sstore(); err == nil {
			if subs, err := ss.ReviewQueue(ctx, xform.Review, a.Code, maxWaiting); err != nil {
				s.log.Warn("home: submissions waiting", "err", err)
			} else {
				add(todoItem{Key: "waiting", N: len(subs), More: len(subs) >= maxWaiting, Href: "/submissions?area=" + a.Code + "&status=review"})
			}
		}
	}
	if u.CanAt(user.ViewPlans, a.Code) {
		if st, err := s.actStore(); err == nil {
			if fs, err := st.OverdueFollowUps(ctx, a.Code, s.now(), maxDue); err != nil {
				s.log.Warn("home: overdue follow-ups", "err", err)
			} else {
				add(todoItem{Key: "overdue", N: len(fs), More: len(fs) >= maxDue, Href: "#overdue"})
			}
		}
		add(s.itemsPastDue(ctx, a.Code))
	}
	if seesHouseholds && hasRound {
		where := m.Households
		if where == "" {
			where = m.Dashboard
		}
		drafts, missing := where, where
		if m.Households != "" {
			drafts, missing = where+"?status=draft", where+"?missing=1"
		}
		add(todoItem{Key: "drafts", N: total.Drafts, Href: drafts})
		if work.PrevRecords {
			add(todoItem{Key: "missing", N: total.NotResurveyed, Href: missing, Extra: work.Prev})
		}
	}
	return out
}

// maxWaiting is as many waiting submissions as the home page counts: the
// queue it links to shows as many at a time; more are said as "500+".
const maxWaiting = 500

// dueStore finds plan items past their end (store.ItemsPastDue).
type dueStore interface {
	ItemsPastDue(ctx context.Context, area string, today time.Time, limit int) ([]store.ItemDue, error)
}

// itemsPastDue counts the plan items under an area whose end date has
// passed while their work is not finished; the link opens the item when
// there is one, else the area's plans.
func (s *Server) itemsPastDue(ctx context.Context, code string) todoItem {
	it := todoItem{Key: "items", Href: "/areas/" + code + "/plans"}
	ds, ok := s.store.(dueStore)
	if !ok {
		return it
	}
	due, err := ds.ItemsPastDue(ctx, code, s.now(), maxDue)
	if err != nil {
		s.log.Warn("home: plan items past due", "err", err)
		return it
	}
	it.N, it.More = len(due), len(due) >= maxDue
	if it.N == 1 {
		it.Href = "/plans/" + strconv.FormatInt(due[0].PlanID, 10) + "/items/" + strconv.FormatInt(due[0].ItemID, 10)
	}
	return it
}

// maxDue is as many late plan items or follow-ups as the home page counts;
// more are said as "1,000+".
const maxDue = 1000
