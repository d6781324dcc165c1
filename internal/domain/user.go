package domain

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Role is what a user may do; a user has one or more.
type Role string

const (
	RoleAdmin       Role = "admin"
	RoleCoordinator Role = "coordinator"
	RoleReporter    Role = "reporter"
	RoleHandler     Role = "handler"
	RoleLeader      Role = "leader"
	RoleAuditor     Role = "auditor"
)

// Roles lists every role in display order.
var Roles = []Role{RoleAdmin, RoleCoordinator, RoleReporter, RoleHandler, RoleLeader, RoleAuditor}

// Label is the role's Chinese name.
func (r Role) Label() string {
	switch r {
	case RoleAdmin:
		return "系统管理员"
	case RoleCoordinator:
		return "统筹协调（倍增办）"
	case RoleReporter:
		return "填报员"
	case RoleHandler:
		return "部门办理人"
	case RoleLeader:
		return "领导"
	case RoleAuditor:
		return "审计员"
	}
	return string(r)
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// ParseRoles reads a comma-separated role list such as "reporter,leader".
func ParseRoles(s string) ([]Role, error) {
	var roles []Role
	for part := range strings.SplitSeq(s, ",") {
		r := Role(strings.TrimSpace(part))
		if r == "" {
			continue
		}
		if !r.Valid() {
			return nil, Errorf(EINVALID, "未知角色 %q，可选：admin, coordinator, reporter, handler, leader, auditor。", string(r))
		}
		if !slices.Contains(roles, r) {
			roles = append(roles, r)
		}
	}
	if len(roles) == 0 {
		return nil, Errorf(EINVALID, "至少需要一个角色。")
	}
	return roles, nil
}

// User is a person who signs in. Writes are scoped to the user's unit.
type User struct {
	ID                 int64
	Username           string
	DisplayName        string
	UnitID             int64
	UnitName           string // filled by the store for display
	Roles              []Role
	MustChangePassword bool
	Disabled           bool
	FailedLogins       int
	LockedUntil        time.Time
	LastLoginAt        time.Time
	Version            int64
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// HasRole reports whether the user holds any of the roles.
func (u *User) HasRole(roles ...Role) bool {
	for _, r := range roles {
		if slices.Contains(u.Roles, r) {
			return true
		}
	}
	return false
}

var usernamePattern = regexp.MustCompile(`^[a-z][a-z0-9._-]{1,31}$`)

// Normalize trims and lower-cases the username.
func (u *User) Normalize() {
	u.Username = strings.ToLower(strings.TrimSpace(u.Username))
	u.DisplayName = strings.TrimSpace(u.DisplayName)
	slices.Sort(u.Roles)
	u.Roles = slices.Compact(u.Roles)
}

// Validate checks a user's own fields.
func (u *User) Validate() error {
	p := Problems{}
	if !usernamePattern.MatchString(u.Username) {
		p.Add("username", "用户名为2至32位小写字母、数字、点、下划线或连字符，以字母开头。")
	}
	if n := len([]rune(u.DisplayName)); n == 0 || n > 32 {
		p.Add("display_name", "请填写姓名（不超过32个字）。")
	}
	if u.UnitID <= 0 {
		p.Add("unit_id", "请选择所属单位。")
	}
	if len(u.Roles) == 0 {
		p.Add("roles", "至少选择一个角色。")
	}
	for _, r := range u.Roles {
		if !r.Valid() {
			p.Add("roles", "包含未知角色。")
		}
	}
	// 三员分立: the one who manages accounts must not also read the audit log.
	if u.HasRole(RoleAdmin) && u.HasRole(RoleAuditor) {
		p.Add("roles", "系统管理员与审计员不能由同一账号兼任（三员分立）。")
	}
	return p.Err()
}

// UserFilter selects users for a list.
type UserFilter struct {
	UnitID int64
	Role   Role
	Query  string
	Offset int
	Limit  int
}

// PasswordPolicy is configurable; the default follows common 等保 practice.
type PasswordPolicy struct {
	MinLength  int
	MinClasses int // of lower, upper, digit, other
}

// DefaultPasswordPolicy: at least 8 characters from at least three classes.
var DefaultPasswordPolicy = PasswordPolicy{MinLength: 8, MinClasses: 3}

// Check returns a Chinese message when the password does not meet the policy.
func (p PasswordPolicy) Check(password, username string) error {
	var lower, upper, digit, other bool
	for _, r := range password {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		default:
			other = true
		}
	}
	classes := 0
	for _, b := range []bool{lower, upper, digit, other} {
		if b {
			classes++
		}
	}
	probs := Problems{}
	switch {
	case len([]rune(password)) < p.MinLength:
		probs.Add("password", fmt.Sprintf("密码至少需要%d个字符。", p.MinLength))
	case classes < p.MinClasses:
		probs.Add("password", fmt.Sprintf("密码需包含小写字母、大写字母、数字、符号中的至少%d类。", p.MinClasses))
	case len(password) > 128:
		probs.Add("password", "密码不能超过128个字符。")
	case username != "" && strings.Contains(strings.ToLower(password), strings.ToLower(username)):
		probs.Add("password", "密码不能包含用户名。")
	}
	return probs.Err()
}

// APIToken is a bearer token's record; the secret itself is shown once and stored hashed.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	Prefix     string // first characters, to recognise a token in the list
	CreatedAt  time.Time
	LastUsedAt time.Time
	RevokedAt  time.Time
}

// Actor is who performs a change, for authorization and the audit log.
type Actor struct {
	User *User  // nil for the system (CLI bootstrap, jobs)
	Via  string // web, api, cli, job
	IP   string
}

// Name is how the actor appears in the audit log.
func (a Actor) Name() string {
	if a.User == nil {
		return "system"
	}
	return a.User.Username
}

// DisplayName is how a record names who acted for people to read: the user's name, or
// 系统 for the system (Name is the login, for the audit trail).
func (a Actor) DisplayName() string {
	switch {
	case a.User == nil:
		return "系统"
	case a.User.DisplayName != "":
		return a.User.DisplayName
	}
	return a.User.Username
}

// UserID is 0 for the system.
func (a Actor) UserID() int64 {
	if a.User == nil {
		return 0
	}
	return a.User.ID
}
