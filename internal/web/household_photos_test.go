package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"tambon/internal/photo"
	"tambon/internal/store"
)

// A photo of the house taken by a phone: stored and shown on the household
// page without its metadata; where it was taken only on the revealed page.
// A document's photo opens only from the revealed page, logged. Bad files
// get a clear answer.
func TestHouseholdPhotos(t *testing.T) {
	app := mustHouseholdApp(t)
	ctx := context.Background()
	rec := app.firstHousehold(t, "70051304")
	c := app.as(t, "moo4")
	jpg, err := os.ReadFile("../photo/testdata/house_gps.jpg")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, ok := photo.GPS(jpg); !ok {
		t.Fatal("the test photo has no position")
	}
	up := fmt.Sprintf("/households/%d/photos", rec.ID)
	status, body := c.postFile(up, "photo", "บ้าน.jpg", jpg, "kind", "house", "caption", "หน้าบ้าน")
	if status != http.StatusSeeOther {
		t.Fatalf("upload: %d %s", status, errorsOf(body))
	}
	status, body = c.postFile(up, "photo", "ทะเบียนบ้าน.jpg", jpg, "kind", "document", "caption", "สำเนาทะเบียนบ้าน")
	if status != http.StatusSeeOther {
		t.Fatalf("upload a document: %d %s", status, errorsOf(body))
	}
	ps, err := app.store.HouseholdPhotos(ctx, round2562, rec.Key)
	if err != nil || len(ps) != 2 || ps[0].Lat == nil || *ps[0].Lat < 13.8 || *ps[0].Lat > 13.81 {
		t.Fatalf("stored photos: %+v %v", ps, err)
	}
	es, _ := app.store.AuditLog(ctx, store.AuditFilter{Action: "household.photo", Limit: 5})
	if len(es) != 2 || es[0].User != "moo4" || es[0].Area != "70051304" {
		t.Errorf("uploads in the audit log: %+v", es)
	}

	_, page, _ := c.get(fmt.Sprintf("/households/%d", rec.ID))
	house := fmt.Sprintf("/households/%d/photos/%d", rec.ID, ps[0].ID)
	doc := fmt.Sprintf("/households/%d/photos/%d", rec.ID, ps[1].ID)
	if !strings.Contains(page, house+"?size=thumb") || !strings.Contains(page, "หน้าบ้าน") {
		t.Error("the household page does not show the house's photo")
	}
	if strings.Contains(page, `href="`+doc+`"`) || strings.Contains(page, "สำเนาทะเบียนบ้าน") || regexp.MustCompile(`13\.80\d+`).MatchString(page) {
		t.Error("the masked page opens the document or shows where the photo was taken")
	}
	for _, path := range []string{house, house + "?size=thumb"} {
		status, img, h := c.get(path)
		if status != http.StatusOK || h.Get("Content-Type") != "image/jpeg" {
			t.Fatalf("GET %s: %d %s", path, status, h.Get("Content-Type"))
		}
		if _, _, ok := photo.GPS([]byte(img)); ok || bytes.Contains([]byte(img), []byte("Exif")) || bytes.Contains([]byte(img), []byte("Samsung")) {
			t.Errorf("GET %s serves the picture with its metadata", path)
		}
	}
	// Revealed: the position and the document.
	_, page, _ = c.post(fmt.Sprintf("/households/%d/reveal", rec.ID), nil)
	if !regexp.MustCompile(`13\.808\d+, 99\.869\d+`).MatchString(page) || !strings.Contains(page, `href="`+doc+`"`) {
		t.Error("the revealed page lacks where the photo was taken, or the document's link")
	}
	if status, _, _ := c.get(doc); status != http.StatusOK {
		t.Errorf("opening the document: %d", status)
	}
	es, _ = app.store.AuditLog(ctx, store.AuditFilter{Action: "personal.reveal", Limit: 1})
	if len(es) != 1 || !strings.Contains(es[0].Detail, "document") {
		t.Errorf("opening the document is not logged: %+v", es)
	}
	// Others: the partner sees no household, another village's enumerator
	// neither; nobody uploads outside their area.
	for _, who := range []string{"partner", "viewer", ""} {
		if status, _, _ := app.as(t, who).get(house); status == http.StatusOK {
			t.Errorf("%q fetched the household's photo", who)
		}
	}
	other := app.firstHousehold(t, "70051301")
	if status, _ := c.postFile(fmt.Sprintf("/households/%d/photos", other.ID), "photo", "x.jpg", jpg, "kind", "house"); status != http.StatusForbidden {
		t.Errorf("upload in another village: %d, want 403", status)
	}
	if status, _, _ := c.get(fmt.Sprintf("/households/%d/photos/%d", other.ID, ps[0].ID)); status != http.StatusNotFound && status != http.StatusForbidden {
		t.Errorf("a photo fetched through another household: %d", status)
	}
	// Bad files.
	for _, tc := range []struct {
		name string
		data []byte
		kind string
		says string
	}{
		{"notes.txt", []byte("hello"), "house", "ไม่ใช่รูปภาพที่อ่านได้"},
		{"big.jpg", append(bytes.Clone(jpg), make([]byte, 9<<20)...), "house", "MB"},
		{"x.jpg", jpg, "selfie", "รูปบ้าน หรือรูปเอกสารประกอบ"},
	} {
		status, body := c.postFile(up+"?lang=th", "photo", tc.name, tc.data, "kind", tc.kind)
		if status < 400 || status >= 500 || !strings.Contains(body, tc.says) {
			t.Errorf("%s: %d, want a refusal saying %q: %s", tc.name, status, tc.says, errorsOf(body))
		}
	}
	if ps, _ := app.store.HouseholdPhotos(ctx, round2562, rec.Key); len(ps) != 2 {
		t.Errorf("%d photos after refused uploads, want 2", len(ps))
	}
	// Deleting one.
	if status, _, _ := c.post(doc+"/delete", nil); status != http.StatusSeeOther {
		t.Errorf("delete: %d", status)
	}
	if ps, _ := app.store.HouseholdPhotos(ctx, round2562, rec.Key); len(ps) != 1 {
		t.Errorf("%d photos after deleting one, want 1", len(ps))
	}
}
