package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// A visitor opens Ratchaburi in the demo, whose households cover one amphoe:
// the page says how many villages the figures stand on and that they are
// provisional, the map's legend names the grey areas, and the printed
// report carries the signature lines.
func TestBrowserStatusProvinceAndReport(t *testing.T) {
	ctx := browser(t)
	base, _ := startApp(t, nil, "demo", "--db", tempDB(t))
	wait := func(sel string) chromedp.Action { return chromedp.WaitVisible(sel, chromedp.ByQuery) }

	var cover, legend, shown string
	err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/areas/70"),
		wait(`#coverage`),
		wait(`#map .map-legend`),
		chromedp.Text(`#coverage`, &cover, chromedp.ByQuery),
		chromedp.Text(`#map .map-legend`, &legend, chromedp.ByQuery),
		chromedp.Text(`#round-shown`, &shown, chromedp.ByQuery),
	)
	if err != nil {
		save(t, ctx, "status-province-failed.png")
		t.Fatal(err)
	}
	save(t, ctx, "status-province.png")
	if !regexp.MustCompile(`ข้อมูล [0-9,]+ จาก [0-9,]+ หมู่บ้าน`).MatchString(cover) || !strings.Contains(cover, "ยังไม่รับรอง") {
		t.Errorf("the province page's coverage reads %q", cover)
	}
	if !strings.Contains(legend, "ไม่มีข้อมูล") {
		t.Errorf("the map legend does not name the grey areas: %q", legend)
	}
	if !strings.Contains(shown, "แสดงข้อมูลรอบ") {
		t.Errorf("the page does not say which round it shows: %q", shown)
	}

	var sign string
	err = chromedp.Run(ctx,
		chromedp.Navigate(base+"/areas/70/report"),
		wait(`#report-sign`),
		chromedp.Text(`#report-sign`, &sign, chromedp.ByQuery),
	)
	if err != nil {
		save(t, ctx, "status-report-failed.png")
		t.Fatal(err)
	}
	save(t, ctx, "status-report.png")
	for _, want := range []string{"ลงชื่อ", "ผู้รับรอง", "ตำแหน่ง", "วันที่"} {
		if !strings.Contains(sign, want) {
			t.Errorf("the report's signature block lacks %q: %q", want, sign)
		}
	}
}
