package programme

import (
	"strings"
	"time"
	"unicode/utf8"
)

// MaxFile is the largest evidence document taken (a PDF, a spreadsheet);
// pictures are shrunk first (activity.ShrinkPhoto) and so are far smaller.
const MaxFile = 8 << 20

// FileTypes are the kinds of evidence document kept, by content type.
var FileTypes = map[string]string{
	"image/jpeg":      ".jpg",
	"application/pdf": ".pdf",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":       ".xlsx",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}

// File is an evidence document of a participant, for the whole
// nomination or for one step. Its bytes are stored beside it.
type File struct {
	ID            int64
	ParticipantID int64
	Step          string // "" for the participant as a whole
	Name          string
	ContentType   string
	Size          int
	By            string
	At            time.Time
}

// CheckFile checks an evidence document before it is stored: a kept type,
// not empty, at most MaxFile bytes, with a name.
func CheckFile(f *File, size int) error {
	f.Name = strings.TrimSpace(f.Name)
	switch {
	case f.Name == "" || utf8.RuneCountInString(f.Name) > 200:
		return bad("ไฟล์หลักฐานต้องมีชื่อ (ไม่เกิน %d ตัวอักษร)", "an evidence file needs a name of at most %d characters", 200)
	case FileTypes[f.ContentType] == "":
		return bad("ไฟล์ %s เป็นชนิด %s: รับเฉพาะรูปภาพ (JPEG, PNG, GIF), PDF, XLSX หรือ DOCX",
			"%s is of type %s: only pictures (JPEG, PNG, GIF), PDF, XLSX or DOCX are taken", f.Name, f.ContentType)
	case size == 0:
		return bad("ไฟล์ %s ว่างเปล่า", "the file %s is empty", f.Name)
	case size > MaxFile:
		return bad("ไฟล์ %s มีขนาด %.1f MB เกินที่รับได้ %d MB", "the file %s is %.1f MB, more than the %d MB allowed",
			f.Name, float64(size)/(1<<20), MaxFile>>20)
	}
	f.Size = size
	return nil
}

// SelfScore is the nominee team's own score (0-100) of itself on one
// criterion, with a short reason; it is shown beside the committee's.
type SelfScore struct {
	ParticipantID int64
	Criterion     string
	Score         float64
	Note          string
}

// MaxNote bounds a self-assessment's text.
const MaxNote = 1000

// Check checks a self score against a programme's rubric.
func (sc *SelfScore) Check(cs []Criterion) error {
	sc.Note = strings.TrimSpace(sc.Note)
	known := false
	for _, c := range cs {
		known = known || c.Key == sc.Criterion
	}
	switch {
	case !known:
		return bad("เกณฑ์ %q ไม่มีในโครงการนี้", "criterion %q is not one of this programme's", sc.Criterion)
	case sc.Score < 0 || sc.Score > 100:
		return bad("คะแนนประเมินตนเองต้องอยู่ระหว่าง 0 ถึง 100 (ได้ %g)", "a self-assessment score must be between 0 and 100 (got %g)", sc.Score)
	case utf8.RuneCountInString(sc.Note) > MaxNote:
		return bad("คำอธิบายการประเมินตนเองยาวเกิน %d ตัวอักษร", "the self-assessment text is longer than %d characters", MaxNote)
	}
	return nil
}
