package web

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"tambon/internal/area"
	"tambon/internal/store"
	"tambon/internal/user"
)

// auditObject is an audit entry's object as an official reads it: the
// account's name, the household's house number and village, the set's name
// and version; Href when the viewer may open it.
type auditObject struct {
	Label, Href string
}

// setVersionSource names a stored set version (*store.Store has it).
type setVersionSource interface {
	SetVersion(ctx context.Context, id string, version int) (store.SetVersion, []byte, error)
}

// objectNamer names the objects of one page of the audit log, each once.
type objectNamer struct {
	s     *Server
	ctx   context.Context
	u     *user.User
	lang  string
	users map[string]string // username → display name
	seen  map[string]auditObject
}

func (s *Server) newObjectNamer(ctx context.Context, u *user.User, users map[string]string) *objectNamer {
	return &objectNamer{s: s, ctx: ctx, u: u, lang: langFrom(ctx), users: users, seen: map[string]auditObject{}}
}

func (n *objectNamer) t(key string, args ...any) string { return n.s.msgs.text(n.lang, key, args...) }

// name is the object of an entry; detail tells a set's version.
func (n *objectNamer) name(object, detail string) auditObject {
	if object == "" {
		return auditObject{}
	}
	key := object + "\x00" + detail
	if o, ok := n.seen[key]; ok {
		return o
	}
	o := n.resolve(object, detail)
	if o.Label == "" {
		o.Label = n.t("audit.obj.record")
	}
	n.seen[key] = o
	return o
}

func (n *objectNamer) resolve(object, detail string) auditObject {
	if strings.HasPrefix(object, "/") {
		return n.path(object)
	}
	kind, id, ok := strings.Cut(object, ":")
	if !ok {
		return n.word(object)
	}
	num, numErr := strconv.ParseInt(id, 10, 64)
	isNum := numErr == nil
	switch kind {
	case "user":
		name := n.users[id]
		if name == "" {
			name = id
		}
		o := auditObject{Label: n.t("audit.obj.user", "name", name)}
		if n.u.Can(user.ManageUsers) {
			o.Href = "/admin/users"
		}
		return o
	case "household":
		if isNum {
			return n.household(num)
		}
	case "round", "households":
		label := n.round(id)
		if kind == "households" {
			return auditObject{Label: n.t("audit.obj.households", "round", label)}
		}
		return auditObject{Label: label}
	case "village-round":
		if vs, err := n.s.vstore(); err == nil {
			if rd, err := vs.VillageRound(n.ctx, id); err == nil {
				return auditObject{Label: n.t("kcc.round.name", "year", rd.SurveyYear)}
			}
		}
		return auditObject{Label: n.t("audit.obj.village_round")}
	case "set":
		return n.set(id, detail)
	case "welfare":
		if isNum {
			return auditObject{Label: n.t("audit.obj.welfare_import", "n", num), Href: "/admin/welfare"}
		}
		return auditObject{Label: n.t("audit.obj.welfare", "round", n.round(id))}
	case "submission":
		if isNum {
			o := auditObject{Label: n.t("audit.obj.submission", "n", num)}
			if n.u.Can(user.ViewHouseholds) {
				o.Href = "/submissions/" + id
			}
			return o
		}
	case "device":
		o := auditObject{Label: n.t("audit.obj.device", "n", id)}
		if n.u.Can(user.ManageUsers) {
			o.Href = "/admin/devices"
		}
		return o
	case "setting":
		return auditObject{Label: n.t("audit.obj.setting")}
	case "partners":
		return auditObject{Label: n.t("audit.obj.partners", "area", n.area(id))}
	case "participants", "targets":
		// participants:programme:N, targets:item:N
		what, sub, _ := strings.Cut(id, ":")
		if what == "programme" {
			if o := n.path("/programmes/" + sub); o.Href != "" {
				return auditObject{Label: n.t("audit.obj.participants_of", "programme", o.Label), Href: o.Href}
			}
		}
		return auditObject{Label: n.t("audit.obj."+kind, "n", sub)}
	case "graduation":
		// graduation:plan:N, graduation:area:CODE
		what, sub, _ := strings.Cut(id, ":")
		if what == "plan" {
			o := n.path("/plans/" + sub)
			return auditObject{Label: n.t("audit.obj.graduation", "of", o.Label), Href: o.Href}
		}
		return auditObject{Label: n.t("audit.obj.graduation", "of", n.area(sub))}
	case "completeness":
		return auditObject{Label: n.t("audit.obj.completeness", "round", n.round(id))}
	case "area", "village", "tambon":
		return auditObject{Label: n.area(id)}
	}
	return n.word(kind)
}

// word is a name the log does not know: the kind written as words, never
// the stored reference.
func (n *objectNamer) word(kind string) auditObject {
	w := strings.TrimSpace(strings.NewReplacer("_", " ", "-", " ", ".", " ").Replace(kind))
	if w == "" || strings.Trim(w, "0123456789 ") == "" {
		return auditObject{}
	}
	return auditObject{Label: n.t("audit.obj.other", "kind", w)}
}

// household is "บ้านเลขที่ 12 หมู่ 3 บ้านหนองบัว", linked, for a viewer who
// may see the village's households; for one who may not, the house number
// is left out.
func (n *objectNamer) household(id int64) auditObject {
	hs, err := n.s.hstore()
	if err != nil {
		return auditObject{Label: n.t("audit.obj.household_gone")}
	}
	rec, err := hs.Household(n.ctx, id)
	if err != nil {
		return auditObject{Label: n.t("audit.obj.household_gone")}
	}
	h := rec.Household
	village := n.area(h.VillageCode)
	if !n.u.CanAt(user.ViewHouseholds, h.VillageCode) || strings.TrimSpace(h.HouseNo) == "" {
		return auditObject{Label: n.t("audit.obj.household_in", "village", village)}
	}
	return auditObject{Label: n.t("audit.obj.household", "no", h.HouseNo, "village", village),
		Href: "/households/" + strconv.FormatInt(id, 10)}
}

// area is a village as "หมู่ 3 บ้านหนองบัว", any other area by its name.
func (n *objectNamer) area(code string) string {
	a, ok := n.s.areas.Get(code)
	if !ok {
		return n.t("audit.obj.area_unknown")
	}
	if a.Level == area.Village {
		if n.lang == "en" {
			return a.TitleEN()
		}
		return a.TitleTH()
	}
	return n.s.areaLabel(code, n.lang)
}

func (n *objectNamer) round(id string) string {
	if rd, err := n.s.store.Round(n.ctx, id); err == nil {
		return n.s.roundName(n.lang, rd)
	}
	return n.t("audit.obj.round")
}

// set is the set's name and the version the entry's detail names (the
// newest when it names none), linked for a viewer who manages sets.
func (n *objectNamer) set(id, detail string) auditObject {
	var d struct {
		Version int `json:"version"`
	}
	_ = json.Unmarshal([]byte(detail), &d)
	ss, ok := n.s.store.(setVersionSource)
	if !ok {
		return auditObject{Label: n.t("audit.obj.set_unknown")}
	}
	v, _, err := ss.SetVersion(n.ctx, id, d.Version)
	if err != nil {
		return auditObject{Label: n.t("audit.obj.set_unknown")}
	}
	o := auditObject{Label: n.t("audit.obj.set", "name", v.Name.In(n.lang), "version", v.Version)}
	if n.u.CanAt(user.ManageRounds, area.CountryCode) {
		o.Href = "/admin/sets/" + v.ID + "/" + strconv.Itoa(v.Version)
	}
	return o
}

// path names a record changed through a form (the audit keeps its path):
// the plan, programme, activity or partner, linked.
func (n *objectNamer) path(p string) auditObject {
	parts := strings.Split(strings.Trim(p, "/"), "/")
	if len(parts) < 2 {
		return auditObject{}
	}
	id, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		return n.word(parts[0])
	}
	href := "/" + parts[0] + "/" + parts[1]
	switch parts[0] {
	case "plans":
		if ps, err := n.s.pstore(); err == nil {
			if pl, err := ps.Plan(n.ctx, id); err == nil {
				return auditObject{Label: n.t("audit.obj.plan", "title", pl.Title), Href: href}
			}
		}
	case "programmes":
		if ps, err := n.s.prstore(); err == nil {
			if pr, err := ps.Programme(n.ctx, id); err == nil {
				return auditObject{Label: n.t("audit.obj.programme", "title", pr.Title), Href: href}
			}
		}
	case "activities":
		return auditObject{Label: n.t("audit.obj.activities", "n", id), Href: href}
	case "partners":
		return auditObject{Label: n.t("audit.obj.partners_one", "n", id), Href: href}
	}
	return n.word(parts[0])
}
