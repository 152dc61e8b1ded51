package dashtest

import (
	"testing"

	"github.com/voronka/voronka/dashboards"
)

// NewScheduleWithoutMail is NewSchedule with no SMTP server configured
// (VORONKA_SMTP_URL unset): schedules can deliver to Dir only.
func NewScheduleWithoutMail(t *testing.T) *ScheduleServer {
	t.Helper()
	ts := NewSchedule(t)
	ts.Srv.Schedules.Mailer = nil
	ts.Srv = dashboards.New(ts.Srv.Deps)
	ts.SMTP = nil
	return ts
}
