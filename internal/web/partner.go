package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/partner"
	"tambon/internal/user"
)

// partnerListData is the partners working in an area.
type partnerListData struct {
	AreaCode string
	AreaName string
	Kind     string
	Search   string
	Kinds    []partner.Kind
	Rows     []partnerRow
	CanAdd   bool
}

type partnerRow struct {
	partner.Partner
	Org    string
	Where  string
	Serves []string
}

func (s *Server) partnerList(w http.ResponseWriter, r *http.Request) error {
	d, err := s.partnerListOf(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "partner_list", s.msgs.text(langFrom(r.Context()), "partner.list"), d)
}

// partnerListOf reads the partner list's filters (area, kind, search),
// checks the account may see the area, and lists the partners: the page
// and its Excel file share it.
func (s *Server) partnerListOf(r *http.Request) (partnerListData, error) {
	var d partnerListData
	st, err := s.actStore()
	if err != nil {
		return d, err
	}
	u, err := signedIn(r)
	if err != nil {
		return d, err
	}
	q := r.URL.Query()
	code := q.Get("area")
	if code == "" {
		code = u.AreaCode
	}
	if _, err := mayPlan(r, user.ViewPlans, code); err != nil {
		return d, err
	}
	if _, err := s.areaOr404(code); err != nil {
		return d, err
	}
	lang := langFrom(r.Context())
	d = partnerListData{AreaCode: code, AreaName: s.areaTitle(code, lang), Kind: q.Get("kind"), Search: q.Get("q"),
		Kinds: partner.Kinds, CanAdd: u.CanAt(user.EditPlans, code)}
	f := partner.Filter{Serves: code, Kind: partner.Kind(d.Kind), Search: d.Search}
	if d.Kind != "" {
		if _, err := partner.ParseKind(d.Kind); err != nil {
			return d, err
		}
	}
	ps, err := st.Partners(r.Context(), f)
	if err != nil {
		return d, err
	}
	names := map[int64]string{}
	for _, p := range ps {
		names[p.ID] = p.Name(lang)
	}
	for _, p := range ps {
		row := partnerRow{Partner: p, Org: names[p.OrgID], Where: s.areaTitle(p.AreaCode, lang)}
		if p.OrgID != 0 && row.Org == "" {
			if o, err := st.Partner(r.Context(), p.OrgID); err == nil {
				row.Org = o.Name(lang)
			}
		}
		d.Rows = append(d.Rows, row)
	}
	return d, nil
}

// partnerFormData is the entry form of a partner.
type partnerFormData struct {
	ID        int64
	P         partner.Partner
	Serves    []areaOption // the areas served, each a box to keep ticked
	Kinds     []partner.Kind
	Orgs      []partner.Partner
	AreaText  string // the area's name in the area picker
	ServesAdd string // a name typed to add an area served, when refused
	Within    string // the area picker's bound: the account's area
	formErrors
}

// partnerAliases are the form's inputs for the fields the domain names.
var partnerAliases = map[string]string{"area_code": "area"}

func (s *Server) partnerForm(w http.ResponseWriter, r *http.Request, status int, u *user.User, d partnerFormData) error {
	st, err := s.actStore()
	if err != nil {
		return err
	}
	d.Kinds = partner.Kinds
	all, _ := st.Partners(r.Context(), partner.Filter{Serves: u.AreaCode, Limit: 500})
	for _, p := range all {
		if !p.Kind.IsPerson() && p.ID != d.ID && p.WorksIn(u.AreaCode) {
			d.Orgs = append(d.Orgs, p)
		}
	}
	lang := langFrom(r.Context())
	if d.Serves == nil {
		for _, c := range d.P.Serves {
			d.Serves = append(d.Serves, areaOption{c, s.areaLabel(c, lang)})
		}
	}
	d.Within = u.AreaCode
	if d.AreaText == "" {
		d.AreaText = s.areaLabel(d.P.AreaCode, lang)
	}
	title := s.msgs.text(lang, "partner.new")
	if d.ID != 0 {
		title = s.msgs.text(lang, "partner.edit")
	}
	return s.render(w, r, status, "partner_form", title, d)
}

func (s *Server) partnerNew(w http.ResponseWriter, r *http.Request) error {
	u, err := signedIn(r)
	if err != nil {
		return err
	}
	if _, err := mayPlan(r, user.EditPlans, u.AreaCode); err != nil {
		return err
	}
	return s.partnerForm(w, r, http.StatusOK, u, partnerFormData{P: partner.Partner{Kind: partner.LocalGov, AreaCode: u.AreaCode}})
}

func (s *Server) partnerOf(r *http.Request, action user.Action) (partner.Partner, activityStore, *user.User, error) {
	st, err := s.actStore()
	if err != nil {
		return partner.Partner{}, nil, nil, err
	}
	u, err := signedIn(r)
	if err != nil {
		return partner.Partner{}, nil, nil, err
	}
	id, err := pathID(r)
	if err != nil {
		return partner.Partner{}, nil, nil, err
	}
	p, err := st.Partner(r.Context(), id)
	if err != nil {
		return p, nil, nil, err
	}
	// A partner is seen by those who may see plans where it works
	// (partner.WorksIn: a provincial office, by a tambon team it serves),
	// and edited only where it sits.
	if action == user.ViewPlans && u.Can(user.ViewPlans) && p.WorksIn(u.AreaCode) {
		return p, st, u, nil
	}
	if _, err := mayPlan(r, action, p.AreaCode); err != nil {
		return p, nil, nil, err
	}
	noteRecord(r.Context(), p.AreaCode, p)
	return p, st, u, nil
}

// partnerViewData is one partner's page.
type partnerViewData struct {
	P       partner.Partner
	Org     partner.Partner
	Where   string
	Serves  []string
	Members []partner.Partner
	CanEdit bool
	Saved   bool
}

func (s *Server) partnerView(w http.ResponseWriter, r *http.Request) error {
	p, st, u, err := s.partnerOf(r, user.ViewPlans)
	if err != nil {
		return err
	}
	lang := langFrom(r.Context())
	d := partnerViewData{P: p, Where: s.areaTitle(p.AreaCode, lang), CanEdit: u.CanAt(user.EditPlans, p.AreaCode), Saved: r.URL.Query().Get("saved") != ""}
	for _, c := range p.Serves {
		d.Serves = append(d.Serves, s.areaTitle(c, lang))
	}
	if p.OrgID != 0 {
		d.Org, _ = st.Partner(r.Context(), p.OrgID)
	}
	if !p.Kind.IsPerson() {
		people, _ := st.Partners(r.Context(), partner.Filter{Within: p.AreaCode})
		for _, x := range people {
			if x.OrgID == p.ID {
				d.Members = append(d.Members, x)
			}
		}
	}
	return s.render(w, r, http.StatusOK, "partner_view", p.Name(lang), d)
}

func (s *Server) partnerEdit(w http.ResponseWriter, r *http.Request) error {
	p, _, u, err := s.partnerOf(r, user.EditPlans)
	if err != nil {
		return err
	}
	return s.partnerForm(w, r, http.StatusOK, u, partnerFormData{ID: p.ID, P: p})
}

func (s *Server) partnerCreate(w http.ResponseWriter, r *http.Request) error {
	u, err := signedIn(r)
	if err != nil {
		return err
	}
	return s.savePartner(w, r, u, 0)
}

func (s *Server) partnerUpdate(w http.ResponseWriter, r *http.Request) error {
	p, _, u, err := s.partnerOf(r, user.EditPlans)
	if err != nil {
		return err
	}
	return s.savePartner(w, r, u, p.ID)
}

func (s *Server) savePartner(w http.ResponseWriter, r *http.Request, u *user.User, id int64) error {
	st, err := s.actStore()
	if err != nil {
		return err
	}
	if !u.Can(user.EditPlans) {
		_, err := mayPlan(r, user.EditPlans, u.AreaCode)
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(err, apperr.Invalid, apperr.T("อ่านแบบฟอร์มไม่ได้", "cannot read the form"))
	}
	f := r.PostForm
	p := partner.Partner{ID: id, Kind: partner.Kind(f.Get("kind")), NameTH: f.Get("name_th"), NameEN: f.Get("name_en"),
		PositionTH: f.Get("position_th"), PositionEN: f.Get("position_en"), AreaCode: strings.TrimSpace(f.Get("area_code")),
		Serves: strings.Fields(strings.ReplaceAll(strings.Join(f["serves"], " "), ",", " ")), Phone: f.Get("phone"), Email: f.Get("email"),
		Address: f.Get("address"), Note: f.Get("note")}
	lang := langFrom(r.Context())
	d := partnerFormData{ID: id, P: p, Serves: []areaOption{}, AreaText: f.Get("area")}
	// The area is picked by name; one more area served may be added the
	// same way beside the ticked ones.
	var picked apperr.Problems
	code, bad := s.pickArea("area", f.Get("area"), p.AreaCode, u.AreaCode)
	if bad != nil {
		picked = append(picked, *bad)
	} else if p.AreaCode, d.P.AreaCode = code, code; strings.TrimSpace(d.AreaText) != "" {
		d.AreaText = s.areaLabel(code, lang)
	}
	added, bad := s.pickArea("serves_add", f.Get("serves_add"), f.Get("serves_add_code"), u.AreaCode)
	if bad != nil {
		picked = append(picked, *bad)
		d.ServesAdd = f.Get("serves_add")
	} else if added != "" && !slices.Contains(p.Serves, added) {
		p.Serves = append(p.Serves, added)
	}
	d.P.Serves = p.Serves
	for _, c := range p.Serves {
		d.Serves = append(d.Serves, areaOption{c, s.areaLabel(c, lang)})
	}
	if len(picked) > 0 {
		d.formErrors = s.formErrorsOf(picked, lang, "partner.f.", partnerAliases)
		return s.partnerForm(w, r, http.StatusBadRequest, u, d)
	}
	if o := f.Get("org_id"); o != "" {
		p.OrgID, err = strconv.ParseInt(o, 10, 64)
		if err != nil {
			d.formErrors = s.formErrorsOf(apperr.Problems{{Field: "org_id", Value: o, Reason: apperr.T("ไม่ใช่หมายเลขภาคี", "not a partner number")}}, lang, "partner.f.", partnerAliases)
			return s.partnerForm(w, r, http.StatusBadRequest, u, d)
		}
		d.P.OrgID = p.OrgID
	}
	if p.AreaCode == "" || !u.CanAt(user.EditPlans, p.AreaCode) {
		if p.AreaCode != "" {
			d.formErrors = s.formErrorsOf(apperr.Problems{{Field: "area_code", Value: p.AreaCode, Reason: apperr.T(
				"พื้นที่นี้อยู่นอกพื้นที่ที่บัญชีของท่านดูแล", "this area lies outside the area your account looks after")}}, lang, "partner.f.", partnerAliases)
			return s.partnerForm(w, r, http.StatusForbidden, u, d)
		}
	}
	// The references inside the form: the organisation is a partner of the
	// account's area, and each area served lies in it (or was served already).
	var old partner.Partner
	served := map[string]bool{}
	if id != 0 {
		if old, err = st.Partner(r.Context(), id); err != nil {
			return err
		}
		for _, c := range old.Serves {
			served[c] = true
		}
	}
	var foreign apperr.Problems
	if p.OrgID != old.OrgID {
		if foreign, err = s.foreignPartners(r.Context(), u, "org_id", p.OrgID); err != nil {
			return err
		}
	}
	for _, c := range p.Serves {
		if !served[c] && !u.CanAt(user.EditPlans, c) {
			foreign = append(foreign, apperr.Problem{Field: "serves", Value: c, Reason: apperr.T(
				"พื้นที่นี้อยู่นอกพื้นที่ที่บัญชีของท่านดูแล", "this area lies outside the area your account looks after")})
		}
	}
	if len(foreign) > 0 {
		d.formErrors = s.formErrorsOf(foreign, lang, "partner.f.", partnerAliases)
		return s.partnerForm(w, r, http.StatusForbidden, u, d)
	}
	var saved partner.Partner
	if id == 0 {
		saved, err = st.CreatePartner(r.Context(), p, u.Username)
	} else {
		saved, err = st.UpdatePartner(r.Context(), p)
	}
	if err != nil {
		if code := apperr.CodeOf(err); code != apperr.Invalid && code != apperr.Conflict {
			return err
		}
		d.formErrors = s.formErrorsOf(err, lang, "partner.f.", partnerAliases)
		return s.partnerForm(w, r, http.StatusBadRequest, u, d)
	}
	http.Redirect(w, r, fmt.Sprintf("/partners/%d?saved=1", saved.ID), http.StatusSeeOther)
	return nil
}
