package programme

import "tambon/internal/apperr"

// The built-in types. Domain reference: thai-cdd-domain.md §3-6; where the
// department's forms were not found, the fields are the plausible ones the
// reference lists, and every rubric is configurable per programme.
var builtin = []Type{
	{
		Key: "model_info_tambon", Participant: Area,
		Name:  apperr.T("ตำบลสารสนเทศต้นแบบเพื่อพัฒนาคุณภาพชีวิต", "Model information tambon"),
		About: apperr.T("คัดเลือกตำบลต้นแบบการใช้ข้อมูล จปฐ. และ กชช. 2ค พัฒนาคุณภาพชีวิต ตั้งแต่ระดับอำเภอ จังหวัด ถึงเขตตรวจราชการ", "Tambons selected, from district to inspection region, as models of using จปฐ. and กชช. 2ค data to improve quality of life"),
		Steps: []Step{
			{"understand", apperr.T("สร้างความเข้าใจร่วมกัน", "Build shared understanding")},
			{"needs", apperr.T("กำหนดความต้องการร่วมกัน", "Agree the needs")},
			{"collect", apperr.T("ร่วมกันจัดเก็บข้อมูล", "Collect the data together")},
			{"analyse", apperr.T("วิเคราะห์ข้อมูล", "Analyse")},
			{"present", apperr.T("นำเสนอ: ศูนย์ข้อมูล บอร์ด แผนที่", "Present: data centre, boards, maps")},
			{"use", apperr.T("ใช้ข้อมูลในแผน", "Use the data in plans")},
			{"follow", apperr.T("ติดตามผล", "Follow up")},
		},
		Criteria: []Criterion{
			{"process", apperr.T("กระบวนการและการมีส่วนร่วม", "Process and participation"), 20},
			{"data", apperr.T("ความครบถ้วนและเป็นปัจจุบันของข้อมูล", "Complete, current data"), 20},
			{"presentation", apperr.T("การนำเสนอ (ศูนย์ข้อมูล บอร์ด แผนที่ ดิจิทัล)", "Presentation (centre, boards, maps, digital)"), 20},
			{"use", apperr.T("การใช้ข้อมูลในแผนและผลการแก้ปัญหา", "Use in plans and problems solved"), 25},
			{"sustain", apperr.T("ความยั่งยืนและเครือข่าย", "Sustainability and networks"), 15},
		},
		Statuses: []string{"candidate", "selected", "not_selected"},
	},
	{
		Key: "change_leaders", Participant: Person, Quota: 15,
		Name:  apperr.T("ผู้นำการเปลี่ยนแปลง", "Change leaders"),
		About: apperr.T("เสริมสร้างและพัฒนาผู้นำการเปลี่ยนแปลง ตำบลละ 15 คน: ฝึกอบรม และแผนปฏิบัติการของผู้นำแต่ละคน", "Change-leader development, 15 per tambon: trainings and each leader's action plan"),
		Fields: []Field{
			{Key: "role", Name: apperr.T("บทบาท", "Role"), Choices: []string{"kamnan", "village_head", "volunteer", "council_member", "other"}},
			{Key: "phone", Name: apperr.T("โทรศัพท์", "Phone")},
		},
		Sessions: apperr.T("การฝึกอบรม", "Trainings"),
		Statuses: []string{"enrolled", "trained", "withdrawn"},
	},
	{
		Key: "vegetable_gardens", Participant: Household,
		Name:  apperr.T("ปลูกผักสวนครัวเพื่อสร้างความมั่นคงทางอาหาร", "Household vegetable gardens for food security"),
		About: apperr.T("ครัวเรือนปลูกผักสวนครัว ระยะที่ 1 และ 2: สถานะการปลูก ชนิดผัก พื้นที่ ค่าใช้จ่ายที่ประหยัดได้ การติดตามเยี่ยม และเกณฑ์หมู่บ้านต้นแบบ", "Households grow vegetables, phases 1 and 2: planting, kinds, plot, savings, follow-up visits, and the model-village criteria"),
		Fields: []Field{
			{Key: "planting", Name: apperr.T("สถานะการปลูก", "Planting"), Choices: []string{"planting", "harvesting", "not_yet", "stopped"}},
			{Key: "kinds", Name: apperr.T("ชนิดผักที่ปลูก", "Kinds grown")},
			{Key: "kinds_count", Name: apperr.T("จำนวนชนิด", "Number of kinds"), Number: true},
			{Key: "plot_m2", Name: apperr.T("พื้นที่ปลูก (ตร.ม.)", "Plot (m²)"), Number: true},
			{Key: "saving_per_day", Name: apperr.T("ประหยัดได้ (บาท/วัน)", "Saved (baht/day)"), Number: true},
		},
		Criteria: []Criterion{
			{"coverage", apperr.T("ครัวเรือนปลูกผักครบทุกครัวเรือน", "Every household grows vegetables"), 40},
			{"variety", apperr.T("ปลูกผักอย่างน้อย 5 ชนิด", "At least 5 kinds grown"), 20},
			{"shared", apperr.T("มีแปลงผักรวมหรือธนาคารเมล็ดพันธุ์", "A shared plot or seed bank"), 20},
			{"sharing", apperr.T("แบ่งปันและจำหน่ายผลผลิตในชุมชน", "Produce shared and sold in the village"), 20},
		},
		Sessions: apperr.T("การติดตามเยี่ยม", "Follow-up visits"),
		Statuses: []string{"enrolled", "model", "dropped"},
		Gardens: []Choice{
			{"planted", apperr.T("เพิ่งลงแปลงปลูก", "just planted")},
			{"growing", apperr.T("ผักกำลังเจริญเติบโต", "growing")},
			{"harvesting", apperr.T("เก็บผลผลิตได้แล้ว", "harvesting")},
			{"abandoned", apperr.T("แปลงถูกทิ้งร้าง", "abandoned")},
		},
	},
	{
		Key: "award_nomination", Participant: Area, SelfAssessment: true,
		Name:  apperr.T("การเสนอขอรับรางวัล", "Award nominations"),
		About: apperr.T("เช่น รางวัลเลิศรัฐ สาขาการบริหารราชการแบบมีส่วนร่วม ประเภทสัมฤทธิผลประชาชนมีส่วนร่วม: ผู้ถูกเสนอชื่อ เกณฑ์ หลักฐาน การประเมินตนเอง และสถานะ", "E.g. the Public Sector Excellence Award, people's-participation category: nominee, criteria, evidence, self-assessment and status"),
		Fields: []Field{
			{Key: "category", Name: apperr.T("ประเภทรางวัล", "Category")},
			{Key: "evidence", Name: apperr.T("สรุปหลักฐาน", "Evidence in brief")},
		},
		Steps: []Step{
			{"problem", apperr.T("สภาพปัญหาและข้อมูลพื้นฐาน", "The problem and baseline data")},
			{"design", apperr.T("การออกแบบการมีส่วนร่วม", "How participation was designed")},
			{"work", apperr.T("การดำเนินงาน", "The work done")},
			{"results", apperr.T("ผลลัพธ์ก่อน-หลัง", "Results before and after")},
			{"lessons", apperr.T("ปัจจัยความสำเร็จและบทเรียน", "Success factors and lessons")},
		},
		Criteria: []Criterion{
			{"importance", apperr.T("ความสำคัญของปัญหา", "Importance of the problem"), 15},
			{"participation", apperr.T("ระดับการมีส่วนร่วมของประชาชน", "Depth of people's participation"), 30},
			{"results", apperr.T("ผลสัมฤทธิ์ที่เกิดขึ้นจริง", "Real results"), 35},
			{"sustain", apperr.T("ความยั่งยืนและการขยายผล", "Sustainability and spread"), 20},
		},
		Statuses: []string{"draft", "submitted", "shortlisted", "awarded", "not_awarded"},
		Stages: map[string][]string{
			"draft":       {"submitted"},
			"submitted":   {"shortlisted", "not_awarded"},
			"shortlisted": {"awarded", "not_awarded"},
		},
	},
}

// Types lists the built-in types.
func Types() []Type { return builtin }

// Lookup returns a type by key.
func Lookup(key string) (Type, error) {
	for _, t := range builtin {
		if t.Key == key {
			return t, nil
		}
	}
	return Type{}, apperr.New(apperr.Invalid, apperr.Tf("ไม่รู้จักประเภทโครงการ %q", "unknown programme type %q", key))
}
