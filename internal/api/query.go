package api

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"beizeng/internal/domain"
)

const (
	defaultLimit = 50
	maxLimit     = 500
)

// chinaTime is the zone a bare date such as 2025-03-01 is read in: the campaign's users
// and their working days are in China Standard Time (no daylight saving).
var chinaTime = domain.ChinaTime

// query reads a request's query string, refusing parameters the endpoint does not know
// and repeated ones, so that a typo such as "limt" is an error rather than ignored.
type query struct {
	v url.Values
}

func parseQuery(r *http.Request, allowed ...string) (query, error) {
	v, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		return query{}, badRequest("查询字符串格式不正确：%v", err)
	}
	for name, vals := range v {
		if !slices.Contains(allowed, name) {
			if len(allowed) == 0 {
				return query{}, badRequest("未知查询参数 %q：该接口不接受查询参数。", name)
			}
			return query{}, badRequest("未知查询参数 %q，可用参数：%s。", name, strings.Join(allowed, ", "))
		}
		if len(vals) > 1 {
			return query{}, badRequest("查询参数 %q 只能出现一次。", name)
		}
	}
	return query{v: v}, nil
}

func (q query) str(name string) string { return strings.TrimSpace(q.v.Get(name)) }

// period reads the required year and month of a monthly figure.
func (q query) period() (year, month int, err error) {
	year, err1 := strconv.Atoi(q.str("year"))
	month, err2 := strconv.Atoi(q.str("month"))
	if err1 != nil || err2 != nil || !domain.ValidPeriod(year, month) {
		return 0, 0, badRequest("请用 year（2000–2100）和 month（1–12）指定期间。")
	}
	return year, month, nil
}

// periodOrLatest reads ?year=&month= given together, or neither: then the newest month
// with a submitted or approved report (the current report month when there is none), as
// the pages default (store.DefaultPeriod).
func (h *Handler) periodOrLatest(ctx context.Context, q query) (year, month int, err error) {
	if q.str("year") == "" && q.str("month") == "" {
		return h.store.DefaultPeriod(ctx, chinaTime)
	}
	if year, month, err = q.period(); err != nil {
		return 0, 0, badRequest("请同时用 year（2000–2100）和 month（1–12）指定期间，或都不指定（取最新已报送月份）。")
	}
	return year, month, nil
}

// scope reads the optional group of units a table ranks: all (the default), county or park.
func (q query) scope() (string, error) {
	switch s := q.str("scope"); s {
	case "":
		return "all", nil
	case "all", "county", "park":
		return s, nil
	}
	return "", badRequest("scope 应为 all、county 或 park。")
}

// id reads an optional positive integer id; absent is 0.
func (q query) id(name string) (int64, error) {
	s := q.str(name)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, badRequest("查询参数 %s 应为正整数，收到 %q。", name, s)
	}
	return n, nil
}

// boolean reads an optional true/false; absent is nil.
func (q query) boolean(name string) (*bool, error) {
	s := q.str(name)
	if s == "" {
		return nil, nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return nil, badRequest("查询参数 %s 应为 true 或 false，收到 %q。", name, s)
	}
	return &b, nil
}

// page reads offset and limit, defaulting to the first page of defaultLimit.
func (q query) page() (offset, limit int, err error) {
	limit = defaultLimit
	if s := q.str("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > maxLimit {
			return 0, 0, badRequest("查询参数 limit 应为 1 至 %d 之间的整数，收到 %q。", maxLimit, s)
		}
		limit = n
	}
	if s := q.str("offset"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return 0, 0, badRequest("查询参数 offset 应为不小于 0 的整数，收到 %q。", s)
		}
		offset = n
	}
	return offset, limit, nil
}

// instant reads an RFC 3339 instant or a date (YYYY-MM-DD, China time). A date used as an
// upper bound means the whole day, so endOfDay moves it to the next midnight.
func (q query) instant(name string, endOfDay bool) (time.Time, error) {
	s := q.str(name)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	d, err := time.ParseInLocation(time.DateOnly, s, chinaTime)
	if err != nil {
		return time.Time{}, badRequest("查询参数 %s 应为日期 YYYY-MM-DD 或 RFC 3339 时间（如 2025-03-01T08:00:00+08:00），收到 %q。", name, s)
	}
	if endOfDay {
		d = d.AddDate(0, 0, 1)
	}
	return d, nil
}

// pathID reads the {id} of the route's pattern.
// byPathID loads the record {id} names with find, refusing query parameters: a single
// record's GET, PUT and DELETE take none.
func byPathID[T any](r *http.Request, find func(context.Context, int64) (T, error)) (T, error) {
	var zero T
	if _, err := parseQuery(r); err != nil {
		return zero, err
	}
	id, err := pathID(r)
	if err != nil {
		return zero, err
	}
	return find(r.Context(), id)
}

func pathID(r *http.Request) (int64, error) {
	s := r.PathValue("id")
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, badRequest("路径中的 id 应为正整数，收到 %q。", s)
	}
	return n, nil
}
