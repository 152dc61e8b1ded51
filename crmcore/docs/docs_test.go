package docs_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/crmcore/docs"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/testenv"
)

// fixture: users of every role, two companies, deals of two managers.
type fixture struct {
	t                         *testing.T
	ctx                       context.Context
	pg                        *testenv.PG
	core                      *crmcore.Store
	d                         *docs.Store
	admin, analyst, mgr, mgr2 domain.Principal
	romashka, lutik           int64 // companies
	own, other                int64 // deals: mgr's (of Ромашка, mgr2 observes), mgr2's (of Лютик)
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	pg := testenv.NewPG(t)
	core := crmcore.NewStore(pg.Pool)
	f := &fixture{t: t, ctx: context.Background(), pg: pg, core: core, d: docs.New(core)}
	for _, u := range []struct {
		to          *domain.Principal
		alias, role string
	}{{&f.admin, "admin", "admin"}, {&f.analyst, "analyst", "analyst"}, {&f.mgr, "mgr", "manager"}, {&f.mgr2, "mgr2", "manager"}} {
		c, err := core.CreateUser(f.ctx, crmcore.NewUser{Email: u.alias + "@docs.test", Name: "Сотрудник " + u.alias, Role: u.role, Password: "secret"})
		if err != nil {
			t.Fatal(err)
		}
		*u.to = domain.Principal{UserID: c.ID, Name: c.Name, Email: c.Email, Role: c.Role}
	}
	f.romashka = f.id(`INSERT INTO companies (name) VALUES ('ООО Ромашка') RETURNING id`)
	f.lutik = f.id(`INSERT INTO companies (name) VALUES ('ИП Лютик') RETURNING id`)
	f.own = f.deal(f.mgr, f.romashka)
	f.other = f.deal(f.mgr2, f.lutik)
	f.exec(`INSERT INTO deal_observers (deal_id, user_id) VALUES ($1, $2)`, f.own, f.mgr2.UserID)
	return f
}

func (f *fixture) deal(resp domain.Principal, company int64) int64 {
	return f.id(`INSERT INTO deals (title, pipeline_id, stage_id, amount, currency, responsible_id, company_id)
SELECT 'Сделка', p.id, s.id, 100000, 'RUB', $1, $2 FROM pipelines p JOIN stages s ON s.pipeline_id = p.id AND s.code = 'new'
WHERE p.code = 'sales' RETURNING id`, resp.UserID, company)
}

func (f *fixture) id(q string, args ...any) int64 {
	f.t.Helper()
	var id int64
	if err := f.pg.Pool.QueryRow(f.ctx, q, args...).Scan(&id); err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
	return id
}

func (f *fixture) exec(q string, args ...any) {
	f.t.Helper()
	if _, err := f.pg.Pool.Exec(f.ctx, q, args...); err != nil {
		f.t.Fatalf("%s: %v", q, err)
	}
}

func (f *fixture) count(table string) int64 { return f.id("SELECT count(*) FROM " + table) }

func wantErr(t *testing.T, err error, kind apperr.Kind, field string) {
	t.Helper()
	if e := apperr.As(err); e == nil || e.Kind != kind || e.Field != field {
		t.Fatalf("error %v, want kind %d on %q", err, kind, field)
	}
}

func strp(s string) *string { return &s }
func idp(id int64) *int64   { return &id }

func TestContracts(t *testing.T) {
	f := newFixture(t)
	c, err := f.d.CreateContract(f.ctx, f.mgr, docs.NewContract{CompanyID: f.romashka, Number: " Д-2025/01 ", SignedAt: "2025-02-01", ValidTo: strp("2025-12-31")})
	if err != nil {
		t.Fatal(err)
	}
	if c.Number != "Д-2025/01" || c.SignedAt != "2025-02-01" || c.ValidTo == nil || *c.ValidTo != "2025-12-31" || c.CompanyID != f.romashka {
		t.Errorf("created %+v", c)
	}
	if _, err := f.d.CreateContract(f.ctx, f.mgr2, docs.NewContract{CompanyID: f.lutik, Number: "Д-2025/01", SignedAt: "2025-03-01"}); err != nil {
		t.Fatalf("the same number with another company: %v", err)
	}
	ok := docs.NewContract{CompanyID: f.romashka, Number: "Д-2", SignedAt: "2025-02-01"}
	for _, tc := range []struct {
		name  string
		as    domain.Principal
		mut   func(*docs.NewContract)
		kind  apperr.Kind
		field string
	}{
		{"analyst", f.analyst, func(*docs.NewContract) {}, apperr.Forbidden, ""},
		{"unknown company", f.mgr, func(in *docs.NewContract) { in.CompanyID = f.lutik + 100 }, apperr.Invalid, "company_id"},
		{"no company", f.mgr, func(in *docs.NewContract) { in.CompanyID = 0 }, apperr.Invalid, "company_id"},
		{"number taken", f.mgr, func(in *docs.NewContract) { in.Number = "Д-2025/01" }, apperr.Conflict, "number"},
		{"no number", f.mgr, func(in *docs.NewContract) { in.Number = "" }, apperr.Invalid, "number"},
		{"not a date", f.mgr, func(in *docs.NewContract) { in.SignedAt = "01.02.2025" }, apperr.Invalid, "signed_at"},
		{"no date", f.mgr, func(in *docs.NewContract) { in.SignedAt = "" }, apperr.Invalid, "signed_at"},
		{"ends before signed", f.mgr, func(in *docs.NewContract) { in.ValidTo = strp("2025-01-31") }, apperr.Invalid, "valid_to"},
		{"ends on no date", f.mgr, func(in *docs.NewContract) { in.ValidTo = strp("2025-02-30") }, apperr.Invalid, "valid_to"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := ok
			tc.mut(&in)
			_, err := f.d.CreateContract(f.ctx, tc.as, in)
			wantErr(t, err, tc.kind, tc.field)
		})
	}
	if n := f.count("contracts"); n != 2 {
		t.Errorf("contracts = %d, want 2", n)
	}
	// the directory: a manager reads every company's contracts
	if got, total, err := f.d.ListContracts(f.ctx, f.mgr, docs.ContractFilter{CompanyID: f.lutik}); err != nil || total != 1 || got[0].CompanyID != f.lutik {
		t.Errorf("Лютик's contracts: %+v %d %v", got, total, err)
	}
	if got, err := f.d.GetContract(f.ctx, f.mgr2, c.ID); err != nil || got.Number != c.Number {
		t.Errorf("get: %+v %v", got, err)
	}
}

func TestOrders(t *testing.T) {
	f := newFixture(t)
	contract, err := f.d.CreateContract(f.ctx, f.admin, docs.NewContract{CompanyID: f.romashka, Number: "Д-1", SignedAt: "2025-01-10"})
	if err != nil {
		t.Fatal(err)
	}
	alien, err := f.d.CreateContract(f.ctx, f.admin, docs.NewContract{CompanyID: f.lutik, Number: "Д-2", SignedAt: "2025-01-10"})
	if err != nil {
		t.Fatal(err)
	}
	product := f.id(`INSERT INTO products (name, price, currency) VALUES ('Лицензия ECOS', 50000, 'RUB') RETURNING id`)
	f.exec(`INSERT INTO deal_items (deal_id, product_id, quantity, price, discount) VALUES ($1, $2, 2, 45000, 10)`, f.own, product)
	o, err := f.d.CreateOrder(f.ctx, f.mgr, docs.NewOrder{DealID: f.own, ContractID: idp(contract.ID), Number: "З-1", Amount: domain.NewMoney("81000"), Currency: "RUB"})
	if err != nil {
		t.Fatal(err)
	}
	if o.ContractID == nil || *o.ContractID != contract.ID || o.Amount.String() != "81000" || len(o.Items) != 1 ||
		o.Items[0].Name != "Лицензия ECOS" || o.Items[0].Quantity != 2 || o.Items[0].Price.String() != "45000" || o.Items[0].Discount != 10 {
		t.Errorf("created %+v", o)
	}
	// the items are a snapshot: a later change of the deal's items leaves the order as it was
	f.exec(`DELETE FROM deal_items WHERE deal_id = $1`, f.own)
	if got, err := f.d.GetOrder(f.ctx, f.mgr, o.ID); err != nil || len(got.Items) != 1 {
		t.Errorf("order after the deal's items changed: %+v %v", got, err)
	}
	ok := docs.NewOrder{DealID: f.own, Number: "З-2", Amount: domain.NewMoney("10"), Currency: "RUB"}
	for _, tc := range []struct {
		name  string
		as    domain.Principal
		mut   func(*docs.NewOrder)
		kind  apperr.Kind
		field string
	}{
		{"invisible deal", f.mgr, func(in *docs.NewOrder) { in.DealID = f.other }, apperr.NotFound, ""},
		{"no such deal", f.mgr, func(in *docs.NewOrder) { in.DealID = f.other + 100 }, apperr.NotFound, ""},
		{"observer reads only", f.mgr2, func(*docs.NewOrder) {}, apperr.Forbidden, ""},
		{"analyst", f.analyst, func(*docs.NewOrder) {}, apperr.Forbidden, ""},
		{"another company's contract", f.mgr, func(in *docs.NewOrder) { in.ContractID = idp(alien.ID) }, apperr.Invalid, "contract_id"},
		{"no such contract", f.mgr, func(in *docs.NewOrder) { in.ContractID = idp(alien.ID + 100) }, apperr.Invalid, "contract_id"},
		{"zero amount", f.mgr, func(in *docs.NewOrder) { in.Amount = domain.NewMoney("0") }, apperr.Invalid, "amount"},
		{"negative amount", f.mgr, func(in *docs.NewOrder) { in.Amount = domain.NewMoney("-5") }, apperr.Invalid, "amount"},
		{"unknown currency", f.mgr, func(in *docs.NewOrder) { in.Currency = "XXX" }, apperr.Invalid, "currency"},
		{"no number", f.mgr, func(in *docs.NewOrder) { in.Number = "" }, apperr.Invalid, "number"},
		{"number taken on the deal", f.mgr, func(in *docs.NewOrder) { in.Number = "З-1" }, apperr.Conflict, "number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := ok
			tc.mut(&in)
			_, err := f.d.CreateOrder(f.ctx, tc.as, in)
			wantErr(t, err, tc.kind, tc.field)
		})
	}
	if n := f.count("orders"); n != 1 {
		t.Errorf("orders = %d, want 1", n)
	}
	// a deal without a company takes no contract
	f.exec(`UPDATE deals SET company_id = NULL WHERE id = $1`, f.own)
	_, err = f.d.CreateOrder(f.ctx, f.mgr, docs.NewOrder{DealID: f.own, ContractID: idp(contract.ID), Number: "З-3", Amount: domain.NewMoney("1"), Currency: "RUB"})
	wantErr(t, err, apperr.Invalid, "contract_id")
	if _, err := f.d.CreateOrder(f.ctx, f.mgr2, docs.NewOrder{DealID: f.other, ContractID: idp(alien.ID), Number: "З-1", Amount: domain.NewMoney("5.5"), Currency: "USD"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		as   domain.Principal
		deal int64
		want int
	}{{f.mgr, 0, 1}, {f.mgr2, 0, 2}, {f.analyst, 0, 2}, {f.mgr, f.other, 0}, {f.admin, f.other, 1}} {
		if _, total, err := f.d.ListOrders(f.ctx, tc.as, docs.OrderFilter{DealID: tc.deal}); err != nil || total != tc.want {
			t.Errorf("%s lists %d orders of deal %d (%v), want %d", tc.as.Email, total, tc.deal, err, tc.want)
		}
	}
	if _, err := f.d.GetOrder(f.ctx, f.mgr, o.ID+1); apperr.KindOf(err) != apperr.NotFound {
		t.Errorf("mgr reads mgr2's order: %v", err)
	}
}

func TestActsStayWithinTheirOrder(t *testing.T) {
	f := newFixture(t)
	o, err := f.d.CreateOrder(f.ctx, f.mgr, docs.NewOrder{DealID: f.own, Number: "З-1", Amount: domain.NewMoney("1000.00"), Currency: "RUB"})
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := f.d.CreateOrder(f.ctx, f.mgr2, docs.NewOrder{DealID: f.other, Number: "З-1", Amount: domain.NewMoney("10"), Currency: "RUB"})
	if err != nil {
		t.Fatal(err)
	}
	a, err := f.d.CreateAct(f.ctx, f.mgr, docs.NewAct{OrderID: o.ID, Number: "А-1", Amount: domain.NewMoney("600.50"), SignedAt: "2025-03-31"})
	if err != nil {
		t.Fatal(err)
	}
	if a.Amount.String() != "600.5" || a.SignedAt != "2025-03-31" || a.OrderID != o.ID {
		t.Errorf("created %+v", a)
	}
	ok := docs.NewAct{OrderID: o.ID, Number: "А-2", Amount: domain.NewMoney("100"), SignedAt: "2025-04-30"}
	for _, tc := range []struct {
		name  string
		as    domain.Principal
		mut   func(*docs.NewAct)
		kind  apperr.Kind
		field string
	}{
		// 600.50 + 399.51 > 1000.00 by a kopeck
		{"larger than its order", f.mgr, func(in *docs.NewAct) { in.Amount = domain.NewMoney("399.51") }, apperr.Invalid, "amount"},
		{"invisible order", f.mgr, func(in *docs.NewAct) { in.OrderID = theirs.ID }, apperr.NotFound, ""},
		{"no such order", f.mgr, func(in *docs.NewAct) { in.OrderID = theirs.ID + 100 }, apperr.NotFound, ""},
		{"observer reads only", f.mgr2, func(*docs.NewAct) {}, apperr.Forbidden, ""},
		{"zero amount", f.mgr, func(in *docs.NewAct) { in.Amount = domain.NewMoney("0") }, apperr.Invalid, "amount"},
		{"no date", f.mgr, func(in *docs.NewAct) { in.SignedAt = "" }, apperr.Invalid, "signed_at"},
		{"number taken", f.mgr, func(in *docs.NewAct) { in.Number = "А-1" }, apperr.Conflict, "number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := ok
			tc.mut(&in)
			_, err := f.d.CreateAct(f.ctx, tc.as, in)
			wantErr(t, err, tc.kind, tc.field)
		})
	}
	if _, err := f.d.CreateAct(f.ctx, f.mgr, docs.NewAct{OrderID: o.ID, Number: "А-2", Amount: domain.NewMoney("399.50"), SignedAt: "2025-04-30"}); err != nil {
		t.Fatalf("the rest of the order exactly: %v", err)
	}
	// two acts at once on a fresh order, each more than half of it: one of them
	o2, err := f.d.CreateOrder(f.ctx, f.mgr, docs.NewOrder{DealID: f.own, Number: "З-2", Amount: domain.NewMoney("100"), Currency: "RUB"})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 6)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = f.d.CreateAct(f.ctx, f.mgr, docs.NewAct{OrderID: o2.ID, Number: "А-" + string(rune('a'+i)), Amount: domain.NewMoney("60"), SignedAt: "2025-05-01"})
		}()
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		if err == nil {
			won++
		} else if e := apperr.As(err); e == nil || e.Field != "amount" {
			t.Errorf("a concurrent act failed otherwise: %v", err)
		}
	}
	if won != 1 || f.id(`SELECT count(*) FROM acts WHERE order_id = $1`, o2.ID) != 1 {
		t.Errorf("%d concurrent acts of 60 on an order of 100 written, want 1", won)
	}
	if got, err := f.d.GetOrder(f.ctx, f.mgr, o.ID); err != nil || got.ActedAmount.String() != "1000" {
		t.Errorf("acted amount: %+v %v", got, err)
	}
	for _, tc := range []struct {
		as    domain.Principal
		order int64
		want  int
	}{{f.mgr, o.ID, 2}, {f.mgr2, o.ID, 2}, {f.mgr, 0, 3}, {f.mgr, theirs.ID, 0}} {
		if _, total, err := f.d.ListActs(f.ctx, tc.as, docs.ActFilter{OrderID: tc.order}); err != nil || total != tc.want {
			t.Errorf("%s lists %d acts of order %d (%v), want %d", tc.as.Email, total, tc.order, err, tc.want)
		}
	}
	if _, err := f.d.GetAct(f.ctx, f.mgr2, a.ID); err != nil {
		t.Errorf("the observer reads the act: %v", err)
	}
}

// An invoice may name an order of its own deal, in the order's currency.
func TestInvoiceNamesItsOrder(t *testing.T) {
	f := newFixture(t)
	o, err := f.d.CreateOrder(f.ctx, f.mgr, docs.NewOrder{DealID: f.own, Number: "З-1", Amount: domain.NewMoney("500"), Currency: "RUB"})
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := f.d.CreateOrder(f.ctx, f.mgr2, docs.NewOrder{DealID: f.other, Number: "З-1", Amount: domain.NewMoney("500"), Currency: "RUB"})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 4, 1, 9, 0, 0, 0, time.UTC)
	in := func(order int64, currency string) crmcore.NewInvoice {
		return crmcore.NewInvoice{DealID: f.own, OrderID: idp(order), Number: "СЧ-" + currency, Amount: domain.NewMoney("500"),
			Currency: currency, Status: "issued", IssuedAt: at, DueAt: at.AddDate(0, 0, 10)}
	}
	_, err = f.core.CreateInvoice(f.ctx, f.mgr, in(theirs.ID, "RUB"))
	wantErr(t, err, apperr.Invalid, "order_id")
	_, err = f.core.CreateInvoice(f.ctx, f.mgr, in(theirs.ID+100, "RUB"))
	wantErr(t, err, apperr.Invalid, "order_id")
	_, err = f.core.CreateInvoice(f.ctx, f.mgr, in(o.ID, "USD"))
	wantErr(t, err, apperr.Invalid, "currency")
	if n := f.count("invoices"); n != 0 {
		t.Fatalf("invoices = %d after refusals, want 0", n)
	}
	inv, err := f.core.CreateInvoice(f.ctx, f.mgr, in(o.ID, "RUB"))
	if err != nil || inv.OrderID == nil || *inv.OrderID != o.ID {
		t.Fatalf("invoice of the order: %+v %v", inv, err)
	}
	plain, err := f.core.CreateInvoice(f.ctx, f.mgr, crmcore.NewInvoice{DealID: f.own, Number: "СЧ-2", Amount: domain.NewMoney("1"),
		Currency: "RUB", Status: "issued", IssuedAt: at, DueAt: at})
	if err != nil || plain.OrderID != nil {
		t.Fatalf("an invoice without an order: %+v %v", plain, err)
	}
}
