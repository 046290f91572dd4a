package web

import (
	"context"
	"net/http"
	"strconv"

	"tambon/internal/apperr"
	"tambon/internal/partner"
	"tambon/internal/user"
)

// partnerOptions lists the partners an item may name as responsible: those
// who work in the plan's area (and so in the account's, partner.WorksIn).
func (s *Server) partnerOptions(r *http.Request, areaCode string) ([]partnerOption, error) {
	ps, err := s.pstore()
	if err != nil {
		return nil, err
	}
	list, err := ps.Partners(r.Context(), partner.Filter{Serves: areaCode})
	if err != nil {
		return nil, err
	}
	lang := langFrom(r.Context())
	u := userFrom(r.Context())
	out := make([]partnerOption, 0, len(list))
	for _, p := range list {
		if u != nil && p.WorksIn(u.AreaCode) {
			out = append(out, partnerOption{ID: p.ID, Name: p.Name(lang)})
		}
	}
	return out, nil
}

// partnerLookup is the one read the reference check needs.
type partnerLookup interface {
	Partner(ctx context.Context, id int64) (partner.Partner, error)
}

// foreignPartners checks the partner numbers a form carries against the
// rule of partner.WorksIn: each must be a partner that works in the
// account's area. It returns a problem under field for each that is not —
// the same words whether the number is another area's partner or no
// partner at all, so the answer tells nothing of other areas — and nil
// when all may be named. 0 (no partner) is always allowed.
func (s *Server) foreignPartners(ctx context.Context, u *user.User, field string, ids ...int64) (apperr.Problems, error) {
	st, ok := s.store.(partnerLookup)
	if !ok {
		return nil, apperr.New(apperr.Unavailable, apperr.T("ระบบจัดเก็บนี้ไม่รองรับภาคี", "this store does not hold partners"))
	}
	var ps apperr.Problems
	seen := map[int64]bool{}
	for _, id := range ids {
		if id == 0 || seen[id] {
			continue
		}
		seen[id] = true
		p, err := st.Partner(ctx, id)
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return nil, err
		}
		if err != nil || u == nil || !p.WorksIn(u.AreaCode) {
			ps = append(ps, apperr.Problem{Field: field, Value: strconv.FormatInt(id, 10), Reason: refusedPartner(id)})
		}
	}
	return ps, nil
}

// refusedPartner is the refusal of a partner number a form may not name.
func refusedPartner(id int64) apperr.Text {
	return apperr.Tf("ไม่มีภาคีหมายเลข %d ในพื้นที่ที่บัญชีของท่านดูแล: เลือกภาคีจากรายการในแบบฟอร์ม",
		"there is no partner number %d among the partners of your account's area: choose one from the form's list", id)
}

// itemPartnerRefused is foreignPartners for a plan item's responsible
// partner, as one Invalid error that the item forms show as they show a
// partner number that does not exist; kept is the partner the item names
// already, which may stay.
func (s *Server) itemPartnerRefused(ctx context.Context, u *user.User, id, kept int64) error {
	if id == kept {
		return nil
	}
	ps, err := s.foreignPartners(ctx, u, "partner", id)
	if err != nil {
		return err
	}
	if len(ps) > 0 {
		return apperr.New(apperr.Invalid, ps[0].Reason)
	}
	return nil
}
