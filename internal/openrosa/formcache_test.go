package openrosa_test

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"tambon/internal/engine"
	"tambon/internal/openrosa"
	"tambon/internal/store/storetest"
	"tambon/internal/xform"
)

// A round moved to another version of its set (a threshold change made
// live through the store's repin) is served that version's form once the
// server reads its rounds again: formList and the download give the new
// version and hash, not the form built for the old version.
func TestRepinnedRoundGetsItsNewForm(t *testing.T) {
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}
	f := newFixtureWith(t, storetest.MustOpenSQLite(t), func(c *openrosa.Config) { c.Now = clock })
	list := func() (version, hash, form string) {
		t.Helper()
		resp, body := do(t, collectRequest("GET", f.keyURL()+"/formList", nil))
		if resp.StatusCode != 200 {
			t.Fatalf("formList: %d %s", resp.StatusCode, body)
		}
		m := regexp.MustCompile(`<version>([^<]+)</version>\s*<hash>md5:([0-9a-f]+)</hash>[\s\S]*?<downloadUrl>([^<]+)</downloadUrl>`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("formList without a form:\n%s", body)
		}
		_, form = do(t, collectRequest("GET", m[3], nil))
		return m[1], m[2], form
	}
	if v, h, _ := list(); v != f.form.Version || h != f.form.MD5 {
		t.Fatalf("before the change: version %s md5 %s, want %s %s", v, h, f.form.Version, f.form.MD5)
	}

	ctx := context.Background()
	c, err := f.store.SetThreshold(ctx, "bmn-2560-2564", "income_threshold", 2564, 45000, "official")
	if err != nil {
		t.Fatal(err)
	}
	rd, err := f.store.Round(ctx, roundID)
	if err != nil {
		t.Fatal(err)
	}
	v, _, err := f.store.SetVersion(ctx, "bmn-2560-2564", c.Version)
	if err != nil {
		t.Fatal(err)
	}
	rd.SetVersion, rd.SetDigest = v.Version, v.Digest
	eng, err := engine.ForRound(rd)
	if err != nil {
		t.Fatal(err)
	}
	rc, err := f.store.RecomputeRound(ctx, roundID, eng, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.RepinRecomputed(ctx, rc, c.Rounds[roundID], c.Version); err != nil {
		t.Fatal(err)
	}
	moved, err := f.store.Round(ctx, roundID)
	if err != nil {
		t.Fatal(err)
	}
	want, err := xform.Build(moved, eng.Set())
	if err != nil {
		t.Fatal(err)
	}
	if want.Version == f.form.Version {
		t.Fatalf("the new set version builds the same form version %s: the test shows nothing", want.Version)
	}

	// A few seconds later by the server's clock its list of rounds is read
	// again, and the form is the new version's.
	mu.Lock()
	now = now.Add(time.Minute)
	mu.Unlock()
	gotV, gotH, form := list()
	if gotV != want.Version || gotH != want.MD5 {
		t.Errorf("after the repin: version %s md5 %s, want the new version's %s %s (the old form was %s)", gotV, gotH, want.Version, want.MD5, f.form.Version)
	}
	if !strings.Contains(form, `version="`+want.Version+`"`) || md5hex([]byte(form)) != want.MD5 {
		t.Errorf("the downloaded form is not the new version's %s", want.Version)
	}
}
