package activity

import "time"

// News is an activity published for the public: its title, a text, its
// photos and how often it was read.
type News struct {
	ID          int64
	ActivityID  int64
	AreaCode    string
	TitleTH     string
	TitleEN     string
	BodyTH      string
	BodyEN      string
	PublishedAt time.Time
	PublishedBy string

	// Filled when read back.
	ActivityStart time.Time
	Photos        []Photo
	Visits        int64 // all visits
	VisitsToday   int64 // visits on today's date (UTC)
}

// Title returns the title in lang, Thai when there is no English one.
func (n News) Title(lang string) string {
	if lang == "en" && n.TitleEN != "" {
		return n.TitleEN
	}
	return n.TitleTH
}

// Body returns the text in lang, Thai when there is no English one.
func (n News) Body(lang string) string {
	if lang == "en" && n.BodyEN != "" {
		return n.BodyEN
	}
	return n.BodyTH
}
