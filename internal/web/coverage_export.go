package web

import (
	"tambon/internal/tabular"
	"tambon/internal/thai"
)

// coverageSheet ends a workbook of an area's figures with what they stand
// on: the round, villages with data out of the register's, and whether the
// province has certified them, so a table copied out of the workbook can
// be traced back to how complete and how final it was.
func (s *Server) coverageSheet(x *tabular.XLSXWriter, lang string, p *profile) {
	t := func(k string, args ...any) string { return s.msgs.text(lang, k, args...) }
	c := p.Cover
	x.NewSheet(sheetName(t("cover.sheet")), []string{t("col.measure"), t("col.value")})
	x.Write(t("profile.round"), s.roundName(lang, p.Round))
	if !c.Known {
		return
	}
	x.Write(t("cover.sheet.villages"), t("cover.villages", "n", thai.FormatInt(int64(c.VillagesWithData)), "of", thai.FormatInt(int64(c.Villages))))
	if c.Partial() {
		x.Write(t("cover.sheet.note"), t("cover.partial"))
	}
	if !c.HouseholdsWithheld {
		x.Write(t("profile.households"), c.Households)
	}
	if c.HouseholdsExpected > 0 {
		x.Write(t("cover.sheet.expected"), c.HouseholdsExpected)
	}
	switch {
	case c.Aggregate:
		x.Write(t("cover.sheet.status"), t("cover.published"))
	case c.Provisional():
		x.Write(t("cover.sheet.status"), t("cover.provisional")+": "+t("cover.certified.n", "n", thai.FormatInt(int64(c.Certified)), "of", thai.FormatInt(int64(c.Tambons))))
	default:
		x.Write(t("cover.sheet.status"), t("cover.certified")+": "+t("cover.certified.all", "n", thai.FormatInt(int64(c.Tambons))))
	}
	if c.Hidden > 0 {
		x.Write(t("cover.sheet.hidden"), t("cover.hidden", "n", thai.FormatInt(int64(c.Hidden)), "villages", thai.FormatInt(int64(c.HiddenVillages))))
	}
}
