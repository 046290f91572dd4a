package web

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"tambon/internal/apperr"
	"tambon/internal/openrosa"
	"tambon/internal/user"
	"tambon/internal/xform"
)

// deviceStore is what the field devices page needs from storage.
// *store.Store implements it; creating and revoking a device write the
// audit log in the same transaction.
type deviceStore interface {
	Users(ctx context.Context) ([]user.User, error)
	UserByName(ctx context.Context, username string) (user.User, error)
	CreateDevice(ctx context.Context, d xform.Device, tokenHash string) (xform.Device, error)
	Devices(ctx context.Context, username string) ([]xform.Device, error)
	RevokeDevice(ctx context.Context, id int64, by string) error
}

// deviceAdmin is the administrator asking, and the store that keeps devices.
func (s *Server) deviceAdmin(r *http.Request) (*user.User, deviceStore, error) {
	admin, err := may(r, user.ManageUsers)
	if err != nil {
		return nil, nil, err
	}
	ds, ok := s.store.(deviceStore)
	if !ok {
		return nil, nil, apperr.New(apperr.Unavailable, apperr.T("ระบบจัดเก็บนี้ไม่รองรับอุปกรณ์เก็บข้อมูล", "this store cannot manage field devices"))
	}
	return admin, ds, nil
}

// adminDevicesData is the field devices page: the OpenRosa device tokens
// of the accounts inside the administrator's area.
type adminDevicesData struct {
	ServerURL  string // the server URL for username and password (or token) sign-in
	Collectors []user.User
	Filter     string // only this account's devices
	Devices    []deviceRow
	Form       deviceForm
	New        *newDevice // the device just made: its token is shown this once
	Done       string     // "revoke" after a device was revoked
	DoneID     string
}

type deviceRow struct {
	xform.Device
	Created, Revoked string
}

type deviceForm struct {
	Username, Name string
	Errors         map[string][]string
}

// Err returns the messages beside a field.
func (f deviceForm) Err(field string) []string { return f.Errors[field] }

// newDevice is what a phone needs, shown once after the device is made.
type newDevice struct {
	xform.Device
	Token, KeyURL, Settings string
	QR                      template.HTML
}

// publicBase is the address others reach this server at: the configured
// public address, else the one the browser reached it at, which a phone on
// the same network reaches too (behind a TLS proxy, https).
func (s *Server) publicBase(r *http.Request) string {
	if s.cfg.PublicURL != "" {
		return s.cfg.PublicURL
	}
	scheme := "http"
	if r.TLS != nil || s.cfg.SecureCookies || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// collectors are the accounts inside the administrator's area that may
// send households from a phone (openrosa asks EditHouseholds).
func collectors(admin *user.User, all []user.User) []user.User {
	var out []user.User
	for _, u := range all {
		if admin.Covers(u.AreaCode) && u.Can(user.EditHouseholds) {
			out = append(out, u)
		}
	}
	return out
}

func (s *Server) adminDevices(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	d := adminDevicesData{Filter: q.Get("user"), Done: q.Get("done"), DoneID: q.Get("device")}
	if d.Done != "revoke" {
		d.Done = ""
	}
	return s.renderDevices(w, r, http.StatusOK, d)
}

// renderDevices lists the devices of the accounts the administrator covers.
func (s *Server) renderDevices(w http.ResponseWriter, r *http.Request, status int, d adminDevicesData) error {
	admin, ds, err := s.deviceAdmin(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	all, err := ds.Users(ctx)
	if err != nil {
		return err
	}
	area := map[int64]string{}
	for _, u := range all {
		area[u.ID] = u.AreaCode
	}
	d.Collectors = collectors(admin, all)
	devs, err := ds.Devices(ctx, d.Filter)
	if err != nil {
		return err
	}
	lang := langFrom(ctx)
	for _, dev := range devs {
		if !admin.Covers(area[dev.UserID]) {
			continue
		}
		d.Devices = append(d.Devices, deviceRow{Device: dev, Created: when(dev.CreatedAt, lang), Revoked: when(dev.RevokedAt, lang)})
	}
	d.ServerURL = openrosa.ServerURL(s.publicBase(r))
	// The page may carry a token: never keep it in a cache.
	w.Header().Set("Cache-Control", "no-store")
	return s.render(w, r, status, "admin_devices", s.msgs.text(lang, "devices.title"), d)
}

func (s *Server) adminCreateDevice(w http.ResponseWriter, r *http.Request) error {
	admin, ds, err := s.deviceAdmin(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	lang := langFrom(ctx)
	f := deviceForm{Username: strings.TrimSpace(r.PostFormValue("username")), Name: strings.TrimSpace(r.PostFormValue("name")), Errors: map[string][]string{}}
	refuse := func(field string, msg apperr.Text) {
		f.Errors[field] = append(f.Errors[field], msg.In(lang))
	}
	if f.Name == "" {
		refuse("name", apperr.T("โปรดตั้งชื่ออุปกรณ์ เช่น โทรศัพท์ของสมชาย", "please name the device, e.g. Somchai's phone"))
	} else if len([]rune(f.Name)) > 100 {
		refuse("name", apperr.T("ชื่ออุปกรณ์ยาวเกิน 100 ตัวอักษร", "the device's name is longer than 100 characters"))
	}
	var u user.User
	if f.Username == "" {
		refuse("username", apperr.T("โปรดเลือกบัญชีผู้เก็บข้อมูล", "please choose the collector's account"))
	} else if u, err = ds.UserByName(ctx, f.Username); err != nil || !admin.Covers(u.AreaCode) {
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return err
		}
		refuse("username", apperr.Tf("ไม่มีบัญชี %s ในพื้นที่ที่ท่านดูแล", "there is no account %s in the area you administer", f.Username))
	} else if !u.Can(user.EditHouseholds) {
		refuse("username", apperr.Tf("บัญชี %s ไม่มีสิทธิ์เก็บข้อมูลครัวเรือน จึงส่งข้อมูลจากโทรศัพท์ไม่ได้",
			"the account %s may not collect households, so a phone of theirs could send nothing", f.Username))
	}
	if len(f.Errors) > 0 {
		return s.renderDevices(w, r, http.StatusBadRequest, adminDevicesData{Form: f})
	}
	nd, token, hash := openrosa.NewDevice(u, f.Name, admin.Username)
	dev, err := ds.CreateDevice(ctx, nd, hash)
	if err != nil {
		return err
	}
	s.log.Info("device.create", "by", admin.Username, "user", u.Username, "device", dev.ID)
	key := openrosa.KeyURL(s.publicBase(r), token)
	settings, err := openrosa.CollectSettings(key, u.Username, "tambon · "+u.Username)
	if err != nil {
		return err
	}
	qr, err := qrSVG(settings, s.msgs.text(lang, "devices.qr.label", "user", u.Username))
	if err != nil {
		return err
	}
	return s.renderDevices(w, r, http.StatusOK, adminDevicesData{
		New: &newDevice{Device: dev, Token: token, KeyURL: key, Settings: settings, QR: qr}})
}

func (s *Server) adminRevokeDevice(w http.ResponseWriter, r *http.Request) error {
	admin, ds, err := s.deviceAdmin(r)
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	// Only a device of an account the administrator covers; any other is
	// answered as missing, as accounts are.
	devs, err := ds.Devices(r.Context(), "")
	if err != nil {
		return err
	}
	var dev *xform.Device
	for i := range devs {
		if devs[i].ID == id {
			dev = &devs[i]
		}
	}
	missing := apperr.New(apperr.NotFound, apperr.Tf("ไม่พบอุปกรณ์หมายเลข %d ที่ยังใช้งานอยู่", "no live device has the number %d", id))
	if dev == nil {
		return missing
	}
	owner, err := ds.UserByName(r.Context(), dev.Username)
	if err != nil || !admin.Covers(owner.AreaCode) {
		return missing
	}
	if err := ds.RevokeDevice(r.Context(), id, admin.Username); err != nil {
		return err
	}
	s.log.Info("device.revoke", "by", admin.Username, "user", dev.Username, "device", id)
	http.Redirect(w, r, "/admin/devices?done=revoke&device="+strconv.FormatInt(id, 10)+"&user="+url.QueryEscape(r.PostFormValue("user")), http.StatusSeeOther)
	return nil
}
