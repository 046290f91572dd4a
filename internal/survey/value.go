package survey

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
)

// ValueKind says which of a Value's forms is set.
type ValueKind uint8

// The kinds of answer. A zero Value is ValueNone: not answered.
const (
	ValueNone ValueKind = iota
	ValueBool
	ValueNumber
	ValueText // also the code of a choice
)

// Value is one answer: a yes/no, a number, or a text (a choice's code). Its
// JSON is plain (true, 2500, "exercise"), so that records exchanged through
// the API, exports and PostgreSQL stay readable and any tool can write them
// (SQLite keeps households in a compact binary form that reads back the same;
// see store/household_codec.go); the indicator engine copies answers into
// numbered slots once per household and never reads this form in its loops.
type Value struct {
	kind ValueKind
	num  float64 // the number, or 1/0 for a yes/no
	text string
}

// Bool returns a yes/no answer.
func Bool(b bool) Value {
	if b {
		return Value{kind: ValueBool, num: 1}
	}
	return Value{kind: ValueBool}
}

// Number returns a numeric answer. NaN and infinities are not answers; they
// become ValueNone.
func Number(f float64) Value {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return Value{}
	}
	return Value{kind: ValueNumber, num: f}
}

// Text returns a text answer, or a choice's code.
func Text(s string) Value { return Value{kind: ValueText, text: s} }

// Kind returns the kind of answer held.
func (v Value) Kind() ValueKind { return v.kind }

// Bool returns the yes/no answer and whether v is one.
func (v Value) Bool() (bool, bool) { return v.num == 1, v.kind == ValueBool }

// Number returns the numeric answer and whether v is one.
func (v Value) Number() (float64, bool) { return v.num, v.kind == ValueNumber }

// Text returns the text answer and whether v is one.
func (v Value) Text() (string, bool) { return v.text, v.kind == ValueText }

// String shows the answer as JSON would.
func (v Value) String() string {
	b, _ := v.MarshalJSON()
	return string(b)
}

// MarshalJSON writes true/false, a number, a string, or null.
func (v Value) MarshalJSON() ([]byte, error) {
	switch v.kind {
	case ValueBool:
		return strconv.AppendBool(nil, v.num == 1), nil
	case ValueNumber:
		return strconv.AppendFloat(nil, v.num, 'f', -1, 64), nil
	case ValueText:
		return json.Marshal(v.text)
	}
	return []byte("null"), nil
}

// UnmarshalJSON reads true/false, a number, a string, or null.
func (v *Value) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*v = Value{}
	case bytes.Equal(b, []byte("true")):
		*v = Bool(true)
	case bytes.Equal(b, []byte("false")):
		*v = Bool(false)
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*v = Text(s)
	default:
		f, err := strconv.ParseFloat(string(b), 64)
		if err != nil {
			return fmt.Errorf("answer %s is not a yes/no, a number or a text", b)
		}
		*v = Number(f)
	}
	return nil
}

// Answers maps a question code of the household's indicator set (e.g. "q6",
// "q1_weight_g") to its answer. Unanswered questions are simply absent.
type Answers map[string]Value
