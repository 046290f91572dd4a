package survey

import "tambon/internal/apperr"

// PhotoKind says what a household's photo shows: the house, or a supporting
// document (a house registration, a welfare card, a receipt). Photos are
// optional; every door that takes them (the web form, the phone's form)
// takes the same kinds.
type PhotoKind string

// The kinds of household photo.
const (
	PhotoHouse    PhotoKind = "house"
	PhotoDocument PhotoKind = "document"
)

// Valid reports whether k is one of the kinds.
func (k PhotoKind) Valid() bool { return k == PhotoHouse || k == PhotoDocument }

// Label names the kind in Thai and English.
func (k PhotoKind) Label() apperr.Text {
	if k == PhotoDocument {
		return apperr.T("รูปเอกสารประกอบ", "Photo of a supporting document")
	}
	return apperr.T("รูปบ้าน", "Photo of the house")
}

// MaxPhotos is how many photos a household keeps in a round.
const MaxPhotos = 12

// Photo is a photo that comes with a household's record (the phone's form
// sends it with the submission): already shrunk and re-encoded, so Image and
// Thumb carry no metadata; Lat and Lon are where the camera said it was
// taken, read before, or nil.
type Photo struct {
	Kind          PhotoKind
	Caption       string
	Image, Thumb  []byte
	Width, Height int
	Lat, Lon      *float64
}
