package main

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The demo's administrator sets the income line on /admin/sets, in Thai and
// then in English: the page follows the background recompute (the round
// and households done, sets.js polling /admin/sets/jobs/{id}) and then shows
// the outcome, the new version and the demo's two rounds moved to it.
// Before each change the kept village columns are dropped, so the job
// decodes the rounds' households and runs long enough to be seen running.
func TestBrowserSetsThresholdJob(t *testing.T) {
	db := tempDB(t)
	base, _ := startApp(t, nil, "demo", "--db", db)
	ctx := phoneSignedIn(t, base, "admin")
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", db+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for i, tc := range []struct {
		lang, value, running, done string
	}{
		{"th", "41000", "กำลังคำนวณใหม่ตาม", "บันทึกเกณฑ์ใน bmn-2560-2564 รุ่น"},
		{"en", "42,000", "Recomputing under", "The threshold is stored in bmn-2560-2564 version"},
	} {
		if _, err := raw.Exec("DELETE FROM household_columns"); err != nil {
			t.Fatal(err)
		}
		shot := "sets-threshold-" + tc.lang
		if err := chromedp.Run(ctx,
			chromedp.Navigate(base+"/admin/sets?lang="+tc.lang),
			chromedp.WaitVisible(`#set-threshold`, chromedp.ByID),
			chromedp.SetValue(`#th-set`, "bmn-2560-2564", chromedp.ByID),
			chromedp.SetValue(`#th-name`, "income_threshold", chromedp.ByID),
			chromedp.SetValue(`#th-year`, "2562", chromedp.ByID),
			chromedp.SetValue(`#th-value`, tc.value, chromedp.ByID),
			chromedp.Click(`#set-threshold-submit`, chromedp.ByID),
			chromedp.WaitVisible(`#threshold-job`, chromedp.ByID),
		); err != nil {
			save(t, ctx, shot+"-failed.png")
			t.Fatalf("%s: submit: %v", tc.lang, err)
		}
		var job string
		var running bool
		chromedp.Run(ctx, chromedp.Evaluate(`!!document.querySelector("#threshold-job[data-job]")`, &running),
			chromedp.Text(`#threshold-job`, &job, chromedp.ByID))
		if running {
			if !strings.Contains(job, tc.running) {
				t.Errorf("%s: the running job says %q, want %q", tc.lang, job, tc.running)
			}
			save(t, ctx, shot+"-progress.png")
			// sets.js polls and fills in the round and households done.
			var state string
			wctx, cancel := context.WithTimeout(ctx, 20*time.Second)
			err := chromedp.Run(wctx, chromedp.Poll(`(function(){var s=document.getElementById("threshold-job-state");
				return !document.querySelector("#threshold-job[data-job]") || (s && /bmn-256[12]/.test(s.textContent));})()`, nil, chromedp.WithPollingInterval(50*time.Millisecond)),
				chromedp.Evaluate(`(document.getElementById("threshold-job-state")||{}).textContent||""`, &state))
			cancel()
			if err != nil {
				t.Errorf("%s: no progress shown: %v", tc.lang, err)
			} else if state != "" {
				t.Logf("%s: progress: %s", tc.lang, state)
				save(t, ctx, shot+"-progress-round.png")
			}
		} else {
			t.Logf("%s: the recompute ended before the page was shown: no progress to see", tc.lang)
		}
		var outcome string
		wctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		err := chromedp.Run(wctx, chromedp.WaitVisible(`#sets-done`, chromedp.ByID), chromedp.Text(`#sets-done`, &outcome, chromedp.ByID))
		cancel()
		if err != nil {
			save(t, ctx, shot+"-failed.png")
			t.Fatalf("%s: no outcome: %v", tc.lang, err)
		}
		save(t, ctx, shot+"-done.png")
		want := tc.done + " " + []string{"2", "3"}[i]
		for _, w := range []string{want, "bmn-2561", "bmn-2562"} {
			if !strings.Contains(outcome, w) {
				t.Errorf("%s: the outcome %q lacks %q", tc.lang, outcome, w)
			}
		}
	}
	// The job kept the villages' columns it decoded, for the next change.
	var kept int
	if err := raw.QueryRow("SELECT count(*) FROM household_columns").Scan(&kept); err != nil || kept == 0 {
		t.Errorf("the recompute kept no village columns (%d, %v)", kept, err)
	}
}
