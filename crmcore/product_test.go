package crmcore_test

import (
	"testing"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
)

func TestProductsAndDealItems(t *testing.T) {
	f := newBizFixture(t)
	licence, err := f.s.CreateProduct(f.ctx, f.director, crmcore.NewProduct{Name: "Лицензия «Воронка»", SKU: strp("VRN-1"),
		Price: domain.NewMoney("1000.00"), Currency: "RUB"})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		as    domain.Principal
		in    crmcore.NewProduct
		kind  apperr.Kind
		field string
	}{
		{f.mgr, crmcore.NewProduct{Name: "Внедрение", Price: domain.NewMoney("1"), Currency: "RUB"}, apperr.Forbidden, ""},
		{f.admin, crmcore.NewProduct{Name: "Дубль", SKU: strp("VRN-1"), Price: domain.NewMoney("1"), Currency: "RUB"}, apperr.Conflict, "sku"},
		{f.admin, crmcore.NewProduct{Name: "Внедрение", Price: domain.NewMoney("1"), Currency: "XXX"}, apperr.Invalid, "currency"},
		{f.admin, crmcore.NewProduct{Name: "Внедрение", Price: domain.NewMoney("-1"), Currency: "RUB"}, apperr.Invalid, "price"},
	} {
		_, err := f.s.CreateProduct(f.ctx, tc.as, tc.in)
		wantErr(t, err, tc.kind, tc.field)
	}
	if list, total, err := f.s.ListProducts(f.ctx, f.analyst, crmcore.ProductFilter{Q: "воронка"}); err != nil || total != 1 || list[0].ID != licence.ID {
		t.Fatalf("products: %d %+v %v", total, list, err)
	}

	deal := f.rawDeal("Поставка", f.mgr, f.mgr2)
	disc := 10.0
	// 2.5 × 1000.00 × 90 % = 2250.00
	item, err := f.s.AddDealItem(f.ctx, f.mgr, deal, crmcore.NewDealItem{ProductID: licence.ID, Quantity: 2.5, Discount: &disc})
	if err != nil {
		t.Fatal(err)
	}
	if item.Price.String() != "1000" || item.Total.String() != "2250" || item.ProductName != "Лицензия «Воронка»" {
		t.Errorf("item %+v", item)
	}
	price := domain.NewMoney("333.33")
	// 3 × 333.33 = 999.99
	if item, err = f.s.AddDealItem(f.ctx, f.director, deal, crmcore.NewDealItem{ProductID: licence.ID, Quantity: 3, Price: &price}); err != nil || item.Total.String() != "999.99" {
		t.Fatalf("item with a price: %+v %v", item, err)
	}
	f.exec(`INSERT INTO products (name, price, currency, active) VALUES ('Снят с продажи', 1, 'RUB', false)`)
	var retired int64
	f.pg.Pool.QueryRow(f.ctx, `SELECT id FROM products WHERE NOT active`).Scan(&retired)
	other := f.rawDeal("Чужая", f.director)
	for _, tc := range []struct {
		as    domain.Principal
		deal  int64
		in    crmcore.NewDealItem
		kind  apperr.Kind
		field string
	}{
		{f.mgr2, deal, crmcore.NewDealItem{ProductID: licence.ID, Quantity: 1}, apperr.Forbidden, ""},
		{f.mgr, other, crmcore.NewDealItem{ProductID: licence.ID, Quantity: 1}, apperr.NotFound, ""},
		{f.analyst, deal, crmcore.NewDealItem{ProductID: licence.ID, Quantity: 1}, apperr.Forbidden, ""},
		{f.mgr, deal, crmcore.NewDealItem{ProductID: retired, Quantity: 1}, apperr.Invalid, "product_id"},
		{f.mgr, deal, crmcore.NewDealItem{ProductID: licence.ID + 100, Quantity: 1}, apperr.Invalid, "product_id"},
		{f.mgr, deal, crmcore.NewDealItem{ProductID: licence.ID, Quantity: 0}, apperr.Invalid, "quantity"},
		{f.mgr, deal, crmcore.NewDealItem{ProductID: licence.ID, Quantity: 1.0001}, apperr.Invalid, "quantity"},
		{f.mgr, deal, crmcore.NewDealItem{ProductID: licence.ID, Quantity: 1, Discount: new(101.0)}, apperr.Invalid, "discount"},
	} {
		_, err := f.s.AddDealItem(f.ctx, tc.as, tc.deal, tc.in)
		wantErr(t, err, tc.kind, tc.field)
	}
	if n := f.count("deal_items"); n != 2 {
		t.Errorf("deal_items = %d, want 2", n)
	}
	items, err := f.s.DealItems(f.ctx, f.mgr2, deal) // the observer reads them
	if err != nil || len(items) != 2 || items[0].Quantity != 2.5 || items[0].Discount != 10 {
		t.Fatalf("items %+v %v", items, err)
	}
	if _, err := f.s.DealItems(f.ctx, f.mgr, other); apperr.KindOf(err) != apperr.NotFound {
		t.Errorf("items of an invisible deal: %v", err)
	}
}
