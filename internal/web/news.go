package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"tambon/internal/activity"
	"tambon/internal/apperr"
	"tambon/internal/user"
)

// visitCounter counts news visits in memory and adds them to the store at
// most every flushEvery, so a popular post costs one small write per flush
// rather than one per visit. Pages show the stored count plus what is still
// pending here. A clean shutdown writes them (FlushVisits); if the process
// is killed, the counts since the last flush are lost, which a visit counter
// can afford.
//
// A visitor counts once a day for a post: a reload, or reading the post
// again later that day, is not another visit. A visitor is the client's
// address (as the sign-in rule sees it, behind trusted proxies) and its
// browser's User-Agent, remembered only as a keyed hash for the day.
type visitCounter struct {
	mu      sync.Mutex
	day     time.Time // the Bangkok date the pending counts belong to
	pending map[int64]int64
	last    time.Time // the last flush

	seenDay time.Time             // the day seen belongs to
	seen    map[[16]byte]struct{} // visitor and post, hashed, counted today
	key     [32]byte              // the hashes' key, random per process
}

// maxSeen bounds the visitors remembered in a day (16 bytes each); past it
// every visit counts again until the next day, rather than memory growing.
const maxSeen = 500_000

// firstToday reports whether visitor has not yet been counted for post id
// today, and remembers that it now has. c.mu must be held.
func (c *visitCounter) firstToday(today time.Time, id int64, visitor string) bool {
	if c.seen == nil || !c.seenDay.Equal(today) {
		if c.key == ([32]byte{}) {
			rand.Read(c.key[:])
		}
		c.seen, c.seenDay = map[[16]byte]struct{}{}, today
	}
	mac := hmac.New(sha256.New, c.key[:])
	fmt.Fprintf(mac, "%d\x00%s", id, visitor)
	var k [16]byte
	copy(k[:], mac.Sum(nil))
	if _, ok := c.seen[k]; ok {
		return false
	}
	if len(c.seen) < maxSeen {
		c.seen[k] = struct{}{}
	}
	return true
}

const flushEvery = 5 * time.Second

// hit counts one visit of a post (a visitor's first today) and, when due, writes the pending counts
// (this visit included); it reports whether it wrote them.
func (s *Server) hit(r *http.Request, st activityStore, id int64) bool {
	c := &s.visits
	now := s.now()
	today := activity.DateOf(now)
	type batch struct {
		day    time.Time
		counts map[int64]int64
	}
	var out []batch
	visitor := s.signin.ClientKey(r) + "\x00" + r.UserAgent()
	c.mu.Lock()
	if !c.firstToday(today, id, visitor) {
		c.mu.Unlock()
		return false
	}
	if len(c.pending) > 0 && !c.day.Equal(today) { // yesterday's counts go under yesterday
		out = append(out, batch{c.day, c.pending})
		c.pending = nil
	}
	if c.pending == nil {
		c.pending, c.day = map[int64]int64{}, today
	}
	c.pending[id]++
	if now.Sub(c.last) >= flushEvery {
		out = append(out, batch{c.day, c.pending})
		c.pending, c.last = nil, now
	}
	c.mu.Unlock()
	wrote := false
	for _, b := range out {
		if err := st.AddVisits(r.Context(), b.day, b.counts); err != nil {
			s.log.Warn("news visits", "err", err)
			c.mu.Lock()
			if c.pending == nil {
				c.pending, c.day = map[int64]int64{}, today
			}
			if c.day.Equal(b.day) { // keep them for the next flush
				for k, n := range b.counts {
					c.pending[k] += n
				}
			}
			c.mu.Unlock()
			continue
		}
		wrote = true
	}
	return wrote
}

// FlushVisits writes the visit counts still held in memory; the server
// calls it when it shuts down, so a clean stop loses none.
func (s *Server) FlushVisits(ctx context.Context) error {
	st, err := s.actStore()
	if err != nil {
		return nil // no news without the activity store, so nothing to write
	}
	c := &s.visits
	c.mu.Lock()
	day, counts := c.day, c.pending
	c.pending = nil
	c.mu.Unlock()
	if len(counts) == 0 {
		return nil
	}
	return st.AddVisits(ctx, day, counts)
}

// pendingVisits returns a post's counts not yet written.
func (s *Server) pendingVisits(id int64) (n int64, today bool) {
	c := &s.visits
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pending[id], c.day.Equal(activity.DateOf(s.now()))
}

// newsListData is the public list of news.
type newsListData struct {
	Items []newsItem
}

type newsItem struct {
	activity.News
	Title, Body, Date, Held, Where string
}

func (s *Server) newsList(w http.ResponseWriter, r *http.Request) error {
	st, err := s.actStore()
	if err != nil {
		return err
	}
	lang := langFrom(r.Context())
	ns, err := st.NewsList(r.Context(), r.URL.Query().Get("area"), s.now(), 50)
	if err != nil {
		return err
	}
	var d newsListData
	for _, n := range ns {
		d.Items = append(d.Items, s.newsItem(n, lang))
	}
	return s.render(w, r, http.StatusOK, "news_list", s.msgs.text(lang, "news.title"), d)
}

func (s *Server) newsItem(n activity.News, lang string) newsItem {
	p, today := s.pendingVisits(n.ID)
	n.Visits += p
	if today {
		n.VisitsToday += p
	}
	return newsItem{News: n, Title: n.Title(lang), Body: n.Body(lang), Date: day(n.PublishedAt, lang), Held: day(n.ActivityStart, lang),
		Where: s.areaTitle(n.AreaCode, lang)}
}

// newsPostData is one public post.
type newsPostData struct {
	newsItem
	When       string
	ActivityID int64
	CanOpen    bool   // the signed-in user may open the activity
	LineShare  string // LINE's share page for this post: how news travels between offices and villages
}

func (s *Server) newsPost(w http.ResponseWriter, r *http.Request) error {
	st, err := s.actStore()
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	n, err := st.NewsPost(r.Context(), id, s.now())
	if err != nil {
		return err
	}
	if s.hit(r, st, id) { // the counts just written were pending when n was read
		if n, err = st.NewsPost(r.Context(), id, s.now()); err != nil {
			return err
		}
	}
	lang := langFrom(r.Context())
	u := userFrom(r.Context())
	d := newsPostData{newsItem: s.newsItem(n, lang), When: when(n.ActivityStart, lang), ActivityID: n.ActivityID,
		CanOpen: u != nil && u.CanAt(user.ViewPlans, n.AreaCode)}
	d.LineShare = "https://social-plugins.line.me/lineit/share?url=" + url.QueryEscape(fmt.Sprintf("%s/news/%d", s.publicBase(r), n.ID))
	return s.render(w, r, http.StatusOK, "news_post", d.Title, d)
}

// photo serves a stored photo (?size=thumb for the thumbnail): to anyone
// once its activity is public news, otherwise to those who may see the
// activity. Photos never change, so browsers keep them.
func (s *Server) photo(w http.ResponseWriter, r *http.Request) error {
	st, err := s.actStore()
	if err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	data, a, err := st.PhotoData(r.Context(), id, r.URL.Query().Get("size") == "thumb")
	if err != nil {
		return err
	}
	cache := "public, max-age=31536000, immutable"
	if a.NewsID == 0 {
		if _, err := mayPlan(r, user.ViewPlans, a.AreaCode); err != nil {
			return err
		}
		cache = "private, max-age=86400"
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Cache-Control", cache)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
	return nil
}

// The Atom 1.0 feed (RFC 4287).
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	ID        string     `xml:"id"`
	Title     string     `xml:"title"`
	Updated   string     `xml:"updated"`
	Published string     `xml:"published"`
	Links     []atomLink `xml:"link"`
	Summary   atomText   `xml:"summary"`
}

func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (s *Server) newsFeed(w http.ResponseWriter, r *http.Request) error {
	st, err := s.actStore()
	if err != nil {
		return err
	}
	lang := langFrom(r.Context())
	ns, err := st.NewsList(r.Context(), "", s.now(), 50)
	if err != nil {
		return err
	}
	base := baseURL(r)
	f := atomFeed{Lang: lang, ID: base + "/news", Title: s.msgs.text(lang, "news.feed.title"), Author: atomPerson{Name: s.msgs.text(lang, "app.name")},
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: base + "/news.atom"}, {Rel: "alternate", Type: "text/html", Href: base + "/news"}}}
	updated := time.Unix(0, 0)
	for _, n := range ns {
		if n.PublishedAt.After(updated) {
			updated = n.PublishedAt
		}
		link := fmt.Sprintf("%s/news/%d", base, n.ID)
		e := atomEntry{ID: link, Title: n.Title(lang), Updated: n.PublishedAt.UTC().Format(time.RFC3339), Published: n.PublishedAt.UTC().Format(time.RFC3339),
			Links: []atomLink{{Rel: "alternate", Type: "text/html", Href: link}}, Summary: atomText{Type: "text", Body: n.Body(lang)}}
		for _, p := range n.Photos {
			e.Links = append(e.Links, atomLink{Rel: "enclosure", Type: "image/jpeg", Href: fmt.Sprintf("%s/photos/%d", base, p.ID)})
		}
		f.Entries = append(f.Entries, e)
	}
	if len(ns) == 0 {
		updated = s.now()
	}
	f.Updated = updated.UTC().Format(time.RFC3339)
	out, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		return apperr.Wrap(err, apperr.Internal, apperr.T("สร้างฟีดข่าวไม่ได้", "cannot build the news feed"))
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Write([]byte(xml.Header))
	w.Write(out)
	return nil
}
