package crmcore_test

import (
	"testing"
	"time"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

func TestActivityCreateRules(t *testing.T) {
	f := newBizFixture(t)
	own := f.rawDeal("Поставка оборудования", f.mgr, f.mgr2) // mgr2 observes
	other := f.rawDeal("Внедрение CRM", f.mgr2)
	lead := f.rawLead("Заявка с сайта", f.mgr)
	dur := 300
	a, err := f.s.CreateActivity(f.ctx, f.mgr, crmcore.NewActivity{Type: "call", Subject: "Звонок Иванову Петру",
		DealID: &own, Direction: strp("out"), DurationS: &dur})
	if err != nil {
		t.Fatal(err)
	}
	if a.OwnerID != f.mgr.UserID || *a.DealID != own || *a.Direction != "out" || *a.DurationS != 300 {
		t.Errorf("created %+v", a)
	}
	if _, err := f.s.CreateActivity(f.ctx, f.mgr, crmcore.NewActivity{Type: "task", Subject: "Перезвонить", LeadID: &lead}); err != nil {
		t.Fatalf("own lead: %v", err)
	}
	if _, err := f.s.CreateActivity(f.ctx, f.director, crmcore.NewActivity{Type: "meeting", Subject: "Встреча",
		OwnerID: f.mgr2.UserID, DealID: &own}); err != nil {
		t.Fatalf("director for mgr2: %v", err)
	}
	before := f.count("activities")
	for _, tc := range []struct {
		name  string
		as    domain.Principal
		in    crmcore.NewActivity
		kind  apperr.Kind
		field string
	}{
		{"manager for someone else", f.mgr, crmcore.NewActivity{Type: "call", Subject: "x", OwnerID: f.mgr2.UserID}, apperr.Forbidden, "owner_id"},
		{"invisible deal", f.mgr, crmcore.NewActivity{Type: "call", Subject: "x", DealID: &other}, apperr.NotFound, ""},
		{"observed deal is read only", f.mgr2, crmcore.NewActivity{Type: "call", Subject: "x", DealID: &own}, apperr.Forbidden, ""},
		{"missing deal", f.admin, crmcore.NewActivity{Type: "call", Subject: "x", DealID: idp(other + 100)}, apperr.NotFound, ""},
		{"invisible lead", f.mgr2, crmcore.NewActivity{Type: "task", Subject: "x", LeadID: &lead}, apperr.NotFound, ""},
		{"analyst", f.analyst, crmcore.NewActivity{Type: "task", Subject: "x"}, apperr.Forbidden, ""},
		{"bad type", f.mgr, crmcore.NewActivity{Type: "visit", Subject: "x"}, apperr.Invalid, "type"},
		{"empty subject", f.mgr, crmcore.NewActivity{Type: "task", Subject: " "}, apperr.Invalid, "subject"},
		{"direction of a meeting", f.mgr, crmcore.NewActivity{Type: "meeting", Subject: "x", Direction: strp("in")}, apperr.Invalid, "direction"},
		{"bad direction", f.mgr, crmcore.NewActivity{Type: "call", Subject: "x", Direction: strp("up")}, apperr.Invalid, "direction"},
		{"negative duration", f.mgr, crmcore.NewActivity{Type: "call", Subject: "x", DurationS: new(int(-1))}, apperr.Invalid, "duration_s"},
		{"duration of an e-mail", f.mgr, crmcore.NewActivity{Type: "email", Subject: "x", DurationS: &dur}, apperr.Invalid, "duration_s"},
		{"unknown owner", f.director, crmcore.NewActivity{Type: "task", Subject: "x", OwnerID: 999999}, apperr.Invalid, "owner_id"},
		// dates the analytics copy cannot hold (1970-01-01 – 2105-12-31)
		{"done in year 1", f.mgr, crmcore.NewActivity{Type: "task", Subject: "x", DoneAt: at(1, 1, 1)}, apperr.Invalid, "done_at"},
		{"done in 1969", f.mgr, crmcore.NewActivity{Type: "task", Subject: "x", DoneAt: at(1969, 12, 31)}, apperr.Invalid, "done_at"},
		{"due in 2300", f.mgr, crmcore.NewActivity{Type: "task", Subject: "x", DueAt: at(2300, 1, 1)}, apperr.Invalid, "due_at"},
		{"due in 9999", f.mgr, crmcore.NewActivity{Type: "task", Subject: "x", DueAt: at(9999, 12, 31)}, apperr.Invalid, "due_at"},
		{"due on 2106-01-01", f.mgr, crmcore.NewActivity{Type: "task", Subject: "x", DueAt: at(2106, 1, 1)}, apperr.Invalid, "due_at"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.s.CreateActivity(f.ctx, tc.as, tc.in)
			wantErr(t, err, tc.kind, tc.field)
		})
	}
	if n := f.count("activities"); n != before {
		t.Errorf("activities = %d after rejects, want %d", n, before)
	}
	// the ends of the range are accepted
	for _, d := range []*time.Time{at(1970, 1, 1), at(2105, 12, 31)} {
		if _, err := f.s.CreateActivity(f.ctx, f.mgr, crmcore.NewActivity{Type: "task", Subject: "край", DueAt: d}); err != nil {
			t.Errorf("due %s: %v", d, err)
		}
	}
}

// at is midnight UTC of a day, for the tables above.
func at(y, m, d int) *time.Time {
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return &t
}

func TestActivityVisibilityAndUpdate(t *testing.T) {
	f := newBizFixture(t)
	t0 := time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)
	f.s.Now = func() time.Time { return t0 }
	observed := f.rawDeal("Поставка", f.mgr, f.mgr2)
	private := f.rawDeal("Тендер", f.mgr)
	lead := f.rawLead("Заявка", f.mgr)
	mk := func(as domain.Principal, typ string, deal, lead *int64) int64 {
		a, err := f.s.CreateActivity(f.ctx, as, crmcore.NewActivity{Type: typ, Subject: "Дело " + typ, DealID: deal, LeadID: lead})
		if err != nil {
			t.Fatal(err)
		}
		t0 = t0.Add(24 * time.Hour)
		return a.ID
	}
	onObserved := mk(f.mgr, "call", &observed, nil) // 10 March
	onPrivate := mk(f.mgr, "email", &private, nil)  // 11 March
	onLead := mk(f.mgr, "task", nil, &lead)         // 12 March
	own2 := mk(f.mgr2, "task", nil, nil)            // 13 March
	// mgr2 sees its own and the one on the deal it observes; mgr all but own2.
	for _, tc := range []struct {
		as     domain.Principal
		filter crmcore.ActivityFilter
		want   []int64
	}{
		{f.mgr2, crmcore.ActivityFilter{}, []int64{own2, onObserved}},
		{f.mgr, crmcore.ActivityFilter{}, []int64{onLead, onPrivate, onObserved}},
		{f.analyst, crmcore.ActivityFilter{}, []int64{own2, onLead, onPrivate, onObserved}},
		{f.director, crmcore.ActivityFilter{Type: "task"}, []int64{own2, onLead}},
		{f.director, crmcore.ActivityFilter{DealID: private}, []int64{onPrivate}},
		{f.director, crmcore.ActivityFilter{LeadID: lead}, []int64{onLead}},
		{f.director, crmcore.ActivityFilter{OwnerID: f.mgr2.UserID}, []int64{own2}},
		{f.director, crmcore.ActivityFilter{From: new(time.Date(2025, 3, 11, 0, 0, 0, 0, time.UTC)),
			To: new(time.Date(2025, 3, 13, 0, 0, 0, 0, time.UTC))}, []int64{onLead, onPrivate}},
	} {
		got, total, err := f.s.ListActivities(f.ctx, tc.as, tc.filter)
		if err != nil || total != len(tc.want) || len(got) != len(tc.want) {
			t.Fatalf("%s %+v: %d %v, want %v", tc.as.Name, tc.filter, total, err, tc.want)
		}
		for i := range got {
			if got[i].ID != tc.want[i] {
				t.Errorf("%s %+v: item %d = %d, want %d", tc.as.Name, tc.filter, i, got[i].ID, tc.want[i])
			}
		}
	}
	if _, err := f.s.GetActivity(f.ctx, f.mgr2, onPrivate); apperr.KindOf(err) != apperr.NotFound {
		t.Errorf("mgr2 reads mgr's private activity: %v", err)
	}
	if _, err := f.s.GetActivity(f.ctx, f.mgr2, onObserved); err != nil {
		t.Errorf("mgr2 reads the observed deal's activity: %v", err)
	}
	done := time.Date(2025, 3, 14, 15, 30, 0, 0, time.UTC)
	if _, err := f.s.UpdateActivity(f.ctx, f.mgr2, onObserved, crmcore.ActivityPatch{DoneAt: &done}); apperr.KindOf(err) != apperr.Forbidden {
		t.Errorf("mgr2 changes mgr's activity: %v", err)
	}
	if _, err := f.s.UpdateActivity(f.ctx, f.mgr2, onPrivate, crmcore.ActivityPatch{DoneAt: &done}); apperr.KindOf(err) != apperr.NotFound {
		t.Errorf("mgr2 changes an invisible activity: %v", err)
	}
	up, err := f.s.UpdateActivity(f.ctx, f.mgr, onLead, crmcore.ActivityPatch{DoneAt: &done, Subject: strp("Перезвонил")})
	if err != nil || up.DoneAt == nil || !up.DoneAt.Equal(done) || up.Subject != "Перезвонил" || up.Type != "task" {
		t.Fatalf("mark done: %+v %v", up, err)
	}
	var doneAt time.Time
	f.pg.Pool.QueryRow(f.ctx, `SELECT done_at FROM activities WHERE id = $1`, onLead).Scan(&doneAt)
	if !doneAt.Equal(done) {
		t.Errorf("done_at in the table = %v", doneAt)
	}
}
