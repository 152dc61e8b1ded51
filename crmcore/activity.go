package crmcore

import (
	"time"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

// Activity types and call/e-mail directions.
const (
	ActivityCall    = "call"
	ActivityEmail   = "email"
	ActivityMeeting = "meeting"
	ActivityTask    = "task"
)

// Activity is a call, e-mail, meeting or task of one owner, optionally on
// a deal and/or a lead. Invariants: Direction is set only for calls and
// e-mails, DurationS (>= 0) only for calls and meetings.
type Activity struct {
	ID        int64      `json:"id"`
	Type      string     `json:"type"`
	Subject   string     `json:"subject"`
	OwnerID   int64      `json:"owner_id"`
	DealID    *int64     `json:"deal_id"`
	LeadID    *int64     `json:"lead_id"`
	Direction *string    `json:"direction"`
	DurationS *int       `json:"duration_s"`
	DueAt     *time.Time `json:"due_at"`
	DoneAt    *time.Time `json:"done_at"`
	CreatedAt time.Time  `json:"created_at"`
	UpdatedAt time.Time  `json:"updated_at"`
}

// NewActivity is the input of CreateActivity; OwnerID 0 means the caller.
type NewActivity struct {
	Type      string     `json:"type"`
	Subject   string     `json:"subject"`
	OwnerID   int64      `json:"owner_id,omitempty"`
	DealID    *int64     `json:"deal_id,omitempty"`
	LeadID    *int64     `json:"lead_id,omitempty"`
	Direction *string    `json:"direction,omitempty"`
	DurationS *int       `json:"duration_s,omitempty"`
	DueAt     *time.Time `json:"due_at,omitempty"`
	DoneAt    *time.Time `json:"done_at,omitempty"`
}

// ActivityPatch is the input of UpdateActivity: nil leaves a field as it
// is (setting done_at marks a task done).
type ActivityPatch struct {
	Subject *string    `json:"subject,omitempty"`
	DueAt   *time.Time `json:"due_at,omitempty"`
	DoneAt  *time.Time `json:"done_at,omitempty"`
}

// ActivityFilter selects activities; zero fields do not filter. From is
// inclusive and To exclusive, on created_at.
type ActivityFilter struct {
	OwnerID int64
	DealID  int64
	LeadID  int64
	Type    string
	From    *time.Time
	To      *time.Time
	Limit   int
	Offset  int
}

// Validate checks a new activity's own fields (not its references).
func (in NewActivity) Validate() error {
	var v check
	v.oneOf("type", in.Type, ActivityCall, ActivityEmail, ActivityMeeting, ActivityTask)
	v.text("subject", in.Subject, true, domain.MaxTitle)
	v.id("owner_id", in.OwnerID, false)
	for field, id := range map[string]*int64{"deal_id": in.DealID, "lead_id": in.LeadID} {
		if id != nil {
			v.id(field, *id, true)
		}
	}
	if in.Direction != nil {
		if in.Type != ActivityCall && in.Type != ActivityEmail {
			v.fail("direction", "not_applicable", "only calls and e-mails have a direction")
		}
		v.oneOf("direction", *in.Direction, "in", "out")
	}
	if in.DurationS != nil {
		if in.Type != ActivityCall && in.Type != ActivityMeeting {
			v.fail("duration_s", "not_applicable", "only calls and meetings have a duration")
		}
		if *in.DurationS < 0 {
			v.fail("duration_s", "negative", "must not be negative")
		}
	}
	v.moment("due_at", in.DueAt)
	v.moment("done_at", in.DoneAt)
	return v.Err
}

// Validate checks a patch.
func (in ActivityPatch) Validate() error {
	var v check
	if in.Subject != nil {
		v.text("subject", *in.Subject, true, domain.MaxTitle)
	}
	v.moment("due_at", in.DueAt)
	v.moment("done_at", in.DoneAt)
	return v.Err
}

// activityOwner is the owner of a new activity: the caller by default; a
// manager may only create their own.
func activityOwner(p domain.Principal, in NewActivity) (int64, error) {
	if in.OwnerID == 0 && p.UserID == 0 {
		return 0, apperr.Field("owner_id", "required", "the system principal must name the owner")
	}
	if in.OwnerID == 0 || in.OwnerID == p.UserID {
		return p.UserID, nil
	}
	if !p.CanWriteAll() {
		return 0, &apperr.Error{Kind: apperr.Forbidden, Code: "forbidden", Field: "owner_id",
			Message: "a manager records only their own activities"}
	}
	return in.OwnerID, nil
}
