package survey_test

import (
	"testing"

	"tambon/internal/survey"
)

func TestReviewSteps(t *testing.T) {
	tests := []struct {
		from survey.Status
		step survey.Review
		want survey.Status
		ok   bool
	}{
		{"", survey.Submit, survey.StatusSubmitted, true},
		{survey.StatusSubmitted, survey.Verify, survey.StatusVerified, true},
		{survey.StatusSubmitted, survey.Return, survey.StatusOpen, true},
		{survey.StatusVerified, survey.Certify, survey.StatusCertified, true},
		{survey.StatusVerified, survey.Return, survey.StatusOpen, true},
		{survey.StatusCertified, survey.Reopen, survey.StatusOpen, true},
		{survey.StatusOpen, survey.Certify, survey.StatusOpen, false},
		{survey.StatusSubmitted, survey.Certify, survey.StatusSubmitted, false},
		{survey.StatusCertified, survey.Submit, survey.StatusCertified, false},
		{survey.StatusOpen, survey.Reopen, survey.StatusOpen, false},
	}
	for _, tc := range tests {
		got, err := survey.Next(tc.from, tc.step)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("Next(%q, %s) = %q, %v; want %q ok=%v", tc.from, tc.step, got, err, tc.want, tc.ok)
		}
	}
	if survey.StatusOpen.Locked() || !survey.StatusCertified.Locked() || !survey.StatusSubmitted.Locked() {
		t.Error("Locked is wrong")
	}
}
