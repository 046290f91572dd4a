package photo_test

import (
	"math"
	"os"
	"testing"

	"tambon/internal/photo"
)

// A phone's photo says where it was taken; a picture without EXIF, a
// latitude without its longitude, or a stripped picture says nothing.
func TestGPS(t *testing.T) {
	data, err := os.ReadFile("testdata/house_gps.jpg")
	if err != nil {
		t.Fatal(err)
	}
	lat, lon, ok := photo.GPS(data)
	if !ok || math.Abs(lat-(13+48.0/60+30.36/3600)) > 1e-9 || math.Abs(lon-(99+52.0/60+11.88/3600)) > 1e-9 {
		t.Fatalf("GPS = %v, %v, %v", lat, lon, ok)
	}
	if _, _, ok := photo.GPS(phoneJPEG(t, 40, 30, 1)); ok {
		t.Error("a latitude without a longitude gave a position")
	}
	stripped, err := photo.Strip(data)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, ok := photo.GPS(stripped); ok {
		t.Error("a stripped picture still has a position")
	}
	if _, _, ok := photo.GPS([]byte("not a picture")); ok {
		t.Error("text gave a position")
	}
	for n := 0; n < len(data) && n < 400; n++ {
		photo.GPS(data[:n]) // a cut picture never panics
	}
}
