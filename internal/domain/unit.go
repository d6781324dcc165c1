package domain

import (
	"regexp"
	"strings"
	"time"
)

// UnitKind places a unit in the campaign's hierarchy.
type UnitKind string

const (
	UnitProvince   UnitKind = "province"
	UnitCity       UnitKind = "city"
	UnitCounty     UnitKind = "county"
	UnitPark       UnitKind = "park"
	UnitDepartment UnitKind = "department"
)

// UnitKinds lists the kinds in display order.
var UnitKinds = []UnitKind{UnitProvince, UnitCity, UnitCounty, UnitPark, UnitDepartment}

// Label is the kind's Chinese name.
func (k UnitKind) Label() string {
	switch k {
	case UnitProvince:
		return "省"
	case UnitCity:
		return "市"
	case UnitCounty:
		return "县（市、区）"
	case UnitPark:
		return "园区"
	case UnitDepartment:
		return "市直部门"
	}
	return string(k)
}

// Valid reports whether k is one of the known kinds.
func (k UnitKind) Valid() bool {
	for _, v := range UnitKinds {
		if k == v {
			return true
		}
	}
	return false
}

// Unit is a city, county, park or department taking part in the campaign.
type Unit struct {
	ID            int64
	Code          string // administrative division code where one exists, else internal
	Name          string
	Kind          UnitKind
	ParentID      int64 // 0 for the root
	Assessed      bool  // counts in rankings
	SortOrder     int
	Active        bool
	ContactPerson string
	ContactPhone  string
	Version       int64
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

var (
	unitCodePattern = regexp.MustCompile(`^[0-9A-Za-z_-]{2,32}$`)
	phonePattern    = regexp.MustCompile(`^[0-9+()\- ]{5,32}$`)
)

// Normalize trims the user-typed fields.
func (u *Unit) Normalize() {
	u.Code = strings.TrimSpace(u.Code)
	u.Name = strings.TrimSpace(u.Name)
	u.ContactPerson = strings.TrimSpace(u.ContactPerson)
	u.ContactPhone = strings.TrimSpace(u.ContactPhone)
}

// Validate checks a unit's own fields; the store checks uniqueness and the parent.
func (u *Unit) Validate() error {
	p := Problems{}
	if !unitCodePattern.MatchString(u.Code) {
		p.Add("code", "编码为2至32位字母、数字、下划线或连字符，例如行政区划代码 360202。")
	}
	if n := len([]rune(u.Name)); n == 0 || n > 64 {
		p.Add("name", "请填写单位名称（不超过64个字）。")
	}
	if !u.Kind.Valid() {
		p.Add("kind", "请选择单位类型。")
	}
	if u.ParentID != 0 && u.ParentID == u.ID {
		p.Add("parent_id", "上级单位不能是本单位。")
	}
	if u.SortOrder < 0 || u.SortOrder > 1_000_000 {
		p.Add("sort_order", "排序号应为0至1000000之间的整数。")
	}
	validateContact(p, u.ContactPerson, u.ContactPhone)
	return p.Err()
}

// UnitContact is the part of a unit its own reporter may edit.
type UnitContact struct {
	ContactPerson string
	ContactPhone  string
	Version       int64
}

// Validate checks the contact fields.
func (c *UnitContact) Validate() error {
	c.ContactPerson = strings.TrimSpace(c.ContactPerson)
	c.ContactPhone = strings.TrimSpace(c.ContactPhone)
	p := Problems{}
	validateContact(p, c.ContactPerson, c.ContactPhone)
	return p.Err()
}

func validateContact(p Problems, person, phone string) {
	if len([]rune(person)) > 32 {
		p.Add("contact_person", "联系人不超过32个字。")
	}
	if phone != "" && !phonePattern.MatchString(phone) {
		p.Add("contact_phone", "电话只能包含数字、空格、+、-和括号，5至32位。")
	}
}

// UnitFilter selects units for a list.
type UnitFilter struct {
	Kind     UnitKind
	ParentID int64
	Query    string // matches name or code
	Active   *bool
	Offset   int
	Limit    int
}
