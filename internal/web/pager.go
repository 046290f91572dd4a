package web

// pager is the page links under a long list: first, last, and two either
// side of the current page.
type pager struct {
	Page     int // the current page, 1 at least, the last at most
	Pages    []listPageLink
	PrevPage string
	NextPage string
}

// makePager pages total rows size at a time; link makes a page's URL.
// There are no links when everything fits on one page.
func makePager(total, size, page int, link func(int) string) pager {
	n := (total + size - 1) / size
	p := pager{Page: min(max(page, 1), max(n, 1))}
	if n <= 1 {
		return p
	}
	if p.Page > 1 {
		p.PrevPage = link(p.Page - 1)
	}
	if p.Page < n {
		p.NextPage = link(p.Page + 1)
	}
	gap := false
	for i := 1; i <= n; i++ {
		if i == 1 || i == n || (i >= p.Page-2 && i <= p.Page+2) {
			p.Pages = append(p.Pages, listPageLink{N: i, URL: link(i), Current: i == p.Page})
			gap = false
		} else if !gap {
			p.Pages = append(p.Pages, listPageLink{Gap: true})
			gap = true
		}
	}
	return p
}
