// Package domain holds beizeng's entities, their validation, error codes and the pure
// calculations the campaign's numbers obey. It imports nothing but the standard library.
package domain

import (
	"errors"
	"fmt"
)

// Error codes shared by the store, the UI and the API. One place (the web layer) maps
// them to HTTP statuses; everything else only chooses the code.
const (
	ECONFLICT     = "conflict"
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	EFORBIDDEN    = "forbidden"
	EUNAUTHORIZED = "unauthorized"
	ELOCKED       = "locked"
	ETHROTTLED    = "throttled"
	// EUNAVAILABLE: the server cannot do this now (a facility it lacks, or one that is
	// busy); nothing is wrong with the request, and trying later or elsewhere may work.
	EUNAVAILABLE = "unavailable"
	EINTERNAL    = "internal"
)

// Error is an application error: a code, a message a user can read (in Chinese) and,
// for invalid input, the problem with each field.
type Error struct {
	Code    string
	Message string
	Fields  map[string]string
}

func (e *Error) Error() string {
	if len(e.Fields) > 0 {
		return fmt.Sprintf("%s: %s %v", e.Code, e.Message, e.Fields)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an application error with a formatted user-facing message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of an application error, or EINTERNAL for any other error.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return ""
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message, hiding internals of unexpected errors.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "系统内部错误，请稍后重试或联系管理员。"
}

// ErrorFields returns the per-field problems of an invalid-input error.
func ErrorFields(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Problems collects per-field validation problems; Err turns them into an EINVALID error.
type Problems map[string]string

// Add records the first problem of a field.
func (p Problems) Add(field, msg string) {
	if _, ok := p[field]; !ok {
		p[field] = msg
	}
}

// Err returns nil when there are no problems.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "提交的内容有误，请按提示修改。", Fields: p}
}

// ErrConflict is what a stale write gets.
func ErrConflict(what string) *Error {
	return Errorf(ECONFLICT, "该%s已被他人修改，请刷新后重试。", what)
}

// ErrNotFound is what a missing record gets.
func ErrNotFound(what string) *Error {
	return Errorf(ENOTFOUND, "未找到该%s。", what)
}

// ErrForbidden is what the authorization policy answers.
var ErrForbidden = &Error{Code: EFORBIDDEN, Message: "您没有权限执行此操作。"}
