package main

import (
	"context"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"tambon/internal/plan"
)

// The demo's plans and programmes load once: running the demo again keeps
// what is there and adds nothing.
func TestDemoPlansAreLoadedOnce(t *testing.T) {
	ctx := context.Background()
	e := &env{getenv: func(string) string { return "" }, stdout: io.Discard, stderr: io.Discard,
		log: slog.New(slog.NewTextHandler(io.Discard, nil)), now: time.Now}
	db := tempDB(t)
	counts := func() (plans, items, help, programmes, files int) {
		s, tree, err := e.openStore(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if _, err := seedDemo(ctx, e, s, tree, "700513"); err != nil {
			t.Fatal(err)
		}
		ps, _ := s.Plans(ctx, "700513")
		for _, p := range ps {
			its, _ := s.PlanItems(ctx, p.ID)
			items += len(its)
		}
		hs, _ := s.Assistance(ctx, plan.AssistanceFilter{Area: "700513"})
		prs, _ := s.Programmes(ctx, "70")
		for _, p := range prs {
			fs, _ := s.ProgrammeFiles(ctx, p.ID)
			files += len(fs)
		}
		return len(ps), items, len(hs), len(prs), files
	}
	p1, i1, h1, r1, f1 := counts()
	if p1 != 1 || i1 == 0 || h1 == 0 || r1 != 4 || f1 != 4 {
		t.Fatalf("first run: %d plans, %d items, %d help records, %d programmes, %d evidence files (want 4: the award's PDF and photo, two model-tambon step photos)", p1, i1, h1, r1, f1)
	}
	p2, i2, h2, r2, f2 := counts()
	if p2 != p1 || i2 != i1 || h2 != h1 || r2 != r1 || f2 != f1 {
		t.Errorf("second run changed the demo: %d/%d/%d/%d/%d, was %d/%d/%d/%d/%d", p2, i2, h2, r2, f2, p1, i1, h1, r1, f1)
	}
}

// The demo's hand-made PDF is well formed: its cross-reference table is
// where startxref says, and each object is where the table says.
func TestDemoPDFOffsets(t *testing.T) {
	pdf := string(demoPDF("Line one", "Line (two)"))
	if !strings.HasPrefix(pdf, "%PDF-1.4\n") || !strings.HasSuffix(pdf, "%%EOF\n") {
		t.Fatalf("header or trailer missing:\n%s", pdf)
	}
	i := strings.LastIndex(pdf, "startxref\n")
	xref, err := strconv.Atoi(strings.Fields(pdf[i+len("startxref\n"):])[0])
	if err != nil || !strings.HasPrefix(pdf[xref:], "xref\n0 6\n") {
		t.Fatalf("startxref %d does not point at the table: %v", xref, err)
	}
	rows := strings.Split(pdf[xref:], "\n")[3:8]
	for n, row := range rows {
		off, _ := strconv.Atoi(row[:10])
		if want := strconv.Itoa(n+1) + " 0 obj"; !strings.HasPrefix(pdf[off:], want) {
			t.Errorf("object %d: offset %d holds %q", n+1, off, pdf[off:min(off+12, len(pdf))])
		}
	}
	if !strings.Contains(pdf, `(Line \(two\)) Tj`) {
		t.Error("parentheses in text are not escaped")
	}
}
