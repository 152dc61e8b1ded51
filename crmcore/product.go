package crmcore

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/domain"
)

// Product is an item of the price list. SKU, when set, is unique.
type Product struct {
	ID        int64        `json:"id"`
	Name      string       `json:"name"`
	SKU       *string      `json:"sku"`
	Price     domain.Money `json:"price"`
	Currency  string       `json:"currency"`
	Active    bool         `json:"active"`
	CreatedAt time.Time    `json:"created_at"`
}

// NewProduct is the input of CreateProduct (admins and directors).
type NewProduct struct {
	Name     string       `json:"name"`
	SKU      *string      `json:"sku,omitempty"`
	Price    domain.Money `json:"price"`
	Currency string       `json:"currency"`
}

// ProductFilter selects products: Q matches the name or SKU.
type ProductFilter struct {
	Q      string
	Limit  int
	Offset int
}

// DealItem is a product line of a deal: Quantity (up to 3 decimals) at
// Price less Discount percent; Total = quantity × price × (100 − discount)
// / 100, rounded to kopecks. Who sees an item is who sees its deal.
type DealItem struct {
	ID          int64        `json:"id"`
	DealID      int64        `json:"deal_id"`
	ProductID   int64        `json:"product_id"`
	ProductName string       `json:"product_name"`
	Quantity    float64      `json:"quantity"`
	Price       domain.Money `json:"price"`
	Discount    float64      `json:"discount"`
	Total       domain.Money `json:"total"`
}

// NewDealItem is the input of AddDealItem; Price defaults to the
// product's price, Discount (percent) to 0.
type NewDealItem struct {
	ProductID int64         `json:"product_id"`
	Quantity  float64       `json:"quantity"`
	Price     *domain.Money `json:"price,omitempty"`
	Discount  *float64      `json:"discount,omitempty"`
}

// Validate checks a new product's own fields.
func (in NewProduct) Validate() error {
	var v check
	v.text("name", in.Name, true, domain.MaxTitle)
	v.optText("sku", in.SKU, 64)
	v.amount("price", in.Price.Decimal, false)
	v.currency("currency", in.Currency)
	return v.Err
}

// Validate checks a new deal item's own fields.
func (in NewDealItem) Validate() error {
	var v check
	v.id("product_id", in.ProductID, true)
	q := decimal.NewFromFloat(in.Quantity)
	switch {
	case in.Quantity <= 0:
		v.fail("quantity", "not_positive", "must be greater than zero")
	case q.Exponent() < -3 || q.GreaterThanOrEqual(decimal.New(1, 9)):
		v.fail("quantity", "out_of_range", "at most 3 decimal places, less than 10^9")
	}
	if in.Price != nil {
		v.amount("price", in.Price.Decimal, false)
	}
	if d := in.Discount; d != nil && (*d < 0 || *d > 100 || decimal.NewFromFloat(*d).Exponent() < -2) {
		v.fail("discount", "out_of_range", "a percentage from 0 to 100 with at most 2 decimals")
	}
	return v.Err
}
