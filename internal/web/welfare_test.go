package web_test

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"tambon/internal/store"
	"tambon/internal/survey"
	"tambon/internal/thai"
	"tambon/internal/user"
)

// welfareList writes a register list of the first member of every
// household of ตำบลเขาขลุง in round 2562 and one person the survey does
// not know; it returns the file and every citizen ID of the tambon.
func welfareList(t *testing.T, app *householdApp) ([]byte, []string) {
	t.Helper()
	var b strings.Builder
	b.WriteString("รายชื่อผู้ลงทะเบียนบัตรสวัสดิการแห่งรัฐ\nลำดับ,ชื่อ-สกุล,เลขประจำตัวประชาชน,ปีที่ลงทะเบียน,สถานะบัตร\n")
	var all []string
	n := 0
	err := app.store.EachHousehold(context.Background(), round2562, "700513", func(r survey.Record) error {
		for i, m := range r.Household.Members {
			if m.CitizenID == "" {
				continue
			}
			all = append(all, m.CitizenID)
			if i == 0 {
				n++
				b.WriteString(strconv.Itoa(n) + ",นาย ทดสอบ," + m.CitizenID + ",2561,ได้รับสิทธิ์\n")
			}
		}
		return nil
	})
	if err != nil || n == 0 {
		t.Fatalf("no households in 700513: %v", err)
	}
	b.WriteString("9999,นาง ไม่พบ,1101700230708,2561,ได้รับสิทธิ์\n")
	return []byte(b.String()), all
}

func TestWelfareRegisterPages(t *testing.T) {
	app := mustHouseholdApp(t)
	ctx := context.Background()
	hash, _ := user.HashPassword(hhPassword)
	if _, err := app.store.CreateUser(ctx, user.User{Username: "admin", PasswordHash: hash, Role: user.Admin, AreaCode: "TH"}); err != nil {
		t.Fatal(err)
	}
	list, ids := welfareList(t, app)
	tambon, moo4, partner, district := app.as(t, "tambon"), app.as(t, "moo4"), app.as(t, "partner"), app.as(t, "district")
	lists := func() []store.WelfareImport {
		ims, err := app.store.WelfareImports(ctx, "", "TH")
		if err != nil {
			t.Fatal(err)
		}
		return ims
	}

	// An enumerator may not import; a broken file is refused whole, with
	// its row.
	if status, _ := moo4.postFile("/areas/70051304/welfare", "file", "r.csv", list, "round", round2562); status != http.StatusForbidden {
		t.Errorf("an enumerator imported: %d", status)
	}
	bad := append(append([]byte(nil), list...), []byte("10000,x,1101700230705,2561,\n")...)
	status, body := tambon.postFile("/areas/700513/welfare", "file", "bad.csv", bad, "round", round2562)
	if status != http.StatusUnprocessableEntity || !strings.Contains(body, "row ") || !strings.Contains(body, "เลขตรวจสอบ") {
		t.Errorf("a broken list: %d", status)
	}
	if len(lists()) != 0 {
		t.Fatal("a refused list was written")
	}
	if status, _ := tambon.postFile("/areas/700513/welfare", "file", "r.csv", list, "round", round2562); status != http.StatusSeeOther {
		t.Fatalf("import: %d", status)
	}
	if ims := lists(); len(ims) != 1 || ims[0].Area != "700513" || ims[0].By != "tambon" || ims[0].RawIDs {
		t.Fatalf("lists: %+v", ims)
	}

	// The area page's section: officials who may see households only.
	_, page, _ := tambon.get("/areas/700513?round=" + round2562)
	count := func(id string) int {
		m := regexp.MustCompile(`id="` + id + `">([0-9,]+)<`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("no %s in the area section", id)
		}
		n, _ := strconv.Atoi(strings.ReplaceAll(m[1], ",", ""))
		return n
	}
	if !strings.Contains(page, `id="welfare"`) || !strings.Contains(page, "ยังไม่ยืนยัน") {
		t.Fatal("the area page has no welfare section with the provisional note")
	}
	poor, target, unregistered, notFound := count("welfare-poor"), count("welfare-target"), count("welfare-unregistered"), count("welfare-notfound")
	if poor != target+unregistered || target == 0 || unregistered == 0 || notFound != 1 {
		t.Errorf("counts: poor %d, target %d, unregistered %d, not found %d", poor, target, unregistered, notFound)
	}
	for _, c := range []*client{app.as(t, ""), partner} {
		if _, body, _ := c.get("/areas/700513?round=" + round2562); strings.Contains(body, `id="welfare"`) {
			t.Error("the welfare section is shown to an account that may not see households")
		}
	}

	// The list of the poor not registered: masked, as many as counted.
	status, body, _ = tambon.get("/rounds/" + round2562 + "/areas/700513/welfare?group=poor_unregistered")
	if status != http.StatusOK || !strings.Contains(body, thai.FormatInt(int64(unregistered))+" คน") {
		t.Fatalf("list: %d", status)
	}
	for _, id := range ids {
		if strings.Contains(body, id) || strings.Contains(body, thai.FormatCitizenID(id)) {
			t.Fatalf("the list shows the citizen ID %s unmasked", id)
		}
	}
	if !strings.Contains(body, "-xxxxx-xx-") || !strings.Contains(body, "***") {
		t.Error("the list shows no masked IDs or names")
	}
	if status, _, _ := partner.get("/rounds/" + round2562 + "/areas/700513/welfare"); status != http.StatusForbidden {
		t.Errorf("a partner opened the list: %d", status)
	}
	if status, _, _ := moo4.get("/rounds/" + round2562 + "/areas/700513/welfare"); status != http.StatusForbidden {
		t.Errorf("an enumerator opened another village's list: %d", status)
	}

	// Excel: masked unless the account may export personal data and asks.
	sheetIDs := func(c *client, query string) (int, string) {
		status, body, _ := c.get("/rounds/" + round2562 + "/areas/70051304/welfare?group=target_poor&format=xlsx" + query)
		if status != http.StatusOK {
			return status, ""
		}
		f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, _ := f.GetRows(f.GetSheetList()[0])
		var cells []string
		for _, r := range rows {
			cells = append(cells, strings.Join(r, "|"))
		}
		return status, strings.Join(cells, "\n")
	}
	hasID := func(s string) bool {
		for _, id := range ids {
			if strings.Contains(s, id) {
				return true
			}
		}
		return false
	}
	if status, x := sheetIDs(moo4, "&names=1"); status != http.StatusOK || hasID(x) || !strings.Contains(x, "-xxxxx-xx-") {
		t.Errorf("an enumerator's download: %d, unmasked %v", status, hasID(x))
	}
	if status, x := sheetIDs(tambon, "&names=1"); status != http.StatusOK || !hasID(x) {
		t.Errorf("the tambon's full download: %d, unmasked %v", status, hasID(x))
	}
	es, _ := app.store.AuditLog(ctx, store.AuditFilter{Action: "export.personal", Limit: 1})
	if len(es) != 1 || es[0].User != "tambon" || !strings.Contains(es[0].Detail, `"masked":false`) || !strings.Contains(es[0].Detail, "welfare") {
		t.Errorf("the download was not audited: %+v", es)
	}

	// Deleted as a whole, by an account covering it only.
	id := strconv.FormatInt(lists()[0].ID, 10)
	confirm := map[string][]string{"confirm": {"1"}}
	if status, _, _ := moo4.post("/welfare/lists/"+id+"/delete", confirm); status != http.StatusForbidden {
		t.Errorf("an enumerator deleted a list: %d", status)
	}
	province := app.as(t, "province")
	if status, _, _ := province.post("/welfare/lists/"+id+"/delete", nil); status != http.StatusBadRequest || len(lists()) != 1 {
		t.Errorf("a deletion without the confirmation: %d", status)
	}
	if status, _, _ := province.post("/welfare/lists/"+id+"/delete", confirm); status != http.StatusSeeOther {
		t.Errorf("the province could not delete: %d", status)
	}
	if len(lists()) != 0 {
		t.Error("the list is still there")
	}
	if _, body, _ := district.get("/areas/700513?round=" + round2562); !strings.Contains(body, `id="welfare-none"`) {
		t.Error("after the deletion the section does not say there is no list")
	}

	// Keeping IDs is the national administrator's choice, audited.
	if status, _, _ := tambon.post("/admin/welfare", map[string][]string{"keep_ids": {"1"}}); status != http.StatusForbidden {
		t.Errorf("the tambon changed the setting: %d", status)
	}
	if status, _, _ := app.as(t, "admin").post("/admin/welfare", map[string][]string{"keep_ids": {"1"}}); status != http.StatusSeeOther || !app.store.WelfareRawIDs(ctx) {
		t.Errorf("the administrator's setting: %d", status)
	}
	_, en, _ := tambon.get("/areas/700513/welfare?lang=en")
	if !strings.Contains(en, "kept as they are") {
		t.Error("the register page does not say IDs are now kept")
	}
}
