package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"tambon/internal/apperr"
	"tambon/internal/partner"
	"tambon/internal/store"
	"tambon/internal/store/storetest"
)

func mustPartner(t *testing.T, s *store.Store, p partner.Partner) partner.Partner {
	t.Helper()
	got, err := s.CreatePartner(context.Background(), p, "tester")
	if err != nil {
		t.Fatalf("create partner %s: %v", p.NameTH, err)
	}
	return got
}

func names(ps []partner.Partner) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.NameTH)
	}
	return out
}

func TestPartnersAreStoredAndFoundByArea(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		prov := mustPartner(t, s, partner.Partner{Kind: partner.ProvinceCDD, NameTH: "สำนักงานพัฒนาชุมชนจังหวัดราชบุรี",
			NameEN: "Ratchaburi Provincial Community Development Office", AreaCode: "70", Phone: "032 337 070"})
		sao := mustPartner(t, s, partner.Partner{Kind: partner.LocalGov, NameTH: "องค์การบริหารส่วนตำบลเขาขลุง",
			AreaCode: "700513", Email: "saraban@khaokhlung.example.org"})
		chief := mustPartner(t, s, partner.Partner{Kind: partner.Person, NameTH: "นายประเสริฐ ทองดี",
			PositionTH: "นายกองค์การบริหารส่วนตำบลเขาขลุง", OrgID: sao.ID, AreaCode: "700513"})
		head := mustPartner(t, s, partner.Partner{Kind: partner.VillageHead, NameTH: "นายบุญมา ศรีสุข",
			AreaCode: "70051304", Serves: []string{"70051304"}})
		other := mustPartner(t, s, partner.Partner{Kind: partner.LocalGov, NameTH: "องค์การบริหารส่วนตำบลอื่น", AreaCode: "700101"})

		if !slices.Equal(prov.Serves, []string{"70"}) || prov.CreatedBy != "tester" || prov.CreatedAt.IsZero() {
			t.Errorf("stored provincial office = %+v; want it to serve 70, made by tester", prov)
		}
		if chief.OrgID != sao.ID || chief.PositionTH == "" {
			t.Errorf("chief = %+v; want a position and the อบต. as organisation", chief)
		}

		tests := []struct {
			name string
			f    partner.Filter
			want []string
		}{
			{"all", partner.Filter{}, []string{prov.NameTH, other.NameTH, sao.NameTH, chief.NameTH, head.NameTH}},
			{"within the tambon", partner.Filter{Within: "700513"}, []string{sao.NameTH, chief.NameTH, head.NameTH}},
			{"serving village 4 includes the province's office", partner.Filter{Serves: "70051304"}, []string{prov.NameTH, sao.NameTH, chief.NameTH, head.NameTH}},
			{"by kind", partner.Filter{Kind: partner.VillageHead}, []string{head.NameTH}},
			{"by a part of a position", partner.Filter{Search: "นายก"}, []string{chief.NameTH}},
			{"by a part of the English name", partner.Filter{Search: "provincial"}, []string{prov.NameTH}},
			{"a percent sign is text, not a wildcard", partner.Filter{Search: "%"}, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := s.Partners(ctx, tt.f)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(names(got), tt.want) {
					t.Errorf("Partners(%+v) = %v, want %v", tt.f, names(got), tt.want)
				}
			})
		}

		// Update replaces fields and served areas, keeps who created it.
		sao.Phone = "032 000 000"
		sao.Serves = []string{"700513", "700514"}
		upd, err := s.UpdatePartner(ctx, sao)
		if err != nil {
			t.Fatal(err)
		}
		if upd.Phone != "032 000 000" || !slices.Equal(upd.Serves, []string{"700513", "700514"}) || upd.CreatedBy != "tester" {
			t.Errorf("updated = %+v", upd)
		}
		byName, err := s.PartnerByName(ctx, "700513", "องค์การบริหารส่วนตำบลเขาขลุง")
		if err != nil || byName.ID != sao.ID {
			t.Errorf("PartnerByName = %+v, %v", byName, err)
		}
	})
}

func TestBadPartnersAreRefusedPrecisely(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		sao := mustPartner(t, s, partner.Partner{Kind: partner.LocalGov, NameTH: "องค์การบริหารส่วนตำบลเขาขลุง", AreaCode: "700513"})
		person := mustPartner(t, s, partner.Partner{Kind: partner.Kamnan, NameTH: "นายสมหมาย ใจงาม", AreaCode: "700513"})
		tests := []struct {
			name  string
			p     partner.Partner
			code  apperr.Code
			field string
		}{
			{"no Thai name", partner.Partner{Kind: partner.Company, AreaCode: "700513"}, apperr.Invalid, "name_th"},
			{"unknown kind", partner.Partner{Kind: "club", NameTH: "ชมรม", AreaCode: "700513"}, apperr.Invalid, "kind"},
			{"no such area", partner.Partner{Kind: partner.Company, NameTH: "บริษัท", AreaCode: "709999"}, apperr.Invalid, "area_code"},
			{"served area not digits", partner.Partner{Kind: partner.Company, NameTH: "บริษัท", AreaCode: "700513", Serves: []string{"70x"}}, apperr.Invalid, "serves"},
			{"bad e-mail", partner.Partner{Kind: partner.Company, NameTH: "บริษัท", AreaCode: "700513", Email: "no at sign"}, apperr.Invalid, "email"},
			{"organisation that is a person", partner.Partner{Kind: partner.Person, NameTH: "นางสาวมะลิ", AreaCode: "700513", OrgID: person.ID}, apperr.Invalid, "org_id"},
			{"organisation that does not exist", partner.Partner{Kind: partner.Person, NameTH: "นางสาวมะลิ", AreaCode: "700513", OrgID: 9999}, apperr.Invalid, "org_id"},
			{"same name in the same area", partner.Partner{Kind: partner.LocalGov, NameTH: sao.NameTH, AreaCode: "700513"}, apperr.Conflict, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := s.CreatePartner(ctx, tt.p, "tester")
				if apperr.CodeOf(err) != tt.code {
					t.Fatalf("err = %v, want code %s", err, tt.code)
				}
				msg := apperr.MessageOf(err)
				var ps apperr.Problems
				if errors.As(err, &ps) {
					msg = ps[0].Reason
					if ps[0].Field != tt.field {
						t.Errorf("problem field = %q, want %q (%v)", ps[0].Field, tt.field, ps)
					}
				} else if tt.field != "" {
					t.Errorf("err = %v, want a problem on %s", err, tt.field)
				}
				if msg.TH == "" || msg.EN == "" || msg.TH == msg.EN {
					t.Errorf("message %+v must be in Thai and English", msg)
				}
			})
		}
		all, _ := s.Partners(ctx, partner.Filter{})
		if len(all) != 2 {
			t.Errorf("%d partners stored after refused writes, want 2", len(all))
		}
		if _, err := s.Partner(ctx, 9999); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("Partner(9999) = %v, want not found", err)
		}
		if _, err := s.UpdatePartner(ctx, partner.Partner{ID: 9999, Kind: partner.Company, NameTH: "x", AreaCode: "70"}); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("UpdatePartner(9999) = %v, want not found", err)
		}
	})
}
