package main

import (
	"context"
	"fmt"

	"tambon/internal/apperr"
	"tambon/internal/engine"
	"tambon/internal/openrosa"
	"tambon/internal/store"
	"tambon/internal/survey"
	"tambon/internal/xform"
)

// demoDeviceToken is the demo's ODK Collect token for moo4: fixed, so the
// demo's server URL can be written down once (demo databases only).
const demoDeviceToken = "demo-moo4-collect"

// seedDemoOpenRosa gives the demo enumerator moo4 a device for ODK Collect
// and puts one submission in the review queue (a citizen ID with a wrong
// check digit), so the queue page has something to show. Running the demo
// again keeps what is there: the device is found by name, the submission by
// its instanceID.
func seedDemoOpenRosa(ctx context.Context, e *env, s *store.Store) error {
	u, err := s.UserByName(ctx, "moo4")
	if err != nil {
		return err
	}
	ds, err := s.Devices(ctx, u.Username)
	if err != nil {
		return err
	}
	if len(ds) == 0 {
		if _, err := s.CreateDevice(ctx, xform.Device{UserID: u.ID, Username: u.Username, Name: "ODK Collect (demo)", CreatedBy: "demo",
			DigestHA1: openrosa.HA1(u.Username, demoDeviceToken)}, openrosa.TokenHash(demoDeviceToken)); err != nil {
			return err
		}
	}
	e.log.Info("demo: ODK Collect / KoboCollect for moo4", "server_url", "<this address>/openrosa/key/"+demoDeviceToken)
	rd, err := s.Round(ctx, demoRound2)
	if err != nil {
		return err
	}
	eng, err := engine.ForRound(rd)
	if err != nil {
		return err
	}
	var h *survey.Household
	if err := s.EachHousehold(ctx, rd.ID, "70051304", func(r survey.Record) error {
		if h == nil {
			h = r.Household
		}
		return nil
	}); err != nil || h == nil {
		return err
	}
	f, err := xform.Build(rd, eng.Set())
	if err != nil {
		return err
	}
	c := *h
	c.HouseNo, c.HouseCode = "999/9", ""
	c.Members = append([]survey.Member(nil), h.Members...)
	id := c.Members[0].CitizenID
	c.Members[0].CitizenID = id[:12] + fmt.Sprint((int(id[12]-'0')+1)%10)
	const instance = "uuid:demo-review-1"
	sub := xform.Submission{InstanceID: instance, FormID: f.ID, FormVersion: f.Version, RoundID: rd.ID, Username: u.Username,
		DeviceID: "ODK Collect (demo)", XML: xform.Encode(f, eng.Set(), &c, instance, "")}
	sub.Problems = survey.Validate(&c, eng.Set(), rd.ReferenceDate())
	if len(sub.Problems) == 0 {
		return apperr.New(apperr.Internal, apperr.T("ข้อมูลสาธิตไม่มีข้อผิดพลาด", "the demo's faulty submission has no fault"))
	}
	_, err = s.Submit(ctx, eng, sub, &c)
	return err
}
