package assign_test

import (
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/assign"
	"tambon/internal/user"
)

func TestCheck(t *testing.T) {
	team := user.User{Username: "khaokhlung", Role: user.Tambon, AreaCode: "700513"}
	cases := []struct {
		name    string
		by, to  user.User
		village string
		code    apperr.Code
	}{
		{"in the tambon, to its village's enumerator", team, user.User{Username: "moo4", Role: user.Enumerator, AreaCode: "70051304"}, "70051304", ""},
		{"to the tambon's own officer", team, team, "70051301", ""},
		{"a village of another tambon", team, user.User{Username: "x", Role: user.Enumerator, AreaCode: "700501"}, "70050101", apperr.Forbidden},
		{"an enumerator of another village", team, user.User{Username: "moo1", Role: user.Enumerator, AreaCode: "70051301"}, "70051304", apperr.Invalid},
		{"a partner", team, user.User{Username: "p", Role: user.Partner, AreaCode: "700513"}, "70051304", apperr.Invalid},
		{"a district officer assigns", user.User{Username: "d", Role: user.District, AreaCode: "7005"}, team, "70051304", apperr.Forbidden},
		{"a disabled assigner", user.User{Username: "t", Role: user.Tambon, AreaCode: "700513", Disabled: true}, team, "70051304", apperr.Forbidden},
	}
	for _, c := range cases {
		err := assign.Check(c.by, c.to, c.village)
		if c.code == "" && err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
		if c.code != "" && !apperr.Is(err, c.code) {
			t.Errorf("%s: %v, want %s", c.name, err, c.code)
		}
	}
}

func TestParseOutcome(t *testing.T) {
	for _, s := range []string{"refused", "moved", " not_found "} {
		if _, err := assign.ParseOutcome(s); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
	for _, s := range []string{"", "visited", "gone"} {
		if _, err := assign.ParseOutcome(s); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("%q accepted: %v", s, err)
		}
	}
	if assign.Moved.Name().TH == assign.Moved.Name().EN {
		t.Error("an outcome's name is not in Thai")
	}
}
