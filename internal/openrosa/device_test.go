package openrosa_test

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"encoding/json"
	"io"
	"testing"

	"tambon/internal/openrosa"
	"tambon/internal/user"
)

// decodeCollectSettings reads an ODK Collect settings QR text back: base64,
// then zlib, then JSON, as Collect does when it scans the code.
func decodeCollectSettings(t *testing.T, text string) map[string]map[string]any {
	t.Helper()
	z, err := base64.StdEncoding.DecodeString(text)
	if err != nil {
		t.Fatalf("not base64: %v", err)
	}
	zr, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		t.Fatalf("not zlib: %v", err)
	}
	js, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]map[string]any
	if err := json.Unmarshal(js, &out); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, js)
	}
	return out
}

func TestCollectSettingsDecode(t *testing.T) {
	key := openrosa.KeyURL("https://tambon.example/", "abc_DEF-123")
	if key != "https://tambon.example/openrosa/key/abc_DEF-123" {
		t.Fatalf("key URL %q", key)
	}
	text, err := openrosa.CollectSettings(key, "moo4", "tambon · moo4")
	if err != nil {
		t.Fatal(err)
	}
	s := decodeCollectSettings(t, text)
	if got := s["general"]["server_url"]; got != key {
		t.Errorf("server_url %v, want %s", got, key)
	}
	if got := s["general"]["username"]; got != "moo4" {
		t.Errorf("username %v", got)
	}
	if _, ok := s["general"]["password"]; ok {
		t.Error("the settings carry a password; the token URL needs none")
	}
	if a, ok := s["admin"]; !ok || len(a) != 0 {
		t.Errorf("admin section %v, want present and empty", a)
	}
	if got := s["project"]["name"]; got != "tambon · moo4" {
		t.Errorf("project name %v", got)
	}
}

func TestNewDeviceMatchesItsToken(t *testing.T) {
	d, token, hash := openrosa.NewDevice(user.User{ID: 7, Username: "moo4"}, "  Somchai's phone ", "admin")
	if d.UserID != 7 || d.Username != "moo4" || d.Name != "Somchai's phone" || d.CreatedBy != "admin" {
		t.Errorf("device %+v", d)
	}
	if hash != openrosa.TokenHash(token) || d.DigestHA1 != openrosa.HA1("moo4", token) {
		t.Error("the hash or HA1 does not belong to the token")
	}
	if _, token2, _ := openrosa.NewDevice(user.User{Username: "moo4"}, "x", "y"); token2 == token {
		t.Error("two devices got the same token")
	}
}
