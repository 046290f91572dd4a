package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/engine"
	"tambon/internal/store"
	"tambon/internal/survey"
	"tambon/internal/thai"
	"tambon/internal/user"
)

// The personal data page (/admin/pdpa) is where an administrator honours a
// person's request to be erased (PDPA section 33) and sets and applies each
// round's retention rule. Each action is shown first and done only when
// confirmed; an erasure needs a written reason. docs/privacy.md describes
// what is removed where.

// pdpaRoutes registers the page; routes.go calls it once.
func (s *Server) pdpaRoutes(mux *http.ServeMux) {
	page := s.page
	mux.Handle("GET /admin/pdpa", page(s.adminPDPA))
	mux.Handle("POST /admin/pdpa/erase", page(s.adminPDPAErase))
	mux.Handle("POST /admin/pdpa/retention", page(s.adminPDPARetention))
	mux.Handle("POST /admin/pdpa/retain", page(s.adminPDPARetain))
}

// pdpaStore is what the page needs from storage. *store.Store implements it.
type pdpaStore interface {
	FindErasure(ctx context.Context, req store.ErasureRequest) (store.ErasureTarget, error)
	Erase(ctx context.Context, eng *engine.Engine, req store.ErasureRequest) (store.ErasureResult, error)
	SetRetention(ctx context.Context, round string, months int, by string) error
	Retention(ctx context.Context, round string) (store.RetentionRule, bool, error)
	RetentionAreas(ctx context.Context, round, scope string) ([]store.RetentionArea, error)
	ApplyRetention(ctx context.Context, eng *engine.Engine, round, scope, by string) (store.RetentionResult, error)
}

func (s *Server) erasureStore() (pdpaStore, error) {
	ps, ok := s.store.(pdpaStore)
	if !ok {
		return nil, apperr.New(apperr.Unavailable, apperr.T("ระบบจัดเก็บนี้ไม่รองรับการจัดการข้อมูลส่วนบุคคล", "this store cannot manage personal data"))
	}
	return ps, nil
}

// pdpaData is the page: the erasure form (or its confirmation), the rounds'
// retention rules, and one round's certified tambons.
type pdpaData struct {
	Rounds   []pdpaRound
	Form     erasureForm
	Confirm  *erasureConfirm
	Error    string
	Done     string // erased | rule | retained
	DoneText string
	National bool // may set rules (they apply nationwide)

	Round       string // the round whose tambons are listed
	Areas       []pdpaArea
	RetainAsk   *retainConfirm
	RetainError string
}

type pdpaRound struct {
	survey.Round
	HasRule bool
	Months  int
}

type erasureForm struct {
	Round, Household, Member, CitizenID, Reason string
	Whole                                       bool
}

type erasureConfirm struct {
	Target  store.ErasureTarget
	Village area.Area
}

type pdpaArea struct {
	Area                 area.Area
	Certified, Due, Done string
	IsDue, Applied       bool
	Households           int
	AppliedBy            string
}

type retainConfirm struct {
	Tambons, Households int
}

// mayPDPA checks that the account is an administrator.
func mayPDPA(r *http.Request) (*user.User, error) {
	return may(r, user.ManageUsers)
}

func (s *Server) adminPDPA(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	d := pdpaData{Done: q.Get("done"), Round: q.Get("round")}
	switch d.Done {
	case "erased", "rule", "retained":
		d.DoneText = q.Get("n")
	default:
		d.Done = ""
	}
	return s.renderPDPA(w, r, http.StatusOK, d)
}

func (s *Server) renderPDPA(w http.ResponseWriter, r *http.Request, status int, d pdpaData) error {
	u, err := mayPDPA(r)
	if err != nil {
		return err
	}
	ps, err := s.erasureStore()
	if err != nil {
		return err
	}
	ctx := r.Context()
	lang := langFrom(ctx)
	all, err := s.store.Rounds(ctx)
	if err != nil {
		return err
	}
	d.National = u.AreaCode == area.CountryCode
	for _, rd := range all {
		if rd.AggregateOnly {
			continue
		}
		row := pdpaRound{Round: rd}
		rule, ok, err := ps.Retention(ctx, rd.ID)
		if err != nil {
			return err
		}
		row.HasRule, row.Months = ok, rule.KeepMonths
		d.Rounds = append(d.Rounds, row)
	}
	if d.Round == "" && len(d.Rounds) > 0 {
		d.Round = d.Rounds[0].ID
	}
	if d.Form.Round == "" {
		d.Form.Round = d.Round
	}
	if d.Round != "" {
		areas, err := ps.RetentionAreas(ctx, d.Round, u.AreaCode)
		if err != nil && !apperr.Is(err, apperr.NotFound) && !apperr.Is(err, apperr.Invalid) {
			return err
		}
		for _, a := range areas {
			row := pdpaArea{Certified: formatDate(lang, a.CertifiedAt.In(thai.Bangkok())), Due: formatDate(lang, a.DueAt.In(thai.Bangkok())),
				IsDue: a.Due, Applied: !a.AppliedAt.IsZero(), Households: a.Households, AppliedBy: a.AppliedBy}
			if a.DueAt.IsZero() {
				row.Due = ""
			}
			if row.Applied {
				row.Done = formatDate(lang, a.AppliedAt.In(thai.Bangkok()))
			}
			row.Area, _ = s.areas.Get(a.Area)
			row.Area.Code = a.Area
			d.Areas = append(d.Areas, row)
		}
	}
	return s.render(w, r, status, "admin_pdpa", s.msgs.text(lang, "pdpa.title"), d)
}

// readErasure reads the erasure form into a request for the account.
func readErasure(r *http.Request, u *user.User) (erasureForm, store.ErasureRequest) {
	f := erasureForm{Round: strings.TrimSpace(r.PostFormValue("round")), Household: strings.TrimSpace(r.PostFormValue("household")),
		Member: strings.TrimSpace(r.PostFormValue("member")), CitizenID: strings.TrimSpace(r.PostFormValue("citizen_id")),
		Reason: strings.TrimSpace(r.PostFormValue("reason")), Whole: r.PostFormValue("whole") != ""}
	req := store.ErasureRequest{Round: f.Round, CitizenID: thai.FromThaiDigits(f.CitizenID), Whole: f.Whole,
		Scope: u.AreaCode, By: u.Username, Reason: f.Reason}
	req.HouseholdID, _ = strconv.ParseInt(thai.FromThaiDigits(f.Household), 10, 64)
	req.MemberNo, _ = strconv.Atoi(thai.FromThaiDigits(f.Member))
	if req.HouseholdID != 0 {
		req.CitizenID = ""
	}
	return f, req
}

// adminPDPAErase shows what a request would erase (the confirmation step)
// and, once confirmed, erases it.
func (s *Server) adminPDPAErase(w http.ResponseWriter, r *http.Request) error {
	u, err := mayPDPA(r)
	if err != nil {
		return err
	}
	ps, err := s.erasureStore()
	if err != nil {
		return err
	}
	ctx := r.Context()
	f, req := readErasure(r, u)
	d := pdpaData{Form: f, Round: f.Round}
	t, err := ps.FindErasure(ctx, req)
	if err != nil {
		if !refusable(err) {
			return err
		}
		d.Error = apperr.MessageOf(err).In(langFrom(ctx))
		return s.renderPDPA(w, r, http.StatusBadRequest, d)
	}
	if r.PostFormValue("confirm") != "yes" {
		d.Confirm = &erasureConfirm{Target: t}
		d.Confirm.Village, _ = s.areas.Get(t.Village)
		d.Form.Household, d.Form.Member, d.Form.CitizenID = strconv.FormatInt(t.HouseholdID, 10), strconv.Itoa(t.MemberNo), ""
		return s.renderPDPA(w, r, http.StatusOK, d)
	}
	_, eng, err := s.roundOf(ctx, req.Round)
	if err != nil {
		return err
	}
	// The confirmation names the household and member by number, never by
	// citizen ID, so that the ID is not carried in the page.
	req.HouseholdID, req.MemberNo, req.CitizenID = t.HouseholdID, t.MemberNo, ""
	res, err := ps.Erase(ctx, eng, req)
	if err != nil {
		return err
	}
	s.log.Info("pdpa.erase", "by", u.Username, "round", req.Round, "household", res.HouseholdID, "member", res.MemberNo)
	kind := "household"
	if res.MemberNo > 0 {
		kind = "member"
	}
	http.Redirect(w, r, "/admin/pdpa?done=erased&n="+kind+"&round="+url.QueryEscape(req.Round), http.StatusSeeOther)
	return nil
}

// adminPDPARetention sets a round's retention rule: national
// administrators only, since a round is national.
func (s *Server) adminPDPARetention(w http.ResponseWriter, r *http.Request) error {
	u, err := mayPDPA(r)
	if err != nil {
		return err
	}
	if u.AreaCode != area.CountryCode {
		return forbidden()
	}
	ps, err := s.erasureStore()
	if err != nil {
		return err
	}
	round := r.PostFormValue("round")
	months, err := strconv.Atoi(strings.TrimSpace(thai.FromThaiDigits(r.PostFormValue("months"))))
	if err != nil {
		months = -1
	}
	if err := ps.SetRetention(r.Context(), round, months, u.Username); err != nil {
		if !refusable(err) {
			return err
		}
		return s.renderPDPA(w, r, http.StatusBadRequest, pdpaData{Round: round, RetainError: apperr.MessageOf(err).In(langFrom(r.Context()))})
	}
	http.Redirect(w, r, "/admin/pdpa?done=rule&n="+strconv.Itoa(months)+"&round="+url.QueryEscape(round), http.StatusSeeOther)
	return nil
}

// adminPDPARetain shows how many tambons and households retention would
// pseudonymise now, and once confirmed, does it.
func (s *Server) adminPDPARetain(w http.ResponseWriter, r *http.Request) error {
	u, err := mayPDPA(r)
	if err != nil {
		return err
	}
	ps, err := s.erasureStore()
	if err != nil {
		return err
	}
	ctx := r.Context()
	round := r.PostFormValue("round")
	_, eng, err := s.roundOf(ctx, round)
	if err != nil {
		return err
	}
	if r.PostFormValue("confirm") != "yes" {
		areas, err := ps.RetentionAreas(ctx, round, u.AreaCode)
		if err != nil {
			return err
		}
		ask := &retainConfirm{}
		for _, a := range areas {
			if a.Due {
				n, err := s.store.CountHouseholds(ctx, round, a.Area)
				if err != nil {
					return err
				}
				ask.Tambons++
				ask.Households += n
			}
		}
		return s.renderPDPA(w, r, http.StatusOK, pdpaData{Round: round, RetainAsk: ask})
	}
	res, err := ps.ApplyRetention(ctx, eng, round, u.AreaCode, u.Username)
	if err != nil {
		return err
	}
	s.log.Info("pdpa.retention", "by", u.Username, "round", round, "tambons", len(res.Areas), "households", res.Households)
	http.Redirect(w, r, "/admin/pdpa?done=retained&n="+strconv.Itoa(res.Households)+"&round="+url.QueryEscape(round), http.StatusSeeOther)
	return nil
}

// followStore names members for following households across rounds.
// *store.Store implements it (store.FollowIDs).
type followStore interface {
	FollowIDs(ctx context.Context, round string) (func(rec survey.Record) []string, error)
}

// followIDs returns how to name a round's household members when matching
// them with another round's: by the pseudonyms of their citizen IDs once
// any round has been pseudonymised (docs/privacy.md), else by the IDs.
func (s *Server) followIDs(ctx context.Context, round string) (func(rec survey.Record) []string, error) {
	if fs, ok := s.store.(followStore); ok {
		return fs.FollowIDs(ctx, round)
	}
	return func(rec survey.Record) []string {
		var out []string
		for _, m := range rec.Household.Members {
			if m.CitizenID != "" {
				out = append(out, m.CitizenID)
			}
		}
		return out
	}, nil
}
