package schedule_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/voronka/voronka/reports/reportstest"
	"github.com/voronka/voronka/reports/schedule"
)

// TestTwoSchedulersDeliverEachRunOnce: a monthly per-recipient schedule,
// two scheduler processes ticking at once at 09:00 on 1 March. The run
// is taken once; each recipient gets one mail over STARTTLS whose
// workbook holds February's deals they may see, as PostgreSQL lists them.
func TestTwoSchedulersDeliverEachRunOnce(t *testing.T) {
	e := newEnv(t)
	srv := reportstest.NewSMTP(t, 0)
	a, b := e.service(t, "a", mailer(srv), ""), e.service(t, "b", mailer(srv), "")
	fx := e.fx
	ids := []int64{fx.Users["ivan"].UserID, fx.Users["petr"].UserID, fx.Users["olga"].UserID}
	sch, err := a.Create(context.Background(), fx.Users["olga"], schedule.Input{Name: ptr("Ежемесячно"), ReportID: &e.reportID,
		Cron: ptr("0 9 1 * *"), Period: ptr("previous_month"), Recipients: &ids})
	if err != nil {
		t.Fatal(err)
	}
	if want := msk(2025, 3, 1, 9, 0); sch.NextRunAt == nil || !sch.NextRunAt.Equal(want) {
		t.Errorf("next run %v, want %v", sch.NextRunAt, want)
	}
	e.clock.Set(msk(2025, 3, 1, 9, 0).Add(20 * time.Second))
	var wg sync.WaitGroup
	for _, svc := range []*schedule.Service{a, b, a, b} {
		wg.Add(1)
		go func() { defer wg.Done(); svc.Tick(context.Background()) }()
	}
	wg.Wait()
	runs, err := a.Runs(context.Background(), fx.Users["olga"], sch.ID)
	if err != nil || len(runs) != 1 || runs[0].Status != "succeeded" || runs[0].Trigger != "cron" || len(runs[0].Deliveries) != 3 {
		t.Fatalf("runs %+v (%v): want one succeeded cron run with three deliveries", runs, err)
	}
	mails := srv.Mails()
	if len(mails) != 3 {
		t.Fatalf("%d mails, want one per recipient", len(mails))
	}
	for _, m := range mails {
		p, err := reportstest.ParseMail(m.Data)
		if err != nil {
			t.Fatal(err)
		}
		who := strings.SplitN(m.To[0], "@", 2)[0]
		u := fx.Users[who]
		if !m.TLS || !strings.Contains(p.Subject, "Сделки по названию") || !strings.Contains(p.Body, u.Name) ||
			p.FileName != "Сделки по названию 2025-02-01–2025-02-28.xlsx" {
			t.Errorf("mail to %s: tls %v, subject %q, file %q, body %q", who, m.TLS, p.Subject, p.FileName, p.Body)
		}
		got, want := titlesAndAmounts(t, p.File), e.pgDeals(t, u.UserID, who == "olga")
		if !slices.Equal(got, want) || len(want) == 0 {
			t.Errorf("%s's file holds %q; PostgreSQL lists %q", who, got, want)
		}
	}
}

// TestRefusedMailIsRetried: the server refuses the first message (451);
// the run records the error and retries after the backoff, once.
func TestRefusedMailIsRetried(t *testing.T) {
	e := newEnv(t)
	srv := reportstest.NewSMTP(t, 1)
	svc := e.service(t, "a", mailer(srv), "")
	ids := []int64{e.fx.Users["ivan"].UserID}
	sch, err := svc.Create(context.Background(), e.fx.Users["olga"], schedule.Input{Name: ptr("Ежедневно"), ReportID: &e.reportID,
		Cron: ptr("30 8 * * *"), Recipients: &ids})
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Set(msk(2025, 2, 21, 8, 30))
	check := func(status string, attempts, mails int, errText string) {
		t.Helper()
		if err := svc.Tick(context.Background()); err != nil {
			t.Fatal(err)
		}
		runs, _ := svc.Runs(context.Background(), e.fx.Users["olga"], sch.ID)
		if len(runs) != 1 || runs[0].Status != status || runs[0].Attempts != attempts || !strings.Contains(runs[0].Error, errText) {
			t.Fatalf("runs %+v: want one %s after %d attempts, error %q", runs, status, attempts, errText)
		}
		if n := len(srv.Mails()); n != mails {
			t.Fatalf("%d mails, want %d", n, mails)
		}
	}
	check("retrying", 1, 0, "451")
	check("retrying", 1, 0, "451") // the backoff has not passed
	e.clock.Set(msk(2025, 2, 21, 8, 31))
	check("succeeded", 2, 1, "")
	check("succeeded", 2, 1, "")
}

// TestFolderDeliveryAndCatchUp: without SMTP, a daily shared schedule
// created on 1 March and a scheduler started on 5 March at 10:00 runs
// once, for 08:00 that day (a catch-up), writing the file to the export
// folder.
func TestFolderDeliveryAndCatchUp(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	svc := e.service(t, "a", nil, dir)
	olga := e.fx.Users["olga"]
	e.clock.Set(msk(2025, 3, 1, 12, 0))
	ids := []int64{olga.UserID}
	sch, err := svc.Create(context.Background(), olga, schedule.Input{Name: ptr("Утро: сделки"), ReportID: &e.reportID,
		Cron: ptr("0 8 * * *"), Period: ptr("previous_month"), Recipients: &ids, PerRecipient: ptr(false)})
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Set(msk(2025, 3, 5, 10, 0))
	for range 2 {
		if err := svc.Tick(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	runs, _ := svc.Runs(context.Background(), olga, sch.ID)
	if len(runs) != 1 || runs[0].Trigger != "catch_up" || !runs[0].ScheduledFor.Equal(msk(2025, 3, 5, 8, 0)) || runs[0].Status != "succeeded" {
		t.Fatalf("runs %+v: want one catch-up run for 5 March 08:00", runs)
	}
	want := filepath.Join(dir, "1 Утро_ сделки", "Сделки по названию 2025-02-01–2025-02-28.xlsx")
	if d := runs[0].Deliveries; len(d) != 1 || d[0].Via != "folder" || d[0].Target != want {
		t.Fatalf("deliveries %+v, want the file %s", d, want)
	}
	file, err := os.ReadFile(want)
	if err != nil {
		t.Fatal(err)
	}
	if got, pg := titlesAndAmounts(t, file), e.pgDeals(t, 0, true); !slices.Equal(got, pg) {
		t.Errorf("file holds %q; PostgreSQL lists %q", got, pg)
	}
}

// TestMonthlyPlanFactLetter: the classic letter to management — the
// standard plan-fact report on the 1st of each month for the month
// before — holds February's plans and facts of the fixture by hand:
// ivan's plan 1 000, won I-3 300 (30 %), petr's plan 1 000, nothing won;
// 20 working days, all passed, the forecast the fact; a native chart.
func TestMonthlyPlanFactLetter(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	svc := e.service(t, "a", nil, dir)
	olga := e.fx.Users["olga"]
	e.clock.Set(msk(2025, 2, 20, 12, 0))
	ids := []int64{olga.UserID}
	sch, err := svc.Create(context.Background(), olga, schedule.Input{Name: ptr("План-факт"), ReportID: ptr("plan_fact"),
		Cron: ptr("0 9 1 * *"), Period: ptr("previous_month"), Recipients: &ids, PerRecipient: ptr(false)})
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Set(msk(2025, 3, 1, 10, 0))
	if err := svc.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	runs, _ := svc.Runs(context.Background(), olga, sch.ID)
	if len(runs) != 1 || runs[0].Status != "succeeded" || len(runs[0].Deliveries) != 1 {
		t.Fatalf("runs %+v: want one run delivered", runs)
	}
	file, err := os.ReadFile(runs[0].Deliveries[0].Target)
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Отчёт", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows[2:] {
		got = append(got, strings.Join(r, "|"))
	}
	ivan, petr := itoa(e.fx.Users["ivan"].UserID), itoa(e.fx.Users["petr"].UserID)
	want := []string{ivan + "|Иванов Иван|1000|300|0.3|20|20|300", petr + "|Петров Пётр|1000|0|0|20|20|0", "Итого||2000|300|0.15|20|20|300"}
	if !slices.Equal(got, want) {
		t.Errorf("the letter's sheet:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if sheets := f.GetSheetList(); len(sheets) < 2 {
		t.Errorf("sheets %v: no chart sheet", sheets)
	}
}
