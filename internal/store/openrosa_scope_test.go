package store_test

import (
	"context"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
	"tambon/internal/surveyfile"
	"tambon/internal/xform"
)

// An edit (deprecatedID) replaces only a submission of the sender's scope,
// of the same form and round; otherwise it is forbidden and nothing of it
// is stored, and the submission it named is left as it was.
func TestEditReplacesOnlyInTheSendersScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		eng := mustEngine(t)
		mustRound(t, s, "bmn-2564", false)
		hs := surveyfile.Example(eng.Set(), "70051301", 2, 7)
		far := surveyfile.Example(eng.Set(), "70010101", 1, 8)[0]
		for _, h := range append(hs, far) {
			h.RoundID = "bmn-2564"
		}
		item := func(id, deprecated, who, scope string, xml string) store.SubmitItem {
			return store.SubmitItem{Scope: scope, Sub: xform.Submission{InstanceID: id, DeprecatedID: deprecated, FormID: "tambon-bmn-2564",
				RoundID: "bmn-2564", Username: who, XML: []byte("<data>" + id + xml + "</data>")}}
		}
		// Pending submissions: one of another amphoe's village (in review:
		// it has a problem), one of the sender's tambon, one unreadable of
		// another sender, and one of another form.
		pendingFar := item("uuid:far", "", "far", "7001", "")
		pendingFar.Household, pendingFar.Sub.Problems = far, []apperr.Problem{{Field: "house_no", Reason: apperr.T("ขาด", "missing")}}
		own := item("uuid:own", "", "somchai", "700513", "")
		own.Household, own.Engine = hs[0], eng
		unreadable := item("uuid:unread", "", "far", "7001", "")
		unreadable.Sub.Problems = []apperr.Problem{{Reason: apperr.T("อ่านไม่ได้", "cannot be read")}}
		otherForm := item("uuid:otherform", "", "somchai", "700513", "")
		otherForm.Sub.FormID, otherForm.Household = "tambon-bmn-2564-b", hs[1]
		otherForm.Sub.Problems = []apperr.Problem{{Reason: apperr.T("ไม่รู้จักแบบสอบถาม", "unknown form")}}
		if _, err := s.SubmitBatch(ctx, []store.SubmitItem{pendingFar, own, unreadable, otherForm}); err != nil {
			t.Fatal(err)
		}
		edit := func(id, deprecated, who, scope string) store.SubmitItem {
			it := item(id, deprecated, who, scope, "edit")
			it.Household, it.Engine = hs[0], eng
			return it
		}
		for _, c := range []struct {
			name string
			it   store.SubmitItem
			ok   bool
		}{
			{"another area's pending submission", edit("uuid:e1", "uuid:far", "somchai", "700513"), false},
			{"no scope", edit("uuid:e2", "uuid:own", "somchai", ""), false},
			{"another sender's unreadable one", edit("uuid:e3", "uuid:unread", "somchai", "700513"), false},
			{"another form's", edit("uuid:e4", "uuid:otherform", "somchai", "700513"), false},
			{"the sender's own area", edit("uuid:e5", "uuid:own", "somchai", "700513"), true},
		} {
			res, err := s.SubmitBatch(ctx, []store.SubmitItem{c.it})
			if err != nil {
				t.Fatal(err)
			}
			if c.ok != (res[0].Err == nil) {
				t.Errorf("%s: %v, want accepted %v", c.name, res[0].Err, c.ok)
			}
			if !c.ok && !apperr.Is(res[0].Err, apperr.Forbidden) {
				t.Errorf("%s: %v, want forbidden", c.name, res[0].Err)
			}
			if _, stored := byInstance(t, s)[c.it.Sub.InstanceID]; stored != c.ok {
				t.Errorf("%s: the edit stored = %v, want %v", c.name, stored, c.ok)
			}
		}
		for id, want := range map[string]xform.Status{"uuid:far": xform.Review, "uuid:unread": xform.Review,
			"uuid:otherform": xform.Review, "uuid:own": xform.Replaced} {
			if got := byInstance(t, s)[id]; got.Status != want {
				t.Errorf("%s: %s, want %s", id, got.Status, want)
			}
		}
		// The sender of an unreadable one may edit it.
		if res, err := s.SubmitBatch(ctx, []store.SubmitItem{edit("uuid:e6", "uuid:unread", "far", "7001")}); err != nil || res[0].Err != nil {
			t.Errorf("the sender's own unreadable submission: %v %v", err, res)
		}
	})
}

// byInstance reads every stored submission by instanceID.
func byInstance(t *testing.T, s *store.Store) map[string]xform.Submission {
	t.Helper()
	subs, err := s.Submissions(context.Background(), store.SubmissionFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]xform.Submission{}
	for _, sub := range subs {
		out[sub.InstanceID] = sub
	}
	return out
}
