package photo

// Test hooks: the fuzz and metadata tests look inside the structures the
// stripper writes.
var (
	JPEGParts       = jpegParts
	ExifTags        = exifTags
	OrientationExif = orientationExif
	WebPChunks      = webpChunks
)

// Part is a JPEG marker segment, for tests.
type Part = jpart

// Marker, Body and Standalone expose a part's fields to tests.
func (p jpart) Marker() byte       { return p.marker }
func (p jpart) Body() []byte       { return p.body }
func (p jpart) Standalone() bool   { return p.standalone }
func (c webpChunk) FourCC() string { return c.fourcc }
func (c webpChunk) Data() []byte   { return c.body }
