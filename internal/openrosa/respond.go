package openrosa

import (
	"bytes"
	"encoding/xml"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/user"
	"tambon/internal/xform"
)

// caller is the authenticated account and, when it came with a device
// token, the device.
type caller struct {
	user   user.User
	device xform.Device
}

func (c *caller) deviceName() string {
	if c.device.ID != 0 {
		return c.device.Name
	}
	return ""
}

type handlerFunc func(w http.ResponseWriter, r *http.Request, c *caller) error

// handle authenticates, sets the headers every OpenRosa response carries
// (X-OpenRosa-Version, X-OpenRosa-Accept-Content-Length, Date; on a 401 or
// 403 as on a success) and turns a returned error into an
// OpenRosaResponse with the status its code calls for.
func (s *Server) handle(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("X-OpenRosa-Version", "1.0")
		hd.Set("X-OpenRosa-Accept-Content-Length", strconv.FormatInt(s.cfg.MaxSubmission, 10))
		hd.Set("Date", s.now().UTC().Format(http.TimeFormat))
		hd.Set("X-Content-Type-Options", "nosniff")
		c, err := s.auth.authenticate(w, r)
		if err == nil {
			err = h(w, r, c)
		}
		if err != nil {
			s.fail(w, r, err)
		}
	})
}

// statusOf maps an error code to the HTTP status OpenRosa clients expect.
func statusOf(err error) int {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return http.StatusRequestEntityTooLarge
	}
	if apperr.CodeOf(err) == tooLargeCode {
		return http.StatusRequestEntityTooLarge
	}
	return apperr.HTTPStatus(apperr.CodeOf(err))
}

// tooLargeCode marks a submission over the size limit.
const tooLargeCode apperr.Code = "too_large"

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	msg := apperr.MessageOf(err)
	if status == http.StatusRequestEntityTooLarge && apperr.CodeOf(err) != tooLargeCode {
		msg = tooLarge(s.cfg.MaxSubmission).Msg
	}
	if status == http.StatusInternalServerError {
		path := r.URL.Path
		if tok := r.PathValue("token"); tok != "" { // a token is a password: never in a log
			path = strings.Replace(path, tok, "<token>", 1)
		}
		s.log.Error("openrosa", "path", path, "err", err)
		msg = apperr.T("เกิดข้อผิดพลาดภายใน ข้อมูลยังอยู่ในเครื่อง ลองส่งใหม่ภายหลัง", "internal error: the data stays on the device; send again later")
	}
	var ps apperr.Problems
	if errors.As(err, &ps) {
		msg = apperr.T(ps.Error(), ps.Error())
	}
	s.respond(w, r, status, msg)
}

func tooLarge(limit int64) *apperr.Error {
	return apperr.New(tooLargeCode, apperr.Tf("ข้อมูลที่ส่งใหญ่เกิน %d MB: ลดขนาดหรือจำนวนรูปภาพแล้วส่งใหม่",
		"the submission is larger than %d MB: send fewer or smaller photos", limit>>20))
}

// respond writes an OpenRosaResponse envelope with one message, in the
// language the client asked for (Thai first, English, or both).
func (s *Server) respond(w http.ResponseWriter, r *http.Request, status int, msg apperr.Text) {
	text := msg.TH + " / " + msg.EN
	switch lang := r.Header.Get("Accept-Language"); {
	case strings.HasPrefix(lang, "th"):
		text = msg.TH
	case strings.HasPrefix(lang, "en"):
		text = msg.EN
	}
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<OpenRosaResponse xmlns="http://openrosa.org/http/response" items="0"><message nature="`)
	if status >= 400 {
		b.WriteString("error")
	} else {
		b.WriteString("submit_success")
	}
	b.WriteString(`">`)
	xml.EscapeText(&b, []byte(text))
	b.WriteString("</message></OpenRosaResponse>\n")
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b.Bytes())
}

func notFound() error {
	return apperr.New(apperr.NotFound, apperr.T("ไม่พบที่อยู่นี้ในเซิร์ฟเวอร์ OpenRosa", "no such OpenRosa address"))
}
