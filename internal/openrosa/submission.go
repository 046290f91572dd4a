package openrosa

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/area"
	"tambon/internal/engine"
	"tambon/internal/photo"
	"tambon/internal/survey"
	"tambon/internal/user"
	"tambon/internal/xform"
)

// submissionHead: HEAD submission → 204, proving this is an OpenRosa server
// (not a captive portal) and saying how large a POST may be.
func (s *Server) submissionHead(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := mayCollect(c); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// submission: POST submission, multipart/form-data with exactly one
// xml_submission_file and any media parts. Whatever arrives is kept raw;
// see store.Store.Submit for duplicates, conflicts and edits.
func (s *Server) submission(w http.ResponseWriter, r *http.Request, c *caller) error {
	if err := mayCollect(c); err != nil {
		return err
	}
	if r.ContentLength > s.cfg.MaxSubmission {
		return tooLarge(s.cfg.MaxSubmission)
	}
	// Chunked bodies have no length: the limit applies as they are read.
	r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxSubmission)
	data, media, err := readParts(r)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return tooLarge(s.cfg.MaxSubmission)
		}
		return err
	}
	sub := xform.Submission{XML: data, Media: media, Username: c.user.Username, DeviceID: c.deviceName()}
	sum := sha256.Sum256(data)
	sub.SHA256 = hex.EncodeToString(sum[:])
	if sub.DeviceID == "" {
		sub.DeviceID = r.URL.Query().Get("deviceID")
	}
	h, eng, visit, readErr := s.read(r, c, &sub)
	if errors.Is(readErr, xform.ErrTooLong) {
		return readErr // no household is that long: refused, not kept for review
	}
	if readErr != nil && sub.InstanceID == "" {
		// Unreadable: still kept (under its hash, so a retry is the same
		// submission), and refused so the device keeps it too.
		sub.InstanceID = "sha256:" + sub.SHA256
		sub.Problems = apperr.Problems{{Reason: apperr.MessageOf(readErr)}}
		if _, err := s.submit(r.Context(), Item{Sub: sub, Scope: c.user.AreaCode}); err != nil && !apperr.Is(err, apperr.Conflict) {
			return err
		}
		return readErr
	}
	// An edit (deprecatedID) replaces only a submission in the sender's own
	// area, of the same form and round; otherwise it is refused whole.
	res, err := s.submit(r.Context(), Item{Sub: sub, Household: h, Engine: eng, Scope: c.user.AreaCode, Visit: visit})
	if err != nil {
		return err
	}
	if visit != nil && res.Submission.Status == xform.Accepted && !res.Duplicate {
		name := visit.Outcome.Name()
		s.respond(w, r, http.StatusCreated, apperr.Tf("บันทึกผลการเยี่ยมครัวเรือน %s แล้ว: %s", "visit to household %s recorded: %s",
			visit.Key, apperr.T(name.TH, name.EN)))
		return nil
	}
	s.respond(w, r, http.StatusCreated, outcome(res))
	return nil
}

// outcome is the message a client shows for a stored submission.
func outcome(res Result) apperr.Text {
	sub := res.Submission
	switch {
	case res.Duplicate:
		return apperr.Tf("ได้รับข้อมูลนี้แล้ว (%s)", "already received (%s)", sub.InstanceID)
	case sub.Status == xform.Accepted:
		return apperr.Tf("บันทึกครัวเรือน %s แล้ว", "household %s saved", sub.HouseholdKey)
	}
	var th, en string
	if len(sub.Problems) > 0 {
		p := sub.Problems[0]
		where := p.Where()
		if where != "" {
			where += ": "
		}
		th, en = where+p.Reason.TH, where+p.Reason.EN
	}
	return apperr.T(
		fmt.Sprintf("ได้รับแล้ว แต่ยังบันทึกไม่ได้: มีข้อต้องแก้ %d ข้อ รอผู้ตรวจสอบ (%s)", len(sub.Problems), th),
		fmt.Sprintf("received, but not yet saved: %d problem(s) wait for a reviewer (%s)", len(sub.Problems), en))
}

// readParts reads a multipart submission: the one xml_submission_file and
// the media parts, each named by its filename.
func readParts(r *http.Request) ([]byte, []xform.Media, error) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "multipart/form-data" {
		return nil, nil, apperr.New(apperr.Invalid, apperr.T("ต้องส่งแบบ multipart/form-data ที่มีส่วน xml_submission_file",
			"send multipart/form-data with an xml_submission_file part"))
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, nil, apperr.Wrap(err, apperr.Invalid, apperr.T("อ่านข้อมูล multipart ไม่ได้", "the multipart body cannot be read"))
	}
	var data []byte
	var media []xform.Media
	seen := map[string]bool{}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, wrapRead(err)
		}
		limit := int64(math.MaxInt64)
		if p.FormName() == "xml_submission_file" {
			limit = xform.MaxInstanceBytes + 1
		}
		b, err := io.ReadAll(io.LimitReader(p, limit))
		if err != nil {
			return nil, nil, wrapRead(err)
		}
		if p.FormName() == "xml_submission_file" {
			if len(b) > xform.MaxInstanceBytes {
				return nil, nil, apperr.New(tooLargeCode, apperr.Tf(
					"ข้อมูลแบบฟอร์มที่ส่ง (XML) ใหญ่เกิน %d KB: ไม่ใช่ข้อมูลครัวเรือนที่แบบฟอร์มนี้รับ",
					"the form data (XML) is larger than %d KB: not a household this form takes", xform.MaxInstanceBytes>>10))
			}
			if data != nil {
				return nil, nil, apperr.New(apperr.Invalid, apperr.T("มีส่วน xml_submission_file มากกว่าหนึ่งส่วน", "more than one xml_submission_file part"))
			}
			data = b
			continue
		}
		if p.FormName() == "*isIncomplete*" {
			continue // Collect's marker on all but the last part of a split upload
		}
		name := p.FileName()
		if name == "" {
			name = p.FormName()
		}
		if name == "" || seen[name] {
			continue
		}
		seen[name] = true
		m := xform.Media{Name: name, ContentType: p.Header.Get("Content-Type")}
		if lat, lon, ok := photo.GPS(b); ok {
			m.Lat, m.Lon = &lat, &lon
		}
		m.Data = photo.StripOrKeep(b)
		media = append(media, m)
	}
	if data == nil {
		return nil, nil, apperr.New(apperr.Invalid, apperr.T("ไม่มีส่วน xml_submission_file", "there is no xml_submission_file part"))
	}
	return data, media, nil
}

func wrapRead(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return err
	}
	return apperr.Wrap(err, apperr.Invalid, apperr.Tf("อ่านข้อมูลที่ส่งไม่ครบ: %v", "the submission could not be read whole: %v", err))
}

// read parses and validates a submission the way web entry validates a
// household: the same survey.Validate, the house number required, the
// village known and inside the sender's area. Problems go into sub (the
// submission is then kept for review); an error means the XML cannot be
// read at all.
func (s *Server) read(r *http.Request, c *caller, sub *xform.Submission) (*survey.Household, *engine.Engine, *Visit, error) {
	doc, err := xform.Read(sub.XML)
	if doc != nil {
		in := doc.Instance
		sub.InstanceID, sub.DeprecatedID, sub.FormID, sub.FormVersion = in.InstanceID, in.DeprecatedID, in.FormID, in.Version
	}
	if err != nil {
		return nil, nil, nil, err
	}
	f, err := s.formByID(r.Context(), doc.FormID)
	if err != nil {
		sub.Problems = apperr.Problems{{Field: "form", Value: doc.FormID, Reason: apperr.MessageOf(err)}}
		return nil, nil, nil, nil
	}
	sub.RoundID = f.Round.ID
	eng, err := engine.ForRound(f.Round)
	if err != nil {
		return nil, nil, nil, err
	}
	ps, err := doc.Household(f, eng.Set())
	if err != nil {
		return nil, nil, nil, err
	}
	in := doc.Instance
	h := in.Household
	h.Collector = c.user.Username
	sub.VillageCode = h.VillageCode
	if in.Version != f.Version {
		// An old version of the form: its answers are still read by code,
		// and validation below says what no longer fits.
		s.log.Info("openrosa: submission of an older form version", "form", f.ID, "version", in.Version, "current", f.Version)
	}
	if rs := in.Resurvey; rs != nil && !rs.Interviewed() {
		// No interview, so no household: the visit's outcome is recorded.
		v, vps := s.visit(r.Context(), c, f, rs)
		sub.Problems = vps
		return nil, eng, v, nil
	}
	if strings.TrimSpace(h.HouseNo) == "" && h.HouseCode == "" {
		ps = append(ps, apperr.Problem{Field: "house_no", Reason: apperr.T("ต้องระบุบ้านเลขที่", "the house number is required")})
	}
	if v, ok := s.cfg.Areas.Get(h.VillageCode); h.VillageCode != "" && (!ok || v.Level != area.Village) {
		ps = append(ps, apperr.Problem{Field: "village", Value: h.VillageCode, Reason: apperr.T("ไม่มีหมู่บ้านรหัสนี้", "there is no village with this code")})
	}
	if h.VillageCode != "" && !c.user.CanAt(user.EditHouseholds, h.VillageCode) {
		ps = append(ps, apperr.Problem{Field: "village", Value: h.VillageCode, Reason: apperr.Tf(
			"หมู่บ้านนี้อยู่นอกพื้นที่ของผู้ส่ง (%s)", "this village is outside the sender's area (%s)", c.user.AreaCode)})
	}
	if rs := in.Resurvey; rs != nil {
		ps = append(ps, s.resurvey(r.Context(), c, f, h, rs)...)
	}
	xform.DropUnasked(h, eng.Set(), f.Round.ReferenceDate())
	ps = append(ps, survey.Validate(h, eng.Set(), f.Round.ReferenceDate())...)
	sub.Problems = ps
	h.Photos = s.photosOf(in, sub)
	return h, eng, nil, nil
}

// photosOf puts the photos the instance names on the household's page
// (xform.PhotosOf); a file that is not a readable picture is logged (the
// submission's page in the review queue says so too).
func (s *Server) photosOf(in xform.Instance, sub *xform.Submission) []survey.Photo {
	out, unread := xform.PhotosOf(in, sub.Media)
	for _, kind := range unread {
		s.log.Info("openrosa: a photo of the submission is not kept on the household's page", "instance", sub.InstanceID, "file", in.Photos[kind])
	}
	return out
}
