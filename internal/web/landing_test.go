package web_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"tambon/internal/store/storetest"
	"tambon/internal/survey"
	"tambon/internal/surveyfile"
	"tambon/internal/thai"
	"tambon/internal/web"
)

var (
	todoRE = regexp.MustCompile(`<li data-todo="([^"]+)"><a href="([^"]+)"><span class="todo-n">([^<]+)</span>`)
)

// todos reads the home page's "what needs doing": key → link, and key → count.
func todos(body string) (links, counts map[string]string) {
	links, counts = map[string]string{}, map[string]string{}
	for _, m := range todoRE.FindAllStringSubmatch(body, -1) {
		links[m[1]], counts[m[1]] = strings.ReplaceAll(m[2], "&amp;", "&"), m[3]
	}
	return links, counts
}

// Signed in, the home page is the account's own area: its latest figures
// and what needs doing there, counted, most urgent first, each a link the
// account may open; as the tambon submits, the work moves to the district.
func TestHomeIsMyArea(t *testing.T) {
	app := mustHouseholdApp(t)
	ctx := context.Background()
	r, _ := app.store.Round(ctx, round2562)
	eng := mustEngine(t, r)
	drafts := func() string {
		c, err := app.store.RoundCompleteness(ctx, round2562, "700513")
		if err != nil {
			t.Fatal(err)
		}
		return strconv.Itoa(c.Total().Drafts)
	}
	before := drafts()
	// Two more drafts in หมู่ 4 entered by the tambon team.
	hs := surveyfile.Example(eng.Set(), "70051304", 2, 99)
	for _, h := range hs {
		h.RoundID, h.Status, h.HouseNo = round2562, survey.Draft, "9"+h.HouseNo
		h.HouseCode = ""
	}
	if _, err := app.store.WriteHouseholds(ctx, eng, round2562, hs, "tambon", nil); err != nil {
		t.Fatal(err)
	}
	if want, _ := strconv.Atoi(before); drafts() != strconv.Itoa(want+2) {
		t.Fatalf("drafts %s, then %s", before, drafts())
	}
	tambon := app.as(t, "tambon")
	status, body, _ := tambon.get("/")
	if status != 200 || !strings.Contains(body, `id="my-area"`) || !strings.Contains(body, "เขาขลุง") {
		t.Fatalf("tambon home: %d\n%.500s", status, body)
	}
	if strings.Contains(body, `id="where-data"`) {
		t.Error("the signed-in home shows the public overview instead of the account's area")
	}
	links, counts := todos(body)
	if counts["drafts"] != drafts() || links["drafts"] != "/rounds/"+round2562+"/areas/700513/households?status=draft" {
		t.Errorf("drafts: %q at %q", counts["drafts"], links["drafts"])
	}
	if counts["review.submit"] != "1" || links["review.submit"] != "/rounds/"+round2562+"/areas/700513/review" {
		t.Errorf("submit: %q at %q (all: %v)", counts["review.submit"], links["review.submit"], links)
	}
	if i, j := strings.Index(body, `data-todo="review.submit"`), strings.Index(body, `data-todo="drafts"`); i < 0 || j < i {
		t.Error("the review step waiting is not listed before the drafts")
	}
	for key, href := range links {
		if href[0] == '#' {
			continue
		}
		if st, _, _ := tambon.get(href); st != 200 {
			t.Errorf("tambon: %s links to %s, which answers %d", key, href, st)
		}
	}
	if !regexp.MustCompile(`id="my-households">[0-9,]+<`).MatchString(body) {
		t.Error("no household count among the tambon's figures")
	}
	// One more draft shows at once: the counts kept between visits are
	// read again after every household write.
	more := surveyfile.Example(eng.Set(), "70051303", 1, 98)
	for _, h := range more {
		h.RoundID, h.Status, h.HouseNo, h.HouseCode = round2562, survey.Draft, "8"+h.HouseNo, ""
	}
	if _, err := app.store.WriteHouseholds(ctx, eng, round2562, more, "tambon", nil); err != nil {
		t.Fatal(err)
	}
	if _, body, _ := tambon.get("/"); !strings.Contains(body, `data-todo="drafts"><a href="/rounds/`+round2562+`/areas/700513/households?status=draft"><span class="todo-n">`+drafts()+`<`) {
		t.Errorf("after one more draft the home page does not say %s", drafts())
	}
	// The district has nothing to verify yet, then one tambon once it is
	// submitted; the tambon then has nothing to submit.
	district := app.as(t, "district")
	if _, body, _ := district.get("/"); strings.Contains(body, `data-todo="review.verify"`) {
		t.Error("the district is asked to verify a tambon nobody submitted")
	}
	if _, err := app.store.Review(ctx, round2562, "700513", survey.Submit, "tambon", ""); err != nil {
		t.Fatal(err)
	}
	_, body, _ = district.get("/")
	links, counts = todos(body)
	if counts["review.verify"] != "1" || links["review.verify"] != "/rounds/"+round2562+"/areas/700513/review" {
		t.Errorf("verify: %q at %q", counts["review.verify"], links["review.verify"])
	}
	if st, _, _ := district.get(links["review.verify"]); st != 200 {
		t.Errorf("the district's review link answers %d", st)
	}
	if links["drafts"] != "/rounds/"+round2562+"/areas/7005/completeness" {
		t.Errorf("the district's drafts link to %q, want its completeness dashboard", links["drafts"])
	}
	if _, body, _ := tambon.get("/"); strings.Contains(body, `data-todo="review.submit"`) {
		t.Error("the tambon is still asked to submit a submitted tambon")
	}
	// A viewer has nothing to do, said kindly, in Thai and English.
	viewer := app.as(t, "viewer")
	_, body, _ = viewer.get("/")
	if !strings.Contains(body, `id="todo-none"`) || !strings.Contains(body, "ขณะนี้ไม่มีงานค้าง") {
		t.Errorf("viewer: no kind empty state\n%.300s", body)
	}
	_, body, _ = viewer.get("/?lang=en")
	if !strings.Contains(body, "Nothing is waiting in") || !strings.Contains(body, "My area: Ratchaburi") {
		t.Errorf("viewer, English: %.300s", body)
	}
	// Every link of every account's home page opens for it.
	for _, u := range append([]string{""}, "tambon", "moo4", "partner", "viewer", "district", "province") {
		c := app.as(t, u)
		_, body, _ := c.get("/")
		linksOpen(t, c, "home of "+u, body)
	}
}

// Signed out, the home page says where data are: the provinces with
// published figures, linked, and what the others mean — not zero, nothing
// published yet.
func TestHomeShowsWhereDataAre(t *testing.T) {
	app := mustHouseholdApp(t)
	c := app.as(t, "")
	status, body, _ := c.get("/")
	if status != 200 {
		t.Fatalf("home: %d", status)
	}
	list := regexp.MustCompile(`(?s)<ul class="data-provinces" id="data-provinces">(.*?)</ul>`).FindStringSubmatch(body)
	if list == nil {
		t.Fatalf("no list of provinces with data:\n%.800s", body)
	}
	hrefs := regexp.MustCompile(`href="(/areas/\d+)"`).FindAllStringSubmatch(list[1], -1)
	if len(hrefs) != 1 || hrefs[0][1] != "/areas/70" || !strings.Contains(list[1], "ราชบุรี") {
		t.Errorf("provinces with data: %q", list[1])
	}
	if !strings.Contains(body, "อีก 76 จังหวัดยังไม่มีข้อมูลเผยแพร่ใน tambon") || !strings.Contains(body, "ไม่ได้แปลว่าตัวเลขเป็นศูนย์") {
		t.Error("the others are not explained")
	}
	if n := strings.Count(body, `class="has-data"`); n != 1 {
		t.Errorf("%d provinces marked with data in the list, want 1", n)
	}
	if !strings.Contains(body, `<figure class="map" id="map"`) {
		t.Error("no map of the provinces")
	}
	// What the list says of Ratchaburi is what its public page says.
	cover := regexp.MustCompile(`ข้อมูล(ครบทั้ง [0-9,]+ หมู่บ้าน| [0-9,]+ จาก [0-9,]+ หมู่บ้าน)`).FindString(list[1])
	_, page, _ := c.get("/areas/70")
	if cover == "" || !strings.Contains(page, cover) {
		t.Errorf("home says %q of Ratchaburi; its page does not", cover)
	}
	_, body, _ = c.get("/?lang=en")
	if !strings.Contains(body, "The other 76 provinces have no data published in tambon yet") || !strings.Contains(body, "Ratchaburi") {
		t.Errorf("English overview: %.600s", body)
	}
}

// The completeness dashboard counts what the review checklist counts, by
// village for a tambon and by tambon (with its review status) for a
// district, and per account; it opens only for accounts that may see the
// area's households, and the review page links to it.
func TestCompletenessDashboard(t *testing.T) {
	app := mustHouseholdApp(t)
	ctx := context.Background()
	check, err := app.store.RoundChecklist(ctx, round2562, "700513")
	if err != nil {
		t.Fatal(err)
	}
	tambon := app.as(t, "tambon")
	path := "/rounds/" + round2562 + "/areas/700513/completeness"
	status, body, _ := tambon.get(path)
	if status != 200 {
		t.Fatalf("tambon dashboard: %d", status)
	}
	rows := regexp.MustCompile(`<tr data-area="(\d{8})">`).FindAllStringSubmatch(body, -1)
	if len(rows) != len(check.Villages) {
		t.Errorf("%d village rows, the checklist has %d", len(rows), len(check.Villages))
	}
	surveyed := 0
	for _, v := range check.Villages {
		surveyed += v.Surveyed
	}
	if !strings.Contains(body, `id="total-surveyed">`+thaiInt(surveyed)+`<`) {
		t.Errorf("total surveyed is not %d", surveyed)
	}
	if !strings.Contains(body, `<tr data-user="test">`) {
		t.Error("the account that entered the households is not listed")
	}
	if _, review, _ := tambon.get("/rounds/" + round2562 + "/areas/700513/review"); !strings.Contains(review, `href="`+path+`"`) {
		t.Error("the review page does not link to the dashboard")
	}
	district := app.as(t, "district")
	status, body, _ = district.get("/rounds/" + round2562 + "/areas/7005/completeness")
	if status != 200 || !strings.Contains(body, `<tr data-area="700513">`) || !strings.Contains(body, `href="/rounds/`+round2562+`/areas/700513/review">เปิดบันทึกข้อมูล</a>`) {
		t.Errorf("district dashboard: %d, no row for เขาขลุง with its status", status)
	}
	for _, c := range []struct {
		who, code string
		want      int
	}{{"moo4", "700513", 403}, {"moo4", "70051304", 200}, {"viewer", "70", 403}, {"partner", "700513", 403}, {"province", "70", 200},
		{"tambon", "700513", 200}, {"district", "7005", 200}} {
		as := app.as(t, c.who)
		p := "/rounds/" + round2562 + "/areas/" + c.code + "/completeness"
		st, body, _ := as.get(p)
		if st != c.want {
			t.Errorf("%s at %s: %d, want %d", c.who, c.code, st, c.want)
		}
		if st == 200 {
			linksOpen(t, as, c.who+" "+p, body)
		}
	}
	if st, _, _ := tambon.get("/rounds/" + roundTPMAP + "/areas/700513/completeness"); st != 404 {
		t.Errorf("a round of published figures: %d, want 404", st)
	}
	if _, body, _ := tambon.get(path + "?lang=en"); !strings.Contains(body, "Survey completeness: Khao Khlung") {
		t.Error("no English heading")
	}
}

func thaiInt(n int) string { return thai.FormatInt(int64(n)) }

var pageLinkRE = regexp.MustCompile(`<a\b[^>]*\bhref="(/[^"#]*)"`)

// linksOpen fails on any link of a page that does not open for the same
// account.
func linksOpen(t *testing.T, c *client, from, body string) {
	t.Helper()
	for _, m := range pageLinkRE.FindAllStringSubmatch(body, -1) {
		href := strings.ReplaceAll(m[1], "&amp;", "&")
		if strings.HasPrefix(href, "/static/") || strings.Contains(href, "lang=") {
			continue
		}
		if st, _, _ := c.get(href); st != 200 {
			t.Errorf("%s links to %s, which answers %d", from, href, st)
		}
	}
}

// The public home lists a province only when its public pages show data:
// with --publish certified a province whose only tambon is not certified
// stays off the list (and counts among the others) until the province
// certifies it; with --publish all it is listed, marked provisional.
func TestHomeListsOnlyPublishedProvinces(t *testing.T) {
	tree := mustTree(t)
	tambon := tree.Children(tree.Children("50")[0].Code)[0] // a tambon of Chiang Mai
	village := tree.Children(tambon.Code)[0].Code
	for _, publish := range []web.Publish{web.PublishCertified, web.PublishAll} {
		t.Run(string(publish), func(t *testing.T) {
			app := mustPublishApp(t, publish)
			ctx := context.Background()
			// The register also holds the Chiang Mai tambon.
			register := storetest.Ratchaburi(t)
			for _, code := range []string{"50", tambon.Code[:4], tambon.Code} {
				a, _ := tree.Get(code)
				register = append(register, a)
			}
			register = append(register, tree.Children(tambon.Code)...)
			if _, err := app.store.SyncAreas(ctx, register, true); err != nil {
				t.Fatal(err)
			}
			r, _ := app.store.Round(ctx, round2562)
			eng := mustEngine(t, r)
			hs := surveyfile.Example(eng.Set(), village, 8, 5)
			for _, h := range hs {
				h.RoundID = round2562
			}
			if _, err := app.store.WriteHouseholds(ctx, eng, round2562, hs, "test", nil); err != nil {
				t.Fatal(err)
			}
			listed := func() (bool, string) {
				_, body, _ := app.as(t, "").get("/")
				list := regexp.MustCompile(`(?s)<ul class="data-provinces" id="data-provinces">(.*?)</ul>`).FindStringSubmatch(body)
				if list == nil {
					t.Fatalf("no list of provinces:\n%.500s", body)
				}
				return strings.Contains(list[1], `href="/areas/50"`), body
			}
			on, body := listed()
			if publish == web.PublishCertified {
				if on || !strings.Contains(body, "อีก 76 จังหวัด") {
					t.Fatalf("Chiang Mai's uncertified tambon is listed to the public (listed %v)", on)
				}
				certify(t, app.store, round2562, tambon.Code)
				if on, body = listed(); !on || !strings.Contains(body, "อีก 75 จังหวัด") {
					t.Errorf("Chiang Mai certified, listed %v", on)
				}
				return
			}
			if !on || !regexp.MustCompile(`(?s)href="/areas/50">.*?ยังไม่รับรอง`).MatchString(body) {
				t.Errorf("publish all: Chiang Mai listed %v, or not marked provisional", on)
			}
		})
	}
}
