package xform

import (
	"tambon/internal/activity"
	"tambon/internal/survey"
)

// PhotosOf shrinks the photos the instance's optional photo questions name
// (found among the submission's media) for the household's page: re-encoded,
// so without metadata, with where the camera said they were taken (read on
// arrival, Media.Lat and Lon) kept apart. The OpenRosa server calls it when
// a submission is written on arrival, the review queue when a reviewer
// accepts one, so both put the same photos on the page. A file that is not a
// readable picture is left out of the page (it stays with the submission, as
// sent) and its question's kind returned in unread: an optional photo does not hold the
// household back.
func PhotosOf(in Instance, media []Media) (photos []survey.Photo, unread []survey.PhotoKind) {
	for _, kind := range []survey.PhotoKind{survey.PhotoHouse, survey.PhotoDocument} {
		name := in.Photos[kind]
		if name == "" {
			continue
		}
		for _, m := range media {
			if m.Name != name {
				continue
			}
			sh, err := activity.ShrinkPhoto(name, m.Data)
			if err != nil {
				unread = append(unread, kind)
				break
			}
			photos = append(photos, survey.Photo{Kind: kind, Image: sh.Image, Thumb: sh.Thumb, Width: sh.Width, Height: sh.Height, Lat: m.Lat, Lon: m.Lon})
			break
		}
	}
	return photos, unread
}
