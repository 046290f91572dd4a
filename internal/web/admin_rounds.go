package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/indicator"
	"tambon/internal/rounds"
	"tambon/internal/survey"
	"tambon/internal/user"
	"tambon/internal/village"
)

// roundAdminStore is what opening survey rounds needs from storage.
// *store.Store implements it.
type roundAdminStore interface {
	CreateRound(ctx context.Context, r survey.Round) error
	VillageRounds(ctx context.Context) ([]village.Round, error)
	CreateVillageRound(ctx context.Context, r village.Round) error
	AuditEvent(ctx context.Context, user, action, area, object, detail string) error
	HouseholdSets(ctx context.Context) ([]*indicator.Set, error)
	VillageSets(ctx context.Context) ([]*village.Set, error)
}

func (s *Server) roundStore() (roundAdminStore, error) {
	rs, ok := s.store.(roundAdminStore)
	if !ok {
		return nil, apperr.New(apperr.Unavailable, apperr.T("ระบบจัดเก็บนี้เปิดรอบสำรวจไม่ได้", "this store cannot open survey rounds"))
	}
	return rs, nil
}

// mayOpenRounds checks that the account may open survey rounds. Rounds are
// national, so the action is asked at the country: a province's
// administrator may manage its accounts, not open rounds for everybody.
func mayOpenRounds(r *http.Request) (*user.User, error) {
	u, err := signedIn(r)
	if err != nil {
		return nil, err
	}
	if !u.CanAt(user.ManageRounds, area.CountryCode) {
		return nil, forbidden()
	}
	return u, nil
}

// adminRoundsData is the survey rounds page: the จปฐ. and กชช. 2ค rounds,
// and a form to open one of each kind.
type adminRoundsData struct {
	Household   []roundRow
	Village     []village.Round
	Sets        []*indicator.Set
	VillageSets []*village.Set
	HH, VR      roundForm
	Done        string // "household" or "village" after a round was opened
	DoneRound   string
}

// VillageSetName names a กชช. 2ค round's set, by its id (empty when no
// stored set has it).
func (d adminRoundsData) VillageSetName(id string) apperr.Text {
	for _, vs := range d.VillageSets {
		if vs.ID == id {
			return vs.Name
		}
	}
	return apperr.Text{}
}

type roundRow struct {
	survey.Round
	Households int
	SetName    apperr.Text
}

// roundForm keeps what was typed in one of the two forms, and what is
// wrong with it, by field (rounds.FieldYear, FieldSet, FieldID).
type roundForm struct {
	ID, Year, Set string
	Errors        map[string][]string
	General       []string
}

// Err returns the messages beside a field.
func (f roundForm) Err(field string) []string { return f.Errors[field] }

// Failed reports whether the form was refused.
func (f roundForm) Failed() bool { return len(f.Errors) > 0 || len(f.General) > 0 }

func (s *Server) adminRounds(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	d := adminRoundsData{Done: q.Get("done"), DoneRound: q.Get("round")}
	if d.Done != "household" && d.Done != "village" {
		d.Done = ""
	}
	return s.renderRounds(w, r, http.StatusOK, d)
}

func (s *Server) renderRounds(w http.ResponseWriter, r *http.Request, status int, d adminRoundsData) error {
	if _, err := mayOpenRounds(r); err != nil {
		return err
	}
	rs, err := s.roundStore()
	if err != nil {
		return err
	}
	ctx := r.Context()
	all, err := s.store.Rounds(ctx)
	if err != nil {
		return err
	}
	for _, rd := range all {
		row := roundRow{Round: rd}
		if set, err := indicator.ForRound(rd); err == nil {
			row.SetName = set.Name
		}
		if !rd.AggregateOnly {
			// One indexed count per round: a handful of rounds exist.
			if row.Households, err = s.store.CountHouseholds(ctx, rd.ID, area.CountryCode); err != nil {
				return err
			}
		}
		d.Household = append(d.Household, row)
	}
	if d.Village, err = rs.VillageRounds(ctx); err != nil {
		return err
	}
	if d.Sets, err = rs.HouseholdSets(ctx); err != nil {
		return err
	}
	if d.VillageSets, err = rs.VillageSets(ctx); err != nil {
		return err
	}
	lang := langFrom(ctx)
	return s.render(w, r, status, "admin_rounds", s.msgs.text(lang, "rounds.title"), d)
}

// readRoundForm reads one of the two forms. A year that is not a number is
// refused here, beside its field, in the page's language; the rest of the
// rules are package rounds'.
func readRoundForm(r *http.Request) (roundForm, int, error) {
	f := roundForm{ID: strings.TrimSpace(r.PostFormValue("id")), Year: strings.TrimSpace(r.PostFormValue("survey_year")),
		Set: strings.TrimSpace(r.PostFormValue("set"))}
	year, err := strconv.Atoi(f.Year)
	if err != nil {
		return f, 0, apperr.Problems{{Field: rounds.FieldYear, Value: f.Year, Reason: apperr.T(
			"โปรดกรอกปีสำรวจเป็นตัวเลข พ.ศ. เช่น 2567", "please give the survey year as a Buddhist Era number, such as 2567")}}
	}
	return f, year, nil
}

// refuse puts an error's problems beside their fields; a conflict (the
// round exists) goes beside the id.
func (f *roundForm) refuse(err error, lang string) {
	f.Errors = map[string][]string{}
	var ps apperr.Problems
	if errors.As(err, &ps) {
		for _, p := range ps {
			f.Errors[p.Field] = append(f.Errors[p.Field], p.Reason.In(lang))
		}
		return
	}
	if apperr.Is(err, apperr.Conflict) {
		f.Errors[rounds.FieldID] = append(f.Errors[rounds.FieldID], apperr.MessageOf(err).In(lang))
		return
	}
	f.General = append(f.General, apperr.MessageOf(err).In(lang))
}

// refusable reports whether an error is the request's fault, to be shown
// on the form, rather than the system's.
func refusable(err error) bool {
	code := apperr.CodeOf(err)
	return code == apperr.Invalid || code == apperr.Conflict || code == apperr.NotFound
}

// openedRound is what the audit log and the redirect say of a new round.
type openedRound struct {
	id, set string
	year    int
}

// roundOpener is what differs between opening the two kinds of round.
type roundOpener struct {
	done, audit, object string // the ?done= value, the audit action, the audit object's prefix
	open                func(ctx context.Context, rs roundAdminStore, f roundForm, year int) (openedRound, error)
	refused             func(f roundForm) adminRoundsData // the page again, with f's refusal
}

var (
	householdRounds = roundOpener{"household", rounds.AuditHousehold, rounds.AuditHouseholdObject,
		func(ctx context.Context, rs roundAdminStore, f roundForm, year int) (openedRound, error) {
			sets, err := rs.HouseholdSets(ctx)
			if err != nil {
				return openedRound{}, err
			}
			rd, err := rounds.Household(f.ID, year, f.Set, sets)
			if err == nil {
				err = rs.CreateRound(ctx, rd)
			}
			return openedRound{rd.ID, rd.SetID, rd.SurveyYear}, err
		},
		func(f roundForm) adminRoundsData { return adminRoundsData{HH: f} }}
	villageRounds = roundOpener{"village", rounds.AuditVillage, rounds.AuditVillageObject,
		func(ctx context.Context, rs roundAdminStore, f roundForm, year int) (openedRound, error) {
			sets, err := rs.VillageSets(ctx)
			if err != nil {
				return openedRound{}, err
			}
			rd, err := rounds.Village(f.ID, year, f.Set, sets)
			if err == nil {
				err = rs.CreateVillageRound(ctx, rd)
			}
			return openedRound{rd.ID, rd.SetID, rd.SurveyYear}, err
		},
		func(f roundForm) adminRoundsData { return adminRoundsData{VR: f} }}
)

func (s *Server) adminCreateRound(w http.ResponseWriter, r *http.Request) error {
	return s.openRound(w, r, householdRounds)
}

func (s *Server) adminCreateVillageRound(w http.ResponseWriter, r *http.Request) error {
	return s.openRound(w, r, villageRounds)
}

// openRound opens a round from the form, or shows the form again with the
// reason beside the field; every round opened is written to the audit log.
func (s *Server) openRound(w http.ResponseWriter, r *http.Request, k roundOpener) error {
	admin, err := mayOpenRounds(r)
	if err != nil {
		return err
	}
	rs, err := s.roundStore()
	if err != nil {
		return err
	}
	f, year, err := readRoundForm(r)
	var rd openedRound
	if err == nil {
		rd, err = k.open(r.Context(), rs, f, year)
	}
	if err != nil {
		if !refusable(err) {
			return err
		}
		f.refuse(err, langFrom(r.Context()))
		return s.renderRounds(w, r, http.StatusBadRequest, k.refused(f))
	}
	if err := rs.AuditEvent(r.Context(), admin.Username, k.audit, "", k.object+rd.id, rounds.AuditDetail(rd.year, rd.set)); err != nil {
		return err
	}
	s.log.Info(k.audit, "by", admin.Username, "round", rd.id, "year", rd.year, "set", rd.set)
	http.Redirect(w, r, "/admin/rounds?done="+k.done+"&round="+url.QueryEscape(rd.id), http.StatusSeeOther)
	return nil
}
