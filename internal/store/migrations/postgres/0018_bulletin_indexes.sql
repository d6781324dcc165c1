-- The bulletin counts the projects put into production in the month and the year to
-- date per unit and contract-investment tier, as it does signed and started projects
-- (0017). With the date, the amount and the unit in one index each event is a range
-- scan of the index alone instead of a visit to every matching project's table row.
CREATE INDEX projects_produced_rule ON projects(in_production_on, contract_investment, unit_id);
