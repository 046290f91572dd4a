package web_test

import (
	"archive/zip"
	"bytes"
	"image/jpeg"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// An award nomination carries evidence documents and a self-assessment
// shown beside the committee's scores; the documents go only to those who
// may see the programme, and come only from those who may edit it.
func TestProgrammeEvidenceAndSelfAssessment(t *testing.T) {
	app := mustPlanApp(t)
	tambon := app.as(t, "tambon")
	status, body, h := tambon.post("/areas/700513/programmes", url.Values{"type": {"award_nomination"}, "title": {"รางวัลเลิศรัฐ 2564"}, "fiscal_year": {"2564"}})
	if status != http.StatusSeeOther {
		t.Fatalf("create: %d %s", status, body)
	}
	award := h.Get("Location")
	if status, body, _ := tambon.post(award+"/participants", url.Values{"name": {"บ้านหนองไม้เฝ้า หมู่ 4"}, "area": {"70051304"}}); status != http.StatusSeeOther {
		t.Fatalf("nominate: %d %s", status, body)
	}
	_, body, _ = tambon.get(award)
	pid := regexp.MustCompile(`id="fi-p" name="participant"><option value="(\d+)"`).FindStringSubmatch(body)
	if pid == nil {
		t.Fatal("no upload form for the nominee")
	}
	pdf := []byte("%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
	if status, body := tambon.postFile(award+"/files", "file", "ผลงาน.pdf", pdf, "participant", pid[1], "step", "results"); status != http.StatusSeeOther {
		t.Fatalf("upload the PDF: %d %s", status, body)
	}
	big := testPNG(t, 2000, 1500)
	if status, body := tambon.postFile(award+"/files", "file", "เวที.png", big, "participant", pid[1]); status != http.StatusSeeOther {
		t.Fatalf("upload the picture: %d %s", status, body)
	}
	for _, b := range []struct {
		name string
		data []byte
		says string
	}{
		{"run.exe", []byte("MZ\x90\x00\x03binary"), "run.exe"},
		{"huge.pdf", append([]byte("%PDF-1.4\n"), make([]byte, 9<<20)...), "huge.pdf"},        // over programme.MaxFile
		{"huger.pdf", append([]byte("%PDF-1.4\n"), make([]byte, 11<<20)...), "ใหญ่เกิน 8 MB"}, // over the body limit
	} {
		if status, body := tambon.postFile(award+"/files", "file", b.name, b.data, "participant", pid[1]); status != http.StatusUnprocessableEntity || !strings.Contains(body, b.says) {
			t.Errorf("%s: %d, want 422 saying %q", b.name, status, b.says)
		}
	}
	_, body, _ = tambon.get(award)
	links := regexp.MustCompile(`<a href="(`+regexp.QuoteMeta(award)+`/files/\d+)">([^<]+)</a>`).FindAllStringSubmatch(body, -1)
	href := map[string]string{}
	for _, l := range links {
		href[l[2]] = l[1]
	}
	if len(links) != 2 || href["ผลงาน.pdf"] == "" || href["เวที.jpg"] == "" {
		t.Fatalf("listed documents: %v, want the PDF and the picture kept as JPEG (refused ones write nothing)", links)
	}
	if !strings.Contains(body, `class="step-file"`) {
		t.Error("the PDF is not shown at its step")
	}
	status, got, hdr := tambon.get(href["ผลงาน.pdf"])
	if status != http.StatusOK || got != string(pdf) || hdr.Get("Content-Type") != "application/pdf" {
		t.Errorf("the PDF comes back: %d %q %q", status, hdr.Get("Content-Type"), got)
	}
	status, got, hdr = tambon.get(href["เวที.jpg"])
	if status != http.StatusOK || hdr.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("the picture: %d %s", status, hdr.Get("Content-Type"))
	}
	if cfg, err := jpeg.DecodeConfig(strings.NewReader(got)); err != nil || cfg.Width != 1280 || cfg.Height != 960 {
		t.Errorf("the picture is not shrunk to 1280×960: %+v %v", cfg, err)
	}

	// Self-assessment beside the committee's scores.
	if status, body, _ := tambon.post(award+"/scores", url.Values{"participant": {pid[1]}, "judge": {"กรรมการ 1"}, "c_participation": {"75"}}); status != http.StatusSeeOther {
		t.Fatalf("committee score: %d %s", status, body)
	}
	if status, body, _ := tambon.post(award+"/self", url.Values{"participant": {pid[1]}, "s_participation": {"๙๐"}, "n_participation": {"ทุกครัวเรือนร่วมเวทีประชาคม"}}); status != http.StatusSeeOther {
		t.Fatalf("self-assessment: %d %s", status, body)
	}
	if status, body, _ := tambon.post(award+"/self", url.Values{"participant": {pid[1]}, "s_results": {"150"}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, "150") {
		t.Errorf("a self score of 150: %d", status)
	}
	_, body, _ = tambon.get(award)
	row := regexp.MustCompile(`<tr><td>ระดับการมีส่วนร่วมของประชาชน</td><td class="num">30</td><td class="num">([^<]*)</td><td class="num">([^<]*)</td><td>([^<]*)</td></tr>`).FindStringSubmatch(body)
	if row == nil || row[1] != "90" || row[2] != "75.0" || row[3] != "ทุกครัวเรือนร่วมเวทีประชาคม" {
		t.Errorf("self-assessment row: %v, want own 90 beside the committee's 75.0 with the reason", row)
	}

	// The nominee's dossier: the workbook and both documents, in one ZIP.
	status, got, hdr = tambon.get(award + "/dossier.zip?participant=" + pid[1])
	if status != http.StatusOK || hdr.Get("Content-Type") != "application/zip" {
		t.Fatalf("dossier: %d %s", status, hdr.Get("Content-Type"))
	}
	zr, err := zip.NewReader(strings.NewReader(got), int64(len(got)))
	if err != nil {
		t.Fatalf("the dossier is not a ZIP: %v", err)
	}
	inZip := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		inZip[f.Name] = b
	}
	var pdfName string
	for name := range inZip {
		if strings.HasSuffix(name, "-results-ผลงาน.pdf") {
			pdfName = name
		}
	}
	if len(inZip) != 3 || pdfName == "" || !bytes.Equal(inZip[pdfName], pdf) || inZip["dossier.xlsx"] == nil {
		t.Fatalf("the dossier holds %d files (want dossier.xlsx, the PDF at its step and the picture)", len(inZip))
	}
	wb, err := excelize.OpenReader(bytes.NewReader(inZip["dossier.xlsx"]))
	if err != nil {
		t.Fatal(err)
	}
	selfRows, err := wb.GetRows("ประเมินตนเอง")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range selfRows {
		found = found || len(r) == 5 && r[0] == "ระดับการมีส่วนร่วมของประชาชน" && r[2] == "90" && r[3] == "ทุกครัวเรือนร่วมเวทีประชาคม" && r[4] == "75.0"
	}
	docRows, _ := wb.GetRows("เอกสารหลักฐาน")
	if !found || len(docRows) != 3 || docRows[1][0] != pdfName && docRows[2][0] != pdfName {
		t.Errorf("the dossier's workbook: self-assessment %v, documents %v", selfRows, docRows)
	}
	if status, _, _ := tambon.get(award + "/dossier.zip?participant=999999"); status != http.StatusNotFound {
		t.Errorf("the dossier of somebody not in the programme: %d, want 404", status)
	}
	if status, _, _ := app.as(t, "viewer").get(award + "/dossier.zip?participant=" + pid[1]); status != http.StatusForbidden {
		t.Errorf("another province's viewer takes the dossier: %d, want 403", status)
	}

	// Scopes: another area's viewer and another village's account get
	// nothing; a partner of the tambon may download but not upload.
	for _, tc := range []struct {
		user string
		want int
	}{{"viewer", 403}, {"moo4", 403}, {"partner", 200}, {"district", 200}} {
		if status, _, _ := app.as(t, tc.user).get(href["ผลงาน.pdf"]); status != tc.want {
			t.Errorf("%s GET the PDF: %d, want %d", tc.user, status, tc.want)
		}
	}
	if status, _ := app.as(t, "partner").postFile(award+"/files", "file", "x.pdf", pdf, "participant", pid[1]); status != http.StatusForbidden {
		t.Errorf("a partner uploads: %d, want 403", status)
	}
	if status, _, _ := app.as(t, "partner").post(award+"/self", url.Values{"participant": {pid[1]}, "s_results": {"100"}}); status != http.StatusForbidden {
		t.Errorf("a partner self-assesses: %d, want 403", status)
	}
	_, _, h = tambon.post("/areas/700513/programmes", url.Values{"type": {"change_leaders"}, "title": {"ผู้นำ"}, "fiscal_year": {"2564"}})
	id := href["ผลงาน.pdf"][strings.LastIndex(href["ผลงาน.pdf"], "/")+1:]
	if status, _, _ := tambon.get(h.Get("Location") + "/files/" + id); status != http.StatusNotFound {
		t.Errorf("the nomination's PDF under another programme: %d, want 404", status)
	}

	// A document put up by mistake is removed by the team, not by a partner,
	// and not through another programme.
	pic := href["เวที.jpg"]
	if status, _, _ := app.as(t, "partner").post(pic+"/delete", nil); status != http.StatusForbidden {
		t.Errorf("a partner removes a document: %d, want 403", status)
	}
	if status, _, _ := tambon.post(h.Get("Location")+"/files/"+pic[strings.LastIndex(pic, "/")+1:]+"/delete", nil); status != http.StatusNotFound {
		t.Errorf("removing the nomination's picture through another programme: %d, want 404", status)
	}
	if status, _, _ := tambon.post(pic+"/delete", nil); status != http.StatusSeeOther {
		t.Fatalf("the team removes the picture: %d", status)
	}
	if status, _, _ := tambon.get(pic); status != http.StatusNotFound {
		t.Errorf("the removed picture still downloads: %d", status)
	}
	if status, _, _ := tambon.get(href["ผลงาน.pdf"]); status != http.StatusOK {
		t.Errorf("removing the picture took the PDF too: %d", status)
	}
	if status, _, _ := tambon.get("/programmes/999999/files/1"); status != http.StatusNotFound {
		t.Errorf("a file of a missing programme: %d, want 404", status)
	}
}

// The province runs the selection; the tambon team it chose may download
// the evidence but not add to it.
func TestChosenTambonDownloadsButDoesNotUpload(t *testing.T) {
	app := mustPlanApp(t)
	prov := app.as(t, "province")
	_, _, h := prov.post("/areas/70/programmes", url.Values{"type": {"model_info_tambon"}, "title": {"ตำบลสารสนเทศต้นแบบ จังหวัดราชบุรี"}, "fiscal_year": {"2564"}})
	model := h.Get("Location")
	if status, _, _ := prov.post(model+"/participants", url.Values{"name": {"ตำบลเขาขลุง"}, "area": {"700513"}, "level": {"province"}, "status": {"selected"}}); status != http.StatusSeeOther {
		t.Fatalf("choose Khao Khlung: %d", status)
	}
	_, body, _ := prov.get(model)
	pid := regexp.MustCompile(`id="fi-p" name="participant"><option value="(\d+)"`).FindStringSubmatch(body)
	if pid == nil {
		t.Fatal("no upload form for the province")
	}
	photo := testPNG(t, 40, 30)
	if status, body := prov.postFile(model+"/files", "file", "ประชุม.png", photo, "participant", pid[1], "step", "understand"); status != http.StatusSeeOther {
		t.Fatalf("the province uploads: %d %s", status, body)
	}
	_, body, _ = prov.get(model)
	link := regexp.MustCompile(`href="(` + regexp.QuoteMeta(model) + `/files/\d+)"`).FindStringSubmatch(body)
	if link == nil {
		t.Fatal("the photo is not listed")
	}
	tambon := app.as(t, "tambon")
	if status, _, h := tambon.get(link[1]); status != http.StatusOK || h.Get("Content-Type") != "image/jpeg" {
		t.Errorf("the chosen tambon downloads: %d %s, want 200 image/jpeg", status, h.Get("Content-Type"))
	}
	if _, body, _ := tambon.get(model); strings.Contains(body, `id="file-upload"`) {
		t.Error("the chosen tambon is offered the upload form")
	}
	if status, _ := tambon.postFile(model+"/files", "file", "x.png", photo, "participant", pid[1]); status != http.StatusForbidden {
		t.Errorf("the chosen tambon uploads: %d, want 403", status)
	}
	if status, _, _ := app.as(t, "viewer").get(link[1]); status != http.StatusForbidden {
		t.Errorf("a viewer of another area: %d, want 403", status)
	}
}
