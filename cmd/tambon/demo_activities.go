package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"time"

	"tambon/internal/activity"
	"tambon/internal/apperr"
	"tambon/internal/partner"
	"tambon/internal/store"
	"tambon/internal/thai"
)

// seedDemoActivities tells, as demo data, the story this project comes
// from: the meeting of 18 January 2564 at the อบต. เขาขลุง office, the
// change-leader kick-off and the field visit to หมู่ 4 of 1 March 2564, with
// the partners, minutes, follow-ups and the meeting published as news. The
// people are invented. Running it again keeps what is there.
func seedDemoActivities(ctx context.Context, e *env, s *store.Store) error {
	n, err := seedActivityStory(ctx, s, true)
	if err != nil {
		return fmt.Errorf("demo: activities: %w", err)
	}
	if n > 0 {
		e.log.Info("demo: partners and activities loaded", "new", n)
	}
	return nil
}

// demoPartner is a partner of the story, by a key the story refers to.
type demoPartner struct {
	key string
	org string // key of the organisation a person belongs to
	p   partner.Partner
}

var demoPartners = []demoPartner{
	{key: "province", p: partner.Partner{Kind: partner.ProvinceCDD, NameTH: "สำนักงานพัฒนาชุมชนจังหวัดราชบุรี",
		NameEN: "Ratchaburi Provincial Community Development Office", AreaCode: "70",
		Phone: "0 3200 0070", Email: "cdd-ratchaburi@example.org", Address: "ศาลากลางจังหวัดราชบุรี อำเภอเมืองราชบุรี"}},
	{key: "district", p: partner.Partner{Kind: partner.DistrictCDD, NameTH: "สำนักงานพัฒนาชุมชนอำเภอบ้านโป่ง",
		NameEN: "Ban Pong District Community Development Office", AreaCode: "7005",
		Phone: "0 3200 7005", Email: "cdd-banpong@example.org", Address: "ที่ว่าการอำเภอบ้านโป่ง"}},
	{key: "sao", p: partner.Partner{Kind: partner.LocalGov, NameTH: "องค์การบริหารส่วนตำบลเขาขลุง",
		NameEN: "Khao Khlung Subdistrict Administrative Organization", AreaCode: "700513",
		Phone: "0 3200 0513", Email: "saraban@khaokhlung.example.org", Address: "ที่ทำการ อบต.เขาขลุง ตำบลเขาขลุง อำเภอบ้านโป่ง จังหวัดราชบุรี"}},
	{key: "company", p: partner.Partner{Kind: partner.Company, NameTH: "บริษัท เขาขลุงเกษตรพัฒนา จำกัด",
		NameEN: "Khao Khlung Agri Development Co., Ltd. (invented)", AreaCode: "700513",
		Email: "csr@khaokhlung-agri.example.com", Note: "ภาคเอกชนในพื้นที่ สนับสนุนงานพัฒนาคุณภาพชีวิต (ชื่อสมมติ)"}},
	{key: "cdd_chief", org: "province", p: partner.Partner{Kind: partner.Person, NameTH: "นางพิมพ์ชนก วงศ์ดี",
		PositionTH: "พัฒนาการจังหวัดราชบุรี", PositionEN: "Ratchaburi Provincial Community Development Officer", AreaCode: "70"}},
	{key: "cdd_officer", org: "province", p: partner.Partner{Kind: partner.Person, NameTH: "นายกิตติพงษ์ ศรีสมบูรณ์",
		PositionTH: "นักวิชาการพัฒนาชุมชนชำนาญการ", PositionEN: "Community development specialist", AreaCode: "70"}},
	{key: "district_chief", org: "district", p: partner.Partner{Kind: partner.Person, NameTH: "นายอนุชา แก้วใส",
		PositionTH: "พัฒนาการอำเภอบ้านโป่ง", PositionEN: "Ban Pong District Community Development Officer", AreaCode: "7005"}},
	{key: "district_worker", org: "district", p: partner.Partner{Kind: partner.Person, NameTH: "นางสาวกมลวรรณ ดีงาม",
		PositionTH: "พัฒนากรผู้รับผิดชอบตำบลเขาขลุง", PositionEN: "Community developer for Khao Khlung", AreaCode: "7005",
		Serves: []string{"700513"}}},
	{key: "sao_chief", org: "sao", p: partner.Partner{Kind: partner.Person, NameTH: "นายวิชัย สุขสวัสดิ์",
		PositionTH: "นายกองค์การบริหารส่วนตำบลเขาขลุง", PositionEN: "Chief executive, Khao Khlung SAO", AreaCode: "700513"}},
	{key: "sao_head", org: "sao", p: partner.Partner{Kind: partner.Person, NameTH: "นางสาวรัตนา ศรีเมือง",
		PositionTH: "ปลัดองค์การบริหารส่วนตำบลเขาขลุง", PositionEN: "Head of office, Khao Khlung SAO", AreaCode: "700513"}},
	{key: "kamnan", p: partner.Partner{Kind: partner.Kamnan, NameTH: "นายประยูร ทองมา",
		PositionTH: "กำนันตำบลเขาขลุง", PositionEN: "Kamnan of Khao Khlung", AreaCode: "700513"}},
	{key: "head4", p: partner.Partner{Kind: partner.VillageHead, NameTH: "นายสมบัติ ใจเย็น",
		PositionTH: "ผู้ใหญ่บ้านหมู่ที่ 4 บ้านหนองไม้เฝ้า", PositionEN: "Village head, Moo 4 Ban Nong Mai Fao", AreaCode: "70051304"}},
	{key: "company_rep", org: "company", p: partner.Partner{Kind: partner.Person, NameTH: "นายธนพล มั่นคง",
		PositionTH: "ผู้จัดการฝ่ายกิจการเพื่อสังคม", PositionEN: "Social responsibility manager", AreaCode: "700513"}},
	{key: "company_rep2", org: "company", p: partner.Partner{Kind: partner.Person, NameTH: "นางสาวอรุณี พรหมมา",
		PositionTH: "เจ้าหน้าที่ชุมชนสัมพันธ์", PositionEN: "Community relations officer", AreaCode: "700513"}},
}

// seedActivityStory loads the story's partners and activities that are not
// there yet, and publishes the meeting as news when publish is set. It
// returns how many records it created.
func seedActivityStory(ctx context.Context, s *store.Store, publish bool) (int, error) {
	created := 0
	ids := map[string]int64{}
	for _, d := range demoPartners {
		p, err := s.PartnerByName(ctx, d.p.AreaCode, d.p.NameTH)
		if apperr.Is(err, apperr.NotFound) {
			np := d.p
			np.OrgID = ids[d.org]
			p, err = s.CreatePartner(ctx, np, "demo")
			created++
		}
		if err != nil {
			return created, err
		}
		ids[d.key] = p.ID
	}
	bkk := thai.Bangkok()
	date := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	person := func(key, role string) activity.Attendee {
		for _, d := range demoPartners {
			if d.key == key {
				return activity.Attendee{PartnerID: ids[key], Name: d.p.NameTH, Role: role}
			}
		}
		panic("demo: no partner " + key)
	}
	covid := []string{"masks", "distancing", "temperature", "handwash", "checkin"}
	story := []activity.Activity{{
		Kind:    activity.Meeting,
		TitleTH: "ประชุมบูรณาการการทำงานร่วมกับภาคีเครือข่ายตำบลเขาขลุง",
		TitleEN: "Meeting to integrate the work of Khao Khlung's partners",
		Start:   time.Date(2021, 1, 18, 15, 0, 0, 0, bkk), End: time.Date(2021, 1, 18, 16, 30, 0, 0, bkk),
		AreaCode: "700513", Venue: "ห้องประชุมที่ทำการองค์การบริหารส่วนตำบลเขาขลุง",
		OrganiserID: ids["province"],
		PartnerIDs:  []int64{ids["province"], ids["district"], ids["sao"], ids["company"]},
		Summary: "สำนักงานพัฒนาชุมชนจังหวัดราชบุรีประชุมร่วมกับนายก อบต.เขาขลุง กำนันตำบลเขาขลุง ปลัด อบต. ผู้แทนภาคเอกชน " +
			"และสำนักงานพัฒนาชุมชนอำเภอบ้านโป่ง เพื่อบูรณาการการทำงานพัฒนาคุณภาพชีวิตของตำบลเขาขลุงร่วมกัน",
		Attendees: []activity.Attendee{
			person("cdd_chief", "ประธานการประชุม"), person("cdd_officer", "เลขานุการ"),
			person("sao_chief", "ผู้เข้าร่วม"), person("kamnan", "ผู้เข้าร่วม"), person("sao_head", "ผู้เข้าร่วม"),
			person("company_rep", "ผู้แทนภาคเอกชน"), person("company_rep2", "ผู้แทนภาคเอกชน"),
			person("district_chief", "ผู้เข้าร่วม"), person("district_worker", "ผู้ประสานงานตำบล"),
		},
		Agenda: []string{
			"ประธานแจ้งเพื่อทราบ: แนวทางการขับเคลื่อนตำบลสารสนเทศเพื่อการพัฒนาคุณภาพชีวิต ปี 2564",
			"การคัดเลือกตำบลสารสนเทศต้นแบบระดับจังหวัด",
			"โครงการผู้นำการเปลี่ยนแปลง และการเปิดตัวโครงการ (Kick off)",
			"การบูรณาการงบประมาณและบทบาทของภาคีเครือข่าย",
		},
		Resolutions: []string{
			"ที่ประชุมมีมติคัดเลือกตำบลเขาขลุงเป็นตำบลสารสนเทศต้นแบบของจังหวัดราชบุรี",
			"ที่ประชุมเห็นชอบให้ดำเนินโครงการผู้นำการเปลี่ยนแปลง โดยเปิดตัวโครงการ (Kick off) วันที่ 1 มีนาคม 2564 ณ ศาลาประชาคมบ้านหนองไม้เฝ้า หมู่ที่ 4",
		},
		FollowUps: []activity.FollowUp{
			{Action: "ส่งรายชื่อผู้นำการเปลี่ยนแปลงของตำบลให้สำนักงานพัฒนาชุมชนอำเภอบ้านโป่ง", OwnerID: ids["sao"], Owner: "องค์การบริหารส่วนตำบลเขาขลุง",
				Due: date(2021, 2, 15), Status: activity.Done, DoneAt: time.Date(2021, 2, 12, 10, 0, 0, 0, bkk)},
			{Action: "เตรียมสถานที่และกำหนดการเปิดตัวโครงการ ณ ศาลาประชาคมหมู่ที่ 4", OwnerID: ids["head4"], Owner: "นายสมบัติ ใจเย็น",
				Due: date(2021, 2, 26), Status: activity.Done, DoneAt: time.Date(2021, 2, 25, 16, 0, 0, 0, bkk)},
			{Action: "จัดทำศูนย์ข้อมูล บอร์ด และแผนที่สารสนเทศตำบล เพื่อนำเสนอคณะกรรมการจังหวัด", OwnerID: ids["sao"], Owner: "องค์การบริหารส่วนตำบลเขาขลุง",
				Due: date(2021, 3, 31), Status: activity.InProgress},
		},
		Safety:     covid,
		SafetyNote: "ปฏิบัติตามมาตรการป้องกันการแพร่ระบาดของโรคติดเชื้อไวรัสโคโรนา 2019 (COVID-19) อย่างเคร่งครัด",
	}, {
		Kind:    activity.KickOff,
		TitleTH: "เปิดตัวโครงการผู้นำการเปลี่ยนแปลง (Kick off) ตำบลเขาขลุง",
		TitleEN: "Kick-off of the change-leader project, Khao Khlung",
		Start:   time.Date(2021, 3, 1, 9, 0, 0, 0, bkk), End: time.Date(2021, 3, 1, 12, 0, 0, 0, bkk),
		AreaCode: "70051304", Venue: "ศาลาประชาคมบ้านหนองไม้เฝ้า หมู่ที่ 4",
		OrganiserID: ids["district"],
		PartnerIDs:  []int64{ids["province"], ids["district"], ids["sao"], ids["company"]},
		Summary:     "เปิดตัวโครงการผู้นำการเปลี่ยนแปลงของตำบลเขาขลุง ผู้นำชุมชนร่วมกำหนดแผนปฏิบัติการรายบุคคล",
		Attendees: []activity.Attendee{
			person("cdd_chief", "ประธานในพิธี"), person("district_chief", "กล่าวรายงาน"), person("sao_chief", "ผู้เข้าร่วม"),
			person("kamnan", "ผู้นำการเปลี่ยนแปลง"), person("head4", "ผู้นำการเปลี่ยนแปลง / เจ้าของพื้นที่"),
			person("company_rep", "ผู้สนับสนุน"), person("district_worker", "วิทยากรกระบวนการ"),
		},
		Agenda:      []string{"พิธีเปิดโครงการ", "ชี้แจงบทบาทผู้นำการเปลี่ยนแปลง", "ผู้นำจัดทำแผนปฏิบัติการรายบุคคล"},
		Resolutions: []string{"ผู้นำการเปลี่ยนแปลงทุกคนจัดทำแผนปฏิบัติการรายบุคคลและนำไปปฏิบัติในหมู่บ้าน"},
		FollowUps: []activity.FollowUp{
			{Action: "รวบรวมแผนปฏิบัติการรายบุคคลของผู้นำการเปลี่ยนแปลง", OwnerID: ids["district"], Owner: "สำนักงานพัฒนาชุมชนอำเภอบ้านโป่ง",
				Due: date(2021, 3, 15), Status: activity.Done, DoneAt: time.Date(2021, 3, 12, 15, 0, 0, 0, bkk)},
		},
		Safety: covid,
	}, {
		Kind:    activity.FieldVisit,
		TitleTH: "ลงพื้นที่ติดตามหมู่บ้านต้นแบบผักสวนครัว ระยะที่ 2 บ้านหนองไม้เฝ้า หมู่ที่ 4",
		TitleEN: "Field visit to Moo 4 Ban Nong Mai Fao, a phase-2 model village for household vegetable gardens",
		Start:   time.Date(2021, 3, 1, 13, 30, 0, 0, bkk), End: time.Date(2021, 3, 1, 15, 30, 0, 0, bkk),
		AreaCode: "70051304", Venue: "ครัวเรือนและแปลงผักสวนครัว บ้านหนองไม้เฝ้า หมู่ที่ 4",
		OrganiserID: ids["province"],
		PartnerIDs:  []int64{ids["province"], ids["district"], ids["sao"]},
		Summary: "ติดตามหมู่บ้านต้นแบบการปลูกผักสวนครัวเพื่อสร้างความมั่นคงทางอาหาร ระยะที่ 2 " +
			"และหมู่บ้านที่เสนอเข้ารับรางวัลเลิศรัฐ ประจำปี 2564 สาขาการมีส่วนร่วมของประชาชน",
		Attendees: []activity.Attendee{
			person("cdd_chief", "หัวหน้าคณะ"), person("district_worker", "ผู้ประสานงาน"), person("head4", "ผู้นำชมพื้นที่"),
		},
		Agenda: []string{"เยี่ยมครัวเรือนที่ปลูกผักสวนครัว", "ตรวจความพร้อมเอกสารประกอบการเสนอรางวัล"},
		Resolutions: []string{
			"หมู่ที่ 4 ผ่านเกณฑ์หมู่บ้านต้นแบบผักสวนครัว ระยะที่ 2",
			"เสนอบ้านหนองไม้เฝ้า หมู่ที่ 4 เข้ารับรางวัลเลิศรัฐ ปี 2564 สาขาการมีส่วนร่วมของประชาชน",
		},
		FollowUps: []activity.FollowUp{
			{Action: "จัดทำเอกสารประกอบการเสนอรางวัลเลิศรัฐ สาขาการมีส่วนร่วม", OwnerID: ids["district"], Owner: "สำนักงานพัฒนาชุมชนอำเภอบ้านโป่ง",
				Due: date(2021, 3, 20), Status: activity.Done, DoneAt: time.Date(2021, 3, 19, 11, 0, 0, 0, bkk)},
		},
		Safety: []string{"masks", "distancing", "outdoor"},
	}}
	for i, a := range story {
		existing, err := s.Activities(ctx, activity.Filter{Within: a.AreaCode, From: a.Start, To: a.Start.Add(time.Minute)})
		if err != nil {
			return created, err
		}
		found := false
		for _, x := range existing {
			if x.TitleTH == a.TitleTH {
				found, story[i] = true, x
			}
		}
		if found {
			continue
		}
		saved, err := s.CreateActivity(ctx, a, "demo")
		if err != nil {
			return created, err
		}
		created++
		sh, err := activity.ShrinkPhoto(fmt.Sprintf("demo-%d.png", i+1), demoPicture(i))
		if err != nil {
			return created, err
		}
		if _, err := s.AddPhoto(ctx, saved.ID, "ภาพประกอบ (ภาพจำลองสำหรับการสาธิต)", sh, "demo"); err != nil {
			return created, err
		}
		story[i] = saved
	}
	if publish && story[0].NewsID == 0 {
		m := story[0]
		if _, err := s.PublishNews(ctx, activity.News{ActivityID: m.ID, TitleTH: m.TitleTH, TitleEN: m.TitleEN,
			BodyTH:      m.Summary + " ที่ประชุมมีมติคัดเลือกตำบลเขาขลุงเป็นตำบลสารสนเทศต้นแบบของจังหวัดราชบุรี และเปิดตัวโครงการผู้นำการเปลี่ยนแปลงในวันที่ 1 มีนาคม 2564",
			BodyEN:      "The Ratchaburi community development office met Khao Khlung's partners: Khao Khlung was chosen as the province's model information tambon, and the change-leader project will be kicked off on 1 March 2021.",
			PublishedBy: "demo", PublishedAt: m.Start.Add(3 * time.Hour)}); err != nil && !apperr.Is(err, apperr.Conflict) {
			return created, err
		}
	}
	return created, nil
}

// demoPicture draws a simple landscape (sky, hills, a field) as a stand-in
// for a real photo, different for each activity.
func demoPicture(i int) []byte {
	const w, h = 960, 640
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	hue := []color.RGBA{{46, 125, 80, 255}, {180, 120, 40, 255}, {70, 140, 60, 255}}[i%3]
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			hill := 300 + 60*math.Sin(float64(x)/120+float64(i))
			c := color.RGBA{uint8(150 + y/8), uint8(190 + y/12), 235, 255}
			if float64(y) > hill {
				c = color.RGBA{hue.R / 2, hue.G, hue.B / 2, 255}
			}
			if y > 460 {
				c = hue
				if (x/24+y/16)%2 == 0 {
					c = color.RGBA{hue.R, hue.G + 20, hue.B, 255}
				}
			}
			img.SetRGBA(x, y, c)
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}
