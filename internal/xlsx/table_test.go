package xlsx

import (
	"bytes"
	"testing"
)

func TestWriteReadBack(t *testing.T) {
	var buf bytes.Buffer
	err := Write(&buf, Table{Sheet: "单位", Title: "单位名录", Headers: []string{"编码", "名称", "数量"},
		Rows: [][]any{{"360202", "昌江区", 3}, {"360203", "珠山区", 12.5}}},
		Table{Sheet: "第二页", Headers: []string{"a"}, Rows: [][]any{{"x"}}})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := ReadRows(bytes.NewReader(buf.Bytes()), "单位")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"单位名录"}, {"编码", "名称", "数量"}, {"360202", "昌江区", "3"}, {"360203", "珠山区", "12.5"}}
	if len(rows) != len(want) {
		t.Fatalf("rows = %q", rows)
	}
	for i := range want {
		for j := range want[i] {
			if rows[i][j] != want[i][j] {
				t.Errorf("cell %d,%d = %q, want %q", i, j, rows[i][j], want[i][j])
			}
		}
	}
	if _, err := ReadRows(bytes.NewReader([]byte("not a zip")), "x"); err == nil {
		t.Fatal("garbage accepted")
	}
}
