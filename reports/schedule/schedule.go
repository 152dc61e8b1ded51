// Package schedule runs scheduled report exports: schedules and their
// runs in PostgreSQL, a cron scheduler that runs each occurrence once
// however many processes share the database, per-recipient evaluation
// under each recipient's own access, a working-days calendar, and
// delivery by SMTP (STARTTLS) or to a folder, with retries.
package schedule

import (
	"time"

	"github.com/voronka/voronka/internal/i18n"
)

// Delivery modes of a schedule.
const (
	DeliveryAuto   = "auto" // e-mail when SMTP is configured, else the folder
	DeliveryEmail  = "email"
	DeliveryFolder = "folder"
)

// Schedule is a scheduled export (docs/api.md, /schedules). Cron is a standard
// five-field expression (or @daily, @weekly…) read in Timezone; Period,
// when set, is a period preset replacing the report's (previous_month,
// previous_week…), resolved at the scheduled instant. With PerRecipient
// each recipient gets the report read with their own access; without,
// the owner's file goes to all, which only recipients who see every row
// may receive.
type Schedule struct {
	ID           int64      `json:"id"`
	Name         string     `json:"name"`
	ReportID     string     `json:"report_id"`
	Cron         string     `json:"cron"`
	Timezone     string     `json:"timezone"`
	Period       string     `json:"period"`
	Recipients   []int64    `json:"recipients"`
	PerRecipient bool       `json:"per_recipient"`
	WorkingDays  bool       `json:"working_days_only"`
	Delivery     string     `json:"delivery"`
	Format       string     `json:"format"`
	Lang         string     `json:"lang"`
	Enabled      bool       `json:"enabled"`
	OwnerID      int64      `json:"owner_id"`
	NextRunAt    *time.Time `json:"next_run_at,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

// Input is the body of POST /schedules (name, report_id, cron and
// recipients required) and PATCH /schedules/{id} (absent fields stay).
type Input struct {
	Name         *string  `json:"name,omitempty"`
	ReportID     *string  `json:"report_id,omitempty"`
	Cron         *string  `json:"cron,omitempty"`
	Timezone     *string  `json:"timezone,omitempty"`
	Period       *string  `json:"period,omitempty"`
	Recipients   *[]int64 `json:"recipients,omitempty"`
	PerRecipient *bool    `json:"per_recipient,omitempty"`
	WorkingDays  *bool    `json:"working_days_only,omitempty"`
	Delivery     *string  `json:"delivery,omitempty"`
	Format       *string  `json:"format,omitempty"`
	Lang         *string  `json:"lang,omitempty"`
	Enabled      *bool    `json:"enabled,omitempty"`
}

// defaults is a new schedule before its input applies.
func defaults() Schedule {
	return Schedule{Timezone: "Europe/Moscow", PerRecipient: true, Delivery: DeliveryAuto, Format: "xlsx",
		Lang: i18n.RU, Enabled: true}
}

// apply copies the fields in is onto s.
func (in Input) apply(s *Schedule) {
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&s.Name, in.Name)
	set(&s.ReportID, in.ReportID)
	set(&s.Cron, in.Cron)
	set(&s.Timezone, in.Timezone)
	set(&s.Period, in.Period)
	set(&s.Delivery, in.Delivery)
	set(&s.Format, in.Format)
	set(&s.Lang, in.Lang)
	for _, b := range []struct {
		dst *bool
		v   *bool
	}{{&s.PerRecipient, in.PerRecipient}, {&s.WorkingDays, in.WorkingDays}, {&s.Enabled, in.Enabled}} {
		if b.v != nil {
			*b.dst = *b.v
		}
	}
	if in.Recipients != nil {
		s.Recipients = *in.Recipients
	}
}

// Run is one run of a schedule: one scheduled instant (or a manual
// run), its attempts and what was delivered.
type Run struct {
	ID            int64      `json:"id"`
	ScheduleID    int64      `json:"schedule_id"`
	ScheduledFor  time.Time  `json:"scheduled_for"`
	Trigger       string     `json:"trigger"` // cron, catch_up or manual
	Status        string     `json:"status"`  // running, retrying, succeeded, failed, skipped
	Attempts      int        `json:"attempts"`
	Error         string     `json:"error,omitempty"`
	NextAttemptAt *time.Time `json:"next_attempt_at,omitempty"`
	Worker        string     `json:"worker,omitempty"`
	StartedAt     time.Time  `json:"started_at"`
	FinishedAt    *time.Time `json:"finished_at,omitempty"`
	Deliveries    []Sent     `json:"deliveries"`
}

// Sent is one recipient served by a run.
type Sent struct {
	UserID      int64     `json:"user_id"`
	Via         string    `json:"via"`    // email or folder
	Target      string    `json:"target"` // the address or the file
	FileName    string    `json:"file_name"`
	Rows        int       `json:"rows"`
	Bytes       int64     `json:"bytes"`
	DeliveredAt time.Time `json:"delivered_at"`
}
