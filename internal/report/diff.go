package report

// Change is one difference between a published bulletin and a fresh computation.
type Change struct {
	Kind    string `json:"kind"` // "changed", "added" (a row only now), "removed" (a row only then)
	Section string `json:"section"`
	Table   string `json:"table,omitempty"`
	Row     string `json:"row,omitempty"`
	Column  string `json:"column,omitempty"`
	Old     string `json:"old,omitempty"`
	New     string `json:"new,omitempty"`
}

// Change kinds.
const (
	Changed = "changed"
	Added   = "added"
	Removed = "removed"
)

// Diff compares a published bulletin with a fresh one cell by cell: sections, tables and
// rows are matched by key and cells by column key, so a reordered ranking is not a change
// but a moved rank is. Rows present on one side only are added or removed; texts
// (narrative, section paragraphs) compare whole.
func Diff(old, cur *Bulletin) []Change {
	var out []Change
	if old.Narrative != cur.Narrative {
		out = append(out, Change{Kind: Changed, Section: "通报正文", Old: old.Narrative, New: cur.Narrative})
	}
	curSections := map[string]Section{}
	for _, s := range cur.Sections {
		curSections[s.Key] = s
	}
	seen := map[string]bool{}
	for _, os := range old.Sections {
		seen[os.Key] = true
		ns, ok := curSections[os.Key]
		if !ok {
			out = append(out, Change{Kind: Removed, Section: os.Title})
			continue
		}
		if os.Text != ns.Text && os.Key != SectionOverview { // the overview's text is the narrative
			out = append(out, Change{Kind: Changed, Section: os.Title, Old: os.Text, New: ns.Text})
		}
		out = append(out, diffTables(os.Title, os.Tables, ns.Tables)...)
	}
	for _, ns := range cur.Sections {
		if !seen[ns.Key] {
			out = append(out, Change{Kind: Added, Section: ns.Title})
		}
	}
	return out
}

func diffTables(section string, old, cur []Table) []Change {
	var out []Change
	curTables := map[string]Table{}
	for _, t := range cur {
		curTables[t.Key] = t
	}
	seen := map[string]bool{}
	for _, ot := range old {
		seen[ot.Key] = true
		nt, ok := curTables[ot.Key]
		if !ok {
			out = append(out, Change{Kind: Removed, Section: section, Table: ot.Title})
			continue
		}
		out = append(out, diffRows(section, ot, nt)...)
	}
	for _, nt := range cur {
		if !seen[nt.Key] {
			out = append(out, Change{Kind: Added, Section: section, Table: nt.Title})
		}
	}
	return out
}

func rowLabel(r Row) string {
	if len(r.Cells) == 0 {
		return r.Key
	}
	return r.Cells[0].Text
}

func diffRows(section string, old, cur Table) []Change {
	var out []Change
	curRows := map[string]Row{}
	for _, r := range cur.Rows {
		curRows[r.Key] = r
	}
	curCol := map[string]int{}
	for i, c := range cur.Columns {
		curCol[c.Key] = i
	}
	seen := map[string]bool{}
	for _, or := range old.Rows {
		seen[or.Key] = true
		nr, ok := curRows[or.Key]
		if !ok {
			out = append(out, Change{Kind: Removed, Section: section, Table: old.Title, Row: rowLabel(or)})
			continue
		}
		for i, c := range old.Columns {
			j, ok := curCol[c.Key]
			if !ok || i >= len(or.Cells) || j >= len(nr.Cells) {
				continue
			}
			if or.Cells[i].Text != nr.Cells[j].Text {
				label := c.Label
				if c.Group != "" {
					label = c.Group + c.Label
				}
				out = append(out, Change{Kind: Changed, Section: section, Table: old.Title, Row: rowLabel(or), Column: label,
					Old: or.Cells[i].Text, New: nr.Cells[j].Text})
			}
		}
	}
	for _, nr := range cur.Rows {
		if !seen[nr.Key] {
			out = append(out, Change{Kind: Added, Section: section, Table: cur.Title, Row: rowLabel(nr)})
		}
	}
	if old.More != cur.More {
		out = append(out, Change{Kind: Changed, Section: section, Table: old.Title, Row: "未列出", Old: count(int64(old.More)), New: count(int64(cur.More))})
	}
	return out
}
