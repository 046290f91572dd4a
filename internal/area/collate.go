package area

import (
	"bytes"
	"runtime"
	"slices"
	"strings"
	"sync"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// thaiRanks returns, for each name, its position in Thai dictionary order
// (equal names get equal ranks). Thai dictionary order is not byte order:
// a leading vowel such as เ, แ, โ is sorted under the consonant after it, so
// "เขาขลุง" comes before "คุ้งพยอม" although เ (U+0E40) follows ค (U+0E04).
//
// Collation keys are computed once here so that sorting and search ranking
// later compare integers: a collate.Collator is slow per comparison and not
// safe for concurrent use. Distinct names are keyed in parallel, one
// collator per worker.
func thaiRanks(names []string) []int32 {
	ids := make(map[string]int32, len(names)/2)
	var uniq []string
	nameID := make([]int32, len(names))
	for i, n := range names {
		id, ok := ids[n]
		if !ok {
			id = int32(len(uniq))
			ids[n] = id
			uniq = append(uniq, n)
		}
		nameID[i] = id
	}

	keys := make([][]byte, len(uniq))
	workers := min(runtime.GOMAXPROCS(0), 8)
	chunk := (len(uniq) + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < len(uniq); lo += chunk {
		hi := min(lo+chunk, len(uniq))
		wg.Go(func() {
			c := collate.New(language.Thai)
			var buf collate.Buffer
			for i := lo; i < hi; i++ {
				keys[i] = c.KeyFromString(&buf, uniq[i])
			}
		})
	}
	wg.Wait()

	order := make([]int32, len(uniq))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(x, y int32) int {
		if c := bytes.Compare(keys[x], keys[y]); c != 0 {
			return c
		}
		return strings.Compare(uniq[x], uniq[y])
	})
	rankOf := make([]int32, len(uniq))
	for r, id := range order {
		rankOf[id] = int32(r)
	}
	ranks := make([]int32, len(names))
	for i, id := range nameID {
		ranks[i] = rankOf[id]
	}
	return ranks
}
