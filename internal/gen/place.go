package gen

import "tambon/internal/geo"

// centroids holds rough centres (latitude, longitude) of the 77 provinces by
// their 2-digit code, written for this package from a map: the fallback for
// a village whose tambon has no boundary (geo.Centre), when generated points
// fall within about 0.3° (30 km) of it. Good enough for a demo map, never for
// analysis. Zero means unknown: no GPS.
var centroids = [100][2]float64{
	10: {13.75, 100.52}, 11: {13.60, 100.60}, 12: {13.86, 100.51}, 13: {14.02, 100.53},
	14: {14.35, 100.57}, 15: {14.59, 100.45}, 16: {14.80, 100.65}, 17: {14.89, 100.40},
	18: {15.19, 100.13}, 19: {14.53, 100.91}, 20: {13.36, 101.00}, 21: {12.68, 101.28},
	22: {12.61, 102.10}, 23: {12.24, 102.52}, 24: {13.69, 101.07}, 25: {14.05, 101.37},
	26: {14.21, 101.21}, 27: {13.82, 102.07}, 30: {14.97, 102.10}, 31: {14.99, 103.10},
	32: {14.88, 103.49}, 33: {15.12, 104.32}, 34: {15.24, 104.85}, 35: {15.79, 104.15},
	36: {15.81, 102.03}, 37: {15.86, 104.63}, 38: {18.36, 103.65}, 39: {17.20, 102.44},
	40: {16.43, 102.84}, 41: {17.41, 102.79}, 42: {17.49, 101.72}, 43: {17.88, 102.74},
	44: {16.18, 103.30}, 45: {16.05, 103.65}, 46: {16.43, 103.51}, 47: {17.16, 104.15},
	48: {17.41, 104.78}, 49: {16.54, 104.72}, 50: {18.79, 98.98}, 51: {18.57, 99.01},
	52: {18.29, 99.49}, 53: {17.62, 100.10}, 54: {18.14, 100.14}, 55: {18.78, 100.78},
	56: {19.17, 99.90}, 57: {19.91, 99.83}, 58: {19.30, 97.97}, 60: {15.70, 100.14},
	61: {15.38, 100.02}, 62: {16.48, 99.52}, 63: {16.88, 99.13}, 64: {17.01, 99.82},
	65: {16.82, 100.26}, 66: {16.44, 100.35}, 67: {16.42, 101.16}, 70: {13.54, 99.82},
	71: {14.02, 99.53}, 72: {14.47, 100.12}, 73: {13.82, 100.06}, 74: {13.55, 100.27},
	75: {13.41, 100.00}, 76: {13.11, 99.94}, 77: {11.81, 99.80}, 80: {8.43, 99.96},
	81: {8.09, 98.91}, 82: {8.45, 98.53}, 83: {7.89, 98.40}, 84: {9.14, 99.33},
	85: {9.96, 98.64}, 86: {10.49, 99.18}, 90: {7.19, 100.59}, 91: {6.62, 100.07},
	92: {7.56, 99.61}, 93: {7.62, 100.08}, 94: {6.87, 101.25}, 95: {6.54, 101.28},
	96: {6.43, 101.82},
}

// centroid returns where a village's households are placed: the centre of
// its tambon's boundary box when there is a boundary (spread reports how far
// around it, in degrees), else the rough centre of its province.
func centroid(village string) (lat, lon, spread float64, ok bool) {
	if lat, lon, ok := geo.Centre(village[:6]); ok {
		return lat, lon, 0.03, true
	}
	p := int(village[0]-'0')*10 + int(village[1]-'0')
	c := centroids[p]
	return c[0], c[1], 0.5, c[0] != 0
}

// appendDigits appends n as exactly width decimal digits (n must fit).
func appendDigits(b []byte, n, width int) []byte {
	for i := width - 1; i >= 0; i-- {
		b = append(b, 0)
	}
	for i := len(b) - 1; i >= len(b)-width; i-- {
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return b
}
