package store_test

import (
	"bytes"
	"context"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/programme"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
)

func TestProgrammeFilesAndSelfAssessment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		planFixture(t, s)
		aw, err := s.CreateProgramme(ctx, programme.Programme{Type: "award_nomination", Title: "รางวัลเลิศรัฐ 2564", AreaCode: "700513", FiscalYear: 2564})
		if err != nil {
			t.Fatal(err)
		}
		moo4, err := s.AddParticipant(ctx, programme.Participant{ProgrammeID: aw.ID, Name: "บ้านหนองไม้เฝ้า หมู่ 4", AreaCode: "70051304"})
		if err != nil {
			t.Fatal(err)
		}
		other, err := s.CreateProgramme(ctx, programme.Programme{Type: "award_nomination", Title: "อีกรางวัล", AreaCode: "700513", FiscalYear: 2564})
		if err != nil {
			t.Fatal(err)
		}

		// Every byte value, so a text column or an encoding would show.
		pdf := make([]byte, 3000)
		for i := range pdf {
			pdf[i] = byte(i * 7)
		}
		copy(pdf, "%PDF-1.4\n")
		f, err := s.AddProgrammeFile(ctx, aw.ID, programme.File{ParticipantID: moo4.ID, Step: "results", Name: " ผลก่อน-หลัง.pdf ", ContentType: "application/pdf", By: "tambon"}, pdf)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range []struct {
			name string
			prog int64
			f    programme.File
			data []byte
		}{
			{"an executable", aw.ID, programme.File{ParticipantID: moo4.ID, Name: "x.exe", ContentType: "application/octet-stream"}, pdf},
			{"an empty file", aw.ID, programme.File{ParticipantID: moo4.ID, Name: "x.pdf", ContentType: "application/pdf"}, nil},
			{"too large", aw.ID, programme.File{ParticipantID: moo4.ID, Name: "big.pdf", ContentType: "application/pdf"}, make([]byte, programme.MaxFile+1)},
			{"an unknown step", aw.ID, programme.File{ParticipantID: moo4.ID, Step: "dance", Name: "x.pdf", ContentType: "application/pdf"}, pdf},
			{"a participant of another programme", other.ID, programme.File{ParticipantID: moo4.ID, Name: "x.pdf", ContentType: "application/pdf"}, pdf},
		} {
			if _, err := s.AddProgrammeFile(ctx, b.prog, b.f, b.data); !apperr.Is(err, apperr.Invalid) {
				t.Errorf("%s: %v, want invalid", b.name, err)
			}
		}
		list, err := s.ProgrammeFiles(ctx, aw.ID)
		if err != nil || len(list) != 1 || list[0].Name != "ผลก่อน-หลัง.pdf" || list[0].Size != len(pdf) || list[0].Step != "results" {
			t.Fatalf("files: %+v, %v (refused files must write nothing)", list, err)
		}
		if l, _ := s.ProgrammeFiles(ctx, other.ID); len(l) != 0 {
			t.Errorf("the other programme has files: %+v", l)
		}
		got, prog, data, err := s.ProgrammeFile(ctx, f.ID)
		if err != nil || prog != aw.ID || got.ContentType != "application/pdf" || !bytes.Equal(data, pdf) {
			t.Errorf("read back: programme %d, %+v, %d bytes equal=%v, %v", prog, got, len(data), bytes.Equal(data, pdf), err)
		}
		if _, _, _, err := s.ProgrammeFile(ctx, f.ID+1000); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("missing file: %v", err)
		}

		// Removing: not through another programme; then it is gone, alone.
		keep, err := s.AddProgrammeFile(ctx, aw.ID, programme.File{ParticipantID: moo4.ID, Name: "keep.pdf", ContentType: "application/pdf", By: "tambon"}, pdf)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.DeleteProgrammeFile(ctx, other.ID, keep.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("removing through another programme: %v, want not found", err)
		}
		if gone, err := s.DeleteProgrammeFile(ctx, aw.ID, keep.ID); err != nil || gone.Name != "keep.pdf" {
			t.Fatalf("remove: %+v, %v", gone, err)
		}
		if _, _, _, err := s.ProgrammeFile(ctx, keep.ID); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("the removed file still reads: %v", err)
		}
		if l, _ := s.ProgrammeFiles(ctx, aw.ID); len(l) != 1 || l[0].ID != f.ID {
			t.Errorf("after removing one file the programme lists %+v, want only the first", l)
		}

		// Self-assessment: per criterion, replaced by a later one; a bad batch writes nothing.
		if err := s.SetSelfAssessment(ctx, aw.ID, []programme.SelfScore{{ParticipantID: moo4.ID, Criterion: "participation", Score: 70, Note: "เวทีประชาคม"},
			{ParticipantID: moo4.ID, Criterion: "results", Score: 80}}); err != nil {
			t.Fatal(err)
		}
		if err := s.SetSelfAssessment(ctx, aw.ID, []programme.SelfScore{{ParticipantID: moo4.ID, Criterion: "participation", Score: 90, Note: "ทุกครัวเรือนร่วม"}}); err != nil {
			t.Fatal(err)
		}
		for _, bad := range [][]programme.SelfScore{
			{{ParticipantID: moo4.ID, Criterion: "results", Score: 10}, {ParticipantID: moo4.ID, Criterion: "results", Score: 101}},
			{{ParticipantID: moo4.ID, Criterion: "results", Score: 10}, {ParticipantID: moo4.ID, Criterion: "beauty", Score: 50}},
			{{ParticipantID: moo4.ID, Criterion: "results", Score: 10}, {ParticipantID: moo4.ID + 999, Criterion: "results", Score: 50}},
		} {
			if err := s.SetSelfAssessment(ctx, aw.ID, bad); !apperr.Is(err, apperr.Invalid) {
				t.Errorf("%+v: %v, want invalid", bad, err)
			}
		}
		self, err := s.SelfAssessment(ctx, aw.ID)
		if err != nil || len(self) != 2 {
			t.Fatalf("self-assessment: %+v, %v", self, err)
		}
		want := map[string]programme.SelfScore{"participation": {ParticipantID: moo4.ID, Criterion: "participation", Score: 90, Note: "ทุกครัวเรือนร่วม"}, "results": {ParticipantID: moo4.ID, Criterion: "results", Score: 80}}
		for _, sc := range self {
			if sc != want[sc.Criterion] {
				t.Errorf("self score %+v, want %+v", sc, want[sc.Criterion])
			}
		}
	})
}
