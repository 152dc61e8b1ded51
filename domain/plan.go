package domain

// PlanMetrics are what a sales plan may set, each counted in a calendar
// month in Moscow time (../shared/API.md, "Plans and forecasts"): roubles
// and number of deals won, deals created, calls and meetings done. The
// CRM stores plans of these; the plan reports count their facts.
var PlanMetrics = []string{"won_amount", "won_count", "new_deals", "calls", "meetings"}

// ForecastCategories are the categories of an open deal in the sales
// forecast, most certain first: commit (the responsible vouches for it),
// best_case (may well close), pipeline (the rest). A deal's category is
// set by hand or, when not, follows its stage's probability
// (ForecastCategoryOf).
var ForecastCategories = []string{"commit", "best_case", "pipeline"}

// The stage probabilities (percent) from which a deal without a category
// of its own counts as commit or best case.
const (
	CommitFromProbability   = 60
	BestCaseFromProbability = 30
)

// ForecastCategoryOf is the category of a deal without one set by hand,
// from its stage's probability in percent.
func ForecastCategoryOf(probability int) string {
	switch {
	case probability >= CommitFromProbability:
		return "commit"
	case probability >= BestCaseFromProbability:
		return "best_case"
	}
	return "pipeline"
}
