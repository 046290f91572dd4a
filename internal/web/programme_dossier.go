package web

import (
	"archive/zip"
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/programme"
	"tambon/internal/tabular"
	"tambon/internal/thai"
)

// programmeDossier answers GET /programmes/{prog}/dossier.zip?participant=ID:
// one participant's file for the awarding body or the committee, in one
// download — a workbook (the nominee, the steps done, the self-assessment
// beside the committee's scores, the list of documents) and every evidence
// document, named by step. Whoever may open the programme may take it.
func (s *Server) programmeDossier(w http.ResponseWriter, r *http.Request) error {
	d, err := s.programmeData(r)
	if err != nil {
		return err
	}
	fs, err := s.pfstore()
	if err != nil {
		return err
	}
	missing := apperr.New(apperr.NotFound, apperr.T("ไม่พบผู้เข้าร่วมนี้ในโครงการ", "no such participant in this programme"))
	id, err := strconv.ParseInt(r.URL.Query().Get("participant"), 10, 64)
	if err != nil {
		return missing
	}
	var pt *participantRow
	for i := range d.Participants {
		if d.Participants[i].ID == id {
			pt = &d.Participants[i]
		}
	}
	if pt == nil {
		return missing
	}
	if !pt.InScope {
		return deniedPlan() // another area's participant: see participantInScope
	}
	lang := langFrom(r.Context())
	tr := func(th, en string) string { return apperr.T(th, en).In(lang) }

	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	type doc struct{ name, step, kb, by, date string }
	var docs []doc
	// Documents by step, in the type's order, then those tied to no step.
	steps := append(slices.Clone(d.T.Steps), programme.Step{})
	for _, st := range steps {
		for _, f := range pt.Files[st.Key] {
			name := fmt.Sprintf("%02d-%s", len(docs)+1, path.Base(f.Name))
			if st.Key != "" {
				name = fmt.Sprintf("%02d-%s-%s", len(docs)+1, st.Key, path.Base(f.Name))
			}
			if err := addToZip(r, zw, fs, f.ID, "evidence/"+name, f.At); err != nil {
				return err
			}
			docs = append(docs, doc{name, st.Name.In(lang), thai.FormatFloat(float64(f.Size)/1024, 0), f.By, formatDate(lang, f.At.In(thai.Bangkok()))})
		}
	}

	var xbuf bytes.Buffer
	x := tabular.NewXLSXWriter(&xbuf)
	x.NewSheet(tr("ผู้ได้รับการเสนอชื่อ", "Nominee"), []string{tr("รายการ", "Item"), tr("ข้อมูล", "Value")})
	x.Write(tr("โครงการ", "Programme"), d.P.Title)
	x.Write(tr("ประเภท", "Type"), d.T.Name.In(lang))
	x.Write(tr("ปีงบประมาณ", "Fiscal year"), d.P.FiscalYear)
	x.Write(tr("ผู้เข้าร่วม", "Participant"), pt.Name)
	x.Write(tr("พื้นที่", "Area"), pt.Place)
	x.Write(tr("ระดับที่ได้รับคัดเลือก", "Selected at"), pt.Level)
	x.Write(tr("สถานะ", "Status"), pt.Status)
	x.Write(tr("คะแนนถ่วงน้ำหนัก (กรรมการ)", "Weighted score (committee)"), pt.Score)
	x.NewSheet(tr("ขั้นตอน", "Steps"), []string{tr("ขั้นตอน", "Step"), tr("วันที่ทำ", "Done on"), tr("หลักฐาน", "Evidence"), tr("จำนวนเอกสาร", "Documents")})
	for _, st := range d.T.Steps {
		done, ev := "", ""
		if v := pt.Steps[st.Key]; v != nil {
			done, ev = v.Date, v.Evidence
		}
		x.Write(st.Name.In(lang), done, ev, len(pt.Files[st.Key]))
	}
	for _, row := range d.Self {
		if row.ID != pt.ID {
			continue
		}
		x.NewSheet(tr("ประเมินตนเอง", "Self-assessment"), []string{tr("เกณฑ์", "Criterion"), tr("น้ำหนัก (%)", "Weight (%)"),
			tr("คะแนนประเมินตนเอง", "Self score"), tr("คำอธิบาย", "Note"), tr("คะแนนเฉลี่ยกรรมการ", "Committee mean")})
		for _, l := range row.Lines {
			x.Write(l.Name.In(lang), l.Weight, l.Self, l.Note, l.Committee)
		}
	}
	x.NewSheet(tr("เอกสารหลักฐาน", "Documents"), []string{tr("ไฟล์ในชุดเอกสาร", "File in this dossier"), tr("ขั้นตอน", "Step"),
		"KB", tr("ผู้แนบ", "Attached by"), tr("วันที่", "Date")})
	for _, dc := range docs {
		x.Write("evidence/"+dc.name, dc.step, dc.kb, dc.by, dc.date)
	}
	if err := x.Close(); err != nil {
		return err
	}
	fw, err := zw.CreateHeader(&zip.FileHeader{Name: "dossier.xlsx", Method: zip.Deflate, Modified: s.now()})
	if err != nil {
		return err
	}
	if _, err := fw.Write(xbuf.Bytes()); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	name := fmt.Sprintf("dossier-%d-%s.zip", d.P.ID, strings.NewReplacer("/", "-", `\`, "-").Replace(pt.Name))
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("Cache-Control", "private, no-store")
	_, err = w.Write(zbuf.Bytes())
	return err
}

// addToZip copies one stored evidence document into the dossier.
func addToZip(r *http.Request, zw *zip.Writer, fs programmeFileStore, id int64, name string, at time.Time) error {
	_, _, data, err := fs.ProgrammeFile(r.Context(), id)
	if err != nil {
		return err
	}
	fw, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: at})
	if err != nil {
		return err
	}
	_, err = fw.Write(data)
	return err
}
