package web

import (
	"fmt"
	"net/http"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/user"
	"tambon/internal/village"
)

// villageField is one indicator's input on the form.
type villageField struct {
	Ind     *village.Indicator
	Value   string
	Problem string // why the posted value was refused, in the page's language
}

type villageFormGroup struct {
	Group  village.Group
	Fields []villageField
}

type villageFormData struct {
	villageHead
	Groups []villageFormGroup
	Exists bool
	formErrors
}

// villageEditable checks the account and loads what the form needs.
func (s *Server) villageEditable(r *http.Request) (*user.User, villageStore, villageHead, error) {
	var head villageHead
	a, err := s.areaOr404(r.PathValue("code"))
	if err != nil {
		return nil, nil, head, err
	}
	if a.Level != area.Village {
		return nil, nil, head, apperr.New(apperr.NotFound, apperr.Tf(
			"%s ไม่ใช่หมู่บ้าน: แบบ กชช. 2ค กรอกทีละหมู่บ้าน", "%s is not a village: the กชช. 2ค form is for one village", a.Code))
	}
	u, err := allow(r, user.EditHouseholds, a.Code)
	if err != nil {
		return nil, nil, head, err
	}
	vs, rd, set, prev, err := s.villageRound(r.Context(), r.PathValue("vround"))
	if err != nil {
		return nil, nil, head, err
	}
	return u, vs, villageHead{Area: a, Crumbs: s.areas.Ancestors(a.Code), Round: rd, Prev: prev, Set: set}, nil
}

// villageEdit shows the form, filled with the stored answers if any.
func (s *Server) villageEdit(w http.ResponseWriter, r *http.Request) error {
	_, vs, head, err := s.villageEditable(r)
	if err != nil {
		return err
	}
	d := &villageFormData{villageHead: head}
	values := map[string]string{}
	rec, err := vs.VillageRecord(r.Context(), head.Round.ID, head.Area.Code)
	switch {
	case err == nil:
		d.Exists = true
		for i := range head.Set.Indicators {
			ind := &head.Set.Indicators[i]
			if v, ok := rec.Answers[ind.Code]; ok {
				values[ind.Code] = ind.Format(v)
			}
		}
	case !apperr.Is(err, apperr.NotFound):
		return err
	}
	d.Groups = villageFormGroups(head.Set, values, nil, "")
	return s.renderVillageForm(w, r, http.StatusOK, d)
}

// villageSave stores the posted answers when every one is valid; otherwise
// it shows the form again with each problem beside its field.
func (s *Server) villageSave(w http.ResponseWriter, r *http.Request) error {
	u, vs, head, err := s.villageEditable(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(err, apperr.Invalid, apperr.T("อ่านแบบฟอร์มไม่ได้", "the form could not be read"))
	}
	values := map[string]string{}
	problems := map[string]apperr.Text{}
	ans := village.Answers{}
	for i := range head.Set.Indicators {
		ind := &head.Set.Indicators[i]
		text := strings.TrimSpace(r.PostForm.Get(ind.Code))
		values[ind.Code] = text
		v, p := ind.Parse(text)
		if p != nil {
			problems[ind.Code] = p.Reason
			continue
		}
		ans[ind.Code] = v
	}
	lang := langFrom(r.Context())
	if len(problems) > 0 {
		d := &villageFormData{villageHead: head, Groups: villageFormGroups(head.Set, values, problems, lang)}
		d.formErrors = formErrors{byField: map[string][]string{}}
		for _, g := range d.Groups {
			for _, f := range g.Fields {
				if f.Problem != "" {
					id := "f-" + f.Ind.Code
					d.Problems = append(d.Problems, problemLine{ID: id, Where: fmt.Sprintf("%d. %s", f.Ind.Number, f.Ind.Name.In(lang)), Value: f.Value, Reason: f.Problem})
					d.byField[id] = []string{f.Problem}
				}
			}
		}
		return s.renderVillageForm(w, r, http.StatusUnprocessableEntity, d)
	}
	sum, err := vs.WriteVillages(r.Context(), head.Round.ID, []village.Record{{Village: head.Area.Code, Answers: ans}}, u.Username)
	if err != nil {
		return err
	}
	if hs, err := s.hstore(); err == nil {
		if err := hs.AuditEvent(r.Context(), u.Username, "village.write", head.Area.Code, "village-round:"+head.Round.ID,
			fmt.Sprintf(`{"inserted":%d,"updated":%d,"unchanged":%d}`, sum.Inserted, sum.Updated, sum.Unchanged)); err != nil {
			return err
		}
	}
	http.Redirect(w, r, "/villages/"+head.Round.ID+"/"+head.Area.Code+"?saved=1", http.StatusSeeOther)
	return nil
}

func villageFormGroups(set *village.Set, values map[string]string, problems map[string]apperr.Text, lang string) []villageFormGroup {
	var out []villageFormGroup
	for _, g := range set.Groups {
		fg := villageFormGroup{Group: g}
		for i := range set.Indicators {
			ind := &set.Indicators[i]
			if ind.Group != g.Code {
				continue
			}
			f := villageField{Ind: ind, Value: values[ind.Code]}
			if p, ok := problems[ind.Code]; ok {
				f.Problem = p.In(lang)
			}
			fg.Fields = append(fg.Fields, f)
		}
		out = append(out, fg)
	}
	return out
}

func (s *Server) renderVillageForm(w http.ResponseWriter, r *http.Request, status int, d *villageFormData) error {
	lang := langFrom(r.Context())
	return s.render(w, r, status, "village_form", s.msgs.text(lang, "kcc.form.title", "village", view{Lang: lang}.withSrv(s).Name(d.Area)), d)
}
