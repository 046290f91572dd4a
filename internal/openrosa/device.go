package openrosa

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"strings"

	"tambon/internal/user"
	"tambon/internal/xform"
)

// NewDevice makes a device of an account and its token, for the store's
// CreateDevice: the command line (tambon device create) and the
// administration page both call it. The token is to be shown once; only
// hash (its SHA-256) and the device's Digest HA1 are stored.
func NewDevice(u user.User, name, createdBy string) (d xform.Device, token, hash string) {
	token = NewToken()
	d = xform.Device{UserID: u.ID, Username: u.Username, Name: strings.TrimSpace(name), CreatedBy: createdBy,
		DigestHA1: HA1(u.Username, token)}
	return d, token, TokenHash(token)
}

// ServerURL is the OpenRosa server URL to give ODK Collect or KoboCollect
// when the phone signs in with a username and password (or the token as the
// password): base is the server's public address, e.g. https://tambon.example.
func ServerURL(base string) string { return strings.TrimRight(base, "/") + "/openrosa" }

// KeyURL is the server URL holding a device's token (/openrosa/key/{token}):
// given to ODK Collect or KoboCollect, it needs no password at all.
func KeyURL(base, token string) string { return ServerURL(base) + "/key/" + url.PathEscape(token) }

// CollectSettings is the text of an ODK Collect (or KoboCollect) settings
// QR code, read by "Configure with QR code": the settings as JSON, zlib-
// compressed, then standard base64. The general section names the server
// (the token-in-URL form, so the phone needs no password) and the account;
// the admin section is empty; the project is named after the account, so
// an enumerator with several phones or rounds can tell them apart.
func CollectSettings(serverURL, username, project string) (string, error) {
	type general struct {
		ServerURL string `json:"server_url"`
		Username  string `json:"username,omitempty"`
	}
	type proj struct {
		Name string `json:"name"`
	}
	settings := struct {
		General general        `json:"general"`
		Admin   map[string]any `json:"admin"`
		Project *proj          `json:"project,omitempty"`
	}{General: general{ServerURL: serverURL, Username: username}, Admin: map[string]any{}}
	if project != "" {
		settings.Project = &proj{Name: project}
	}
	js, err := json.Marshal(settings)
	if err != nil {
		return "", err
	}
	var z bytes.Buffer
	w, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	if _, err := w.Write(js); err != nil {
		return "", err
	}
	if err := w.Close(); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(z.Bytes()), nil
}
