package web_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TPMAP's published figures hold no income: the page, the printed report
// and the Excel table say it is unknown ("—"), not 0 baht; a household
// round shows its income.
func TestUnknownIncomeIsNotZero(t *testing.T) {
	ts := mustServer(t)
	page := mustGet(t, ts.URL, "/areas/700513?round="+roundTPMAP)
	facts := page[strings.Index(page, "รายได้เฉลี่ย"):]
	facts = facts[:strings.Index(facts, "</dd>")]
	if !strings.Contains(facts, "—") || strings.Contains(facts, "บาท") {
		t.Errorf("TPMAP round: the income fact reads %q", facts)
	}
	kids := page[strings.Index(page, `id="children"`):]
	if n := strings.Count(kids, `<span class="sr">ไม่มีข้อมูล</span>`); n < 10 {
		t.Errorf("TPMAP round: %d villages show their income as unknown", n)
	}
	report := mustGet(t, ts.URL, "/areas/700513/report?round="+roundTPMAP)
	if !strings.Contains(report, "รายได้เฉลี่ยต่อคนต่อปี <span aria-hidden=\"true\"") {
		t.Error("TPMAP round: the report does not say the income is unknown")
	}
	hh := mustGet(t, ts.URL, "/areas/700513?round="+round2562)
	facts = hh[strings.Index(hh, "รายได้เฉลี่ย"):]
	if facts = facts[:strings.Index(facts, "</dd>")]; !strings.Contains(facts, "บาท") {
		t.Errorf("household round: the income fact reads %q", facts)
	}

	b := []byte(mustGet(t, ts.URL, "/areas/700513/export.xlsx?table=children&round="+roundTPMAP))
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil || len(rows) < 2 {
		t.Fatalf("rows %v: %v", rows, err)
	}
	col := -1
	for i, h := range rows[0] {
		if strings.Contains(h, "รายได้") {
			col = i
		}
	}
	if col < 0 || len(rows[1]) <= col || rows[1][col] != "—" {
		t.Errorf("TPMAP round: Excel income column %d of %v", col, rows[1])
	}
}
