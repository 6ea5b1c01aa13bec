-- A budget may count expenses in other currencies, converted into its own with the rate of
-- their day (docs/money.md, "Budgets in a home currency"). Existing budgets keep counting only
-- their own currency. A boolean is 0 or 1.
ALTER TABLE budgets ADD COLUMN convert_foreign INTEGER NOT NULL DEFAULT 0 CHECK (convert_foreign IN (0, 1));
