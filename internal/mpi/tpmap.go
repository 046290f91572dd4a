package mpi

import (
	"fmt"

	"tambon/internal/apperr"
)

// TPMAP returns the preset for TPMAP's five dimensions over the 2560-2564
// จปฐ. indicators: health, living conditions, education, income and access
// to public services, each weighing 1/5, split equally among its indicators
// (health, living and education 1/20 each; income 1/15; access 1/10), so the
// common denominator is 60.
//
// Provenance [R]: the five dimensions are published (tpmap.in.th, NESDC), but
// the indicator-to-dimension mapping is a recollection that no public page
// confirmed (reference/thai-cdd-domain.md §7), and TPMAP publishes no
// weights. Treat the preset as a hypothesis and store corrections as a
// custom Spec.
//
// K defaults to 1/5: a whole dimension's worth of weighted deprivation. It
// is configurable (set Spec.K, or pass any k to Stats.Result). Note that
// TPMAP's own "poor by the survey" — deprived in at least one dimension,
// where a dimension is deprived when any of its indicators is failed — is
// the union cut-off: any deprivation at all, which with these weights is
// k = 1/20 (the smallest weight), not 1/5.
//
// With K = 1/5 the default vulnerability band (1/5 ≤ c < K) is empty;
// lower Vulnerable (for example to 1/10) to report people near poverty.
func TPMAP() Spec {
	d := func(id, th, en string) Dimension { return Dimension{ID: id, Name: apperr.T(th, en)} }
	type row struct {
		n      int
		id     string
		th, en string
	}
	groups := []struct {
		dim  string
		w    Frac
		rows []row
	}{
		{"health", F(1, 20), []row{
			{1, "birth_weight", "เด็กแรกเกิดมีน้ำหนัก 2,500 กรัมขึ้นไป", "Newborn weighs at least 2,500 g"},
			{4, "food", "ครัวเรือนกินอาหารถูกสุขลักษณะ ปลอดภัย และได้มาตรฐาน", "Household eats hygienic, safe, standard food"},
			{5, "medicine", "ครัวเรือนมีการใช้ยาเพื่อบำบัด บรรเทาอาการเจ็บป่วยเบื้องต้นอย่างเหมาะสม", "Household uses medicine for minor illness appropriately"},
			{7, "exercise", "คนอายุ 6 ปีขึ้นไป ออกกำลังกายอย่างน้อยสัปดาห์ละ 3 วัน ๆ ละ 30 นาที", "People aged 6+ exercise at least 3 days a week, 30 minutes a day"},
		}},
		{"living", F(1, 20), []row{
			{8, "housing", "ครัวเรือนมีความมั่นคงในที่อยู่อาศัย และบ้านมีสภาพคงทนถาวร", "Household has secure tenure and a durable house"},
			{9, "drinking_water", "ครัวเรือนมีน้ำสะอาดสำหรับดื่มและบริโภคเพียงพอตลอดปี อย่างน้อยคนละ 5 ลิตรต่อวัน", "Clean drinking water, at least 5 litres a person a day, all year"},
			{10, "water_use", "ครัวเรือนมีน้ำใช้เพียงพอตลอดปี อย่างน้อยคนละ 45 ลิตรต่อวัน", "Water for use, at least 45 litres a person a day, all year"},
			{11, "tidy_home", "ครัวเรือนมีการจัดการบ้านเรือนเป็นระเบียบเรียบร้อย สะอาด และถูกสุขลักษณะ", "Home is tidy, clean and hygienic"},
		}},
		{"education", F(1, 20), []row{
			{15, "preschool", "เด็กอายุ 3-5 ปี ได้รับบริการเลี้ยงดูเตรียมความพร้อมก่อนวัยเรียน", "Children aged 3-5 receive pre-school care"},
			{16, "compulsory_education", "เด็กอายุ 6-14 ปี ได้รับการศึกษาภาคบังคับ 9 ปี", "Children aged 6-14 receive 9 years of compulsory education"},
			{17, "upper_secondary", "เด็กจบชั้น ม.3 ได้เรียนต่อชั้น ม.4 หรือเทียบเท่า", "Children who finished M.3 continue to M.4 or equivalent"},
			{19, "literacy", "คนอายุ 15-59 ปี อ่าน เขียนภาษาไทย และคิดเลขอย่างง่ายได้", "People aged 15-59 read and write Thai and do simple arithmetic"},
		}},
		{"income", F(1, 15), []row{
			{20, "work_15_59", "คนอายุ 15-59 ปี มีอาชีพและมีรายได้", "People aged 15-59 have an occupation and income"},
			{21, "work_60_plus", "คนอายุ 60 ปีขึ้นไป มีอาชีพและมีรายได้", "People aged 60+ have an occupation and income"},
			{22, "income", "รายได้เฉลี่ยของคนในครัวเรือนต่อปี ไม่น้อยกว่า 38,000 บาทต่อคนต่อปี", "Average household income at least 38,000 baht a person a year"},
		}},
		{"access", F(1, 10), []row{
			{27, "elderly_care", "ผู้สูงอายุ ได้รับการดูแลจากคนในครัวเรือน ชุมชน ภาครัฐ หรือภาคเอกชน", "The elderly are cared for by family, community, state or private sector"},
			{28, "disabled_care", "ผู้พิการ ได้รับการดูแลจากคนในครัวเรือน ชุมชน ภาครัฐ หรือภาคเอกชน", "People with disabilities are cared for by family, community, state or private sector"},
		}},
	}
	s := Spec{
		ID:   "tpmap-bmn-2560-2564",
		Name: apperr.T("ดัชนีความยากจนหลายมิติ แบบ TPMAP (จปฐ. 2560-2564)", "TPMAP-style multidimensional poverty index (BMN 2560-2564)"),
		Provenance: "[R] Five dimensions published by TPMAP (tpmap.in.th; NESDC/NECTEC); indicator mapping " +
			"recalled, not confirmed (reference/thai-cdd-domain.md §7); equal weights and k = 1/5 chosen by tambon, configurable.",
		Dimensions: []Dimension{
			d("health", "สุขภาพ", "Health"),
			d("living", "ความเป็นอยู่", "Living conditions"),
			d("education", "การศึกษา", "Education"),
			d("income", "รายได้", "Income"),
			d("access", "การเข้าถึงบริการรัฐ", "Access to public services"),
		},
		K:          F(1, 5),
		Vulnerable: DefaultVulnerable,
		Severe:     DefaultSevere,
	}
	for _, g := range groups {
		for _, r := range g.rows {
			s.Indicators = append(s.Indicators, Indicator{
				ID: r.id, Name: apperr.T(r.th, r.en), Dimension: g.dim, Weight: g.w,
				Maps: fmt.Sprintf("bmn-2560-2564:%d", r.n),
			})
		}
	}
	return s
}
