package intake_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/crmcore/intake"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

// callFx is a fresh database with an admin who imports, three users
// with extensions 101, 102 and ivanov, and the clients of
// testdata/Master.csv's numbers:
//   - contact «+7 (912) 345-67-89» with one open deal (and a won one);
//   - contact «+7 916 123-45-67» with two open deals and an open lead;
//   - a lead without a contact, phone «8 (495) 765-43-21».
//
// 8 (903) 111-22-33 is nobody's.
type callFx struct {
	*importFx
	admin                   domain.Principal
	users                   map[string]int64 // by extension
	dealOne, leadTwo, lead3 int64
}

func newCallFx(t *testing.T) *callFx {
	t.Helper()
	f := &callFx{importFx: newImportFx(t), users: map[string]int64{}}
	for _, ext := range []string{"", "101", "102", "ivanov"} {
		role, email := "manager", "m"+ext+"@calls.test"
		if ext == "" {
			role, email = "admin", "admin@calls.test"
		}
		u, err := f.s.CreateUser(f.ctx, crmcore.NewUser{Email: email, Name: "Сотрудник " + ext, Role: role, Password: "secret", Extension: ext})
		if err != nil {
			t.Fatal(err)
		}
		if ext == "" {
			f.admin = domain.Principal{UserID: u.ID, Name: u.Name, Role: u.Role}
		}
		f.users[ext] = u.ID
	}
	contact := func(name, phone string) int64 {
		var id int64
		f.scan(`INSERT INTO contacts (first_name, phone) VALUES ($1, $2) RETURNING id`, &id, name, phone)
		return id
	}
	deal := func(title, stage string, contact int64) int64 {
		var id int64
		f.scan(`INSERT INTO deals (title, pipeline_id, stage_id, amount, currency, responsible_id, contact_id)
SELECT $1, p.id, s.id, 1000, 'RUB', $3, $4 FROM pipelines p JOIN stages s ON s.pipeline_id = p.id AND s.code = $2
WHERE p.code = 'sales' RETURNING id`, &id, title, stage, f.users["101"], contact)
		return id
	}
	lead := func(title, stage, phone string, contact *int64) int64 {
		var id int64
		f.scan(`INSERT INTO leads (title, source, stage_id, responsible_id, contact_phone, contact_id)
SELECT $1, 'website', s.id, $3, $4, $5 FROM stages s JOIN pipelines p ON p.id = s.pipeline_id
WHERE p.code = 'leads' AND s.code = $2 RETURNING id`, &id, title, stage, f.users["102"], phone, contact)
		return id
	}
	one := contact("Иван", "+7 (912) 345-67-89")
	f.dealOne = deal("Поставка", "new", one)
	deal("Прошлая поставка", "won", one)
	two := contact("Пётр", "+7 916 123-45-67")
	deal("Станки", "new", two)
	deal("Фрезы", "new", two)
	lead("Старая заявка Петра", "disqualified", "", &two)
	f.leadTwo = lead("Заявка Петра", "new", "", &two)
	f.lead3 = lead("Заявка Ромашки", "new", "8 (495) 765-43-21", nil)
	return f
}

func (f *callFx) scan(q string, dst any, args ...any) {
	f.t.Helper()
	if err := f.pg.Pool.QueryRow(f.ctx, q, args...).Scan(dst); err != nil {
		f.t.Fatal(err)
	}
}

// master is the fixture's lines (1-based, inclusive), as a file.
func master(t *testing.T, from, to int) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/Master.csv")
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.SplitAfter(data, []byte("\n"))
	return bytes.Join(lines[from-1:to], nil)
}

// activities lists the calls in PostgreSQL, by id: owner, deal, lead,
// direction, duration, Moscow time, subject.
func (f *callFx) activities() []string {
	f.t.Helper()
	rows, err := f.pg.Pool.Query(f.ctx, `
SELECT concat_ws('|', owner_id, coalesce(deal_id, 0), coalesce(lead_id, 0), direction, duration_s,
       to_char(done_at AT TIME ZONE 'Europe/Moscow', 'YYYY-MM-DD HH24:MI:SS'), subject)
FROM activities WHERE type = 'call' ORDER BY id`)
	if err != nil {
		f.t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		out = append(out, s)
	}
	return out
}

func TestImportCallsLinksSkipsAndRefuses(t *testing.T) {
	f := newCallFx(t)
	// The whole file: line 6 is extension 105, which no user has. Like the
	// lead import, a file with an error row writes nothing.
	res, err := intake.ImportCalls(f.ctx, f.s, f.admin, master(t, 1, 6), intake.CallOptions{})
	if err != nil {
		t.Fatal(err)
	}
	row6 := res.Report.Rows[5]
	if res.Report.Applied || res.Report.Failed != 1 || row6.Line != 6 || row6.Action != crmcore.RowError ||
		row6.Field != "extension" || row6.Reason != "no user has extension 105" {
		t.Fatalf("unknown extension: %+v", res.Report)
	}
	if n := f.count(`SELECT count(*) FROM activities`) + f.count(`SELECT count(*) FROM call_imports`); n != 0 {
		t.Fatalf("a refused file wrote %d rows", n)
	}
	// Lines 1–5: four outside calls and one internal one.
	res, err = intake.ImportCalls(f.ctx, f.s, f.admin, master(t, 1, 5), intake.CallOptions{FileName: "Master.csv"})
	if err != nil {
		t.Fatal(err)
	}
	r := res.Report
	if !r.Applied || r.Total != 5 || r.Created != 4 || r.Skipped != 1 || r.Failed != 0 || res.Internal != 1 || res.Duplicates != 0 {
		t.Fatalf("report: %+v", res)
	}
	wantRows := []string{"1:create:on deal #" + itoa(f.dealOne), "2:create:on lead #" + itoa(f.leadTwo),
		"3:create:on lead #" + itoa(f.lead3), "4:skipped_internal:internal call 101 → 102",
		"5:create:no client with this number: not linked"}
	if got := outcome(r); !reflect.DeepEqual(got, wantRows) {
		t.Fatalf("rows:\n%v\nwant\n%v", got, wantRows)
	}
	u := f.users
	want := []string{
		fmt.Sprintf("%d|%d|0|out|123|2024-03-02 10:15:03|Исходящий звонок +7 912 345-67-89", u["101"], f.dealOne),
		fmt.Sprintf("%d|0|%d|in|60|2024-03-02 11:00:00|Входящий звонок +7 916 123-45-67", u["102"], f.leadTwo),
		fmt.Sprintf("%d|0|%d|in|0|2024-03-02 12:30:00|Входящий звонок +7 495 765-43-21 — без ответа", u["ivanov"], f.lead3),
		fmt.Sprintf("%d|0|0|out|0|2024-03-02 14:00:00|Исходящий звонок +7 903 111-22-33 — занято", u["102"]),
	}
	if got := f.activities(); !reflect.DeepEqual(got, want) {
		t.Fatalf("activities:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for i, row := range r.Rows {
		if (row.Action == crmcore.RowCreate) != (row.ID != 0) {
			t.Errorf("row %d: id %d", i, row.ID)
		}
	}
	// The same file again adds nothing; the calls are duplicates of theirs.
	res, err = intake.ImportCalls(f.ctx, f.s, f.admin, master(t, 1, 5), intake.CallOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r2 := res.Report; !r2.Applied || r2.Created != 0 || res.Duplicates != 4 || res.Internal != 1 ||
		r2.Rows[0].Action != crmcore.RowDuplicate || r2.Rows[0].ID != r.Rows[0].ID {
		t.Fatalf("re-import: %+v", res)
	}
	if n := f.count(`SELECT count(*) FROM activities`); n != 4 {
		t.Fatalf("re-import: %d activities, want 4", n)
	}
	// 102 loses the extension: its calls imported before stay duplicates,
	// not errors, so the growing Master.csv still loads.
	none := ""
	if _, err := f.s.UpdateUser(f.ctx, f.admin, u["102"], crmcore.UserPatch{Extension: &none}); err != nil {
		t.Fatal(err)
	}
	res, err = intake.ImportCalls(f.ctx, f.s, f.admin, master(t, 1, 5), intake.CallOptions{})
	if err != nil || !res.Report.Applied || res.Duplicates != 4 || res.Report.Failed != 0 {
		t.Fatalf("after 102 lost its extension: %+v %v", res, err)
	}
	if n := f.count(`SELECT count(*) FROM import_runs WHERE kind = 'calls' AND format = 'asterisk'`); n != 4 {
		t.Fatalf("%d import runs, want 4", n)
	}
}

func TestImportCallsWithinFileAndAccess(t *testing.T) {
	f := newCallFx(t)
	line1 := master(t, 1, 1)
	// A row twice in one file (ring groups write one CDR per leg with the
	// same uniqueid): the second is a duplicate of the first. A dry run
	// reports it all and writes nothing.
	res, err := intake.ImportCalls(f.ctx, f.s, f.admin, append(bytes.Clone(line1), line1...), intake.CallOptions{DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := outcome(res.Report); !reflect.DeepEqual(got, []string{"1:create:on deal #" + itoa(f.dealOne), "2:duplicate:duplicate of line 1"}) ||
		res.Report.Applied || f.count(`SELECT count(*) FROM activities`) != 0 {
		t.Fatalf("dry run: %v %+v", got, res.Report)
	}
	// Below 3 digits only: 102 is an outside number then (and unlinked).
	res, err = intake.ImportCalls(f.ctx, f.s, f.admin, master(t, 4, 4), intake.CallOptions{MinDigits: 3, DryRun: true})
	if err != nil || res.Report.Created != 1 || res.Internal != 0 {
		t.Fatalf("min digits 3: %+v %v", res, err)
	}
	for _, tc := range []struct {
		name string
		p    domain.Principal
		o    intake.CallOptions
		kind apperr.Kind
		fld  string
	}{
		{"a manager", f.mgr, intake.CallOptions{}, apperr.Forbidden, ""},
		{"an analyst", domain.Principal{UserID: f.mgr.UserID, Role: domain.RoleAnalyst}, intake.CallOptions{}, apperr.Forbidden, ""},
		{"a director with a bad format", f.dir, intake.CallOptions{Format: "cisco"}, apperr.Invalid, "format"},
		{"a bad zone", f.admin, intake.CallOptions{Zone: "Марс/Олимп"}, apperr.Invalid, "zone"},
		{"too many digits", f.admin, intake.CallOptions{MinDigits: 16}, apperr.Invalid, "min_digits"},
	} {
		_, err := intake.ImportCalls(context.Background(), f.s, tc.p, line1, tc.o)
		if e := apperr.As(err); e == nil || e.Kind != tc.kind || e.Field != tc.fld {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
	if _, err := intake.ImportCalls(f.ctx, f.s, f.dir, line1, intake.CallOptions{}); err != nil {
		t.Fatalf("a director imports: %v", err)
	}
}
