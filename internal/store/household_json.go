package store

import (
	"math"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"tambon/internal/survey"
)

// appendHouseholdJSON appends h as encoding/json marshals it, byte for byte:
// the same fields in the same order, the same omissions, escapes, number and
// time forms. It is PostgreSQL's stored form of a household (SQLite's is
// household_codec.go's binary form), so an unchanged household is
// recognised by comparing bytes with what an earlier version stored; it
// writes without reflection, several times faster than json.Marshal, which
// was the largest cost of a bulk import after SQLite itself.
// TestHouseholdJSONMatchesEncodingJSON holds it to that.
func appendHouseholdJSON(b []byte, h *survey.Household) []byte {
	b = append(b, `{"round_id":`...)
	b = appendJSONString(b, h.RoundID)
	b = append(b, `,"village_code":`...)
	b = appendJSONString(b, h.VillageCode)
	if h.HouseCode != "" {
		b = append(b, `,"house_code":`...)
		b = appendJSONString(b, h.HouseCode)
	}
	b = append(b, `,"house_no":`...)
	b = appendJSONString(b, h.HouseNo)
	if h.Lat != nil {
		b = append(b, `,"lat":`...)
		b = appendJSONFloat(b, *h.Lat)
	}
	if h.Lon != nil {
		b = append(b, `,"lon":`...)
		b = appendJSONFloat(b, *h.Lon)
	}
	if h.Respondent != "" {
		b = append(b, `,"respondent":`...)
		b = appendJSONString(b, h.Respondent)
	}
	if h.Collector != "" {
		b = append(b, `,"collector":`...)
		b = appendJSONString(b, h.Collector)
	}
	if h.Phone != "" {
		b = append(b, `,"phone":`...)
		b = appendJSONString(b, h.Phone)
	}
	b = append(b, `,"survey_date":`...)
	b = appendJSONTime(b, h.SurveyDate)
	b = append(b, `,"members":`...)
	if h.Members == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range h.Members {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendMemberJSON(b, &h.Members[i])
		}
		b = append(b, ']')
	}
	b = append(b, `,"income":{"main_occupation":`...)
	b = strconv.AppendInt(b, h.Income.MainOccupation, 10)
	b = append(b, `,"secondary_occupation":`...)
	b = strconv.AppendInt(b, h.Income.SecondaryOccupation, 10)
	b = append(b, `,"other":`...)
	b = strconv.AppendInt(b, h.Income.Other, 10)
	b = append(b, `,"own_produce":`...)
	b = strconv.AppendInt(b, h.Income.OwnProduce, 10)
	b = append(b, `,"occupation_costs":`...)
	b = strconv.AppendInt(b, h.Income.OccupationCosts, 10)
	b = append(b, `},"savings":`...)
	b = strconv.AppendInt(b, h.Savings, 10)
	b = append(b, `,"debt":{"in_system":`...)
	b = strconv.AppendInt(b, h.Debt.InSystem, 10)
	b = append(b, `,"out_of_system":`...)
	b = strconv.AppendInt(b, h.Debt.OutOfSystem, 10)
	b = append(b, '}')
	if len(h.Answers) > 0 {
		b = append(b, `,"answers":`...)
		b = appendAnswersJSON(b, h.Answers)
	}
	b = append(b, `,"status":`...)
	b = appendJSONString(b, string(h.Status))
	return append(b, '}')
}

func appendMemberJSON(b []byte, m *survey.Member) []byte {
	b = append(b, `{"no":`...)
	b = strconv.AppendInt(b, int64(m.No), 10)
	if m.Title != "" {
		b = append(b, `,"title":`...)
		b = appendJSONString(b, m.Title)
	}
	b = append(b, `,"first_name":`...)
	b = appendJSONString(b, m.FirstName)
	b = append(b, `,"last_name":`...)
	b = appendJSONString(b, m.LastName)
	b = append(b, `,"citizen_id":`...)
	b = appendJSONString(b, m.CitizenID)
	b = append(b, `,"sex":`...)
	b = appendJSONString(b, string(m.Sex))
	b = append(b, `,"birth_date":`...)
	b = appendJSONTime(b, m.BirthDate)
	b = append(b, `,"relation":`...)
	b = appendJSONString(b, string(m.Relation))
	if m.Education != "" {
		b = append(b, `,"education":`...)
		b = appendJSONString(b, m.Education)
	}
	if m.Occupation != "" {
		b = append(b, `,"occupation":`...)
		b = appendJSONString(b, m.Occupation)
	}
	b = append(b, `,"resident":`...)
	b = strconv.AppendBool(b, m.Resident)
	for _, f := range [...]struct {
		name string
		on   bool
	}{{`,"disabled":true`, m.Disabled}, {`,"chronic_ill":true`, m.ChronicIll}, {`,"bedridden":true`, m.Bedridden},
		{`,"dependent":true`, m.Dependent}, {`,"welfare_card":true`, m.WelfareCard}} {
		if f.on {
			b = append(b, f.name...)
		}
	}
	if len(m.Answers) > 0 {
		b = append(b, `,"answers":`...)
		b = appendAnswersJSON(b, m.Answers)
	}
	return append(b, '}')
}

// appendAnswersJSON writes the answers with their codes sorted, as
// encoding/json writes a map.
func appendAnswersJSON(b []byte, a survey.Answers) []byte {
	var buf [64]string
	keys := buf[:0]
	for k := range a {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, k)
		b = append(b, ':')
		v := a[k]
		switch v.Kind() {
		case survey.ValueBool:
			t, _ := v.Bool()
			b = strconv.AppendBool(b, t)
		case survey.ValueNumber:
			// Value.MarshalJSON's form, which encoding/json copies
			// (compacted, which changes nothing here).
			n, _ := v.Number()
			b = strconv.AppendFloat(b, n, 'f', -1, 64)
		case survey.ValueText:
			t, _ := v.Text()
			b = appendJSONString(b, t)
		default:
			b = append(b, "null"...)
		}
	}
	return append(b, '}')
}

// appendJSONTime writes t as time.Time.MarshalJSON does.
func appendJSONTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = t.AppendFormat(b, time.RFC3339Nano)
	return append(b, '"')
}

// appendJSONFloat writes f as encoding/json writes a float64.
func appendJSONFloat(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

const hexDigits = "0123456789abcdef"

// appendJSONString writes s quoted as encoding/json does, HTML-safe: <, >
// and & escaped, invalid UTF-8 replaced by U+FFFD, U+2028 and U+2029
// escaped.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
