package openrosa_test

import (
	"context"
	"net/http"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/store"
	"tambon/internal/xform"
)

// An edit from ODK Collect naming another area's pending submission as its
// deprecatedID is refused with an OpenRosa error response, and nothing
// changes: the other submission stays pending and the edit is not kept.
func TestEditOfAnotherAreasSubmissionIsRefused(t *testing.T) {
	f := newFixture(t, 0)
	ctx := context.Background()
	far := f.household(7)
	far.VillageCode = otherVillage(t)
	pending := store.SubmitItem{Scope: far.VillageCode[:4], Household: far, Sub: xform.Submission{InstanceID: "uuid:far-1",
		FormID: f.form.ID, RoundID: roundID, Username: "far", XML: xform.Encode(f.form, f.eng.Set(), far, "uuid:far-1", ""),
		Problems: apperr.Problems{{Field: "house_no", Reason: apperr.T("ตรวจอีกครั้ง", "check again")}}}}
	if res, err := f.store.SubmitBatch(ctx, []store.SubmitItem{pending}); err != nil || res[0].Err != nil {
		t.Fatalf("the other area's submission: %v %+v", err, res)
	}
	before := count(t, f.store, village)
	edit := xform.Encode(f.form, f.eng.Set(), f.household(8), "uuid:mine-1", "uuid:far-1")
	resp, msg := post(t, f.keyURL(), edit, nil)
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("edit naming another area's submission: %d %s, want 403", resp.StatusCode, msg)
	}
	mustContain(t, "the refusal", msg, "<OpenRosaResponse", "uuid:far-1", "outside the sender", "cannot be edited")
	subs, err := f.store.Submissions(ctx, store.SubmissionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range subs {
		if s.InstanceID == "uuid:mine-1" {
			t.Errorf("the refused edit was kept: %+v", s)
		}
		if s.InstanceID == "uuid:far-1" && (s.Status != xform.Review || s.ReplacedBy != "") {
			t.Errorf("the other area's submission was changed: %s, replaced by %q", s.Status, s.ReplacedBy)
		}
	}
	if got := count(t, f.store, village); got != before {
		t.Errorf("the refused edit wrote a household: %d → %d", before, got)
	}
}
