package web

import (
	"context"
	"net/http"
	"strconv"
	"tambon/internal/area"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/partner"
	"tambon/internal/plan"
	"tambon/internal/survey"
	"tambon/internal/user"
)

// planRoutes registers the development plans: an area's plans and the
// problems its survey proposes, a plan with its ranked problems and items,
// an item with its target households, help delivered and evidence, the
// Excel annex, and the graduation view. routes.go calls it once.
func (s *Server) planRoutes(mux *http.ServeMux) {
	page := s.page
	mux.Handle("GET /areas/{code}/plans", page(s.planList))
	mux.Handle("POST /areas/{code}/plans", page(s.audited("plan.create", s.planCreate)))
	mux.Handle("GET /plans/{plan}", page(s.planView))
	mux.Handle("POST /plans/{plan}/rank", page(s.audited("plan.rank", s.planRank)))
	mux.Handle("POST /plans/{plan}/items", page(s.audited("plan.item.create", s.planItemCreate)))
	mux.Handle("GET /plans/{plan}/items/{item}", page(s.planItemView))
	mux.Handle("POST /plans/{plan}/items/{item}", page(s.audited("plan.item.update", s.planItemUpdate)))
	mux.Handle("POST /plans/{plan}/items/{item}/targets", page(s.audited("plan.item.targets", s.planItemTargets)))
	mux.Handle("POST /plans/{plan}/items/{item}/assistance", page(s.audited("plan.item.assistance", s.planItemAssist)))
	mux.Handle("POST /plans/{plan}/items/{item}/evidence", page(s.audited("plan.item.evidence", s.planItemEvidence)))
	mux.Handle("GET /plans/{plan}/evidence/{ev}", page(s.planEvidenceFile))
	mux.Handle("POST /plans/{plan}/evidence/{ev}/delete", page(s.audited("plan.item.evidence.delete", s.planEvidenceDelete)))
	mux.Handle("GET /plans/{plan}/annex.xlsx", page(s.planAnnex))
	mux.Handle("GET /plans/{plan}/graduation", page(s.planGraduation))
	mux.Handle("GET /areas/{code}/graduation", page(s.areaGraduation))
	mux.Handle("POST /households/{id}/assistance", page(s.audited("household.assistance", s.householdAssist)))
	s.programmeRoutes(mux) // programmes: programme_page.go
}

// planStore is what the plan pages need from storage beyond Store.
// *store.Store implements it.
type planStore interface {
	CreatePlan(ctx context.Context, p plan.Plan, problems []plan.Problem) (plan.Plan, error)
	Plan(ctx context.Context, id int64) (plan.Plan, error)
	Plans(ctx context.Context, area string) ([]plan.Plan, error)
	PlanProblems(ctx context.Context, planID int64) ([]plan.Problem, error)
	RankProblems(ctx context.Context, planID int64, order []int64) error
	SaveItem(ctx context.Context, it plan.Item, by string) (plan.Item, error)
	Item(ctx context.Context, id int64) (plan.Item, error)
	PlanItems(ctx context.Context, planID int64) ([]plan.Item, error)
	SetItemTargets(ctx context.Context, itemID int64, ids []int64) error
	ItemTargets(ctx context.Context, itemID int64) ([]plan.Target, error)
	AddEvidence(ctx context.Context, e plan.Evidence, data []byte) (plan.Evidence, error)
	ItemEvidence(ctx context.Context, itemID int64) ([]plan.Evidence, error)
	EvidenceFile(ctx context.Context, id int64) (plan.Evidence, []byte, error)
	DeleteEvidence(ctx context.Context, planID, id int64) error
	AddAssistance(ctx context.Context, a plan.Assistance) (plan.Assistance, error)
	Assistance(ctx context.Context, f plan.AssistanceFilter) ([]plan.Assistance, error)
	HouseholdByKey(ctx context.Context, round, key string) (survey.Record, error)
	Partners(ctx context.Context, f partner.Filter) ([]partner.Partner, error)
}

func (s *Server) pstore() (planStore, error) {
	ps, ok := s.store.(planStore)
	if !ok {
		return nil, apperr.New(apperr.Unavailable, apperr.T("ระบบจัดเก็บนี้ไม่รองรับแผนพัฒนา", "this store does not hold development plans"))
	}
	return ps, nil
}

// problemSources are the sources a plan's problems are proposed from: the
// จปฐ. survey always, then Config.ProblemSources (cmd/tambon wires others
// there, such as the กชช. 2ค village survey).
func (s *Server) problemSources() []plan.ProblemSource {
	src := []plan.ProblemSource{plan.SurveySource{
		Engine: func(ctx context.Context, round string) (*engine.Engine, error) {
			_, eng, err := s.roundOf(ctx, round)
			return eng, err
		},
		Each: s.store.EachHousehold,
	}}
	src = append(src, s.cfg.ProblemSources...)
	if _, ok := s.store.(forumStore); ok {
		src = append(src, s.forumSource()) // problems villages added at their forums: forum.go
	}
	return src
}

// areaAllowed starts a plan or programme page about the area {code}: the
// signed-in account, allowed to do can there, and the store the page reads.
func areaAllowed[S any](s *Server, r *http.Request, can user.Action, store func() (S, error)) (area.Area, *user.User, S, error) {
	var none S
	u, err := signedIn(r)
	if err != nil {
		return area.Area{}, nil, none, err
	}
	a, err := s.areaOr404(r.PathValue("code"))
	if err != nil {
		return area.Area{}, nil, none, err
	}
	if !u.CanAt(can, a.Code) {
		return area.Area{}, nil, none, deniedPlan()
	}
	st, err := store()
	if err != nil {
		return area.Area{}, nil, none, err
	}
	return a, u, st, nil
}

func deniedPlan() error {
	return apperr.New(apperr.Forbidden, apperr.T("บัญชีของท่านไม่มีสิทธิ์เข้าถึงแผนพัฒนาของพื้นที่นี้", "your account may not see or change the development plans of this area"))
}

// planOf loads the plan named by {plan} and checks the user may do a in its area.
func (s *Server) planOf(r *http.Request, a user.Action) (plan.Plan, *user.User, planStore, error) {
	var p plan.Plan
	u, err := signedIn(r)
	if err != nil {
		return p, nil, nil, err
	}
	if !u.Can(a) {
		return p, nil, nil, deniedPlan()
	}
	ps, err := s.pstore()
	if err != nil {
		return p, nil, nil, err
	}
	id, err := strconv.ParseInt(r.PathValue("plan"), 10, 64)
	if err != nil {
		return p, nil, nil, apperr.New(apperr.NotFound, apperr.T("ไม่พบแผนพัฒนานี้", "no such development plan"))
	}
	if p, err = ps.Plan(r.Context(), id); err != nil {
		return p, nil, nil, err
	}
	if !u.CanAt(a, p.AreaCode) {
		return p, nil, nil, deniedPlan()
	}
	noteRecord(r.Context(), p.AreaCode, p)
	return p, u, ps, nil
}

// itemOf loads the item named by {item} of the plan p.
func itemOf(r *http.Request, ps planStore, p plan.Plan) (plan.Item, error) {
	id, err := strconv.ParseInt(r.PathValue("item"), 10, 64)
	if err != nil {
		return plan.Item{}, apperr.New(apperr.NotFound, apperr.T("ไม่พบโครงการนี้", "no such plan item"))
	}
	it, err := ps.Item(r.Context(), id)
	if err != nil {
		return it, err
	}
	if it.PlanID != p.ID {
		return it, apperr.New(apperr.NotFound, apperr.T("ไม่พบโครงการนี้ในแผนนี้", "this plan has no such item"))
	}
	noteRecord(r.Context(), p.AreaCode, it)
	return it, nil
}

// nextRound is the household round that follows r (the re-survey that
// judges the help), or ok=false.
func (s *Server) nextRound(ctx context.Context, r survey.Round) (survey.Round, bool, error) {
	rs, err := s.store.Rounds(ctx)
	if err != nil {
		return survey.Round{}, false, err
	}
	var best survey.Round
	found := false
	for _, x := range rs {
		if x.AggregateOnly || x.Kind != r.Kind || x.SurveyYear <= r.SurveyYear {
			continue
		}
		if !found || x.SurveyYear < best.SurveyYear {
			best, found = x, true
		}
	}
	return best, found, nil
}
