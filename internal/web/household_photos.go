package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"tambon/internal/activity"
	"tambon/internal/apperr"
	"tambon/internal/photo"
	"tambon/internal/store"
	"tambon/internal/survey"
	"tambon/internal/user"
)

// Photos of a household: its house, and its supporting documents. They are
// optional; whoever may enter households adds them on the household's page.
// Each is shrunk and re-encoded on the way in (activity.ShrinkPhoto), so
// the picture served never carries metadata; where the camera said it was
// taken (EXIF GPS) is kept apart and shown, as the household's own GPS is,
// only on the page revealed to those who may reveal personal data. A
// document may show names and citizen IDs: it opens only from the revealed
// page, and each opening is in the audit log.

// photoStore is what household photos need from storage. *store.Store
// implements it.
type photoStore interface {
	AddHouseholdPhoto(ctx context.Context, p store.HouseholdPhoto) (store.HouseholdPhoto, error)
	HouseholdPhotos(ctx context.Context, round, key string) ([]store.HouseholdPhoto, error)
	HouseholdPhotoData(ctx context.Context, id int64) (store.HouseholdPhoto, error)
	DeleteHouseholdPhoto(ctx context.Context, id int64) error
}

func (s *Server) hhPhotoStore() (photoStore, error) {
	ps, ok := s.store.(photoStore)
	if !ok {
		return nil, apperr.New(apperr.Unavailable, apperr.T("ระบบจัดเก็บนี้ไม่รองรับรูปถ่ายครัวเรือน", "this store does not keep household photos"))
	}
	return ps, nil
}

// photoView is one photo as the household page lists it.
type photoView struct {
	ID       int64
	Kind     string // house or document
	Caption  string
	Width    int
	Height   int
	GPS      string // "" unless revealed and known
	Document bool
}

// householdPhotos lists a household's photos for its page.
func (s *Server) householdPhotos(ctx context.Context, rec survey.Record, revealed bool) ([]photoView, error) {
	ps, err := s.hhPhotoStore()
	if err != nil {
		return nil, nil // a store without photos: the page shows none
	}
	list, err := ps.HouseholdPhotos(ctx, rec.Household.RoundID, rec.Key)
	if err != nil {
		return nil, err
	}
	var out []photoView
	for _, p := range list {
		v := photoView{ID: p.ID, Kind: string(p.Kind), Caption: p.Caption, Width: p.Width, Height: p.Height, Document: p.Kind == survey.PhotoDocument}
		if revealed && p.Lat != nil && p.Lon != nil {
			v.GPS = fmt.Sprintf("%.6f, %.6f", *p.Lat, *p.Lon)
		}
		out = append(out, v)
	}
	return out, nil
}

func (s *Server) householdPhotoUpload(w http.ResponseWriter, r *http.Request) error {
	rec, u, err := s.householdOf(r, user.EditHouseholds)
	if err != nil {
		return err
	}
	noteRecord(r.Context(), rec.Household.VillageCode, nil)
	ps, err := s.hhPhotoStore()
	if err != nil {
		return err
	}
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return apperr.New(apperr.Invalid, apperr.Tf("รูปใหญ่เกิน %d MB: โปรดย่อรูปก่อนส่ง", "the photo is larger than %d MB: shrink it before sending", activity.MaxPhotoBytes>>20))
		}
		return apperr.Wrap(err, apperr.Invalid, apperr.T("ไม่ได้แนบรูป", "no photo was attached"))
	}
	kind := survey.PhotoKind(r.FormValue("kind"))
	if !kind.Valid() {
		return apperr.New(apperr.Invalid, apperr.T("เลือกว่าเป็นรูปบ้าน หรือรูปเอกสารประกอบ", "choose whether it is a photo of the house or of a document"))
	}
	file, hdr, err := r.FormFile("photo")
	if err != nil {
		return apperr.Wrap(err, apperr.Invalid, apperr.T("ไม่ได้แนบรูป", "no photo was attached"))
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, activity.MaxPhotoBytes+1))
	if err != nil {
		return apperr.Wrap(err, apperr.Invalid, apperr.T("อ่านรูปที่ส่งมาไม่ได้", "cannot read the photo sent"))
	}
	sh, err := activity.ShrinkPhoto(hdr.Filename, data) // refuses what is too large, naming the file
	if err != nil {
		return err
	}
	p := store.HouseholdPhoto{Round: rec.Household.RoundID, Key: rec.Key, Kind: kind, Caption: r.FormValue("caption"),
		Image: sh.Image, Thumb: sh.Thumb, Width: sh.Width, Height: sh.Height, CreatedBy: u.Username}
	if lat, lon, ok := photo.GPS(data); ok {
		p.Lat, p.Lon = &lat, &lon
	}
	if _, err := ps.AddHouseholdPhoto(r.Context(), p); err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/households/%d?saved=photo#photos", rec.ID), http.StatusSeeOther)
	return nil
}

// householdPhotoOf loads photo {photo} of household {id}.
func (s *Server) householdPhotoOf(r *http.Request, a user.Action) (store.HouseholdPhoto, survey.Record, *user.User, error) {
	var p store.HouseholdPhoto
	rec, u, err := s.householdOf(r, a)
	if err != nil {
		return p, rec, nil, err
	}
	ps, err := s.hhPhotoStore()
	if err != nil {
		return p, rec, nil, err
	}
	id, err := strconv.ParseInt(r.PathValue("photo"), 10, 64)
	if err != nil {
		return p, rec, nil, apperr.New(apperr.NotFound, apperr.T("ไม่พบรูปนี้", "no such photo"))
	}
	if p, err = ps.HouseholdPhotoData(r.Context(), id); err != nil {
		return p, rec, nil, err
	}
	if p.Round != rec.Household.RoundID || p.Key != rec.Key {
		return p, rec, nil, apperr.New(apperr.NotFound, apperr.T("ไม่พบรูปนี้", "no such photo"))
	}
	return p, rec, u, nil
}

func (s *Server) householdPhoto(w http.ResponseWriter, r *http.Request) error {
	p, rec, u, err := s.householdPhotoOf(r, user.ViewHouseholds)
	if err != nil {
		return err
	}
	if p.Kind == survey.PhotoDocument {
		// A document shows what the page masks: only for those who may
		// reveal, and logged.
		if !u.CanAt(user.RevealPersonal, rec.Household.VillageCode) {
			return denied()
		}
		if err := s.audit(r.Context(), u, "personal.reveal", rec.Household.VillageCode, fmt.Sprintf("household:%d", rec.ID),
			fmt.Sprintf(`{"shown":"photo of a document","photo":%d}`, p.ID)); err != nil {
			return err
		}
	}
	data := p.Image
	if r.URL.Query().Get("size") == "thumb" {
		data = p.Thumb
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
	return nil
}

func (s *Server) householdPhotoDelete(w http.ResponseWriter, r *http.Request) error {
	p, rec, _, err := s.householdPhotoOf(r, user.EditHouseholds)
	if err != nil {
		return err
	}
	noteRecord(r.Context(), rec.Household.VillageCode, map[string]any{"photo": p.ID, "kind": p.Kind, "caption": p.Caption, "by": p.CreatedBy})
	ps, err := s.hhPhotoStore()
	if err != nil {
		return err
	}
	if err := ps.DeleteHouseholdPhoto(r.Context(), p.ID); err != nil {
		return err
	}
	http.Redirect(w, r, fmt.Sprintf("/households/%d?saved=photo-deleted#photos", rec.ID), http.StatusSeeOther)
	return nil
}
