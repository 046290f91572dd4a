package dhis2_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tambon/internal/dhis2"
)

// validateADX runs xmllint --schema on an ADX message and returns its
// verdict and what it said.
func validateADX(t *testing.T, msg []byte) (bool, string) {
	t.Helper()
	lint := xmllint(t)
	f := filepath.Join(t.TempDir(), "message.adx")
	if err := os.WriteFile(f, msg, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(lint, "--noout", "--schema", adxSchema, f).CombinedOutput()
	if err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			t.Fatal(err)
		}
		return false, string(out)
	}
	return true, string(out)
}

// The ADX tambon writes of a tambon's villages, the tambon and its
// ancestors validates against the ADX schema (ISO/TS 22703), and the same
// message broken in the ways a careless writer breaks it does not: the
// validation can fail.
func TestADXValidatesAgainstSchema(t *testing.T) {
	eng, figs := mustFigures(t, "700513")
	m := dhis2.Default(eng.Set(), eng.Poverty())
	var b bytes.Buffer
	if err := m.WriteValues(&b, dhis2.FormatADX, m.Values(round2564, figs), time.Date(2026, 12, 7, 9, 30, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	msg := b.String()
	if ok, out := validateADX(t, b.Bytes()); !ok {
		t.Fatalf("tambon's ADX fails the schema:\n%s", out)
	}
	for _, want := range []string{`period="2021-01-01/P1Y"`, `orgUnit="700513"`, `TBN_RESULT="TBN_FAILED"`, `dataElement="TBN_HOUSEHOLDS"`} {
		if !strings.Contains(msg, want) {
			t.Errorf("the ADX lacks %s", want)
		}
	}
	broken := []struct {
		name      string
		old, repl string
	}{
		{"a value that is not a number", `dataElement="TBN_HOUSEHOLDS" value="`, `dataElement="TBN_HOUSEHOLDS" value="x`},
		{"a Thai year as the period", `period="2021-01-01/P1Y"`, `period="2564"`},
		{"a group without its organisation unit", `<group orgUnit="700513"`, `<group`},
		{"no exported time", ` exported="2026-12-07T09:30:00Z"`, ``},
		{"the namespace of DHIS2's data value sets", `urn:ihe:qrph:adx:2015`, dhis2.DXFNamespace},
	}
	for _, tt := range broken {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(msg, tt.old) {
				t.Fatalf("the message has no %s to break", tt.old)
			}
			bad := strings.Replace(msg, tt.old, tt.repl, 1)
			if ok, _ := validateADX(t, []byte(bad)); ok {
				t.Errorf("the schema accepts ADX with %s", tt.name)
			}
		})
	}
}
