package user

import "strings"

// Action is something a page or a command lets a user do. Every handler
// asks Can before it acts, and Covers before it shows an area.
type Action string

// The actions, from reading figures to changing the system.
const (
	ViewFigures    Action = "view_figures"    // indicator results, MPI, maps: aggregates only
	ViewPlans      Action = "view_plans"      // plans, programmes, activities
	ViewHouseholds Action = "view_households" // household records, masked personal data
	RevealPersonal Action = "reveal_personal" // unmask names, citizen IDs, house codes, phones, GPS (logged)
	ExportPersonal Action = "export_personal" // files with personal data (logged)
	EditHouseholds Action = "edit_households" // enter, import, edit households
	EditPlans      Action = "edit_plans"      // plans, activities, programmes
	SubmitRound    Action = "submit_round"    // tambon → district
	VerifyRound    Action = "verify_round"    // district verifies or returns
	CertifyRound   Action = "certify_round"   // province certifies
	ReopenRound    Action = "reopen_round"    // reopen certified data, with a reason
	ManageUsers    Action = "manage_users"    // accounts and sessions
	ViewAudit      Action = "view_audit"      // the audit log
	ManageRounds   Action = "manage_rounds"   // open survey rounds (national: asked at "TH")
	AssignWork     Action = "assign_work"     // give villages and households to enumerators, mark visit outcomes
)

// grants is the role × action matrix. It is the one place that says who may
// do what; the authorisation test walks every route against it.
var grants = map[Role][]Action{
	Admin: {ViewFigures, ViewPlans, ViewHouseholds, RevealPersonal, ExportPersonal, EditHouseholds, EditPlans,
		SubmitRound, VerifyRound, CertifyRound, ReopenRound, ManageUsers, ViewAudit, ManageRounds, AssignWork},
	Province:   {ViewFigures, ViewPlans, ViewHouseholds, RevealPersonal, ExportPersonal, EditPlans, CertifyRound, ReopenRound, ViewAudit},
	District:   {ViewFigures, ViewPlans, ViewHouseholds, RevealPersonal, ExportPersonal, EditPlans, VerifyRound},
	Tambon:     {ViewFigures, ViewPlans, ViewHouseholds, RevealPersonal, ExportPersonal, EditHouseholds, EditPlans, SubmitRound, AssignWork},
	Enumerator: {ViewFigures, ViewHouseholds, RevealPersonal, EditHouseholds},
	Partner:    {ViewFigures, ViewPlans},
	Viewer:     {ViewFigures},
}

// Can reports whether the account's role allows an action at all; Covers
// says where.
func (u User) Can(a Action) bool {
	if u.Disabled {
		return false
	}
	for _, g := range grants[u.Role] {
		if g == a {
			return true
		}
	}
	return false
}

// Covers reports whether an area lies inside the account's subtree: its own
// area or any area within it. "TH" covers everything.
func (u User) Covers(code string) bool {
	if u.Disabled || u.AreaCode == "" {
		return false
	}
	return u.AreaCode == "TH" || strings.HasPrefix(code, u.AreaCode)
}

// CanAt is Can and Covers together: the action, in that area.
func (u User) CanAt(a Action, code string) bool { return u.Can(a) && u.Covers(code) }
