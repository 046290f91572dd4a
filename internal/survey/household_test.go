package survey_test

import (
	"testing"

	"tambon/internal/survey"
)

func TestIncome(t *testing.T) {
	tests := []struct {
		name      string
		in        survey.Income
		residents int
		away      int
		net       int64
		perPerson float64
		ok        bool
	}{
		{"all sources, costs subtracted", survey.Income{MainOccupation: 100000, SecondaryOccupation: 20000, Other: 12000, OwnProduce: 8000, OccupationCosts: 15000},
			4, 0, 125000, 31250, true},
		{"a member living away does not divide", survey.Income{MainOccupation: 114000}, 3, 1, 114000, 38000, true},
		{"costs above income", survey.Income{MainOccupation: 10000, OccupationCosts: 25000}, 1, 0, -15000, -15000, true},
		{"nobody resident: not applicable", survey.Income{MainOccupation: 50000}, 0, 2, 50000, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := &survey.Household{Income: tc.in}
			for range tc.residents {
				h.Members = append(h.Members, survey.Member{Resident: true})
			}
			for range tc.away {
				h.Members = append(h.Members, survey.Member{})
			}
			if h.NetIncome() != tc.net {
				t.Errorf("net %d, want %d", h.NetIncome(), tc.net)
			}
			if h.ResidentCount() != tc.residents {
				t.Errorf("residents %d, want %d", h.ResidentCount(), tc.residents)
			}
			pp, ok := h.IncomePerPerson()
			if pp != tc.perPerson || ok != tc.ok {
				t.Errorf("per person %v, %v; want %v, %v", pp, ok, tc.perPerson, tc.ok)
			}
		})
	}
}

func TestValidCitizenID(t *testing.T) {
	tests := []struct {
		id   string
		want bool
	}{
		{"1101700123456", true},  // Σ = 148, 148 mod 11 = 5, 11-5 = 6
		{"1000000000009", true},  // Σ = 13, mod 11 = 2, 11-2 = 9
		{"0000000000001", true},  // Σ = 0: 11 mod 10 = 1
		{"0100000000000", true},  // Σ = 12, mod 11 = 1: 10 mod 10 = 0
		{"1101700123457", false}, // wrong check digit
		{"110170012345", false},  // 12 digits
		{"11017001234567", false},
		{"1-1017-00123-45-6", false},
		{"110170012345x", false},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			if got := survey.ValidCitizenID(tc.id); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}
