package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"tambon/internal/user"
)

// userRows lists the accounts a users page shows, in order.
func userRows(body string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<tr id="user-([^"]+)"`).FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestUsersPageSearchesFiltersAndPages(t *testing.T) {
	app := mustAdminApp(t)
	ctx := context.Background()
	hash, _ := user.HashPassword(hhPassword)
	// 25 enumerators of หมู่ 4 and 1 of another tambon, all "อาสา …".
	for i := range 25 {
		if _, err := app.store.CreateUser(ctx, user.User{Username: fmt.Sprintf("vol%02d", i), DisplayName: fmt.Sprintf("อาสา สมัครที่ %d", i),
			Role: user.Enumerator, AreaCode: "70051304", PasswordHash: hash}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := app.store.CreateUser(ctx, user.User{Username: "volx", DisplayName: "อาสา ตำบลอื่น", Role: user.Enumerator, AreaCode: "70051401", PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	admin := app.as(t, "admin")
	all, _ := app.store.Users(ctx)

	// Paging: 20 a page, every account once.
	_, body, _ := admin.get("/admin/users")
	first := userRows(body)
	if len(first) != 20 || !strings.Contains(body, `rel="next"`) {
		t.Fatalf("page 1 lists %d accounts", len(first))
	}
	seen := map[string]bool{}
	for p := 1; ; p++ {
		_, body, _ := admin.get(fmt.Sprintf("/admin/users?page=%d", p))
		for _, u := range userRows(body) {
			if seen[u] {
				t.Errorf("%s listed twice", u)
			}
			seen[u] = true
		}
		if !strings.Contains(body, `rel="next"`) {
			break
		}
	}
	if len(seen) != len(all) {
		t.Errorf("the pages list %d accounts, the store holds %d", len(seen), len(all))
	}

	// Search by display name and by username, filter by role and by area picked by name.
	for _, tc := range []struct {
		query string
		want  int
	}{
		{"q=" + url.QueryEscape("สมัครที่ 1"), 11}, // 1, 10-19
		{"q=VOL2", 5},
		{"q=vol&role=enumerator", 26},
		{"q=vol&role=tambon", 0},
		{"role=enumerator&area=" + url.QueryEscape("ต.เขาขลุง อ.บ้านโป่ง จ.ราชบุรี"), 26 + 1 - 1}, // 25 vol + moo4
		{"q=vol&area=" + url.QueryEscape("หมู่ 4 เขาขลุง"), 25},
		{"q=vol&area=70051401", 1}, // a code still works
	} {
		_, body, _ := admin.get("/admin/users?" + tc.query)
		n := 0
		for p := 1; ; p++ {
			n += len(userRows(body))
			next := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(body)
			if next == nil {
				break
			}
			if p > 5 {
				t.Fatalf("%s: more than 5 pages", tc.query)
			}
			_, body, _ = admin.get(html.UnescapeString(next[1]))
		}
		if n != tc.want {
			t.Errorf("%s: %d accounts, want %d", tc.query, n, tc.want)
		}
	}
	// The picker shows the area by name, never as a code.
	_, body, _ = admin.get("/admin/users?area=700513")
	if !strings.Contains(body, `value="ต.เขาขลุง อ.บ้านโป่ง จ.ราชบุรี"`) || !strings.Contains(body, `<datalist id="area-list">`) {
		t.Error("the area filter does not show the area's name")
	}
	if status, body, _ := admin.get("/admin/users?area=" + url.QueryEscape("ไม่มีที่นี่")); status != 200 || !strings.Contains(body, `id="uarea-error"`) ||
		!strings.Contains(body, "ไม่มีที่นี่") || len(userRows(body)) != 0 {
		t.Errorf("an unknown area is not answered beside its field: %d, %d accounts listed", status, len(userRows(body)))
	}

	// A new account's area is chosen by name.
	status, body, _ := admin.post("/admin/users", url.Values{"username": {"malee"}, "display_name": {"มาลี ใจดี"}, "role": {"tambon"},
		"area": {"ต.เขาขลุง อ.บ้านโป่ง จ.ราชบุรี"}, "password": {"first-password-1"}})
	if status != http.StatusSeeOther {
		t.Fatalf("create with an area by name: %d %.300s", status, body)
	}
	if u, err := app.store.UserByName(ctx, "malee"); err != nil || u.AreaCode != "700513" {
		t.Errorf("malee's area: %q %v", u.AreaCode, err)
	}
	// A name shared by several areas is refused with them listed; what was typed stays.
	status, body, _ = admin.post("/admin/users", url.Values{"username": {"somsri"}, "display_name": {"สมศรี"}, "role": {"tambon"},
		"area": {"หนองบัว"}, "password": {"first-password-1"}})
	if status != http.StatusBadRequest || !strings.Contains(body, "ชื่อนี้ตรงกับหลายพื้นที่") || !strings.Contains(body, `value="somsri"`) {
		t.Errorf("an ambiguous area name: %d", status)
	}
	// A provincial administrator cannot pick an area outside the province by name.
	status, _, _ = app.as(t, "padmin").post("/admin/users", url.Values{"username": {"somsri"}, "display_name": {"สมศรี"}, "role": {"tambon"},
		"area": {"เขตพระนคร"}, "password": {"first-password-1"}})
	if status != http.StatusBadRequest {
		t.Errorf("padmin picks a Bangkok district: %d, want 400", status)
	}
	if _, err := app.store.UserByName(ctx, "somsri"); err == nil {
		t.Error("a refused account was stored")
	}
}

func TestUserPasswordPage(t *testing.T) {
	app := mustAdminApp(t)
	admin := app.as(t, "admin")
	_, body, _ := admin.get("/admin/users")
	if strings.Contains(body, `type="password" minlength="8" maxlength="200" autocomplete="new-password" required>`+"\n"+`<button type="submit">`) ||
		strings.Count(body, `name="password"`) != 1 {
		t.Errorf("the list still carries a password form per account (%d password fields)", strings.Count(body, `name="password"`))
	}
	if !strings.Contains(body, `href="/admin/users/tambon/password"`) {
		t.Fatal("the list does not link to the account's password page")
	}
	status, body, _ := admin.get("/admin/users/tambon/password")
	if status != 200 || !strings.Contains(body, `action="/admin/users/tambon/password"`) || strings.Contains(body, `id="pw-error"`) {
		t.Fatalf("password page: %d", status)
	}
	// The policy's answer stands beside the field, in the page's language.
	for lang, want := range map[string]string{"th": "รหัสผ่านที่ใช้กันทั่วไป", "en": "common password"} {
		status, body, _ = admin.post("/admin/users/tambon/password?lang="+lang, url.Values{"password": {"qwertyuiop"}})
		if status != http.StatusBadRequest || !strings.Contains(body, `id="pw-error"`) || !strings.Contains(body, want) || !strings.Contains(body, `aria-invalid="true"`) {
			t.Errorf("%s: a common password: %d, want the reason beside the field", lang, status)
		}
	}
	status, _, h := admin.post("/admin/users/tambon/password", url.Values{"password": {"a-much-better-one-9"}})
	if status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/admin/users?done=password") {
		t.Errorf("a good password: %d %s", status, h.Get("Location"))
	}
	if st, _ := signIn(app.as(t, ""), "tambon", "a-much-better-one-9"); st != http.StatusSeeOther {
		t.Errorf("the new password does not work: %d", st)
	}
	// Out of scope: not found; not an administrator: refused.
	if status, _, _ := app.as(t, "padmin").get("/admin/users/bkk/password"); status != http.StatusNotFound {
		t.Errorf("padmin opens a Bangkok account's password page: %d", status)
	}
	if status, _, _ := app.as(t, "district").get("/admin/users/moo4/password"); status != http.StatusForbidden {
		t.Errorf("a district officer opens a password page: %d", status)
	}
}
