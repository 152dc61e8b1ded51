package dashboards_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/voronka/voronka/crmcore/mailbox"
	"github.com/voronka/voronka/crmcore/mailbox/mailboxtest"
	"github.com/voronka/voronka/dashboards"
	"github.com/voronka/voronka/dashboards/dashtest"
	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/internal/testenv"
	"github.com/voronka/voronka/reports/engine"
	"github.com/voronka/voronka/reports/saved"
)

// TestLeadsFromEveryChannelInFunnelBySource: leads arrive by web form,
// CSV import and mailbox, are copied to ClickHouse, and the standard
// "lead conversion by source" report counts them under their sources
// (numbers written by hand from what the test sends).
func TestLeadsFromEveryChannelInFunnelBySource(t *testing.T) {
	ts := dashtest.New(t)
	ctx := context.Background()
	key := ts.NewForm("web_form") // responsible: manager
	for _, f := range []url.Values{{"tel": {"+7 916 200-00-01"}, "fio": {"Андреев Антон"}}, {"mail": {"b@b.ru"}, "fio": {"Борисова Вера"}}} {
		if st, body := ts.PostForm(key, "application/x-www-form-urlencoded", f.Encode()); st != 200 {
			t.Fatalf("form: %d %s", st, body)
		}
	}
	csv := "Имя;Телефон\r\nГригорьев Глеб;+7 916 200-00-03\r\nДмитриева Дарья;+7 916 200-00-04\r\nГригорьев Глеб;8 916 200-00-03\r\n"
	if st, body := ts.PostImport("director", "kind=leads", "list.csv", []byte(csv)); st != 200 || !strings.Contains(body, `"created":2`) {
		t.Fatalf("import: %d %s", st, body)
	}
	cfg, _ := mailbox.ParseURL(mailboxtest.Inbox(t, "From: Егор <egor@stroy.ru>\nSubject: Нужна смета\nMessage-ID: <e1@stroy.ru>\n\nСмета на ремонт\n--\nООО «Строй»\n"))
	cfg.Responsible = "director@test.local"
	if st, err := (&mailbox.Poller{Store: ts.Store, Config: cfg}).PollOnce(ctx); err != nil || st.Leads != 1 {
		t.Fatalf("mailbox: %+v %v", st, err)
	}
	ch := testenv.NewCH(t)
	testenv.Mirror(t, ts.PG, ch, testenv.Copy{})
	ts.Srv = dashboards.New(server.Deps{Store: ts.Store, Ready: ts.Store.Ping, Reports: &engine.Engine{CH: ch.DB, Now: time.Now},
		Saved: &saved.Store{PG: ts.PG.Pool, Now: time.Now}})
	day := time.Now().In(time.FixedZone("MSK", 3*3600))
	q := "?from=" + day.AddDate(0, 0, -1).Format("2006-01-02") + "&to=" + day.AddDate(0, 0, 1).Format("2006-01-02")
	for _, c := range []struct {
		as   string
		want map[string]float64
	}{
		{"director", map[string]float64{"Веб-форма": 2, "Импорт": 2, "Электронная почта": 1}},
		{"manager", map[string]float64{"Веб-форма": 2}},
	} {
		st, body := ts.Do("GET", "/api/v1/reports/lead_conversion_by_source/run"+q, c.as, "")
		if st != 200 {
			t.Fatalf("report as %s: %d %s", c.as, st, body)
		}
		var res struct{ Rows [][]any }
		json.Unmarshal([]byte(body), &res)
		got := map[string]float64{}
		for _, r := range res.Rows {
			got[r[0].(string)] = r[1].(float64)
		}
		if len(got) != len(c.want) {
			t.Errorf("%s: sources %v, want %v", c.as, got, c.want)
		}
		for k, v := range c.want {
			if got[k] != v {
				t.Errorf("%s: %s = %v, want %v (all %v)", c.as, k, got[k], v, got)
			}
		}
	}
}
