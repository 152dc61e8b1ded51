package domain

// PlanMetrics are what a sales plan may set, each counted in a calendar
// month in Moscow time (../shared/API.md, "Plans and forecasts"): roubles
// and number of deals won, deals created, calls and meetings done. The
// CRM stores plans of these; the plan reports count their facts.
var PlanMetrics = []string{"won_amount", "won_count", "new_deals", "calls", "meetings"}
