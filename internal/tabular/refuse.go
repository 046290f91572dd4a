package tabular

import (
	"fmt"

	"tambon/internal/apperr"
)

// The refusals below are whole-file answers: the file is not something tambon
// can read, so there is no row or column to point at. Each names the file and
// says what to do next, because the official reading it usually knows Excel
// well and file formats not at all.

func refuseEmpty(name string) error {
	return apperr.New(apperr.Invalid, apperr.Tf(
		"ไฟล์ %s ว่างเปล่า ไม่มีข้อมูล — อาจดาวน์โหลดหรือแนบไฟล์ไม่สำเร็จ โปรดส่งไฟล์อีกครั้ง",
		"%s is empty; the download or attachment probably failed. Please send the file again.", name))
}

func refuseTooLarge(name string, size, limit int64) error {
	return apperr.New(apperr.Invalid, apperr.Tf(
		"ไฟล์ %s มีขนาด %s เกินขีดจำกัด %s — โปรดแบ่งเป็นหลายไฟล์ หรือลบชีตและคอลัมน์ที่ไม่ใช้",
		"%s is %s, over the limit of %s. Split it into smaller files, or delete unused sheets and columns.",
		name, formatSize(size), formatSize(limit)))
}

func refuseOLE2(name string) error {
	return apperr.New(apperr.Invalid, apperr.Tf(
		"ไฟล์ %s เป็นไฟล์ Excel รุ่นเก่า (.xls แบบ Excel 97-2003) หรือไฟล์ที่ตั้งรหัสผ่านไว้ ซึ่งระบบอ่านไม่ได้ — โปรดเปิดใน Excel แล้วเลือก \"บันทึกเป็น\" (Save As) ชนิด Excel Workbook (.xlsx) หรือ CSV โดยไม่ตั้งรหัสผ่าน",
		"%s is a legacy Excel 97-2003 workbook (.xls) or a password-protected workbook, which tambon cannot read. Open it in Excel and Save As Excel Workbook (.xlsx) or CSV, without a password.", name))
}

func refuseHTML(name string) error {
	return apperr.New(apperr.Invalid, apperr.Tf(
		"ไฟล์ %s เป็นหน้าเว็บ (HTML) ที่ตั้งชื่อเหมือนไฟล์ Excel ไม่ใช่ไฟล์ Excel จริง (มักได้จากการดาวน์โหลดรายงานจากเว็บไซต์หน่วยงาน) — โปรดเปิดใน Excel แล้วเลือก \"บันทึกเป็น\" (Save As) ชนิด Excel Workbook (.xlsx) หรือ CSV",
		"%s is a web page (HTML) named like an Excel file, not a real workbook (government portals often export reports this way). Open it in Excel and Save As Excel Workbook (.xlsx) or CSV.", name))
}

func refuseXML2003(name string) error {
	return apperr.New(apperr.Invalid, apperr.Tf(
		"ไฟล์ %s เป็นไฟล์ XML Spreadsheet 2003 ไม่ใช่ไฟล์ .xlsx — โปรดเปิดใน Excel แล้วบันทึกเป็น Excel Workbook (.xlsx) หรือ CSV",
		"%s is an XML Spreadsheet 2003 file, not an .xlsx workbook. Open it in Excel and Save As Excel Workbook (.xlsx) or CSV.", name))
}

func refuseODS(name string) error {
	return apperr.New(apperr.Invalid, apperr.Tf(
		"ไฟล์ %s เป็นไฟล์ OpenDocument (.ods) จาก LibreOffice — โปรดเลือก File → Save As (บันทึกเป็น) แล้วเลือกชนิด Excel 2007-365 (.xlsx) แล้วส่งใหม่",
		"%s is an OpenDocument spreadsheet (.ods). In LibreOffice choose File → Save As, pick Excel 2007-365 (.xlsx), and send that file.", name))
}

func refuseOtherZip(name, th, en string) error {
	return apperr.New(apperr.Invalid, apperr.Text{
		TH: fmt.Sprintf("ไฟล์ %s เป็นไฟล์บีบอัด (zip) ที่ไม่ใช่ไฟล์ Excel (พบ%s) — โปรดส่งไฟล์ .xlsx หรือ CSV ของตารางนั้นโดยตรง", name, th),
		EN: fmt.Sprintf("%s is a zip archive but not an Excel workbook (it holds %s). Please send the table itself as .xlsx or CSV.", name, en),
	})
}

func refuseDamaged(name string, cause error) error {
	return apperr.Wrap(cause, apperr.Invalid, apperr.Tf(
		"ไฟล์ %s เสียหายหรือไม่ครบ (อาจดาวน์โหลดหรือคัดลอกไม่สำเร็จ) — โปรดตรวจว่าเปิดใน Excel ได้ แล้วบันทึกและส่งใหม่",
		"%s is damaged or incomplete (perhaps an interrupted download or copy). Check that it opens in Excel, save it again and resend it.", name))
}

func refuseZipBomb(name string, unzipped uint64, limit int64) error {
	return apperr.New(apperr.Invalid, apperr.Tf(
		"ไฟล์ %s เมื่อคลายการบีบอัดจะมีขนาด %s เกินขีดจำกัด %s — โปรดลบชีตหรือรูปภาพที่ไม่ใช้ หรือแบ่งเป็นหลายไฟล์",
		"%s expands to %s when unpacked, over the limit of %s. Delete unused sheets or pictures, or split it into smaller files.",
		name, formatSize(int64(min(unzipped, 1<<62))), formatSize(limit)))
}

func refusePDF(name string) error {
	return apperr.New(apperr.Invalid, apperr.Tf(
		"ไฟล์ %s เป็นเอกสาร PDF ไม่ใช่ตาราง — โปรดส่งไฟล์ Excel (.xlsx) หรือ CSV ต้นฉบับ",
		"%s is a PDF document, not a table. Please send the original Excel (.xlsx) or CSV file.", name))
}

func refuseBinary(name string) error {
	return apperr.New(apperr.Invalid, apperr.Tf(
		"ไฟล์ %s ไม่ใช่ตารางข้อมูล (มีข้อมูลแบบไบนารี เช่น รูปภาพหรือไฟล์โปรแกรม) — โปรดส่งไฟล์ Excel (.xlsx) หรือ CSV",
		"%s is not a table (it holds binary data, such as a picture or a program). Please send an Excel (.xlsx) or CSV file.", name))
}

func refuseXML(name string) error {
	return apperr.New(apperr.Invalid, apperr.Tf(
		"ไฟล์ %s เป็นไฟล์ XML ที่ไม่ใช่ตาราง Excel — โปรดส่งไฟล์ Excel (.xlsx) หรือ CSV",
		"%s is an XML file but not an Excel table. Please send an Excel (.xlsx) or CSV file.", name))
}

// formatSize writes a byte count the way Windows Explorer shows it, so the
// official can compare it with what they see.
func formatSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
