package thai_test

import (
	"bytes"
	"slices"
	"sort"
	"sync"
	"testing"

	"tambon/internal/thai"
)

func TestCompare(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want int
	}{
		{"ก before ข", "ก", "ข", -1},
		{"ข before ค", "ข", "ค", -1},
		{"ค before ฮ", "ค", "ฮ", -1},
		{"equal", "ขอนแก่น", "ขอนแก่น", 0},
		{"a leading vowel sorts under its consonant: เขาขลุง after ขอนแก่น", "ขอนแก่น", "เขาขลุง", -1},
		{"เขาขลุง before ค words, though เ sorts after ค in bytes", "เขาขลุง", "คลองเตย", -1},
		{"ไทรโยค under ท, before น", "ไทรโยค", "นครปฐม", -1},
		{"แม่สอด under ม, after มหาสารคาม", "มหาสารคาม", "แม่สอด", -1},
		{"tone marks only break ties: ขาว before ข้าว", "ขาว", "ข้าว", -1},
		{"a prefix first", "ขอน", "ขอนแก่น", -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := thai.Compare(tt.a, tt.b); got != tt.want {
				t.Errorf("Compare(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
			if got := thai.Compare(tt.b, tt.a); got != -tt.want {
				t.Errorf("Compare(%q, %q) = %d, want %d", tt.b, tt.a, got, -tt.want)
			}
		})
	}
}

func TestCompareDiffersFromByteOrder(t *testing.T) {
	// In bytes every word with a leading vowel (U+0E40–U+0E44) comes after
	// every consonant (U+0E01–U+0E2E); a Thai reader expects otherwise.
	a, b := "เขาขลุง", "คลองเตย"
	if !(a > b) {
		t.Fatalf("premise: %q > %q in byte order", a, b)
	}
	if thai.Compare(a, b) >= 0 {
		t.Errorf("Compare(%q, %q) follows byte order", a, b)
	}
}

func TestSortStrings(t *testing.T) {
	got := []string{"แม่สอด", "คลองเตย", "เขาขลุง", "ไทรโยค", "ขอนแก่น", "กาญจนบุรี", "มหาสารคาม", "โพธาราม", "บ้านโป่ง"}
	want := []string{"กาญจนบุรี", "ขอนแก่น", "เขาขลุง", "คลองเตย", "ไทรโยค", "บ้านโป่ง", "โพธาราม", "มหาสารคาม", "แม่สอด"}
	thai.SortStrings(got)
	if !slices.Equal(got, want) {
		t.Errorf("SortStrings:\n got %q\nwant %q", got, want)
	}
}

func TestKeyOrdersLikeCompare(t *testing.T) {
	words := []string{"ก", "ข", "ค", "ขอนแก่น", "เขาขลุง", "เขา", "ขาว", "ข้าว", "ไทรโยค", "แม่สอด", "", "Ban Pong", "๑๒"}
	for _, a := range words {
		for _, b := range words {
			if got, want := bytes.Compare(thai.Key(a), thai.Key(b)), thai.Compare(a, b); got != want {
				t.Errorf("Key order of %q, %q is %d, Compare says %d", a, b, got, want)
			}
		}
	}
}

func TestKeyIsTheCallersToKeep(t *testing.T) {
	k1 := thai.Key("ขอนแก่น")
	saved := bytes.Clone(k1)
	_ = thai.Key("เขาขลุง") // must not overwrite k1
	if !bytes.Equal(k1, saved) {
		t.Errorf("a later Key call changed an earlier key")
	}
}

// Run with -race: the helpers share pooled collators between goroutines.
func TestCollateConcurrent(t *testing.T) {
	want := []string{"ก", "ขอนแก่น", "เขาขลุง", "คลองเตย", "แม่สอด"}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				list := []string{"แม่สอด", "คลองเตย", "เขาขลุง", "ขอนแก่น", "ก"}
				if g%2 == 0 {
					thai.SortStrings(list)
				} else {
					sort.Slice(list, func(i, j int) bool {
						return bytes.Compare(thai.Key(list[i]), thai.Key(list[j])) < 0
					})
				}
				if !slices.Equal(list, want) || thai.Compare("ก", "ข") != -1 {
					errs <- "wrong order under concurrency"
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
}

func BenchmarkCompare(b *testing.B) {
	for b.Loop() {
		thai.Compare("ขอนแก่น", "เขาขลุง")
	}
}
