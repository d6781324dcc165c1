// Package demo loads a fictional city — units and one account per role — into an empty
// database, so that the platform can be tried, shown and tested end to end without any
// real data. Everything it creates is visibly fictional: the city's name says so, the
// codes sit in an unassigned range (3699xx) and the phone numbers use the 0000 prefix,
// which no real exchange answers.
package demo

import (
	"context"
	"fmt"

	"beizeng/internal/auth"
	"beizeng/internal/domain"
	"beizeng/internal/store"
)

// Password is every demo account's password. One shared, printed password is the point
// of a demo; it meets the default policy and contains no demo username.
const Password = "Beizeng@2026"

// CityCode is the fictional city's code; the demo users' units hang below it.
const CityCode = "369900"

// ErrNotEmpty refuses to mix the fictional city with real units.
var ErrNotEmpty = domain.Errorf(domain.ECONFLICT, "数据库中已有单位数据：演示数据只能载入空数据库。")

// Account is one demo login, for printing.
type Account struct {
	Username    string
	DisplayName string
	Password    string
	Roles       []domain.Role
	UnitCode    string
	UnitName    string
}

// Result is what Load created.
type Result struct {
	City     string
	Units    map[domain.UnitKind]int
	Accounts []Account
}

// unitSpec is a unit of the fictional city; parent names another spec's code.
type unitSpec struct {
	code, name string
	kind       domain.UnitKind
	parent     string
	assessed   bool
	person     string
	phone      string
}

// units lists the city in creation order: a parent always comes before its children.
var units = []unitSpec{
	{CityCode, "瓷都市（虚构示例）", domain.UnitCity, "", false, "陈立新", "0000-6990001"},

	{"369901", "东湖区", domain.UnitCounty, CityCode, true, "王建国", "0000-6990101"},
	{"369902", "西山区", domain.UnitCounty, CityCode, true, "李晓燕", "0000-6990201"},
	{"369921", "南溪县", domain.UnitCounty, CityCode, true, "张伟", "0000-6992101"},
	{"369981", "北岭市", domain.UnitCounty, CityCode, true, "刘芳", "0000-6998101"},

	{"P369901", "东湖高新技术产业开发区", domain.UnitPark, "369901", true, "赵磊", "0000-6990111"},
	{"P369902", "西山经济开发区", domain.UnitPark, "369902", true, "孙丽", "0000-6990211"},
	{"P369921", "南溪工业园区", domain.UnitPark, "369921", true, "周强", "0000-6992111"},

	{"D01", "市发展改革委", domain.UnitDepartment, CityCode, false, "吴敏", "0000-6991001"},
	{"D02", "市工业和信息化局", domain.UnitDepartment, CityCode, false, "郑海", "0000-6991002"},
	{"D03", "市商务局", domain.UnitDepartment, CityCode, false, "冯静", "0000-6991003"},
	{"D04", "市自然资源局", domain.UnitDepartment, CityCode, false, "陈刚", "0000-6991004"},
	{"D05", "市生态环境局", domain.UnitDepartment, CityCode, false, "褚红", "0000-6991005"},
	{"D06", "市住房城乡建设局", domain.UnitDepartment, CityCode, false, "卫东", "0000-6991006"},
	{"D07", "市市场监管局", domain.UnitDepartment, CityCode, false, "蒋平", "0000-6991007"},
	{"D08", "市税务局", domain.UnitDepartment, CityCode, false, "沈洁", "0000-6991008"},
	{"D09", "市财政局", domain.UnitDepartment, CityCode, false, "韩勇", "0000-6991009"},
	{"D10", "市人社局", domain.UnitDepartment, CityCode, false, "杨帆", "0000-6991010"},
	{"D11", "市科技局", domain.UnitDepartment, CityCode, false, "朱琳", "0000-6991011"},
	{"D12", "市行政审批局", domain.UnitDepartment, CityCode, false, "秦松", "0000-6991012"},
}

// accounts lists one user per role, plus a second reporter in another county so that
// own-unit and other-unit access can be tried side by side.
var accounts = []struct {
	username, name, unit string
	roles                []domain.Role
}{
	{"admin", "系统管理员（示例）", CityCode, []domain.Role{domain.RoleAdmin}},
	{"coordinator", "倍增办 许诺（示例）", CityCode, []domain.Role{domain.RoleCoordinator}},
	{"reporter", "东湖区填报员 何田（示例）", "369901", []domain.Role{domain.RoleReporter}},
	{"reporter2", "西山区填报员 吕岩（示例）", "369902", []domain.Role{domain.RoleReporter}},
	{"handler", "工信局办理人 施然（示例）", "D02", []domain.Role{domain.RoleHandler}},
	{"leader", "市领导 孔明远（示例）", CityCode, []domain.Role{domain.RoleLeader}},
	{"auditor", "审计员 曹正（示例）", CityCode, []domain.Role{domain.RoleAuditor}},
}

// Accounts lists the demo logins. They are fixed, so a demo database's accounts can be
// printed again later (as long as nobody changed the passwords).
func Accounts() []Account {
	names := make(map[string]string, len(units))
	for _, u := range units {
		names[u.code] = u.name
	}
	out := make([]Account, 0, len(accounts))
	for _, a := range accounts {
		out = append(out, Account{Username: a.username, DisplayName: a.name, Password: Password,
			Roles: a.roles, UnitCode: a.unit, UnitName: names[a.unit]})
	}
	return out
}

// Load creates the fictional city in an empty database and marks the database as a demo.
// Each unit and user is its own audited transaction; should loading fail half way, the
// database is no longer empty and must be recreated before trying again.
func Load(ctx context.Context, st *store.Store, svc *auth.Service, actor domain.Actor) (*Result, error) {
	n, err := st.CountUnits(ctx)
	if err != nil {
		return nil, fmt.Errorf("load demo: %w", err)
	}
	if n > 0 {
		return nil, ErrNotEmpty
	}
	// Check against the policy in force, so that a stricter configured policy fails here
	// with its own message instead of leaving accounts that the policy would refuse.
	if err := svc.Settings().Password.Check(Password, ""); err != nil {
		return nil, domain.Errorf(domain.EINVALID, "演示密码 %s 不符合当前密码策略（%s）：请放宽 --password-min-length / --password-min-classes 后再载入演示数据。",
			Password, domain.ErrorFields(err)["password"])
	}

	res := &Result{City: units[0].name, Units: map[domain.UnitKind]int{}}
	ids := make(map[string]int64, len(units))
	for i, s := range units {
		u := &domain.Unit{Code: s.code, Name: s.name, Kind: s.kind, ParentID: ids[s.parent],
			Assessed: s.assessed, SortOrder: (i + 1) * 10, Active: true,
			ContactPerson: s.person, ContactPhone: s.phone}
		if err := st.CreateUnit(ctx, actor, u); err != nil {
			return nil, fmt.Errorf("load demo unit %s: %w", s.code, err)
		}
		ids[s.code] = u.ID
		res.Units[s.kind]++
	}

	for _, a := range Accounts() {
		if err := CreateAccount(ctx, st, svc, actor, a, ids[a.UnitCode]); err != nil {
			return nil, err
		}
		res.Accounts = append(res.Accounts, a)
	}

	if err := loadCampaign(ctx, st, actor, ids, st.Now()); err != nil {
		return nil, fmt.Errorf("load demo: %w", err)
	}
	if err := loadCalendar(ctx, st, actor, st.Now()); err != nil {
		return nil, fmt.Errorf("load demo: %w", err)
	}
	if err := loadMeetings(ctx, st, actor, ids, st.Now()); err != nil {
		return nil, fmt.Errorf("load demo: %w", err)
	}
	if err := loadBulletin(ctx, st, actor, st.Now()); err != nil {
		return nil, fmt.Errorf("load demo: %w", err)
	}
	if err := loadService(ctx, st, actor, ids, st.Now()); err != nil {
		return nil, fmt.Errorf("load demo: %w", err)
	}
	if err := st.SetSetting(ctx, actor, store.SettingDemo, "1"); err != nil {
		return nil, fmt.Errorf("load demo: %w", err)
	}
	return res, nil
}

// CreateAccount creates a demo login in the unit, its shared password usable at once.
// The province-scale synthetic dataset creates the same logins in its own units.
func CreateAccount(ctx context.Context, st *store.Store, svc *auth.Service, actor domain.Actor, a Account, unitID int64) error {
	u := &domain.User{Username: a.Username, DisplayName: a.DisplayName, UnitID: unitID, Roles: a.Roles}
	if err := svc.CreateUser(ctx, actor, u, a.Password); err != nil {
		return fmt.Errorf("load demo user %s: %w", a.Username, err)
	}
	// CreateUser marks the password initial; a demo account's password is meant to be
	// shared, so the first login should not be stopped by a forced change.
	hash, err := auth.HashPassword(a.Password)
	if err != nil {
		return err
	}
	if err := st.SetPassword(ctx, actor, u.ID, hash, false, ""); err != nil {
		return fmt.Errorf("load demo user %s: %w", a.Username, err)
	}
	return nil
}
