package demo

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"time"

	"beizeng/internal/domain"
	"beizeng/internal/store"
)

// showcase is a hand-made demo project whose dates, relative to today, trip the warnings
// it is named for, so that every warning rule can be seen on the warnings page.
type showcase struct {
	name, unit, park string
	warns            []string // the warning codes it is made to trip (for the test)
	build            func(p *domain.Project, day func(int) string)
	noteDaysAgo      int // 0: no note
}

// showcases trip every warning kind of domain.WarningLabels under the default rules, on
// top of what the generated projects trip by chance. funds_behind cannot fire in January
// (time progress is then 0/12).
var showcases = []showcase{
	{name: "陶瓷新材料产业园项目（示例·闲置土地）", unit: "369901", park: "P369901",
		warns: []string{domain.WarnIdleLand, domain.WarnNotStarted, domain.WarnPlannedStart},
		build: func(p *domain.Project, day func(int) string) {
			p.Stage, p.SignedOn, p.RegisteredOn, p.LandSuppliedOn = "land_supplied", day(540), day(520), day(400)
			p.ContractInvestment, p.FixedInvestment, p.LandMu = 12*yi, 9*yi, domain.DecFromInt(260)
			p.PlannedStartOn, p.PlannedProductionOn = day(370), day(-200)
		}, noteDaysAgo: 6},
	{name: "航空零部件精密加工项目（示例·资金到位滞后）", unit: "369902", park: "P369902",
		warns: []string{domain.WarnFundsBehind},
		build: func(p *domain.Project, day func(int) string) {
			p.Stage, p.SignedOn, p.StartedOn = "started", day(300), day(240)
			p.ContractInvestment, p.FixedInvestment, p.FundsInPlace, p.LandMu = 8*yi, 6*yi, 4000_0000, domain.DecFromInt(120)
			p.PlannedStartOn, p.PlannedProductionOn = day(250), day(-120)
			p.ExpectedTax = 3000_0000
		}, noteDaysAgo: 3},
	{name: "锂电池正极材料扩产项目（示例·超计划投产）", unit: "369921", park: "P369921",
		warns: []string{domain.WarnPlannedProduction},
		build: func(p *domain.Project, day func(int) string) {
			p.Stage, p.SignedOn, p.StartedOn = "started", day(600), day(560)
			p.ContractInvestment, p.FixedInvestment, p.FundsInPlace, p.LandMu = 6*yi, 5*yi, 58000_0000, domain.DecFromInt(150)
			p.PlannedStartOn, p.PlannedProductionOn = day(570), day(45)
		}, noteDaysAgo: 2},
	{name: "智能装备研发中心项目（示例·长期无进展）", unit: "369981",
		warns: []string{domain.WarnNoNote},
		build: func(p *domain.Project, day func(int) string) {
			p.Stage, p.SignedOn, p.StartedOn = "started", day(200), day(150)
			p.ContractInvestment, p.FixedInvestment, p.FundsInPlace = 3*yi, 2*yi, 29000_0000
			p.PlannedStartOn, p.PlannedProductionOn = day(160), day(-180)
		}, noteDaysAgo: 75},
	{name: "新型电子元器件生产基地（示例·签约未开工）", unit: "369901", park: "P369901",
		warns: []string{domain.WarnNotStarted},
		build: func(p *domain.Project, day func(int) string) {
			p.Stage, p.SignedOn = "signed", day(120)
			p.ContractInvestment, p.FixedInvestment = 5*yi, 4*yi
			p.PlannedStartOn, p.PlannedProductionOn = day(-30), day(-400)
		}, noteDaysAgo: 10},
	{name: "绿色建材智能制造项目（示例·超计划开工）", unit: "369902",
		warns: []string{domain.WarnPlannedStart},
		build: func(p *domain.Project, day func(int) string) {
			p.Stage, p.SignedOn = "signed", day(60)
			p.ContractInvestment, p.FixedInvestment = 2*yi, 150_000_000
			p.PlannedStartOn, p.PlannedProductionOn = day(10), day(-350)
		}, noteDaysAgo: 4},
	{name: "外资高端医疗器械项目（示例·5020候选）", unit: "369901", park: "P369901",
		build: func(p *domain.Project, day func(int) string) {
			p.Stage, p.SignedOn, p.StartedOn = "started", day(90), day(40)
			p.CapitalSource, p.Currency, p.ExchangeRate, p.ContractInvestmentOrig = "foreign", "USD", domain.Dec(71000), 3_2000_0000
			p.InvestorOrigin, p.Chain, p.Tags = "新加坡", "生物医药", []string{"世界500强", "上市公司"}
			p.FixedInvestment, p.FundsInPlace, p.LandMu, p.ExpectedTax = 18*yi, 20*yi, domain.DecFromInt(300), 1*yi
			p.PlannedStartOn, p.PlannedProductionOn = day(45), day(-500)
		}, noteDaysAgo: 1},
}

// loadShowcase creates the showcase projects with a recent note each (unless made to
// lack one) and attaches a fictional agreement (PDF) and site photo (PNG) to the first.
func loadShowcase(ctx context.Context, st *store.Store, actor domain.Actor, ids map[string]int64, today time.Time) error {
	day := func(ago int) string { return today.AddDate(0, 0, -ago).Format(time.DateOnly) }
	for i, s := range showcases {
		p := &domain.Project{Name: s.name, UnitID: ids[s.unit], ParkID: ids[s.park], IndustrySection: "C", IndustryDivision: "30"}
		p.Industrial, p.InvestorName, p.ContactPerson, p.ContactPhone = true, "某某实业集团有限公司（虚构）", "项目专员", "0000-6990999"
		s.build(p, day)
		if err := st.CreateProject(ctx, actor, p); err != nil {
			return fmt.Errorf("showcase project %s: %w", s.name, err)
		}
		if s.noteDaysAgo > 0 {
			if _, err := st.AddProjectNote(ctx, actor, p.ID, day(s.noteDaysAgo), "挂点领导现场调度，明确下一步节点。"); err != nil {
				return fmt.Errorf("showcase note %s: %w", s.name, err)
			}
		}
		if i > 0 {
			continue
		}
		photo, err := demoPNG()
		if err != nil {
			return err
		}
		for _, a := range []struct {
			kind, name string
			body       []byte
		}{{domain.AttachmentAgreement, "投资协议（示例）.pdf", demoPDF()}, {domain.AttachmentPhoto, "项目现场（示例）.png", photo}} {
			if _, err := st.AddAttachment(ctx, actor, p.ID, a.kind, a.name, "", a.body); err != nil {
				return fmt.Errorf("showcase attachment %s: %w", a.name, err)
			}
		}
	}
	return nil
}

// ShowcaseWarnings are the warning codes the showcase projects are made to trip.
func ShowcaseWarnings() []string {
	var out []string
	for _, s := range showcases {
		out = append(out, s.warns...)
	}
	return out
}

// demoPDF is a one-page PDF that says it is a fictional sample (ASCII only: the standard
// fonts have no Chinese).
func demoPDF() []byte {
	text := "Sample investment agreement - fictional demo data"
	content := fmt.Sprintf("BT /F1 14 Tf 60 760 Td (%s) Tj ET", text)
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R /Info << /Title (%s) >> >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, "demo", xref)
	return b.Bytes()
}

// demoPNG is a small generated picture: sky over a grey factory block on green ground.
func demoPNG() ([]byte, error) {
	img := image.NewRGBA(image.Rect(0, 0, 160, 100))
	for y := range 100 {
		for x := range 160 {
			c := color.RGBA{135, 190, 235, 255}
			switch {
			case y >= 75:
				c = color.RGBA{110, 170, 90, 255}
			case x >= 40 && x < 120 && y >= 35:
				c = color.RGBA{150, 150, 155, 255}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// loadProjectSettings gives the high-tech zone a stricter intensity benchmark than the
// city's and the development zone a lower one, so that the quality page shows parks'
// own benchmarks at work.
func loadProjectSettings(ctx context.Context, st *store.Store, actor domain.Actor, ids map[string]int64) error {
	q, err := st.QualityScheme(ctx)
	if err != nil {
		return err
	}
	q.ParkIntensity = map[int64]domain.Dec{ids["P369901"]: domain.DecFromInt(400), ids["P369902"]: domain.DecFromInt(250)}
	if err := st.SetProjectAnalysisRules(ctx, actor, domain.DefaultWarningRules, q, domain.DefaultPerformanceRule); err != nil {
		return fmt.Errorf("demo project settings: %w", err)
	}
	return nil
}
