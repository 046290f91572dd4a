package user_test

import (
	"testing"

	"tambon/internal/user"
)

func TestCanAt(t *testing.T) {
	enum := user.User{Role: user.Enumerator, AreaCode: "70051304"}
	district := user.User{Role: user.District, AreaCode: "7005"}
	partner := user.User{Role: user.Partner, AreaCode: "700513"}
	admin := user.User{Role: user.Admin, AreaCode: "TH"}
	tests := []struct {
		name string
		u    user.User
		a    user.Action
		code string
		want bool
	}{
		{"enumerator edits their village", enum, user.EditHouseholds, "70051304", true},
		{"enumerator not the next village", enum, user.EditHouseholds, "70051305", false},
		{"enumerator cannot certify", enum, user.CertifyRound, "70051304", false},
		{"district verifies inside", district, user.VerifyRound, "700513", true},
		{"district not another district", district, user.VerifyRound, "7006", false},
		{"district does not see the province", district, user.ViewFigures, "70", false},
		{"partner sees plans", partner, user.ViewPlans, "70051304", true},
		{"partner never sees households", partner, user.ViewHouseholds, "70051304", false},
		{"partner never reveals personal data", partner, user.RevealPersonal, "700513", false},
		{"admin everywhere", admin, user.ManageUsers, "96", true},
		{"the country's admin opens rounds", admin, user.ManageRounds, "TH", true},
		{"a province's admin does not open national rounds", user.User{Role: user.Admin, AreaCode: "70"}, user.ManageRounds, "TH", false},
		{"a province official does not open rounds", user.User{Role: user.Province, AreaCode: "TH"}, user.ManageRounds, "TH", false},
		{"disabled admin nowhere", user.User{Role: user.Admin, AreaCode: "TH", Disabled: true}, user.ViewFigures, "70", false},
		{"prefix is not a sibling", user.User{Role: user.Viewer, AreaCode: "70"}, user.ViewFigures, "7", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.u.CanAt(tc.a, tc.code); got != tc.want {
				t.Errorf("CanAt(%s, %s) = %v, want %v", tc.a, tc.code, got, tc.want)
			}
		})
	}
}
