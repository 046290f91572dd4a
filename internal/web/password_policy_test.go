package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The administrator's account page applies the password policy on create
// and reset, and says what is wrong in Thai and English.
func TestAdminPasswordPolicy(t *testing.T) {
	app := mustAdminApp(t)
	admin := app.as(t, "admin")
	form := url.Values{"username": {"malee"}, "display_name": {"มาลี"}, "role": {"viewer"}, "area": {"7005"}}
	tests := []struct {
		name, password, th, en string
	}{
		{"twelve spaces", strings.Repeat(" ", 12), "มีแต่ช่องว่าง", "only spaces"},
		{"a common password", "qwertyuiop", "รหัสผ่านที่ใช้กันทั่วไป", "common password"},
		{"the username inside", "malee-12345", "ชื่อผู้ใช้", "contain the username"},
		{"eight characters", "abcd-efg", "ต้องยาว 10-200 ตัวอักษร", "10 to 200 characters"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			form.Set("password", tc.password)
			for lang, want := range map[string]string{"th": tc.th, "en": tc.en} {
				status, body, _ := admin.post("/admin/users?lang="+lang, form)
				if status != http.StatusBadRequest || !strings.Contains(body, want) {
					t.Errorf("create (%s): status %d, body lacks %q", lang, status, want)
				}
			}
		})
	}
	for _, tc := range tests {
		t.Run("reset: "+tc.name, func(t *testing.T) {
			p := tc.password
			if strings.Contains(p, "malee") {
				p = strings.ReplaceAll(p, "malee", "tambon")
			}
			status, body, _ := admin.post("/admin/users/tambon/password?lang=en", url.Values{"password": {p}})
			if status != http.StatusBadRequest || !strings.Contains(body, tc.en) {
				t.Errorf("reset: status %d, body lacks %q", status, tc.en)
			}
		})
	}
	form.Set("password", "ข้าวเหนียว-มะม่วง")
	if status, body, _ := admin.post("/admin/users", form); status != http.StatusSeeOther {
		t.Errorf("a good password: %d %s", status, body)
	}
}
