package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"tambon/internal/apperr"
	"tambon/internal/store"
)

// unverifiedRestore is the refusal of a database whose last restore did
// not end verified: what happened, when, and the two ways out.
func unverifiedRestore(st store.RestoreStatus) error {
	whatTH, whatEN := "การตรวจสถิติหลังกู้คืนถูกหยุดกลางคัน (กู้คืนไม่เสร็จ)", "its statistics check was cut short (the restore did not finish)"
	if st.Failed() {
		whatTH, whatEN = "สถิติไม่ผ่านการตรวจสอบหลังกู้คืน", "its statistics failed the check after the restore"
	}
	whenTH, whenEN := "ไม่ทราบเวลา", "time not recorded"
	if !st.At.IsZero() {
		when := st.At.UTC().Format(time.RFC3339)
		whenTH, whenEN = "เมื่อ "+when, "at "+when
	}
	return apperr.New(apperr.Conflict, apperr.T(fmt.Sprintf(
		"ฐานข้อมูลนี้มาจาก tambon restore ที่%s (%s; %s) ตัวเลขอาจไม่ตรงกับไฟล์สำรอง จึงยังไม่เปิดให้บริการหรือแก้ไข "+
			"ทางแก้: (1) กู้คืนอีกครั้ง: tambon restore --from FILE --replace หรือ "+
			"(2) สั่ง tambon check --round R ทุกรอบ แล้วยอมรับ: tambon restore --accept --reason \"…\" (บันทึกผู้ยอมรับและเวลาในบันทึกการใช้งาน)",
		whatTH, whenTH, st.State), fmt.Sprintf(
		"this database comes from a tambon restore whose %s (%s; %s): its figures may not be what the backup held, so it is not served or changed. "+
			"Either (1) restore again: tambon restore --from FILE --replace, or "+
			"(2) run tambon check --round R for every round, then accept it: tambon restore --accept --reason \"…\" (who and when go in the audit log)",
		whatEN, whenEN, st.State)))
}

// acceptRestore lets a person who has checked a database whose restore
// failed or was cut short put it back into use: the acceptance, by whom,
// why and what it replaced, goes in the audit log and in restore_state.
func (e *env) acceptRestore(ctx context.Context, dsn, by, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return apperr.New(apperr.Invalid, apperr.T(
			"ต้องระบุเหตุผลที่ยอมรับ (--reason) เช่น รอบที่ tambon check ผ่านแล้ว",
			"give the reason for accepting it (--reason), e.g. which rounds tambon check passed"))
	}
	s, _, err := e.open(ctx, dsn, true, openRestoring)
	if err != nil {
		return err
	}
	defer s.Close()
	st := s.RestoreStatus(ctx)
	if !st.Unverified() {
		return apperr.New(apperr.Invalid, apperr.Tf(
			"ไม่มีการกู้คืนที่รอการยอมรับในฐานข้อมูลนี้ (restore_state: %q)",
			"this database has no failed or unfinished restore to accept (restore_state: %q)", st.State))
	}
	was := st.State
	if !st.At.IsZero() {
		was += " (" + st.At.UTC().Format(time.RFC3339) + ")"
	}
	detail, _ := json.Marshal(map[string]string{"was": was, "reason": reason})
	if err := s.Audit(ctx, store.AuditEntry{User: by, Action: "restore.accept", Object: "database", Detail: string(detail)}); err != nil {
		return err
	}
	at := e.now().UTC().Format(time.RFC3339)
	if err := s.MarkRestore(ctx, fmt.Sprintf("accepted by %s at %s: %s (was: %s)", by, at, reason, was)); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "restore accepted by %s at %s (audit log: restore.accept); serve and the commands that write open this database again\n", by, at)
	return nil
}
