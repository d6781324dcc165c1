package domain

// WarningFactsOf is what the warnings look at of a loaded project.
func WarningFactsOf(p *Project) ProjectFacts {
	return ProjectFacts{
		Stage: p.Stage, SignedOn: p.SignedOn, LandSuppliedOn: p.LandSuppliedOn, StartedOn: p.StartedOn,
		InProductionOn: p.InProductionOn, TerminatedOn: p.TerminatedOn,
		PlannedStartOn: p.PlannedStartOn, PlannedProductionOn: p.PlannedProductionOn, LastNoteOn: p.LastNoteOn,
		ContractInvestment: p.ContractInvestment, FundsInPlace: p.FundsInPlace,
	}
}

// QualityFactsOf is what the quality score looks at of a loaded project (with its tags);
// parkName names its park in the explanation.
func QualityFactsOf(p *Project, parkName string) QualityFacts {
	return QualityFacts{
		ParkID: p.ParkID, ParkName: parkName, FixedInvestment: p.FixedInvestment, ExpectedTax: p.ExpectedTax, LandMu: p.LandMu, Tags: p.Tags,
		Foreign: p.ForeignCapital || p.CapitalSource == "foreign" || p.CapitalSource == "hmt",
		Chain:   p.Chain, Cert5020: p.Cert5020,
	}
}
