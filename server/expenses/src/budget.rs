//! Budget periods: the rule lives in `expense_api::periods`, shared with the notifications
//! service, which alerts on the same periods.

pub use expense_api::periods::monthly_period;
