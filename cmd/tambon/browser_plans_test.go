package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"tambon/internal/thai"
)

// plan2562Link is the demo's plan of fiscal year 2562 on the plans list (the
// list starts with the newest year: the 2565 plan the village forum feeds).
const plan2562Link = `//ul[@id="plans"]//a[contains(., "2562")]`

// The ตำบลเขาขลุง team follows its tambon from the failed indicators of the
// 2561 survey to the 2562 plan, to an item with its partner and budget, to
// a household it helped, to that household's result in the 2562 survey;
// then it opens the plan's graduation view and exports the plan annex.
func TestBrowserPlanFollowsHelp(t *testing.T) {
	ctx := browser(t)
	base, _ := startApp(t, nil, "demo", "--db", tempDB(t))
	wait := func(sel string) chromedp.Action { return chromedp.WaitVisible(sel, chromedp.ByQuery) }
	fail := func(name string, err error) {
		t.Helper()
		save(t, ctx, name+"-failed.png")
		t.Fatal(err)
	}
	var proposals, plans string
	if err := chromedp.Run(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(base+"/login?next=/"),
		wait(`input[name=username]`),
		chromedp.SendKeys(`input[name=username]`, "khaokhlung", chromedp.ByQuery),
		chromedp.SendKeys(`input[name=password]`, demoPassword, chromedp.ByQuery),
		chromedp.Submit(`input[name=password]`, chromedp.ByQuery),
		wait(`nav.user a[href="/areas/700513/plans"]`),
		chromedp.Click(`nav.user a[href="/areas/700513/plans"]`, chromedp.ByQuery),
		wait(`#proposals`),
		chromedp.Text(`#proposals tbody`, &proposals, chromedp.ByQuery),
		chromedp.Text(`#plans`, &plans, chromedp.ByQuery),
	); err != nil {
		fail("plan-list", err)
	}
	save(t, ctx, "plan-list-phone.png")
	if !strings.Contains(proposals, "ตัวชี้วัดที่") || !strings.Contains(plans, "ปีงบประมาณ 2562") {
		t.Fatalf("failed indicators %.200q; plans %q", proposals, plans)
	}
	// Both sources propose: the household survey and the village survey.
	if !strings.Contains(proposals, "กชช. 2ค ข้อ") {
		t.Errorf("no กชช. 2ค problem among the proposals: %.300q", proposals)
	}

	// The plan, then its first item.
	var items, partner, budget string
	if err := chromedp.Run(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Click(plan2562Link, chromedp.BySearch),
		wait(`#items`),
		chromedp.Text(`#items tbody`, &items, chromedp.ByQuery),
	); err != nil {
		fail("plan-view", err)
	}
	save(t, ctx, "plan-view.png")
	if !strings.Contains(items, "องค์การบริหารส่วนตำบลเขาขลุง") || !strings.Contains(items, "60,000") {
		t.Errorf("the plan's items do not show the partner and budget: %.300q", items)
	}
	if err := chromedp.Run(ctx,
		chromedp.Click(`#items tbody tr:first-child a`, chromedp.ByQuery),
		wait(`#assist-list`),
		chromedp.Text(`#item-partner`, &partner, chromedp.ByQuery),
		chromedp.Text(`#item-budget`, &budget, chromedp.ByQuery),
	); err != nil {
		fail("plan-item", err)
	}
	save(t, ctx, "plan-item.png")
	if partner == "" || partner == "—" || !strings.Contains(budget, "บาท") {
		t.Errorf("item partner %q, budget %q", partner, budget)
	}

	// A household helped, and its result in the next round.
	var help, next, nextHeading string
	if err := chromedp.Run(ctx,
		chromedp.Click(`#assist-list tbody tr:first-child a`, chromedp.ByQuery),
		wait(`#help`),
		chromedp.Text(`#help-after`, &help, chromedp.ByQuery),
		chromedp.Text(`#help-next`, &next, chromedp.ByQuery),
	); err != nil {
		fail("plan-household", err)
	}
	chromedp.Run(ctx, chromedp.ScrollIntoView(`#help`, chromedp.ByQuery))
	saveScreen(t, ctx, "plan-household-help.png")
	if !strings.Contains(help, "ช่วยเหลือแล้ว") || !(strings.Contains(help, "ผ่านแล้ว") || strings.Contains(help, "ยังไม่ผ่าน")) {
		t.Errorf("the household's help does not show its status and next-round result: %q", help)
	}
	if !strings.Contains(next, "2562") {
		t.Errorf("no next-round result: %q", next)
	}
	if err := chromedp.Run(ctx,
		chromedp.Click(`#help-next a`, chromedp.ByQuery),
		wait(`#outcomes`),
		chromedp.Text(`.muted`, &nextHeading, chromedp.ByQuery),
	); err != nil {
		fail("plan-household-next", err)
	}

	// The graduation view: helped households by what became of them.
	var total, planURL string
	var graduated, still int
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/areas/700513/plans"),
		chromedp.WaitVisible(plan2562Link, chromedp.BySearch),
		chromedp.Click(plan2562Link, chromedp.BySearch),
		wait(`#graduation-link`),
		chromedp.Location(&planURL),
		chromedp.Click(`#graduation-link`, chromedp.ByQuery),
		wait(`#graduation`),
		chromedp.Text(`#grad-total`, &total, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll('#helped tr[data-kind="graduated"]').length`, &graduated),
		chromedp.Evaluate(`document.querySelectorAll('#helped tr[data-kind="still_poor"]').length`, &still),
	); err != nil {
		fail("plan-graduation", err)
	}
	save(t, ctx, "plan-graduation.png")
	if graduated == 0 || still == 0 || strings.TrimSpace(total) != thai.FormatInt(int64(graduated)) {
		t.Errorf("graduation: total %q, %d graduated and %d still with the problem in the list", total, graduated, still)
	}

	// The annex, downloaded and read back.
	dir := t.TempDir()
	done := make(chan string, 1)
	chromedp.ListenTarget(ctx, func(ev any) {
		if e, ok := ev.(*cdpbrowser.EventDownloadProgress); ok && e.State == cdpbrowser.DownloadProgressStateCompleted {
			select {
			case done <- e.GUID:
			default:
			}
		}
	})
	if err := chromedp.Run(ctx,
		chromedp.Navigate(planURL),
		wait(`#annex`),
		cdpbrowser.SetDownloadBehavior(cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName).WithDownloadPath(dir).WithEventsEnabled(true),
		chromedp.Click(`#annex`, chromedp.ByQuery),
	); err != nil {
		fail("plan-annex", err)
	}
	var guid string
	select {
	case guid = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the annex download did not finish")
	}
	b, err := os.ReadFile(filepath.Join(dir, guid))
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("the annex is not a workbook: %v", err)
	}
	rows, _ := f.GetRows("โครงการ", excelize.Options{RawCellValue: true})
	if len(rows) < 6 || !strings.Contains(rows[0][0], "2562") || rows[4][9] == "" || rows[4][5] == "" {
		t.Fatalf("annex projects: %q", rows)
	}
	var sum string
	for _, r := range rows {
		if len(r) > 5 && r[1] == "รวม" {
			sum = r[5]
		}
	}
	if sum == "" || sum == "0" {
		t.Errorf("annex has no budget total: %q", rows)
	}

	// The programmes: the change leaders' kick-off in หมู่ 4, and หมู่ 4's
	// vegetable gardens with the village's progress.
	var leaders, gardens string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/areas/700513/programmes"),
		wait(`#programmes`),
		chromedp.Click(`//a[contains(., "ผู้นำการเปลี่ยนแปลง")]`, chromedp.BySearch),
		wait(`#session-list`),
		chromedp.Text(`#session-list`, &leaders, chromedp.ByQuery),
	); err != nil {
		fail("programme-leaders", err)
	}
	save(t, ctx, "programme-leaders.png")
	if !strings.Contains(leaders, "Kick-off") || !strings.Contains(leaders, "1 มี.ค. 2564") || !strings.Contains(leaders, "หนองไม้เฝ้า") {
		t.Errorf("the kick-off: %q", leaders)
	}
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/areas/700513/programmes"),
		wait(`#programmes`),
		chromedp.Click(`//a[contains(., "ผักสวนครัว")]`, chromedp.BySearch),
		wait(`#garden-summary`),
		chromedp.Text(`#garden-summary`, &gardens, chromedp.ByQuery),
	); err != nil {
		fail("programme-gardens", err)
	}
	save(t, ctx, "programme-gardens.png")
	if !strings.Contains(gardens, "15") {
		t.Errorf("the gardens' village progress: %q", gardens)
	}

	// หมู่ 4's 2564 award nomination: its evidence documents open, and its
	// self-assessment stands beside the committee's scores.
	var files, self, got string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/areas/700513/programmes"),
		wait(`#programmes`),
		chromedp.Click(`//a[contains(., "เลิศรัฐ")]`, chromedp.BySearch),
		wait(`#file-list`),
		chromedp.Text(`#file-list`, &files, chromedp.ByQuery),
		chromedp.Text(`#self`, &self, chromedp.ByQuery),
		chromedp.Evaluate(`Promise.all([...document.querySelectorAll('#file-list a')].map(a =>
			fetch(a.href).then(r => r.blob().then(b => a.textContent + ' ' + r.status + ' ' + r.headers.get('content-type') + ' ' + b.size)))).then(x => x.join('\n'))`,
			&got, func(p *cdpruntime.EvaluateParams) *cdpruntime.EvaluateParams { return p.WithAwaitPromise(true) }),
	); err != nil {
		fail("programme-award", err)
	}
	save(t, ctx, "programme-award-th.png")
	if !strings.Contains(files, ".pdf") || !strings.Contains(files, ".jpg") || !strings.Contains(files, "บ้านหนองไม้เฝ้า") {
		t.Errorf("the nomination's documents: %q", files)
	}
	if !strings.Contains(got, " 200 application/pdf ") || !strings.Contains(got, " 200 image/jpeg ") {
		t.Errorf("the documents do not open: %q", got)
	}
	if !strings.Contains(self, "การประเมินตนเอง") || !strings.Contains(self, "คะแนนกรรมการ") || !strings.Contains(self, "ทุกครัวเรือนร่วมเวทีประชาคม") {
		t.Errorf("the self-assessment: %q", self)
	}
	var en string
	if err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/areas/700513/programmes?lang=en"),
		wait(`#programmes`),
		chromedp.Click(`//a[contains(., "เลิศรัฐ")]`, chromedp.BySearch),
		wait(`#self`),
		chromedp.Text(`main`, &en, chromedp.ByQuery),
	); err != nil {
		fail("programme-award-en", err)
	}
	save(t, ctx, "programme-award-en.png")
	if !strings.Contains(en, "Evidence documents") || !strings.Contains(en, "Self-assessment") || !strings.Contains(en, "Committee score") {
		t.Errorf("the English nomination page: %.400q", en)
	}

	// On English pages the plan's partners have their English names.
	var enItems string
	if err := chromedp.Run(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(base+"/areas/700513/plans"),
		chromedp.WaitVisible(plan2562Link, chromedp.BySearch),
		chromedp.Click(plan2562Link, chromedp.BySearch),
		wait(`#items`),
		chromedp.Text(`#items tbody`, &enItems, chromedp.ByQuery),
	); err != nil {
		fail("plan-view-en", err)
	}
	save(t, ctx, "plan-view-en-phone.png")
	if !strings.Contains(enItems, "Khao Khlung Subdistrict Administrative Organization") || strings.Contains(enItems, "องค์การบริหารส่วนตำบลเขาขลุง") {
		t.Errorf("the English plan names its partners in Thai: %.300q", enItems)
	}

	// Every page the tambon team uses fits a phone, in both languages.
	assertFitsPhone(t, base, "khaokhlung", []string{
		"/", "/areas/700513", "/areas/70051304", "/areas/700513/report", "/areas/700513/poverty",
		"/areas/700513/indicators/23", "/areas/700513/plans", "/plans/1", "/plans/1/items/1",
		"/plans/1/graduation", "/areas/700513/programmes", "/activities", "/activities/new",
		"/news", "/partners", "/villages/", "/villages/kcc2k-2562/70051304",
		"/rounds/bmn-2562/areas/70051304/households", "/rounds/bmn-2562/households/new",
		"/submissions", "/search?q=หนองไม้เฝ้า",
	})
}
