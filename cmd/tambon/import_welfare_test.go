package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tambon/internal/apperr"
)

// The register's list imports with its flags before or after the file; a
// broken list is refused whole with its rows named; a list is deleted as a
// whole.
func TestImportWelfareCommand(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"TAMBON_DB": filepath.Join(dir, "t.db")}
	must := mustRun(t, env)
	must("round", "--year", "2561")
	gen := filepath.Join(dir, "gen.csv")
	must("gen", "--area", "70051304", "--round", "bmn-2561", "--out", gen)
	must("import", "households", gen, "--round", "bmn-2561")
	f, err := os.Open(gen)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, h := range rows[0] {
		if strings.HasSuffix(h, "(citizen_id)") {
			col = i
		}
	}
	if col < 0 {
		t.Fatalf("no citizen_id column in %v", rows[0])
	}
	var ids []string
	for _, r := range rows[1:] {
		if r[col] != "" && len(ids) < 30 {
			ids = append(ids, r[col])
		}
	}
	list := "รายชื่อผู้ลงทะเบียนบัตรสวัสดิการแห่งรัฐ\nเลขประจำตัวประชาชน,ปีที่ลงทะเบียน,สถานะบัตร\n"
	for _, id := range ids {
		list += id + ",2560,ได้รับสิทธิ์\n"
	}
	good := filepath.Join(dir, "register.csv")
	if err := os.WriteFile(good, []byte(list), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte(list+ids[0]+",2560,\n123,ปีหน้า,\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	// The report flag placed before the file takes its own value: the list
	// read is bad.csv, and the report is written where asked.
	report := filepath.Join(dir, "asked.xlsx")
	_, errOut, err := run(t, env, "", "import", "welfare", "--report", report, bad, "--round", "bmn-2561", "--area", "700513")
	if !apperr.Is(err, apperr.Invalid) || !strings.Contains(errOut, "row 33") || !strings.Contains(errOut, "row 34") || !strings.Contains(errOut, "แถว 3") {
		t.Errorf("a broken list: %v\n%s", err, errOut)
	}
	if _, err := os.Stat(report); err != nil {
		t.Errorf("the problems report was not written where --report asked: %v", err)
	}
	if out := must("welfare", "lists"); !strings.Contains(out, "no welfare register lists") {
		t.Errorf("a refused list was written: %s", out)
	}
	out := must("import", "welfare", "--round", "bmn-2561", "--area", "700513", good)
	if !strings.Contains(out, "30 people") || !strings.Contains(out, "keyed hashes only") {
		t.Errorf("import: %s", out)
	}
	out = must("welfare", "counts", "--round", "bmn-2561", "--area", "700513")
	if !strings.Contains(out, "covered by 1 lists") || !strings.Contains(out, "not confirmed") {
		t.Errorf("counts: %s", out)
	}
	if _, _, err := run(t, env, "", "import", "welfare", good, "--round", "bmn-2561", "--area", "70051304"); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("an overlapping list: %v", err)
	}
	out = must("welfare", "lists", "--round", "bmn-2561")
	if !strings.Contains(out, "700513\t30 people") {
		t.Errorf("lists: %s", out)
	}
	id := strings.SplitN(out, "\t", 2)[0]
	must("welfare", "delete", id)
	if out := must("welfare", "lists"); !strings.Contains(out, "no welfare register lists") {
		t.Errorf("after the deletion: %s", out)
	}
	must("welfare", "keep-ids", "on")
	if out := must("import", "welfare", good, "--round", "bmn-2561", "--area", "700513"); !strings.Contains(out, "kept as they are") {
		t.Errorf("with the setting on: %s", out)
	}
}
