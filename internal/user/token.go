package user

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"regexp"
	"time"

	"tambon/internal/apperr"
)

// Token is an API token: a secret another system sends as
// "Authorization: Bearer …", bound to a role and an area subtree like an
// account, with an expiry. An administrator issues it; only its SHA-256 is
// stored, so a copy of the database hands out no live token.
type Token struct {
	ID         int64
	Name       string // unique; what the audit log names as the one who acted
	Role       Role
	AreaCode   string
	CreatedAt  time.Time
	CreatedBy  string
	ExpiresAt  time.Time
	RevokedAt  time.Time // zero while the token is live
	RevokedBy  string
	LastUsedAt time.Time // zero before the first use; recorded at most once a minute
}

// TokenPrefix begins the name a token acts under, so the audit log tells a
// token's acts from an account's (usernames cannot hold a colon).
const TokenPrefix = "token:"

// User is the principal a token acts as: its role in its area. Its ID is
// negative, so nothing keyed by an account's id mistakes it for one.
func (t Token) User() User {
	return User{ID: -t.ID, Username: TokenPrefix + t.Name, DisplayName: t.Name, Role: t.Role, AreaCode: t.AreaCode,
		CreatedAt: t.CreatedAt}
}

// Live reports whether the token may be used at now: not revoked, not expired.
func (t Token) Live(now time.Time) bool { return t.RevokedAt.IsZero() && now.Before(t.ExpiresAt) }

var tokenNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,59}$`)

// ValidTokenName checks a token's name: like a username, 2-60 characters.
func ValidTokenName(s string) error {
	if !tokenNameRE.MatchString(s) {
		return apperr.New(apperr.Invalid, apperr.Tf(
			"ชื่อโทเค็น %q ใช้ไม่ได้: ใช้อักษรอังกฤษตัวเล็ก ตัวเลข . _ - ได้ 2-60 ตัว เช่น powerbi-nakhonpathom",
			"token name %q is not valid: use 2-60 lower-case letters, digits, '.', '_' or '-', e.g. powerbi-nakhonpathom", s))
	}
	return nil
}

// MaxTokenLife is the longest a token may live: a year, so a forgotten
// token does not work for ever.
const MaxTokenLife = 366 * 24 * time.Hour

// CanIssue reports why issuer may not issue a token of role in area, or nil:
// the issuer must manage accounts, cover the area, and hold every right the
// role grants, so a token never exceeds the one who made it.
func CanIssue(issuer User, role Role, area string) error {
	if !issuer.Can(ManageUsers) {
		return apperr.New(apperr.Forbidden, apperr.T("เฉพาะผู้ดูแลระบบออกโทเค็นได้", "only an administrator may issue tokens"))
	}
	if _, err := ParseRole(string(role)); err != nil {
		return err
	}
	if !issuer.Covers(area) {
		return apperr.New(apperr.Forbidden, apperr.Tf("พื้นที่ %s อยู่นอกพื้นที่ที่ท่านดูแล", "the area %s is outside the area you administer", area))
	}
	for _, a := range grants[role] {
		if !issuer.Can(a) {
			return apperr.New(apperr.Forbidden, apperr.Tf("บทบาท %s มีสิทธิ์มากกว่าของท่าน", "the role %s has rights beyond your own", string(role)))
		}
	}
	return nil
}

// NewTokenSecret returns a new token (the "tbn_" prefix and 256 random bits,
// URL-safe) and the SHA-256 the store keeps of it.
func NewTokenSecret() (token, hash string) {
	var b [32]byte
	rand.Read(b[:])
	token = "tbn_" + base64.RawURLEncoding.EncodeToString(b[:])
	return token, TokenHash(token)
}

// TokenHash is what the store keeps of a token: its SHA-256, hex.
func TokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}
