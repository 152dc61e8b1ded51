package crmcore

import (
	"fmt"
	"regexp"
	"time"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

// Deal is one sales opportunity as read back, with its pipeline and
// stage resolved to codes and names. Invariants: the stage belongs to the
// pipeline; ClosedAt is set exactly when the stage kind is won or lost;
// LostReason is set only in a lost stage.
type Deal struct {
	ID              int64        `json:"id"`
	Title           string       `json:"title"`
	Pipeline        string       `json:"pipeline"`
	Stage           string       `json:"stage"`
	StageName       string       `json:"stage_name"`
	StageKind       string       `json:"stage_kind"`
	Probability     int          `json:"probability"`
	Amount          domain.Money `json:"amount"`
	Currency        string       `json:"currency"`
	ResponsibleID   int64        `json:"responsible_id"`
	ResponsibleName string       `json:"responsible_name"`
	Observers       []int64      `json:"observers"`
	CompanyID       *int64       `json:"company_id"`
	ContactID       *int64       `json:"contact_id"`
	Source          *string      `json:"source"`
	LeadID          *int64       `json:"lead_id"`
	LostReason      *string      `json:"lost_reason"`
	CreatedAt       time.Time    `json:"created_at"`
	UpdatedAt       time.Time    `json:"updated_at"`
	ClosedAt        *time.Time   `json:"closed_at"`
	// ExpectedCloseAt is the calendar date the deal is expected to close,
	// YYYY-MM-DD (no time, no zone), or nil.
	ExpectedCloseAt *string `json:"expected_close_at"`
	// ForecastCategory is the category set by hand (commit, best_case,
	// pipeline) or nil; ForecastCategoryAuto the one the deal counts in
	// without it (domain.ForecastCategoryOf its stage's probability).
	ForecastCategory     *string `json:"forecast_category"`
	ForecastCategoryAuto string  `json:"forecast_category_auto"`
}

// NewDeal is the input of CreateDeal. ResponsibleID 0 means the caller;
// Currency "" means RUB; At (admins only) backdates the creation;
// ExpectedCloseAt is a date YYYY-MM-DD ("" or nil: none).
type NewDeal struct {
	Title         string       `json:"title"`
	Pipeline      string       `json:"pipeline"`
	Amount        domain.Money `json:"amount"`
	Currency      string       `json:"currency"`
	ResponsibleID int64        `json:"responsible_id"`
	CompanyID     *int64       `json:"company_id,omitempty"`
	ContactID     *int64       `json:"contact_id,omitempty"`
	Source        *string      `json:"source,omitempty"`
	At            *time.Time   `json:"at,omitempty"`
	// ExpectedCloseAt and ForecastCategory: see DealPatch.
	ExpectedCloseAt  *string `json:"expected_close_at,omitempty"`
	ForecastCategory *string `json:"forecast_category,omitempty"`
	leadID           *int64  // set by ConvertLead only
}

// DealPatch is the input of UpdateDeal: nil fields stay as they are.
// Stage and responsible change only through MoveDeal and AssignDeal.
// ExpectedCloseAt is a date YYYY-MM-DD, or "" to clear it.
type DealPatch struct {
	Title     *string       `json:"title,omitempty"`
	Amount    *domain.Money `json:"amount,omitempty"`
	Currency  *string       `json:"currency,omitempty"`
	CompanyID *int64        `json:"company_id,omitempty"`
	ContactID *int64        `json:"contact_id,omitempty"`
	Source    *string       `json:"source,omitempty"`
	// ExpectedCloseAt: a date YYYY-MM-DD sets it, "" clears it.
	ExpectedCloseAt *string `json:"expected_close_at,omitempty"`
	// ForecastCategory: one of domain.ForecastCategories sets it, ""
	// clears it (the stage's probability decides again).
	ForecastCategory *string `json:"forecast_category,omitempty"`
}

// DealMove is the input of MoveDeal: the target stage code, an optional
// backfill time (admins only) and a reason (kept as lost_reason when the
// target stage is lost).
type DealMove struct {
	Stage  string     `json:"stage"`
	At     *time.Time `json:"at,omitempty"`
	Reason *string    `json:"reason,omitempty"`
}

// DealAssign is the input of AssignDeal.
type DealAssign struct {
	ResponsibleID int64 `json:"responsible_id"`
}

// DealObserver is the input of AddObserver.
type DealObserver struct {
	UserID int64 `json:"user_id"`
}

// StageChange is one row of a deal's stage history; From is nil for the
// entry into the first stage at creation, By is nil for system changes.
type StageChange struct {
	From     *string   `json:"from"`
	To       string    `json:"to"`
	FromName *string   `json:"from_name"`
	ToName   string    `json:"to_name"`
	At       time.Time `json:"at"`
	By       *int64    `json:"by"`
	ByName   *string   `json:"by_name"`
	Reason   *string   `json:"reason"`
}

// validate checks the fields of a new deal that need no database.
func (in *NewDeal) validate(p domain.Principal, now time.Time) error {
	if in.Currency == "" {
		in.Currency = "RUB"
	}
	var v check
	v.text("title", in.Title, true, domain.MaxTitle)
	v.text("pipeline", in.Pipeline, true, 32)
	v.amount("amount", in.Amount.Decimal, false)
	v.currency("currency", in.Currency)
	v.id("responsible_id", in.ResponsibleID, true)
	v.optRef("company_id", in.CompanyID)
	v.optRef("contact_id", in.ContactID)
	v.optText("source", in.Source, 32)
	v.at("at", in.At, p, now)
	v.optDate("expected_close_at", in.ExpectedCloseAt)
	if in.ExpectedCloseAt != nil && *in.ExpectedCloseAt == "" {
		in.ExpectedCloseAt = nil
	}
	v.optCategory("forecast_category", in.ForecastCategory)
	if in.ForecastCategory != nil && *in.ForecastCategory == "" {
		in.ForecastCategory = nil
	}
	return v.Err
}

// validate checks a patch's fields.
func (in DealPatch) validate() error {
	var v check
	if in.Title != nil {
		v.text("title", *in.Title, true, domain.MaxTitle)
	}
	if in.Amount != nil {
		v.amount("amount", in.Amount.Decimal, false)
	}
	if in.Currency != nil {
		v.currency("currency", *in.Currency)
	}
	v.optRef("company_id", in.CompanyID)
	v.optRef("contact_id", in.ContactID)
	v.optText("source", in.Source, 32)
	v.optDate("expected_close_at", in.ExpectedCloseAt)
	v.optCategory("forecast_category", in.ForecastCategory)
	return v.Err
}

// optCategory checks an optional forecast category: "" (none, or clear
// it) or one of domain.ForecastCategories.
func (v *check) optCategory(field string, s *string) {
	if s != nil && *s != "" {
		v.oneOf(field, *s, domain.ForecastCategories...)
	}
}

var dateRe = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)

// optDate checks an optional calendar date: "" (none, or clear it) or a
// real date YYYY-MM-DD within what the stores hold.
func (v *check) optDate(field string, s *string) {
	if s == nil || *s == "" {
		return
	}
	d, err := time.Parse(time.DateOnly, *s)
	if !dateRe.MatchString(*s) || err != nil {
		v.fail(field, "invalid_date", "want a real date YYYY-MM-DD such as 2025-03-31")
		return
	}
	v.moment(field, &d)
}

// optRef checks an optional reference given as a pointer: present means positive.
func (v *check) optRef(field string, id *int64) {
	if id != nil {
		v.id(field, *id, true)
	}
}

// transitionError is the 409 of a move the pipeline's graph does not
// allow; Details lists the stage codes reachable from the current stage.
func transitionError(pl *Pipeline, from, to Stage, field string) error {
	allowed := []string{}
	for _, t := range pl.Transitions {
		if t.From == from.Code {
			allowed = append(allowed, t.To)
		}
	}
	return &apperr.Error{Kind: apperr.Conflict, Code: "transition_not_allowed", Field: field,
		Message: fmt.Sprintf("pipeline %q does not allow a move from «%s» (%s) to «%s» (%s)",
			pl.Code, from.Name, from.Code, to.Name, to.Code),
		Details: map[string]any{"from": from.Code, "to": to.Code, "allowed": allowed}}
}

// ErrReadOnlyRole answers an analyst's attempt to change anything (403
// read_only); every write refuses a read-only principal with it.
var ErrReadOnlyRole = apperr.New(apperr.Forbidden, "read_only", "your role reads data but changes nothing")

// closesDeal reports whether entering a stage of this kind closes a deal.
func closesDeal(kind string) bool { return kind == domain.KindWon || kind == domain.KindLost }
