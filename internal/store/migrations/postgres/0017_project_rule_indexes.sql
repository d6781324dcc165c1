-- Derived indicators count or sum projects whose stage date falls in the period, most
-- often above an amount (亿元以上项目 signed, started), grouped by unit. With the amount
-- and the unit in the index, such a rule is answered from the index alone instead of
-- visiting tens of thousands of rows; the new indexes also serve everything the
-- single-column ones did.
CREATE INDEX projects_signed_rule ON projects(signed_on, contract_investment, unit_id);
CREATE INDEX projects_started_rule ON projects(started_on, contract_investment, unit_id);
DROP INDEX projects_signed;
DROP INDEX projects_started;
