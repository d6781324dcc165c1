package report

import (
	"encoding/json"
	"fmt"
)

// HeaderCell is one cell of a table's two-row header: a group label spanning its
// columns over their own labels, or a column without a group spanning both rows.
type HeaderCell struct {
	Label   string
	Span    int  // columns covered
	Grouped bool // a group label: its columns' labels are on the second row
}

// Header lays out a table's first header row; the page, the print view and the XLSX
// export share it.
func (t Table) Header() (top []HeaderCell) {
	for i := 0; i < len(t.Columns); i++ {
		c := t.Columns[i]
		if c.Group == "" {
			top = append(top, HeaderCell{Label: c.Label, Span: 1})
			continue
		}
		span := 1
		for i+span < len(t.Columns) && t.Columns[i+span].Group == c.Group {
			span++
		}
		top = append(top, HeaderCell{Label: c.Group, Span: span, Grouped: true})
		i += span - 1
	}
	return top
}

// Grouped reports whether the header needs a second row.
func (t Table) Grouped() bool { return len(t.SubLabels()) > 0 }

// SubLabels are the second header row: the labels of grouped columns, in order.
func (t Table) SubLabels() []string {
	var out []string
	for _, c := range t.Columns {
		if c.Group != "" {
			out = append(out, c.Label)
		}
	}
	return out
}

var numerals = []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}

// ChineseNumber writes 1..99 as an official document numbers its sections: 一, 十二, 二十.
func ChineseNumber(n int) string {
	switch {
	case n >= 1 && n <= 10:
		return numerals[n-1]
	case n > 10 && n < 20:
		return "十" + numerals[n-11]
	case n >= 20 && n < 100 && n%10 == 0:
		return numerals[n/10-1] + "十"
	case n > 20 && n < 100:
		return numerals[n/10-1] + "十" + numerals[n%10-1]
	}
	return fmt.Sprint(n)
}

// NumberedSection is a section with its number in the document (一、二、…).
type NumberedSection struct {
	Number string
	Section
}

// Numbered lists the sections with their numbers.
func (b *Bulletin) Numbered() []NumberedSection {
	out := make([]NumberedSection, len(b.Sections))
	for i, s := range b.Sections {
		out[i] = NumberedSection{Number: ChineseNumber(i + 1), Section: s}
	}
	return out
}

// Snapshot is the bulletin as stored when published.
func Snapshot(b *Bulletin) ([]byte, error) {
	return json.Marshal(b)
}

// ParseSnapshot reads a stored bulletin back.
func ParseSnapshot(content []byte) (*Bulletin, error) {
	var b Bulletin
	if err := json.Unmarshal(content, &b); err != nil {
		return nil, fmt.Errorf("read bulletin snapshot: %w", err)
	}
	return &b, nil
}
