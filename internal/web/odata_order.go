package web

import (
	"encoding/base64"
	"encoding/json"
	"reflect"
	"slices"
	"strings"

	"tambon/internal/apperr"
)

// The OData feed's $orderby: a list of properties, each ascending or
// descending, and the paging of an ordered read.
//
// An ordered read sorts every row the filter keeps, by the asked
// properties and then by the set's key, so the order is total: two rows
// never tie, and a page's last row says exactly where the next page
// starts. The next link carries that row's sort values (a keyset cursor),
// not a row number, so a row written between two pages neither shifts a
// row onto two pages nor off both.
//
// A row holds only what the set publishes: a withheld figure is null in
// the row before it is sorted, so ordering by it puts it with the other
// nulls (first ascending, last descending, as OData orders nulls) and
// ranks withheld rows among themselves by the key alone. The order can
// never tell a hidden count from another.

// odataOrder is one $orderby item.
type odataOrder struct {
	prop string
	desc bool
}

// parseOrderBy reads $orderby: "Prop", "Prop asc", "Prop desc", comma
// separated.
func parseOrderBy(src string, types map[string]string) ([]odataOrder, error) {
	var out []odataOrder
	seen := map[string]bool{}
	for _, item := range strings.Split(src, ",") {
		f := strings.Fields(item)
		if len(f) == 0 {
			return nil, apperr.New(apperr.Invalid, apperr.T("$orderby: มีรายการว่าง (เช่น ,, หรือ , ท้ายสุด)", "$orderby: an item is empty (such as ,, or a trailing ,)"))
		}
		if strings.ContainsAny(f[0], "()/") {
			return nil, notImplemented("$orderby " + f[0])
		}
		if _, ok := types[f[0]]; !ok {
			return nil, apperr.New(apperr.Invalid, apperr.Tf("$orderby: ไม่มีคุณสมบัติ %q", "$orderby: there is no property %q", f[0]))
		}
		if seen[f[0]] {
			return nil, apperr.New(apperr.Invalid, apperr.Tf("$orderby: %s ซ้ำ", "$orderby: %s is named twice", f[0]))
		}
		seen[f[0]] = true
		o := odataOrder{prop: f[0]}
		switch {
		case len(f) == 1:
		case len(f) == 2 && f[1] == "asc":
		case len(f) == 2 && f[1] == "desc":
			o.desc = true
		default:
			return nil, apperr.New(apperr.Invalid, apperr.Tf("$orderby: หลัง %s ต้องเป็น asc หรือ desc เท่านั้น", "$orderby: %s may be followed by asc or desc only", f[0]))
		}
		out = append(out, o)
	}
	return out, nil
}

// sortKeys are the properties an ordered read sorts by: the asked ones,
// then the set's key ascending (a total order).
func (q *odataQuery) sortKeys() []odataOrder {
	keys := slices.Clone(q.orderby)
	for _, k := range q.set.Keys {
		if !slices.ContainsFunc(keys, func(o odataOrder) bool { return o.prop == k }) {
			keys = append(keys, odataOrder{prop: k})
		}
	}
	return keys
}

// compareRows orders two rows by keys.
func compareRows(a, b map[string]any, keys []odataOrder) int {
	for _, k := range keys {
		c := orderValues(a[k.prop], b[k.prop])
		if k.desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

// orderValues orders two values of one property: null first, then false
// before true, numbers by value, strings by their characters' code points.
func orderValues(a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	if x, ok := a.(string); ok {
		y, _ := b.(string)
		return strings.Compare(x, y)
	}
	if x, ok := a.(bool); ok {
		y, _ := b.(bool)
		switch {
		case x == y:
			return 0
		case y:
			return -1
		}
		return 1
	}
	xi, xInt, xf := number(a)
	yi, yInt, yf := number(b)
	if xInt && yInt {
		switch {
		case xi < yi:
			return -1
		case xi > yi:
			return 1
		}
		return 0
	}
	switch {
	case xf < yf:
		return -1
	case xf > yf:
		return 1
	}
	return 0
}

// number reads a row's or a cursor's number: as an integer when it is
// one, and as a float.
func number(v any) (int64, bool, float64) {
	switch n := v.(type) {
	case json.Number:
		if i, err := n.Int64(); err == nil {
			return i, true, float64(i)
		}
		f, _ := n.Float64()
		return 0, false, f
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int(), true, float64(rv.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return int64(rv.Uint()), true, float64(rv.Uint())
	case reflect.Float32, reflect.Float64:
		return 0, false, rv.Float()
	}
	return 0, false, 0
}

// cursorToken is the $skiptoken of an ordered read's next page: the rows
// still to give and the sort values of the last row given.
func cursorToken(row map[string]any, keys []odataOrder, toGive int) (string, error) {
	vals := make([]any, len(keys))
	for i, k := range keys {
		vals[i] = row[k.prop]
	}
	b, err := json.Marshal(struct {
		Give int   `json:"g"`
		Last []any `json:"l"`
	}{toGive, vals})
	if err != nil {
		return "", err
	}
	return "o" + base64.RawURLEncoding.EncodeToString(b), nil
}

// readCursor reads an ordered read's $skiptoken back: the last row given
// (its sort values only) and the rows still to give.
func readCursor(tok string, keys []odataOrder) (map[string]any, int, error) {
	bad := apperr.New(apperr.Invalid, apperr.T("$skiptoken ไม่ถูกต้อง: ใช้ลิงก์ @odata.nextLink ตามที่ได้รับ", "$skiptoken is not valid: follow @odata.nextLink as given"))
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(tok, "o"))
	if err != nil {
		return nil, 0, bad
	}
	var c struct {
		Give int   `json:"g"`
		Last []any `json:"l"`
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if dec.Decode(&c) != nil || len(c.Last) != len(keys) || c.Give < -1 {
		return nil, 0, bad
	}
	last := make(map[string]any, len(keys))
	for i, k := range keys {
		last[k.prop] = c.Last[i]
	}
	return last, c.Give, nil
}
