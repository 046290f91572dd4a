package openrosa

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/csv"
	"encoding/hex"
	"encoding/xml"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/engine"
	"tambon/internal/survey"
	"tambon/internal/user"
	"tambon/internal/xform"
)

// base returns the absolute URL the client used to reach this server's
// OpenRosa root, with the device token when it came in the path.
func base(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	b := scheme + "://" + r.Host + "/openrosa"
	if tok := r.PathValue("token"); tok != "" {
		b += "/key/" + url.PathEscape(tok)
	}
	return b
}

// mayCollect is the one authorisation question of field capture: the
// account may enter households somewhere.
func mayCollect(c *caller) error {
	if !c.user.Can(user.EditHouseholds) {
		return apperr.New(apperr.Forbidden, apperr.T("บัญชีนี้ไม่มีสิทธิ์เก็บข้อมูลครัวเรือน", "this account may not collect households"))
	}
	return nil
}

// forms returns the form of every round that holds households, newest first.
func (s *Server) forms(ctx context.Context) ([]*xform.Form, error) {
	rounds, err := s.rounds(ctx)
	if err != nil {
		return nil, err
	}
	var out []*xform.Form
	for _, r := range rounds {
		if r.AggregateOnly {
			continue
		}
		f, err := s.form(r)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Round.SurveyYear > out[j].Round.SurveyYear })
	return out, nil
}

// rounds returns the survey rounds, read at most every roundsFor: each
// submission looks its form up, and rounds change a few times a year.
func (s *Server) rounds(ctx context.Context) ([]survey.Round, error) {
	now := s.now()
	s.roundsMu.Lock()
	defer s.roundsMu.Unlock()
	if s.roundsList != nil && now.Before(s.roundsUntil) {
		return s.roundsList, nil
	}
	rs, err := s.cfg.Store.Rounds(ctx)
	if err != nil {
		return nil, err
	}
	s.roundsList, s.roundsUntil = rs, now.Add(roundsFor)
	return rs, nil
}

const roundsFor = 5 * time.Second

// form builds (once per round and set file) the XForm of a round: a round
// moved to another version of its set gets the form of that version.
func (s *Server) form(r survey.Round) (*xform.Form, error) {
	key := r.ID + "\x00" + r.SetID + "\x00" + r.SetDigest
	if f, ok := s.formCache.Load(key); ok {
		return f.(*xform.Form), nil
	}
	eng, err := engine.ForRound(r)
	if err != nil {
		return nil, err
	}
	f, err := xform.Build(r, eng.Set())
	if err != nil {
		return nil, err
	}
	s.formCache.Store(key, f)
	return f, nil
}

// formByID finds one form by its formID.
func (s *Server) formByID(ctx context.Context, id string) (*xform.Form, error) {
	fs, err := s.forms(ctx)
	if err != nil {
		return nil, err
	}
	for _, f := range fs {
		if f.ID == id {
			return f, nil
		}
	}
	return nil, apperr.New(apperr.NotFound, apperr.Tf("ไม่มีแบบฟอร์ม %q", "there is no form %q", id))
}

type xformsList struct {
	XMLName xml.Name    `xml:"http://openrosa.org/xforms/xformsList xforms"`
	Forms   []xformItem `xml:"xform"`
}

type xformItem struct {
	FormID      string `xml:"formID"`
	Name        string `xml:"name"`
	Version     string `xml:"version"`
	Hash        string `xml:"hash"`
	Description string `xml:"descriptionText,omitempty"`
	DownloadURL string `xml:"downloadUrl"`
	ManifestURL string `xml:"manifestUrl,omitempty"`
}

func writeXML(w http.ResponseWriter, v any) error {
	b, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Write([]byte(xml.Header))
	w.Write(b)
	return nil
}

// formList: GET formList → the forms this account may fill in.
func (s *Server) formList(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := mayCollect(c); err != nil {
		return err
	}
	fs, err := s.forms(r.Context())
	if err != nil {
		return err
	}
	b := base(r)
	// descriptionText belongs to the verbose list only (OpenRosa Form List API).
	verbose := r.URL.Query().Get("verbose") == "true"
	list := xformsList{}
	for _, f := range fs {
		if id := r.URL.Query().Get("formID"); id != "" && id != f.ID {
			continue
		}
		item := xformItem{FormID: f.ID, Name: f.Title.TH + " / " + f.Title.EN, Version: f.Version, Hash: "md5:" + f.MD5,
			DownloadURL: b + "/forms/" + f.ID + ".xml", ManifestURL: b + "/forms/" + f.ID + "/manifest"}
		if verbose {
			item.Description = "indicator set " + f.Round.SetID
		}
		list.Forms = append(list.Forms, item)
	}
	return writeXML(w, list)
}

// formDownload: GET forms/{formID}.xml → the XForm.
func (s *Server) formDownload(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := mayCollect(c); err != nil {
		return err
	}
	id, ok := strings.CutSuffix(r.PathValue("file"), ".xml")
	if !ok {
		return notFound()
	}
	f, err := s.formByID(r.Context(), id)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Header().Set("ETag", `"`+f.MD5+`"`)
	w.Write(f.XML)
	return nil
}

type manifestDoc struct {
	XMLName xml.Name    `xml:"http://openrosa.org/xforms/xformsManifest manifest"`
	Files   []mediaFile `xml:"mediaFile"`
}

type mediaFile struct {
	Filename    string `xml:"filename"`
	Hash        string `xml:"hash"`
	DownloadURL string `xml:"downloadUrl"`
}

// manifest: GET forms/{formID}/manifest → the two preload CSVs, made for
// this account: hashes change when its villages or households change, so
// clients fetch them again exactly then.
func (s *Server) manifest(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := mayCollect(c); err != nil {
		return err
	}
	f, err := s.formByID(r.Context(), r.PathValue("form"))
	if err != nil {
		return err
	}
	doc := manifestDoc{}
	for _, name := range []string{xform.VillagesCSV, xform.HouseholdsCSV, xform.PrevHouseholdsCSV, xform.PrevMembersCSV} {
		data, err := s.mediaFor(r.Context(), f, c, name)
		if err != nil {
			return err
		}
		sum := md5.Sum(data)
		doc.Files = append(doc.Files, mediaFile{Filename: name, Hash: "md5:" + hex.EncodeToString(sum[:]),
			DownloadURL: base(r) + "/forms/" + f.ID + "/media/" + name})
	}
	return writeXML(w, doc)
}

// media: GET forms/{formID}/media/{file} → one preload CSV.
func (s *Server) media(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := mayCollect(c); err != nil {
		return err
	}
	f, err := s.formByID(r.Context(), r.PathValue("form"))
	if err != nil {
		return err
	}
	name := r.PathValue("file")
	data, err := s.mediaFor(r.Context(), f, c, name)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Cache-Control", "private, no-cache")
	if personalMedia(name) {
		// Names, birth dates and citizen IDs: never kept by a cache on the
		// way, and every download is an export of personal data.
		w.Header().Set("Cache-Control", "private, no-store")
		if err := s.auditPreload(r.Context(), f, c, name, data); err != nil {
			return err
		}
	}
	w.Write(data)
	return nil
}

// mediaFor builds a preload CSV for the caller: villages.csv lists the
// villages of the account's area; households.csv the round's households
// already stored there (house code or number only — no names, no IDs). An
// account with an assignment in the round gets only it (assigned.go).
func (s *Server) mediaFor(ctx context.Context, f *xform.Form, c *caller, name string) ([]byte, error) {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	switch name {
	case xform.VillagesCSV:
		if data, ok, err := s.assignedVillagesCSV(ctx, f.Round.ID, c); ok || err != nil {
			return data, err
		}
		cw.Write([]string{"name", "label"})
		for _, v := range s.villages(c.user.AreaCode) {
			cw.Write([]string{v.Code, villageLabel(s.cfg.Areas, v)})
		}
	case xform.HouseholdsCSV:
		if data, ok, err := s.assignedHouseholdsCSV(ctx, f.Round.ID, c); ok || err != nil {
			return data, err
		}
		cw.Write([]string{"name", "label", "village"})
		err := s.cfg.Store.EachHousehold(ctx, f.Round.ID, c.user.AreaCode, func(rec survey.Record) error {
			h := rec.Household
			value := h.HouseNo
			if h.HouseCode != "" {
				value = h.HouseCode
			}
			label := h.HouseNo
			if h.HouseCode != "" {
				label += " (" + h.HouseCode + ")"
			}
			cw.Write([]string{value, label, h.VillageCode})
			return nil
		})
		if err != nil {
			return nil, err
		}
	case xform.PrevHouseholdsCSV, xform.PrevMembersCSV:
		if err := s.writePrevious(ctx, cw, f, c, name); err != nil {
			return nil, err
		}
	default:
		return nil, notFound()
	}
	cw.Flush()
	return b.Bytes(), cw.Error()
}

// villages lists the villages inside an area, in code order.
func (s *Server) villages(code string) []area.Area {
	var out []area.Area
	var walk func(a area.Area)
	walk = func(a area.Area) {
		if a.Level == area.Village {
			out = append(out, a)
			return
		}
		for _, ch := range s.cfg.Areas.Children(a.Code) {
			walk(ch)
		}
	}
	if a, ok := s.cfg.Areas.Get(code); ok {
		walk(a)
	}
	return out
}

// villageLabel is "หมู่ 4 บ้านหนองไผ่ ต.เขาขลุง (70051304)": enough to pick
// the right one on a phone.
func villageLabel(t *area.Tree, v area.Area) string {
	label := v.TitleTH()
	if p, ok := t.Get(v.Parent); ok {
		label += " " + p.TitleTH()
	}
	return label + " (" + v.Code + ")"
}
