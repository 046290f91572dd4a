package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"tambon/internal/store"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
	"tambon/internal/tabular"
	"tambon/internal/user"
)

// sendJSON sends v as JSON with a token.
func sendJSON(t *testing.T, app *householdApp, method, path, token string, v any) (int, string) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(method, app.ts.URL+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// mustToken issues a token straight in the store.
func mustToken(t *testing.T, s *store.Store, name string, role user.Role, area string) string {
	t.Helper()
	secret, hash := user.NewTokenSecret()
	if _, err := s.CreateToken(context.Background(), user.Token{Name: name, Role: role, AreaCode: area, CreatedBy: "admin",
		ExpiresAt: time.Now().Add(24 * time.Hour)}, hash); err != nil {
		t.Fatal(err)
	}
	return secret
}

type writeAnswer struct {
	Inserted, Updated, Unchanged int
	Households                   []struct {
		ID  int64
		Key string
	}
	Error struct {
		Code     string
		Problems []struct {
			Field, Value string
			Reason       struct{ TH, EN string }
		}
	}
}

func decodeAnswer(t *testing.T, body string) writeAnswer {
	t.Helper()
	var a writeAnswer
	if err := json.Unmarshal([]byte(body), &a); err != nil {
		t.Fatalf("answer is not JSON: %v\n%s", err, body)
	}
	return a
}

// The write API stores households through the same door as the web form
// and the import: written by key (sent twice, written once), each change
// in the household's history and the audit log under the token's name,
// the statistics updated; refused outside the token's area or role. The
// same invalid household is refused by the web form, the import and the
// API at the same field, the form and the API with the same reason, and
// none of them writes anything.
func TestHouseholdWriteAPIEveryDoor(t *testing.T) {
	app := mustHouseholdApp(t)
	ctx := context.Background()
	r2562, _ := app.store.Round(ctx, round2562)
	rd := surveyfile.ExampleRound(mustEngine(t, r2562).Set())
	if err := app.store.CreateRound(ctx, rd); err != nil {
		t.Fatal(err)
	}
	eng := mustEngine(t, rd)
	hs := surveyfile.Example(eng.Set(), "70051304", 3, 2468)
	for _, h := range hs {
		h.Status = survey.Complete
	}
	tambonTok := mustToken(t, app.store, "khaokhlung-sync", user.Tambon, "700513")
	path := "/api/v1/rounds/" + rd.ID + "/households"
	count := func() int {
		n, err := app.store.CountHouseholds(ctx, rd.ID, "700513")
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	status, body := sendJSON(t, app, "POST", path, tambonTok, hs)
	a := decodeAnswer(t, body)
	if status != http.StatusCreated || a.Inserted != 3 || len(a.Households) != 3 || a.Households[0].ID == 0 {
		t.Fatalf("three new households: %d %s", status, body)
	}
	if count() != 3 {
		t.Fatalf("the round counts %d households, want 3", count())
	}
	totals, err := app.store.AreaTotals(ctx, eng, rd.ID, "700513")
	if err != nil || totals.Households != 3 {
		t.Fatalf("the statistics of the tambon: %+v, %v; want 3 households", totals, err)
	}
	// The same request again writes nothing.
	status, body = sendJSON(t, app, "POST", path, tambonTok, hs)
	if a := decodeAnswer(t, body); status != http.StatusOK || a.Unchanged != 3 || a.Inserted != 0 || a.Updated != 0 {
		t.Fatalf("the same households again: %d %s", status, body)
	}
	// One household changed, sent alone (not in an array): updated, with
	// its history naming the token.
	hs[1].Savings += 1000
	status, body = sendJSON(t, app, "POST", path, tambonTok, hs[1])
	if a := decodeAnswer(t, body); status != http.StatusOK || a.Updated != 1 {
		t.Fatalf("one changed household: %d %s", status, body)
	}
	hist, err := app.store.HouseholdHistory(ctx, rd.ID, hs[1].Key())
	if err != nil || len(hist) == 0 || hist[len(hist)-1].ChangedBy != "token:khaokhlung-sync" {
		t.Fatalf("history of the changed household: %+v, %v", hist, err)
	}
	entries, _, err := app.store.SearchAudit(ctx, store.AuditQuery{User: "token:khaokhlung-sync", Action: "household.write", Limit: 50})
	if err != nil || len(entries) != 7 {
		t.Errorf("the audit log holds %d household.write entries of the token, want 7 (3+3+1): %v", len(entries), err)
	}

	// PUT replaces one household by its id; its key cannot change.
	put := fmt.Sprintf("/api/v1/households/%d", decodeAnswer(t, body).Households[0].ID)
	hs[1].Savings += 5
	if status, body := sendJSON(t, app, "PUT", put, tambonTok, hs[1]); status != http.StatusOK || decodeAnswer(t, body).Updated != 1 {
		t.Errorf("PUT: %d %s", status, body)
	}
	moved := *hs[1]
	moved.HouseNo = "999/9"
	moved.HouseCode = ""
	if status, body := sendJSON(t, app, "PUT", put, tambonTok, &moved); status != http.StatusBadRequest || !strings.Contains(body, "cannot change") {
		t.Errorf("PUT with another key: %d %s", status, body)
	}

	// Refusals of role and area; nothing written.
	viewerTok := mustToken(t, app.store, "viewer-70", user.Viewer, "70")
	if status, body := sendJSON(t, app, "POST", path, viewerTok, hs); status != http.StatusForbidden {
		t.Errorf("a viewer's token writing: %d %s", status, body)
	}
	moo1Tok := mustToken(t, app.store, "moo1", user.Enumerator, "70051301")
	other := surveyfile.Example(eng.Set(), "70051304", 1, 97531)[0]
	other.Status = survey.Complete
	status, body = sendJSON(t, app, "POST", path, moo1Tok, other)
	if a := decodeAnswer(t, body); status != http.StatusBadRequest || len(a.Error.Problems) == 0 || a.Error.Problems[0].Field != "households[0].village_code" {
		t.Errorf("a household outside the token's area: %d %s", status, body)
	}
	if count() != 3 {
		t.Fatalf("refused requests wrote: %d households", count())
	}

	// The same invalid household at every door.
	bad := surveyfile.Example(eng.Set(), "70051304", 1, 13579)[0]
	bad.Status = survey.Complete
	bad.Members[0].CitizenID = "1234567890123"
	const reasonTH = "เลขประจำตัวประชาชนต้องเป็นตัวเลข 13 หลักและหลักสุดท้ายต้องตรงกับเลขตรวจสอบ"
	const reasonEN = "the citizen ID must be 13 digits with a correct check digit"
	status, body = sendJSON(t, app, "POST", path, tambonTok, bad)
	a = decodeAnswer(t, body)
	if status != http.StatusBadRequest || a.Error.Code != "invalid" || len(a.Error.Problems) != 1 ||
		a.Error.Problems[0].Field != "households[0].members[0].citizen_id" || a.Error.Problems[0].Reason.EN != reasonEN || a.Error.Problems[0].Reason.TH != reasonTH {
		t.Errorf("the API's refusal: %d %s", status, body)
	}
	c := app.as(t, "tambon")
	f := formOf(t, bad)
	f.Set("save", "complete")
	status, page, _ := c.post("/rounds/"+rd.ID+"/households/new", f)
	if status != http.StatusUnprocessableEntity || !strings.Contains(page, reasonTH) {
		t.Errorf("the web form's refusal: %d %s", status, errorsOf(page))
	}
	var csv bytes.Buffer
	w := tabular.NewCSVWriter(&csv)
	if err := surveyfile.Write(w, eng.Set(), []*survey.Household{bad}); err != nil {
		t.Fatal(err)
	}
	w.Close()
	// The import reads the ID while reading its cell and says which
	// digit is wrong (thai.NormalizeCitizenID): the same field and value
	// refused, in its own, more precise words.
	if page := importFile(t, c, rd.ID, "households.csv", csv.Bytes()); !strings.Contains(page, `id="import-problems"`) ||
		!strings.Contains(page, "(citizen_id)") || !strings.Contains(page, ">1234567890123<") {
		t.Errorf("the import does not refuse the citizen ID: %s", page[strings.Index(page, "<main"):])
	}
	if count() != 3 {
		t.Errorf("the invalid household was written somewhere: %d households", count())
	}

	// A malformed body: a field the household does not have.
	req := `{"village_code":"70051304","house_no":"1","colour":"red"}`
	r, _ := http.NewRequest("POST", app.ts.URL+path, strings.NewReader(req))
	r.Header.Set("Authorization", "Bearer "+tambonTok)
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(b), "colour") {
		t.Errorf("an unknown field: %d %s", resp.StatusCode, b)
	}
}
