package main

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"tambon/internal/activity"
	"tambon/internal/programme"
	"tambon/internal/store"
)

// seedDemoProgrammeEvidence gives the demo's programmes their evidence:
// หมู่ 4's 2564 award nomination carries a summary PDF and a photo of its
// village forum, and its self-assessment; the model-tambon steps carry a
// photo of the 18 January 2564 meeting. It adds nothing to a programme
// that already has documents, so running the demo again keeps what is there
// (and a database seeded before evidence existed gets it).
func seedDemoProgrammeEvidence(ctx context.Context, s *store.Store) error {
	list, err := s.Programmes(ctx, "70")
	if err != nil {
		return err
	}
	for _, p := range list {
		switch {
		case p.Type == "award_nomination" && strings.HasPrefix(p.Title, "รางวัลเลิศรัฐ ปี 2564"):
			err = seedAwardEvidence(ctx, s, p)
		case p.Title == demoModelTitle:
			err = seedModelEvidence(ctx, s, p)
		}
		if err != nil {
			return fmt.Errorf("demo evidence of %s: %w", p, err)
		}
	}
	return nil
}

// firstParticipantWithoutFiles returns the programme's first participant,
// or 0 when the programme already has documents.
func firstParticipantWithoutFiles(ctx context.Context, s *store.Store, p programme.Programme) (int64, error) {
	if files, err := s.ProgrammeFiles(ctx, p.ID); err != nil || len(files) > 0 {
		return 0, err
	}
	pts, err := s.Participants(ctx, p.ID)
	if err != nil || len(pts) == 0 {
		return 0, err
	}
	return pts[0].ID, nil
}

func demoPhotoFile(i int, pid int64, step, name string) (programme.File, []byte, error) {
	sh, err := activity.ShrinkPhoto(name, demoPicture(i))
	if err != nil {
		return programme.File{}, nil, err
	}
	return programme.File{ParticipantID: pid, Step: step, Name: name, ContentType: "image/jpeg", By: "demo"}, sh.Image, nil
}

func seedAwardEvidence(ctx context.Context, s *store.Store, p programme.Programme) error {
	pid, err := firstParticipantWithoutFiles(ctx, s, p)
	if err != nil || pid == 0 {
		return err
	}
	pdf := demoPDF("Ban Nong Mai Fao, Moo 4, Tambon Khao Khlung, Ban Pong, Ratchaburi",
		"Public Sector Excellence Award 2564 (2021): people's participation",
		"Summary of evidence (demo document)",
		"- 18 Jan 2564: integration meeting at the Khao Khlung SAO office",
		"- 1 Mar 2564: change-leader kick-off at the Moo 4 community hall",
		"- Household vegetable gardens, phase 2 model village",
		"- BMN (jpt) results before and after; COVID-19 measures observed")
	if _, err := s.AddProgrammeFile(ctx, p.ID, programme.File{ParticipantID: pid, Step: "results", Name: "สรุปผลงาน-หมู่4-เลิศรัฐ2564.pdf",
		ContentType: "application/pdf", By: "demo"}, pdf); err != nil {
		return err
	}
	f, data, err := demoPhotoFile(2, pid, "work", "เวทีประชาคม-หมู่4.jpg")
	if err != nil {
		return err
	}
	if _, err := s.AddProgrammeFile(ctx, p.ID, f, data); err != nil {
		return err
	}
	notes := map[string]string{
		"importance":    "ครัวเรือนหมู่ 4 มีรายจ่ายค่าอาหารสูง ตัวชี้วัด จปฐ. ด้านรายได้และการออมไม่ผ่านเกณฑ์",
		"participation": "ทุกครัวเรือนร่วมเวทีประชาคม กำหนดปัญหาและแผนด้วยตนเอง ผู้นำการเปลี่ยนแปลงเป็นแกนนำ",
		"results":       "ครัวเรือนปลูกผักสวนครัว ประหยัดรายจ่ายได้เฉลี่ยวันละ 20-50 บาท",
		"sustain":       "มีแปลงผักรวมและธนาคารเมล็ดพันธุ์ ขยายผลสู่หมู่บ้านอื่นในตำบล",
	}
	var self []programme.SelfScore
	for i, c := range p.Criteria {
		self = append(self, programme.SelfScore{ParticipantID: pid, Criterion: c.Key, Score: 80 + float64(i%3)*5, Note: notes[c.Key]})
	}
	return s.SetSelfAssessment(ctx, p.ID, self)
}

func seedModelEvidence(ctx context.Context, s *store.Store, p programme.Programme) error {
	pid, err := firstParticipantWithoutFiles(ctx, s, p)
	if err != nil || pid == 0 {
		return err
	}
	for i, st := range []struct{ step, name string }{
		{"understand", "ประชุมบูรณาการ-18ม.ค.2564.jpg"},
		{"present", "ศูนย์ข้อมูลตำบลเขาขลุง.jpg"},
	} {
		f, data, err := demoPhotoFile(i, pid, st.step, st.name)
		if err != nil {
			return err
		}
		if _, err := s.AddProgrammeFile(ctx, p.ID, f, data); err != nil {
			return err
		}
	}
	return nil
}

// demoPDF writes a one-page PDF with a few lines of ASCII text in
// Helvetica: a minimal valid file made by hand (catalog, pages, page,
// content, font, cross-reference table with exact byte offsets).
func demoPDF(lines ...string) []byte {
	var content bytes.Buffer
	content.WriteString("BT /F1 13 Tf 56 780 Td 18 TL\n")
	for _, l := range lines {
		l = strings.NewReplacer(`\`, `\\`, "(", `\(`, ")", `\)`).Replace(l)
		fmt.Fprintf(&content, "(%s) Tj T*\n", l)
	}
	content.WriteString("ET\n")
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", content.Len(), content.String()),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}
