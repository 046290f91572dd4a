package web

import (
	"regexp"
	"strings"
	"testing"

	"rsc.io/qr"
)

// The SVG draws exactly the dark modules of the code, inside a quiet zone.
func TestQRSVGDrawsTheCode(t *testing.T) {
	text := "eJyrVkrLz1eyUkpKLFKqBQApRwUE"
	svg, err := qrSVG(text, `settings "x"`)
	if err != nil {
		t.Fatal(err)
	}
	c, err := qr.Encode(text, qr.M)
	if err != nil {
		t.Fatal(err)
	}
	dark := map[[2]int]bool{}
	for _, m := range regexp.MustCompile(`M(\d+) (\d+)h1v1h-1z`).FindAllStringSubmatch(string(svg), -1) {
		var x, y int
		for _, ch := range m[1] {
			x = 10*x + int(ch-'0')
		}
		for _, ch := range m[2] {
			y = 10*y + int(ch-'0')
		}
		dark[[2]int{x - qrQuiet, y - qrQuiet}] = true
	}
	for y := -qrQuiet; y < c.Size+qrQuiet; y++ {
		for x := -qrQuiet; x < c.Size+qrQuiet; x++ {
			if want := c.Black(x, y); dark[[2]int{x, y}] != want {
				t.Fatalf("module %d,%d: drawn %v, want %v", x, y, dark[[2]int{x, y}], want)
			}
		}
	}
	if !strings.Contains(string(svg), `aria-label="settings &#34;x&#34;"`) {
		t.Errorf("the label is not escaped: %.200s", svg)
	}
}
