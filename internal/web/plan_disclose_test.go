package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"tambon/internal/thai"
)

// smallShown is the count a cell shows when it is 1 to 4 (a count the
// public never sees), else 0.
func smallShown(cell string) int {
	cell = strings.TrimSpace(thai.FromThaiDigits(cell))
	if cut := strings.IndexAny(cell, " <("); cut >= 0 {
		cell = cell[:cut]
	}
	n, err := strconv.Atoi(strings.ReplaceAll(cell, ",", ""))
	if err != nil || n < 1 || n > 4 {
		return 0
	}
	return n
}

// TestPartnerPlanCountsArePublic reads, as a partner account, everything of
// the plans a partner may open — the plans list with the survey's
// proposals, a plan, an item, the plan's Excel annex and the village
// forum's presentation — for a village of 12 households and its tambon,
// where the survey has many small counts; the partner sees none of them
// (nor a "n/total" beside them), and an indicator the public page hides is
// hidden here too. The tambon team sees every count exactly.
func TestPartnerPlanCountsArePublic(t *testing.T) {
	app := mustPlanApp(t)
	team, partner := app.as(t, "tambon"), app.as(t, "partner")
	rowRe := regexp.MustCompile(`(?s)<tr data-code="([^"]+)">(.*?)</tr>`)
	cellRe := regexp.MustCompile(`(?s)<td class="num">(.*?)</td>`)
	smallSeen := 0
	var plans []string
	for _, code := range []string{"70051301", "700513"} {
		list := "/areas/" + code + "/plans?round=" + round2561
		_, teamBody, _ := team.get(list)
		status, partnerBody, _ := partner.get(list)
		if status != 200 {
			t.Fatalf("partner %s: %d", list, status)
		}
		teamRows, partnerRows := rowRe.FindAllStringSubmatch(teamBody, -1), rowRe.FindAllStringSubmatch(partnerBody, -1)
		if len(teamRows) == 0 || len(teamRows) != len(partnerRows) {
			t.Fatalf("%s: the team sees %d proposals, the partner %d", code, len(teamRows), len(partnerRows))
		}
		// The public page of the area: which indicators it hides.
		_, public, _ := app.as(t, "").get("/api/v1/areas/" + code + "/results?round=" + round2561)
		// The partner's proposals: hidden ones after every shown one (the
		// list runs most households first, so a hidden one's place would
		// bound it).
		hiddenSeen := false
		for _, row := range partnerRows {
			hidden := strings.Contains(row[2], `class="withheld"`)
			if !hidden && hiddenSeen {
				t.Errorf("%s: the partner's proposal %s, shown, comes after a hidden one", code, row[1])
			}
			hiddenSeen = hiddenSeen || hidden
		}
		teamByCode := map[string]string{}
		for _, row := range teamRows {
			teamByCode[row[1]] = row[2]
		}
		for _, row := range partnerRows {
			teamCell, cell := cellRe.FindStringSubmatch(teamByCode[row[1]]), cellRe.FindStringSubmatch(row[2])
			if teamCell == nil || cell == nil {
				t.Fatalf("%s: proposal %s has no households cell", code, row[1])
			}
			if smallShown(teamCell[1]) > 0 {
				smallSeen++
				if !strings.Contains(cell[1], `class="withheld"`) {
					t.Errorf("%s: the partner reads %q households behind proposal %s, a small count", code, cell[1], row[1])
				}
			}
			if n := smallShown(cell[1]); n > 0 {
				t.Errorf("%s: the partner reads the small count %d behind proposal %s", code, n, row[1])
			}
			if regexp.MustCompile(`\d+/\d+`).MatchString(cell[1]) {
				t.Errorf("%s: the partner reads the survey's own n/total %q", code, cell[1])
			}
			if _, err := strconv.Atoi(row[1]); err == nil && withheldIn(public, row[1]) && !strings.Contains(cell[1], `class="withheld"`) {
				t.Errorf("%s: indicator %s is hidden from the public but the partner reads %q", code, row[1], cell[1])
			}
		}
		// The team makes a plan of every proposal, and an item on the first.
		picks := regexp.MustCompile(`name="pick" value="([^"]+)"`).FindAllStringSubmatch(teamBody, -1)
		form := url.Values{"round": {round2561}, "fiscal_year": {"2564"}, "title": {"แผน " + code}}
		for _, p := range picks {
			form.Add("pick", p[1])
		}
		status, _, h := team.post("/areas/"+code+"/plans", form)
		if status != http.StatusSeeOther {
			t.Fatalf("create plan of %s: %d", code, status)
		}
		plans = append(plans, h.Get("Location"))
	}
	if smallSeen == 0 {
		t.Fatal("the fixture has no small count behind a proposal: the test proves nothing")
	}
	probRe := regexp.MustCompile(`(?s)<tr><td class="num">(?:<input[^>]*>|[^<]*)</td>\s*<td>.*?</td><td>.*?</td><td class="num">(.*?)</td>`)
	for _, planURL := range plans {
		_, teamBody, _ := team.get(planURL)
		_, body, _ := partner.get(planURL)
		teamCells, cells := probRe.FindAllStringSubmatch(teamBody, -1), probRe.FindAllStringSubmatch(body, -1)
		if len(teamCells) == 0 || len(teamCells) != len(cells) {
			t.Fatalf("%s: the team sees %d problems, the partner %d", planURL, len(teamCells), len(cells))
		}
		smallHere := 0
		for i, c := range cells {
			if smallShown(teamCells[i][1]) > 0 {
				smallHere++
			}
			if n := smallShown(c[1]); n > 0 {
				t.Errorf("%s: the partner reads the small count %d behind problem %d", planURL, n, i+1)
			}
		}
		// An item on each problem: its page names the problem's households.
		pid := regexp.MustCompile(`name="rank_(\d+)"`).FindAllStringSubmatch(teamBody, -1)
		partnerID := regexp.MustCompile(`<option value="(\d+)">อบต.เขาขลุง</option>`).FindStringSubmatch(teamBody)
		if partnerID == nil {
			t.Fatal("the item form does not offer the tambon's partner")
		}
		for i, p := range pid {
			if smallShown(teamCells[i][1]) == 0 {
				continue
			}
			status, _, h := team.post(planURL+"/items", url.Values{"title": {"โครงการ " + p[1]}, "problem": {p[1]}, "partner": {partnerID[1]},
				"budget": {"1000"}, "budget_source": {"local"}, "start": {"1/11/2563"}, "end": {"30/9/2564"}})
			if status != http.StatusSeeOther {
				t.Fatalf("item: %d", status)
			}
			itemURL := h.Get("Location")
			_, teamItem, _ := team.get(itemURL)
			_, item, _ := partner.get(itemURL)
			// The team helps a few of its households: the graduation
			// view counts what became of them.
			cands := regexp.MustCompile(`name="hh" value="(\d+)"`).FindAllStringSubmatch(teamItem, -1)
			var ids []string
			for _, m := range cands[:min(3, len(cands))] {
				ids = append(ids, m[1])
			}
			if status, _, _ := team.post(itemURL+"/targets", url.Values{"hh": ids}); len(ids) == 0 || status != http.StatusSeeOther {
				t.Fatalf("targets %v: %d", ids, status)
			}
			for _, id := range ids {
				if status, body, _ := team.post(itemURL+"/assistance", url.Values{"household": {id}, "what": {"พันธุ์ผัก"}, "helper": {"อบต.เขาขลุง"},
					"date": {"15/3/2564"}, "status": {"delivered"}}); status != http.StatusSeeOther {
					t.Fatalf("assistance: %d %s", status, body)
				}
			}
			_, teamItem, _ = team.get(itemURL)
			want := thai.FormatInt(int64(smallShown(teamCells[i][1])))
			if !strings.Contains(teamItem, "("+want+" ") {
				t.Errorf("the team's item page does not give the problem's %s households", want)
			}
			if !strings.Contains(item, `class="withheld"`) || strings.Contains(item, "("+want+" ") {
				t.Errorf("the partner's item page gives the problem's %s households", want)
			}
			break
		}
		// The Excel annex, problems sheet.
		for _, who := range []string{"tambon", "partner"} {
			status, x, _ := app.as(t, who).get(planURL + "/annex.xlsx")
			if status != 200 {
				t.Fatalf("%s annex: %d", who, status)
			}
			f, err := excelize.OpenReader(strings.NewReader(x))
			if err != nil {
				t.Fatal(err)
			}
			sheets := f.GetSheetList()
			rows, err := f.GetRows(sheets[len(sheets)-1])
			if err != nil {
				t.Fatal(err)
			}
			small := 0
			for _, r := range rows[3:] {
				if len(r) > 3 && smallShown(r[3]) > 0 {
					small++
				}
			}
			switch {
			case who == "partner" && small > 0:
				t.Errorf("%s: the partner's annex gives %d small counts of households", planURL, small)
			case who == "tambon" && small != smallHere:
				t.Errorf("%s: the team's annex gives %d small counts, its plan page %d", planURL, small, smallHere)
			}
		}
	}
	// The graduation view of each plan and of the tambon, page and Excel.
	gradRe := regexp.MustCompile(`(?s)<table id="graduation">(.*?)</table>`)
	for _, path := range append(plans, "/areas/700513") {
		path += "/graduation"
		for _, who := range []string{"tambon", "partner"} {
			c := app.as(t, who)
			status, body, _ := c.get(path)
			table := gradRe.FindStringSubmatch(body)
			if status != 200 || table == nil {
				t.Fatalf("%s %s: %d, no graduation table", who, path, status)
			}
			small := 0
			for _, m := range cellRe.FindAllStringSubmatch(table[1], -1) {
				if smallShown(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[1], "")) > 0 {
					small++
				}
			}
			_, x, _ := c.get(path + ".xlsx")
			f, err := excelize.OpenReader(strings.NewReader(x))
			if err != nil {
				t.Fatalf("%s %s.xlsx: %v", who, path, err)
			}
			rows, err := f.GetRows(f.GetSheetList()[0])
			if err != nil {
				t.Fatal(err)
			}
			smallX := 0
			for _, r := range rows[1:] {
				for _, v := range r {
					if smallShown(v) > 0 {
						smallX++
					}
				}
			}
			switch {
			case who == "partner" && small+smallX > 0:
				t.Errorf("%s: the partner reads %d small counts on the page, %d in the Excel file", path, small, smallX)
			case who == "tambon" && (small == 0 || smallX == 0):
				t.Errorf("%s: the team reads no small count (page %d, Excel %d): the test proves nothing", path, small, smallX)
			}
		}
	}
	// The village forum's presentation.
	_, present, _ := partner.get("/areas/70051301/present?round=" + round2561)
	for _, m := range regexp.MustCompile(`(?s)<span class="(?:val|big)"[^>]*>(.*?)</span>`).FindAllStringSubmatch(present, -1) {
		for _, part := range strings.Split(m[1], "→") {
			if n := smallShown(part); n > 0 {
				t.Errorf("the partner's forum presentation shows the small count %d (%q)", n, m[1])
			}
		}
	}
}

// withheldIn reports whether the results API's answer hides an indicator.
func withheldIn(results, code string) bool {
	re := regexp.MustCompile(`\{"code":"` + regexp.QuoteMeta(code) + `"[^{}]*"withheld":true`)
	return re.MatchString(results)
}
