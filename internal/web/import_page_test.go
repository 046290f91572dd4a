package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"tambon/internal/surveyfile"
	"tambon/internal/tabular"
)

// TestImportSpoolIsRemoved: an upload is spooled to a temporary file while
// its job runs, and the file is gone when the job ends, whether the import
// was written, a dry run, or refused; a dry run counts the households
// already stored.
func TestImportSpoolIsRemoved(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	app := mustHouseholdApp(t)
	r2562, _ := app.store.Round(context.Background(), round2562)
	r := surveyfile.ExampleRound(mustEngine(t, r2562).Set())
	if err := app.store.CreateRound(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	eng := mustEngine(t, r)
	var file bytes.Buffer
	w := tabular.NewCSVWriter(&file)
	if err := surveyfile.Write(w, eng.Set(), surveyfile.Example(eng.Set(), "70051304", 4, 5)); err != nil {
		t.Fatal(err)
	}
	w.Close()
	c := app.as(t, "moo4")
	type status struct{ State, Page string }
	run := func(data []byte, opts ...string) status {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		for _, o := range opts {
			mw.WriteField(o, "1")
		}
		fw, _ := mw.CreateFormFile("file", "households.csv")
		fw.Write(data)
		mw.Close()
		req, _ := http.NewRequest("POST", c.ts.URL+"/imports?round="+r.ID, &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		code, _, h := c.do(req)
		if code != http.StatusSeeOther {
			t.Fatalf("upload: %d", code)
		}
		id := h.Get("Location")[strings.LastIndex(h.Get("Location"), "job=")+4:]
		for range 400 {
			_, b, _ := c.get("/imports/" + id)
			var st status
			json.Unmarshal([]byte(b), &st)
			if st.State == "done" || st.State == "failed" {
				_, st.Page, _ = c.get(h.Get("Location"))
				return st
			}
			time.Sleep(25 * time.Millisecond)
		}
		t.Fatal("the import did not finish")
		return status{}
	}
	left := func() []string {
		var names []string
		entries, _ := os.ReadDir(tmp)
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), "tabular-") {
				names = append(names, e.Name())
			}
		}
		return names
	}
	if st := run(file.Bytes()); st.State != "done" {
		t.Fatalf("import: %+v", st)
	}
	if l := left(); len(l) > 0 {
		t.Errorf("after an import, the spool is still there: %v", l)
	}
	st := run(file.Bytes(), "dry_run")
	summary := st.Page[strings.Index(st.Page, `id="import-summary"`):]
	summary = summary[:strings.Index(summary, "</dl>")]
	if st.State != "done" || strings.Count(summary, `<dd class="num">4</dd>`) != 3 || !strings.Contains(summary, `<dd class="num">0</dd>`) {
		t.Errorf("dry run of 4 stored households: %s, want 4 in the file, 4 valid, 0 new, 4 known", summary)
	}
	if st := run(bytes.Replace(file.Bytes(), []byte(",ชาย,"), []byte(",แมว,"), 1)); st.State != "failed" {
		t.Errorf("a broken file: %s", st.State)
	}
	if l := left(); len(l) > 0 {
		t.Errorf("after a dry run and a refusal, the spool is still there: %v", l)
	}
}
