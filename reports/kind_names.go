package reports

// The report kinds (a definition's "kind"); each is registered by its
// package in reports/kinds.

// KindGrouped is the default report kind: a dataset grouped by
// dimensions with measures (compile.go, run.go, pivot.go).
const KindGrouped = "grouped"

// KindFunnel is the funnel as a report kind: params are a FunnelRequest
// without period (the definition's period is the funnel's).
const KindFunnel = "funnel"

// KindStagePercentages is the stage-percentages report (Citeck ECOS
// style): a pipeline's deals by the stage group they are in now, with the
// group's probability, count, amount, weighted amount (amount ×
// probability / 100, per deal to the kopeck) and shares of the total.
// The period (optional) picks deals by creation date; params.responsible
// only one user's deals.
const KindStagePercentages = "stage_percentages"

// KindStageMovement is stage movement accounting: for every entry into
// an open or won stage of the pipeline in the period, what the deal did
// next (its next stage change, whenever it came): advanced to the next
// step, skipped ahead past it, went back to an earlier step, was lost,
// was paused, or is still there. With the time each stay lasted as a
// distribution (median, 90th percentile): until the next change, or up
// to now for a stay still going on in an open stage (a stay in a won
// stage counts only once it ended). Rows by stage, or by manager (the
// deal's current responsible) and stage.
const KindStageMovement = "stage_movement"

// KindManagerActivity is the manager activity report: per user over the
// period (see managerFigures for what counts and for whom) calls,
// e-mails, meetings held, tasks done, tasks overdue now, deals created,
// deals moved forward, deals won (count and amount), win rate (won /
// closed) and average days from creation to win; the team's figures are
// the totals. Users with nothing to show are left out. Covers every deal
// pipeline and every activity, or with params.pipeline that pipeline's
// deals and the activities on them.
const KindManagerActivity = "manager_activity"

// KindActivityOutcomes sets activities against outcomes: per user over
// the period, the calls, e-mails and meetings done on deals (by owner)
// against the deals won and the stages advanced (forward moves, by the
// deal's responsible; see managerFigures), and the ratios: activities of
// each type per deal won and per stage advanced (null with no outcome).
// The team's figures are the totals. Covers every deal pipeline, or the
// one params.pipeline names.
const KindActivityOutcomes = "activity_outcomes"

// KindActivityHeatmap counts activities per owner and day, week or month
// of their creation over the period: the rows a people × time heatmap
// draws, aggregated at a grain that keeps them few (params.grain, or by
// the period's length: days up to 62 days, weeks up to two years, months
// beyond), so every owner with activities in the period is in the
// answer. Params narrow it to one deal pipeline's deals (pipeline) and to
// one owner (owner).
const KindActivityHeatmap = "activity_heatmap"

// KindPlanFact is план-факт: per responsible, a plan metric's target for
// a month against its fact up to params.as_of, with the month's working
// days and those passed (the production calendar) and a run-rate
// forecast (../shared/API.md, "Plans and forecasts").
const KindPlanFact = "plan_fact"

// KindForecast is the sales forecast: per month and responsible, the
// amount won, the open deals expected to close in the month (best case
// and weighted by stage probability) and the won_amount plan.
const KindForecast = "forecast"

// KindForecastAccuracy is how good past forecasts were: per month and
// responsible, the forecast as it stood just before the month began
// (the open deals then expected to close in it, as they were then: best
// case, weighted by the stage they were in, and the commit category)
// against the roubles won in the month.
const KindForecastAccuracy = "forecast_accuracy"

// KindStaleDeals is stale deals (issue 20): per responsible and stage,
// the open deals idle at least their stage's stale_days (the count, the
// roubles, the days idle on average and at most) and the open deals
// without a next task (no task on them still to do), as of the run.
// A deal is idle since the later of its last stage change and its last
// activity (done_at, or created_at while not done), counted in whole
// 24-hour periods (docs/reports.md, "Stale deals").
const KindStaleDeals = "stale_deals"

// KindReceivables is receivables by age (дебиторская задолженность по
// срокам): the invoices issued and not fully paid (amount less paid
// payments above zero), what is left to pay in roubles at the issue-date
// rate, by how many days past its due date each is on params.as_of (a
// date; default today in Moscow): not yet due (due after that day),
// 0–30, 31–60, 61–90 and over 90 days past due; per responsible and
// company (params.by: responsible_company, responsible or company). A
// period, when given, keeps the invoices issued in it.
const KindReceivables = "receivables"

// KindActsPayments sets acts signed against payments received, per
// Moscow month of the period: the acts' amount by signed_at and the paid
// payments' amount by paid_at, both in roubles.
const KindActsPayments = "acts_payments"

// KindPaymentsPlanFact sets payments planned against received, per
// Moscow month of the period: planned payments by planned_at, paid ones
// by paid_at, both in roubles.
const KindPaymentsPlanFact = "payments_plan_fact"
