package indicator

import "fmt"

// fileError is what is wrong with a set file: where (a line and column, or
// a path such as indicators[5] (6).pass.all[1]) and why, in Thai and in
// English. Load turns it into an apperr Invalid in both languages.
type fileError struct{ th, en string }

func (e *fileError) Error() string { return e.en }

// bi makes a fileError from a Thai and an English format with the same
// arguments in the same order.
func bi(th, en string, args ...any) error {
	return &fileError{th: fmt.Sprintf(th, args...), en: fmt.Sprintf(en, args...)}
}
