package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/engine"
	"tambon/internal/survey"
	"tambon/internal/thai"
	"tambon/internal/user"
)

// maxAPIHouseholds is how many households one request may write: one
// store batch, in one transaction.
const maxAPIHouseholds = 200

// keyStore finds a household by its key, to name what the API wrote.
// *store.Store implements it.
type keyStore interface {
	HouseholdByKey(ctx context.Context, round, key string) (survey.Record, error)
}

// apiHouseholdResult is what the write API answers for each household.
type apiHouseholdResult struct {
	ID          int64  `json:"id"`
	Key         string `json:"key"`
	VillageCode string `json:"village_code"`
	Status      string `json:"status"`
}

// apiWriteHouseholds answers POST /api/v1/rounds/{round}/households: one
// household (a survey.Household as JSON) or an array of them, written by
// key (house code, else village and house number): a new key is added, a
// known one updated with its history, an identical one left alone, so the
// same request sent twice writes once. Every household passes the checks
// of the web form, import and OpenRosa (survey.Validate, the house number,
// the village inside the caller's area) and then store.WriteHouseholds (the
// review locks, citizen IDs, statistics), all or nothing.
func (s *Server) apiWriteHouseholds(w http.ResponseWriter, r *http.Request) error {
	u, err := signedIn(r)
	if err != nil {
		return err
	}
	if !u.Can(user.EditHouseholds) {
		return denied()
	}
	rd, eng, err := s.roundOf(r.Context(), r.PathValue("round"))
	if err != nil {
		return err
	}
	hs, err := decodeHouseholds(r.Body)
	if err != nil {
		return err
	}
	return s.apiWrite(w, r, u, rd, eng, hs, 0)
}

// apiReplaceHousehold answers PUT /api/v1/households/{id}: the household
// replaced whole by the body, whose key must stay the household's (a new
// key would be another household).
func (s *Server) apiReplaceHousehold(w http.ResponseWriter, r *http.Request) error {
	rec, u, err := s.householdOf(r, user.EditHouseholds)
	if err != nil {
		return err
	}
	rd, eng, err := s.roundOf(r.Context(), rec.Household.RoundID)
	if err != nil {
		return err
	}
	hs, err := decodeHouseholds(r.Body)
	if err != nil {
		return err
	}
	if len(hs) != 1 {
		return apperr.New(apperr.Invalid, apperr.T("ส่งครัวเรือนได้ครั้งละหนึ่งครัวเรือน", "send one household"))
	}
	if hs[0].Key() != rec.Key {
		return apperr.Problems{{Field: "house_no", Value: hs[0].Key(), Reason: apperr.Tf(
			"เปลี่ยนรหัสบ้าน หมู่บ้าน หรือบ้านเลขที่ไม่ได้ (ครัวเรือนนี้คือ %s): ครัวเรือนใหม่ให้ส่งด้วย POST",
			"the house code, village and house number cannot change (this household is %s): send a new household with POST", rec.Key)}}
	}
	return s.apiWrite(w, r, u, rd, eng, hs, rec.ID)
}

// decodeHouseholds reads one household or an array of them, refusing
// fields the household does not have (a misspelt field would otherwise be
// dropped unseen).
func decodeHouseholds(body io.Reader) ([]*survey.Household, error) {
	raw, err := io.ReadAll(body)
	if err != nil {
		if errors.As(err, new(*http.MaxBytesError)) {
			return nil, apperr.Wrap(err, apperr.Invalid, apperr.Tf("ข้อมูลที่ส่งใหญ่เกินไป: ส่งครั้งละไม่เกิน %d ครัวเรือน", "the body is too large: send at most %d households at a time", maxAPIHouseholds))
		}
		return nil, apperr.Wrap(err, apperr.Invalid, apperr.T("อ่านข้อมูลที่ส่งไม่ได้", "the body could not be read"))
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] != '[' {
		raw = append(append([]byte{'['}, raw...), ']')
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var hs []*survey.Household
	if err := dec.Decode(&hs); err != nil {
		return nil, apperr.Wrap(err, apperr.Invalid, apperr.Tf("ข้อมูล JSON ของครัวเรือนไม่ถูกต้อง: %v", "the households' JSON is not valid: %v", err))
	}
	if dec.More() {
		return nil, apperr.New(apperr.Invalid, apperr.T("มีข้อมูลเกินหลังครัวเรือน", "there is more after the households"))
	}
	switch {
	case len(hs) == 0:
		return nil, apperr.New(apperr.Invalid, apperr.T("ไม่มีครัวเรือนในข้อมูลที่ส่ง", "the body holds no household"))
	case len(hs) > maxAPIHouseholds:
		return nil, apperr.New(apperr.Invalid, apperr.Tf("ส่งได้ครั้งละไม่เกิน %d ครัวเรือน (ส่งมา %d)", "send at most %d households at a time (%d sent)", maxAPIHouseholds, len(hs)))
	}
	for i, h := range hs {
		if h == nil {
			return nil, apperr.Problems{{Field: fmt.Sprintf("households[%d]", i), Reason: apperr.T("ว่าง", "is null")}}
		}
	}
	return hs, nil
}

// checkAPIHousehold is the web form's and OpenRosa's checks of one
// household: the house number, the village known and inside the caller's
// area, then survey.Validate. Problems are named under prefix.
func (s *Server) checkAPIHousehold(u *user.User, rd survey.Round, eng *engine.Engine, h *survey.Household, prefix string) apperr.Problems {
	var ps apperr.Problems
	if h.RoundID != "" && h.RoundID != rd.ID {
		ps = append(ps, apperr.Problem{Field: "round_id", Value: h.RoundID, Reason: apperr.Tf(
			"ครัวเรือนนี้เป็นของรอบ %s แต่ส่งมาที่รอบ %s", "the household names round %s but was sent to round %s", h.RoundID, rd.ID)})
	}
	h.RoundID = rd.ID
	for i := range h.Members {
		// As the web form reads them: dashes, spaces and Thai digits
		// allowed; an ID that is no ID is left for survey.Validate to name.
		if c, err := thai.NormalizeCitizenID(h.Members[i].CitizenID); err == nil {
			h.Members[i].CitizenID = c
		}
	}
	if strings.TrimSpace(h.HouseNo) == "" {
		ps = append(ps, apperr.Problem{Field: "house_no", Reason: apperr.T("ต้องระบุบ้านเลขที่", "the house number is required")})
	}
	if v, ok := s.areas.Get(h.VillageCode); !ok || v.Level != area.Village {
		ps = append(ps, apperr.Problem{Field: "village_code", Value: h.VillageCode, Reason: apperr.T("ไม่มีหมู่บ้านรหัสนี้", "there is no village with this code")})
	} else if !u.CanAt(user.EditHouseholds, h.VillageCode) {
		ps = append(ps, apperr.Problem{Field: "village_code", Value: h.VillageCode, Reason: apperr.T(
			"บัญชีของท่านไม่มีสิทธิ์เข้าถึงข้อมูลครัวเรือนของพื้นที่นี้", "your account may not see or change the household records of this area")})
	}
	ps = append(ps, survey.Validate(h, eng.Set(), rd.ReferenceDate())...)
	for i := range ps {
		ps[i].Field = prefix + ps[i].Field
	}
	return ps
}

func (s *Server) apiWrite(w http.ResponseWriter, r *http.Request, u *user.User, rd survey.Round, eng *engine.Engine, hs []*survey.Household, id int64) error {
	var ps apperr.Problems
	seen := map[string]int{}
	for i, h := range hs {
		prefix := ""
		if len(hs) > 1 || id == 0 {
			prefix = fmt.Sprintf("households[%d].", i)
		}
		ps = append(ps, s.checkAPIHousehold(u, rd, eng, h, prefix)...)
		if j, dup := seen[h.Key()]; dup {
			ps = append(ps, apperr.Problem{Field: prefix + "house_no", Value: h.Key(), Reason: apperr.Tf(
				"ครัวเรือนนี้ส่งซ้ำกับครัวเรือนที่ %d", "the same household as households[%d]", j)})
		}
		seen[h.Key()] = i
	}
	if len(ps) > 0 {
		return ps
	}
	ctx := r.Context()
	sum, err := s.writeHouseholds(ctx, eng, rd.ID, hs, u.Username, nil)
	if err != nil {
		return err
	}
	out := struct {
		Round      string               `json:"round"`
		Inserted   int                  `json:"inserted"`
		Updated    int                  `json:"updated"`
		Unchanged  int                  `json:"unchanged"`
		Households []apiHouseholdResult `json:"households"`
	}{Round: rd.ID, Inserted: sum.Inserted, Updated: sum.Updated, Unchanged: sum.Unchanged, Households: []apiHouseholdResult{}}
	ks, _ := s.store.(keyStore)
	for _, h := range hs {
		res := apiHouseholdResult{ID: id, Key: h.Key(), VillageCode: h.VillageCode, Status: string(h.Status)}
		if ks != nil && id == 0 {
			rec, err := ks.HouseholdByKey(ctx, rd.ID, h.Key())
			if err != nil {
				return err
			}
			res.ID = rec.ID
		}
		// Audited as the web form audits a saved household, under the
		// caller's name (an API token's is token:<name>).
		if err := s.audit(ctx, u, "household.write", h.VillageCode, "household:"+strconv.FormatInt(res.ID, 10),
			`{"status":"`+string(h.Status)+`","door":"api"}`); err != nil {
			return err
		}
		out.Households = append(out.Households, res)
	}
	status := http.StatusOK
	if sum.Inserted > 0 && id == 0 {
		status = http.StatusCreated
	}
	return writeJSON(w, status, out)
}
