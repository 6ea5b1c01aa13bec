-- A budget may count expenses in other currencies, converted into its own with the rate of
-- their day (docs/money.md, "Budgets in a home currency"). Existing budgets keep counting only
-- their own currency.
ALTER TABLE budgets ADD COLUMN convert_foreign boolean NOT NULL DEFAULT false;
