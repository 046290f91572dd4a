package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"

	"tambon/internal/activity"
	"tambon/internal/apperr"
	"tambon/internal/programme"
	"tambon/internal/user"
)

// Photos of trainings and visits: shrunk and re-encoded as activity photos
// are (activity.ShrinkPhoto: size, pixel and memory limits, no metadata
// kept). A photo of a participant follows the participant: only those who
// may open its documents see it (participantInScope), and a household's
// only those who may see households.

// photoVisible reports whether an account may see a session photo of a
// programme with the given participants.
func photoVisible(u *user.User, p programme.Programme, t programme.Type, pts []programme.Participant, ph programme.Photo) bool {
	if ph.ParticipantID == 0 {
		return true
	}
	i := slices.IndexFunc(pts, func(pt programme.Participant) bool { return pt.ID == ph.ParticipantID })
	if i < 0 || !participantInScope(u, p, pts[i]) {
		return false
	}
	return t.Participant != programme.Household || u.CanAt(user.ViewHouseholds, p.AreaCode)
}

// sessionPhotoVisible is photoVisible for the programme page's data.
func (s *Server) sessionPhotoVisible(u *user.User, d *programmeViewData, ph programme.Photo) bool {
	pts := make([]programme.Participant, len(d.Participants))
	for i, row := range d.Participants {
		pts[i] = row.Participant
	}
	return photoVisible(u, d.P, d.T, pts, ph)
}

func (s *Server) sessionPhotoUpload(w http.ResponseWriter, r *http.Request) error {
	p, u, ps, err := s.programmeOf(r, user.EditPlans)
	if err != nil {
		return err
	}
	st, err := s.progstore()
	if err != nil {
		return err
	}
	refuse := func(err error) error { return s.showProgramme(w, r, http.StatusUnprocessableEntity, err) }
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		if errors.As(err, new(*http.MaxBytesError)) {
			return refuse(apperr.New(apperr.Invalid, apperr.Tf("รูปใหญ่เกิน %d MB: โปรดย่อรูปก่อนส่ง", "the photo is larger than %d MB: shrink it before sending", activity.MaxPhotoBytes>>20)))
		}
		return refuse(apperr.Wrap(err, apperr.Invalid, apperr.T("ไม่ได้แนบรูป", "no photo was attached")))
	}
	sessionID, err := strconv.ParseInt(r.PathValue("se"), 10, 64)
	if err != nil {
		return errNoSession
	}
	ph := programme.Photo{SessionID: sessionID, Caption: r.FormValue("caption"), By: u.Username}
	// The participant shown is checked before the picture is read, so a
	// refusal of the participant is the participant's.
	if v := r.FormValue("participant"); v != "" {
		ph.ParticipantID, _ = strconv.ParseInt(v, 10, 64)
		pts, err := ps.Participants(r.Context(), p.ID)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(pts, func(pt programme.Participant) bool { return pt.ID == ph.ParticipantID }) {
			return refuse(apperr.New(apperr.Invalid, apperr.Tf("ผู้เข้าร่วมหมายเลข %d ไม่ได้อยู่ในโครงการนี้", "participant %d is not in this programme", ph.ParticipantID)))
		}
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		return refuse(apperr.Wrap(err, apperr.Invalid, apperr.T("ไม่ได้แนบรูป", "no photo was attached")))
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, activity.MaxPhotoBytes+1))
	if err != nil {
		return refuse(apperr.Wrap(err, apperr.Invalid, apperr.T("อ่านรูปที่ส่งมาไม่ได้", "cannot read the photo sent")))
	}
	sh, err := activity.ShrinkPhoto(hdr.Filename, data)
	if err != nil {
		return refuse(err)
	}
	ph.Image, ph.Thumb, ph.Width, ph.Height = sh.Image, sh.Thumb, sh.Width, sh.Height
	if _, err := st.AddSessionPhoto(r.Context(), p.ID, ph); apperr.Is(err, apperr.Invalid) {
		return refuse(err)
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/programmes/%d#session-%d", p.ID, sessionID), http.StatusSeeOther)
	return nil
}

var errNoSession = apperr.New(apperr.NotFound, apperr.T("ไม่พบการฝึกอบรมหรือการเยี่ยมนี้", "no such session"))

// sessionPhotoServe answers a session photo's JPEG (?size=thumb: its
// thumbnail) to those who may see it.
func (s *Server) sessionPhotoServe(w http.ResponseWriter, r *http.Request) error {
	p, u, ps, err := s.programmeOf(r, user.ViewPlans)
	if err != nil {
		return err
	}
	st, err := s.progstore()
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("ph"), 10, 64)
	if err != nil {
		return errNoPhoto
	}
	ph, data, err := st.SessionPhoto(r.Context(), p.ID, id, r.URL.Query().Get("size") == "thumb")
	if err != nil {
		return err
	}
	t, err := programme.Lookup(p.Type)
	if err != nil {
		return err
	}
	pts, err := ps.Participants(r.Context(), p.ID)
	if err != nil {
		return err
	}
	if !photoVisible(u, p, t, pts, ph) {
		return deniedPlan()
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Cache-Control", "private, max-age=3600")
	_, err = w.Write(data)
	return err
}

var errNoPhoto = apperr.New(apperr.NotFound, apperr.T("ไม่พบรูปนี้", "no such photo"))
