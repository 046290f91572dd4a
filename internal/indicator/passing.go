package indicator

// PassingAnswer tells which answer to question q (its index in Questions)
// the set's pass rules ask for: the first comparison of q with a constant
// found in the indicators' pass rules and items, in order, turned round
// when it sits under a "not". op is "eq", "ne", "gte", "gt", "lte" or "lt"
// and x the constant in slot form (ToSlot: yes/no as 1/0, a choice as its
// index); an answer for which op holds passes that rule. ok is false when no
// pass rule compares q with a constant (a question that only decides who is
// asked or eligible, or one compared with a threshold). A generator uses it
// to answer a set it was not written for.
func (s *Set) PassingAnswer(q int) (op string, x float64, ok bool) {
	s.passingOnce.Do(s.findPassing)
	p, ok := s.passing[q]
	return p.op, p.x, ok
}

type passingAnswer struct {
	op string
	x  float64
}

var negated = map[string]string{"eq": "ne", "ne": "eq", "gte": "lt", "gt": "lte", "lte": "gt", "lt": "gte"}

func (s *Set) findPassing() {
	s.passing = map[int]passingAnswer{}
	var walk func(n *node, not bool)
	walk = func(n *node, not bool) {
		if n == nil {
			return
		}
		if n.cmpOp != "" {
			if _, seen := s.passing[n.cmpQ]; !seen {
				op := n.cmpOp
				if not {
					op = negated[op]
				}
				s.passing[n.cmpQ] = passingAnswer{op, n.cmpX}
			}
			return
		}
		for _, k := range n.kids {
			walk(k, not != (n.op == "not"))
		}
	}
	for i := range s.Indicators {
		ind := &s.Indicators[i]
		walk(ind.pass, false)
		for j := range ind.Items {
			walk(ind.Items[j].pass, false)
		}
	}
}
