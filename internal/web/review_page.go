package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/store"
	"tambon/internal/survey"
	"tambon/internal/user"
)

// reviewPageData is a tambon's review in a round: where it stands, how it
// got there, and the steps the user may take now.
type reviewPageData struct {
	Tambon     area.Area
	Crumbs     []area.Area
	Round      survey.Round
	Status     survey.Status
	History    []reviewView
	Steps      []reviewStepView
	Households int
	Error      string
	Reasons    []string // why the step was refused: the checklist's open items
	Check      store.Checklist
	Open       []string // the checklist's open items, in the page's language
	PrevRound  string
	List       string // the tambon's household list
	Total      store.VillageCheck
}

type reviewView struct {
	Step, From, To, Comment, At, By string
}

type reviewStepView struct {
	Step        string
	NeedsReason bool
	Gated       bool // needs a written override while the checklist is open
}

// reviewAction is the permission each step needs.
var reviewAction = map[survey.Review][]user.Action{
	survey.Submit:  {user.SubmitRound},
	survey.Verify:  {user.VerifyRound},
	survey.Return:  {user.VerifyRound, user.CertifyRound},
	survey.Certify: {user.CertifyRound},
	survey.Reopen:  {user.ReopenRound},
}

// mayReview reports whether u may take step at the tambon now. Returning is
// the district's while the tambon is submitted and the province's once the
// district verified it.
func mayReview(u *user.User, step survey.Review, from survey.Status, tambon string) bool {
	if _, err := survey.Next(from, step); err != nil {
		return false
	}
	if step == survey.Return {
		if from == survey.StatusSubmitted {
			return u.CanAt(user.VerifyRound, tambon)
		}
		return u.CanAt(user.CertifyRound, tambon)
	}
	for _, a := range reviewAction[step] {
		if u.CanAt(a, tambon) {
			return true
		}
	}
	return false
}

func (s *Server) reviewPage(w http.ResponseWriter, r *http.Request) error {
	return s.showReview(w, r, http.StatusOK, "", nil)
}

func (s *Server) showReview(w http.ResponseWriter, r *http.Request, status int, msg string, refused []apperr.Text) error {
	code := r.PathValue("tambon")
	u, err := allow(r, user.ViewHouseholds, code)
	if err != nil {
		return err
	}
	a, err := s.areaOr404(code)
	if err != nil {
		return err
	}
	if a.Level != area.Subdistrict {
		return apperr.New(apperr.NotFound, apperr.T("การตรวจรับรองข้อมูลทำเป็นรายตำบล", "rounds are reviewed tambon by tambon"))
	}
	rd, _, err := s.roundOf(r.Context(), r.PathValue("round"))
	if err != nil {
		return err
	}
	hs, err := s.hstore()
	if err != nil {
		return err
	}
	lang := langFrom(r.Context())
	d := &reviewPageData{Tambon: a, Crumbs: s.areas.Ancestors(a.Code), Round: rd, Error: msg}
	for _, t := range refused {
		d.Reasons = append(d.Reasons, t.In(lang))
	}
	ls, err := s.lstore()
	if err != nil {
		return err
	}
	if d.Check, err = ls.RoundChecklist(r.Context(), rd.ID, a.Code); err != nil {
		return err
	}
	for _, t := range d.Check.Reasons() {
		d.Open = append(d.Open, t.In(lang))
	}
	d.List = "/rounds/" + url.PathEscape(rd.ID) + "/areas/" + a.Code + "/households"
	d.Total.ExpectedKnown = len(d.Check.Villages) > 0
	for _, v := range d.Check.Villages {
		d.Total.Expected += v.Expected
		d.Total.ExpectedKnown = d.Total.ExpectedKnown && v.ExpectedKnown
		d.Total.Surveyed += v.Surveyed
		d.Total.Drafts += v.Drafts
		d.Total.Waiting += v.Waiting
		d.Total.NotResurveyed += v.NotResurveyed
	}
	if d.Status, err = hs.RoundStatus(r.Context(), rd.ID, a.Code); err != nil {
		return err
	}
	if d.Households, err = s.store.CountHouseholds(r.Context(), rd.ID, a.Code); err != nil {
		return err
	}
	st, err := s.hstore()
	if err != nil {
		return err
	}
	hist, err := st.ReviewHistory(r.Context(), rd.ID, a.Code)
	if err != nil {
		return err
	}
	for i := len(hist) - 1; i >= 0; i-- { // newest first
		e := hist[i]
		d.History = append(d.History, reviewView{Step: s.msgs.text(lang, "rev.step."+string(e.Step)),
			From: s.msgs.text(lang, "rev.status."+string(e.From)), To: s.msgs.text(lang, "rev.status."+string(e.To)),
			Comment: e.Comment, At: formatStamp(lang, e.At), By: e.By})
	}
	for _, step := range []survey.Review{survey.Submit, survey.Verify, survey.Certify, survey.Return, survey.Reopen} {
		if mayReview(u, step, d.Status, a.Code) {
			d.Steps = append(d.Steps, reviewStepView{Step: string(step), NeedsReason: step == survey.Return || step == survey.Reopen,
				Gated: len(d.Open) > 0 && (step == survey.Submit || step == survey.Verify || step == survey.Certify)})
		}
	}
	return s.render(w, r, status, "review", s.msgs.text(lang, "rev.title", "area", areaTitle(lang, a)), d)
}

func (s *Server) reviewStep(w http.ResponseWriter, r *http.Request) error {
	code := r.PathValue("tambon")
	u, err := signedIn(r)
	if err != nil {
		return err
	}
	if _, err := s.areaOr404(code); err != nil {
		return err
	}
	rd, _, err := s.roundOf(r.Context(), r.PathValue("round"))
	if err != nil {
		return err
	}
	hs, err := s.hstore()
	if err != nil {
		return err
	}
	step := survey.Review(r.PostFormValue("step"))
	comment := strings.TrimSpace(r.PostFormValue("comment"))
	from, err := hs.RoundStatus(r.Context(), rd.ID, code)
	if err != nil {
		return err
	}
	if _, known := reviewAction[step]; !known || !mayReview(u, step, from, code) {
		if _, err := allow(r, user.ViewHouseholds, code); err != nil {
			return err
		}
		return apperr.New(apperr.Forbidden, apperr.T("บัญชีของท่านทำขั้นตอนนี้ไม่ได้ในขณะนี้", "your account cannot take this step now"))
	}
	ls, err := s.lstore()
	if err != nil {
		return err
	}
	override := strings.TrimSpace(r.PostFormValue("override"))
	to, err := ls.ReviewChecked(r.Context(), rd.ID, code, step, u.Username, comment, override)
	var inc *store.IncompleteError
	if errors.As(err, &inc) {
		return s.showReview(w, r, http.StatusUnprocessableEntity, s.msgs.text(langFrom(r.Context()), "daily.refused"), inc.Reasons)
	}
	if apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.Conflict) {
		return s.showReview(w, r, http.StatusUnprocessableEntity, apperr.MessageOf(err).In(langFrom(r.Context())), nil)
	}
	if err != nil {
		return err
	}
	detail, _ := json.Marshal(map[string]string{"step": string(step), "from": string(from), "to": string(to), "comment": comment, "override": override})
	if err := s.audit(r.Context(), u, "round.review", code, "round:"+rd.ID, string(detail)); err != nil {
		return err
	}
	http.Redirect(w, r, "/rounds/"+url.PathEscape(rd.ID)+"/areas/"+code+"/review", http.StatusSeeOther)
	return nil
}
