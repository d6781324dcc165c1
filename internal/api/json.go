package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"beizeng/internal/domain"
)

// maxBody bounds a request body: every API body is a small object, and an unbounded read
// would let one client exhaust the server's memory.
const maxBody = 1 << 20

// decode reads exactly one JSON object into dst, refusing unknown fields so that a
// misspelt field is an error instead of silently ignored input.
func decode(w http.ResponseWriter, r *http.Request, dst any) error {
	// Requiring the JSON media type also keeps out the "simple" cross-site requests a
	// plain HTML form can send, whatever the browser's Fetch Metadata support.
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return &requestError{status: http.StatusUnsupportedMediaType,
			err: domain.Errorf(domain.EINVALID, "请求体应为 JSON，请设置 Content-Type: application/json。")}
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}
	var extra json.RawMessage
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
		return nil
	case isTooLarge(err):
		return decodeError(err)
	}
	return badRequest("请求体只能包含一个 JSON 值，第一个值之后还有多余内容。")
}

func isTooLarge(err error) bool {
	var mbe *http.MaxBytesError
	return errors.As(err, &mbe)
}

// decodeError explains in Chinese what is wrong with a body the decoder refused.
func decodeError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case isTooLarge(err):
		return &requestError{status: http.StatusRequestEntityTooLarge,
			err: domain.Errorf(domain.EINVALID, "请求体超过 %d 字节（1 MiB）的上限。", maxBody)}
	case errors.Is(err, io.EOF):
		return badRequest("请求体为空，应为一个 JSON 对象。")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("请求体不是有效的 JSON：内容不完整。")
	case errors.As(err, &syntax):
		return badRequest("请求体不是有效的 JSON：第 %d 字节附近有语法错误（%s）。", syntax.Offset, syntax.Error())
	case errors.As(err, &typ):
		if typ.Field == "" {
			return badRequest("请求体应为一个 JSON 对象。")
		}
		msg := fmt.Sprintf("应为%s。", kindName(typ.Type))
		re := badRequest("字段 %q 的类型不对：%s", typ.Field, msg).(*requestError)
		re.err.Fields = map[string]string{typ.Field: msg}
		return re
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		// encoding/json has no error type for this case; the message is its documented form.
		name, uerr := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		if uerr != nil {
			name = strings.TrimPrefix(err.Error(), "json: unknown field ")
		}
		return badRequest("未知字段 %q：请对照 API 文档（/api/v1/openapi.yaml）检查字段名。", name)
	}
	return badRequest("无法读取请求体：%v", err)
}

// kindName names a Go type as a JSON client sees it.
func kindName(t reflect.Type) string {
	if t == nil {
		return "其他类型"
	}
	switch t.Kind() {
	case reflect.String:
		return "字符串"
	case reflect.Bool:
		return "布尔值 true 或 false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "整数"
	case reflect.Float32, reflect.Float64:
		return "数字"
	case reflect.Slice, reflect.Array:
		return "数组"
	case reflect.Map, reflect.Struct:
		return "对象"
	}
	return t.String()
}

// optional is a field of an update body: absent keeps the current value, so a client
// may send only what it changes; null is told apart so that it can mean "none" where a
// field allows it (parent_id) and be refused where it does not.
type optional[T any] struct {
	Set, Null bool
	V         T
}

func (o *optional[T]) UnmarshalJSON(b []byte) error {
	o.Set = true
	if string(b) == "null" {
		o.Null = true
		return nil
	}
	return json.Unmarshal(b, &o.V)
}

// apply copies a present field to dst, recording a problem for null.
func apply[T any](p domain.Problems, name string, o optional[T], dst *T) {
	switch {
	case !o.Set:
	case o.Null:
		p.Add(name, "不能为 null；不修改时请省略该字段。")
	default:
		*dst = o.V
	}
}

// versionMissing asks for the version an update is based on.
const versionMissing = "请提供 version：读取该记录时得到的版本号，用于防止覆盖他人的修改。"

// requireVersion reads the version an update is based on. Without it optimistic
// concurrency could not tell a stale write from a fresh one.
func requireVersion(p domain.Problems, o optional[int64]) int64 {
	if !o.Set || o.Null || o.V <= 0 {
		p.Add("version", versionMissing)
		return 0
	}
	return o.V
}

// writeJSON answers v with the status. The body is marshalled before the header is
// written, so an encoding failure can still become a proper 500.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b = []byte(`{"error":{"code":"internal","message":"` + domain.ErrorMessage(err) + `"}}`)
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	// Responses carry personal data and, once, token secrets: no cache may keep them.
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(b)
	w.Write([]byte("\n"))
}

// page is the envelope of every list.
type page[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
}
