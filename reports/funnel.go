package reports

import (
	"time"

	"github.com/voronka/voronka/domain"
)

// Funnel modes (docs/api.md, "Funnel semantics").
const (
	ModeReached = "reached" // cohort conversion: deals created in the period, furthest step reached
	ModeCurrent = "current" // snapshot: the stage each deal was in at as_of
)

// FunnelRequest is the body of POST /api/v1/funnels/run and the params of
// the "funnel" report kind (without Period, which the definition holds).
// Mode defaults to reached. Period (required in reached mode) picks the
// deals by creation date; in current mode it is optional and narrows the
// snapshot to deals created in it. AsOf (current mode only) is a date
// (the end of that day in the period's zone) or an RFC 3339 instant;
// default now.
// Breakdown names a deals field (FunnelBreakdowns). WindowDays (reached
// mode only) counts a deal at a step only when it reached it within that
// many days of its creation; 0 means no window.
type FunnelRequest struct {
	Pipeline   string  `json:"pipeline"`
	Period     *Period `json:"period,omitempty"`
	Mode       string  `json:"mode,omitempty"`
	AsOf       string  `json:"as_of,omitempty"`
	Breakdown  string  `json:"breakdown,omitempty"`
	WindowDays int     `json:"window_days,omitempty"`
	// Compare adds the previous period's figures to each step
	// (ComparePreviousPeriod, ComparePreviousYear; "" none).
	Compare string `json:"compare,omitempty"`
}

// Funnel is the answer of POST /api/v1/funnels/run.
type Funnel struct {
	Pipeline   string        `json:"pipeline"`
	Mode       string        `json:"mode"`
	From       time.Time     `json:"from,omitzero"`
	To         time.Time     `json:"to,omitzero"`
	AsOf       time.Time     `json:"as_of,omitzero"`
	WindowDays int           `json:"window_days,omitempty"`
	Steps      []FunnelStep  `json:"steps"`
	Lost       []FunnelCount `json:"lost"`
	Paused     []FunnelCount `json:"paused,omitempty"`
	Breakdown  []FunnelGroup `json:"breakdown,omitempty"`
	Meta       Meta          `json:"meta"`
}

// FunnelStep is one step (an open or won stage, in position order),
// labelled by the stage's current name. In reached mode Count is the
// cohort's deals that reached the step or a later one (a deal whose
// history holds no step of the pipeline counts nowhere); in current mode
// the deals in that stage at as_of. Conversions are ratios (0.25 = 25%),
// null when the denominator is 0 and, for the first step, from_prev.
// MedianHoursInStage: reached mode, the median over the cohort's stays in
// the stage of the hours each lasted (a stay lasts until the deal's next
// stage change; one still going on counts up to now, except in won
// stages, where only finished stays count); current mode, the median
// hours the deals in the stage had been in it at as_of. Null when no stay
// qualifies.
type FunnelStep struct {
	Stage               string       `json:"stage"`
	Name                string       `json:"name"`
	Count               int64        `json:"count"`
	Amount              domain.Money `json:"amount"`
	ConversionFromPrev  *float64     `json:"conversion_from_prev"`
	ConversionFromFirst *float64     `json:"conversion_from_first"`
	MedianHoursInStage  *float64     `json:"median_hours_in_stage"`
	// With compare: the same step of the previous period.
	CountPrev               *int64        `json:"count_prev,omitempty"`
	AmountPrev              *domain.Money `json:"amount_prev,omitempty"`
	ConversionFromFirstPrev *float64      `json:"conversion_from_first_prev,omitempty"`
}

// FunnelCount is a count and amount by stage: in reached mode the
// cohort's deals now in a lost stage, by the furthest step they reached
// (one entry per step); in current mode the deals in each lost (or
// paused) stage at as_of.
type FunnelCount struct {
	Stage  string       `json:"stage"`
	Name   string       `json:"name"`
	Count  int64        `json:"count"`
	Amount domain.Money `json:"amount"`
}

// FunnelGroup is the funnel of one breakdown value: Key is the raw value
// (a user id, a source code), Label its current name.
type FunnelGroup struct {
	Key    string        `json:"key"`
	Label  string        `json:"label"`
	Steps  []FunnelStep  `json:"steps"`
	Lost   []FunnelCount `json:"lost"`
	Paused []FunnelCount `json:"paused,omitempty"`
}
