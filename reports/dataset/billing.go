package dataset

import (
	sq "github.com/Masterminds/squirrel"

	"github.com/voronka/voronka/olap"
)

func init() {
	registerDataset(invoicesDataset())
	registerDataset(paymentsDataset())
}

func invoicesDataset() *Dataset {
	return &Dataset{
		Key: "invoices", LabelRU: "Счета", LabelEN: "Invoices", Table: "invoices", DefaultDate: "issued_at",
		Columns: []string{"id", "deal_id", "order_id", "number", "amount", "currency", "status", "issued_at", "due_at", "created_at", "updated_at"},
		Lookups: append([]Lookup{
			dealOfDocs(), userLookup("responsible", "responsible_id", "responsible"), companyOfDeal(), paidLookup()},
			rateLookups("rate", "currency", "issued_at", "amount", "amount_rub")...),
		Access: func(a Access) sq.Sqlizer { return a.DealIDs("deal_id") },
		Fields: []Field{
			ref("id", "id", "ID счёта", "Invoice ID"),
			text("number", "number", "Номер", "Number"),
			ref("deal_id", "deal_id", "Сделка (ID)", "Deal (id)"),
			text("deal_title", "deal_title", "Сделка", "Deal").with("deal"),
			ref("responsible", "responsible_id", "Ответственный (ID)", "Responsible (id)").with("deal"),
			text("responsible_name", "responsible_name", "Ответственный", "Responsible").with("deal", "responsible"),
			text("status", "status", "Статус", "Status").desc("Черновик, выставлен, оплачен или отменён.", "draft, issued, paid or cancelled."),
			money("amount", "amount_rub", "Сумма, ₽", "Amount, RUB").with("rate").
				desc("Сумма счёта × курс его валюты на дату выставления (по Москве), до копейки.",
					"The invoice amount × its currency's rate on the issue date (Moscow), to the kopeck."),
			money("amount_original", "amount", "Сумма в валюте счёта", "Amount in the invoice currency"),
			text("currency", "currency", "Валюта", "Currency"),
			moment("issued_at", "issued_at", "Выставлен", "Issued"),
			moment("due_at", "due_at", "Срок оплаты", "Due"),
			moment("created_at", "created_at", "Создан", "Created"),
			ref("order_id", "order_id", "Заказ (ID)", "Order (id)"),
			ref("company", "company_id", "Компания (ID)", "Company (id)").with("deal"),
			text("company_name", "if(company_id IS NULL, NULL, company_name)", "Компания", "Company").with("deal", "company"),
			money("paid_original", "paid_amount", "Оплачено в валюте счёта", "Paid in the invoice currency").with("paid").
				desc("Сумма оплаченных платежей по счёту (запланированные не в счёт).", "The sum of the invoice's paid payments (planned ones do not count)."),
			money("outstanding", outstandingRub, "Не оплачено, ₽", "Outstanding, RUB").with("paid", "rate").
				desc("Сумма счёта минус оплаченные платежи (не меньше нуля) × курс валюты на дату выставления (по Москве), до копейки.",
					"The invoice amount less its paid payments (not below zero) × its currency's rate on the issue date (Moscow), to the kopeck."),
		},
	}
}

// paidLookup adds paid_amount, the sum of an invoice's paid payments (0
// for an invoice without any).
func paidLookup() Lookup {
	return Lookup{Name: "paid", Lookup: olap.Lookup{Table: "payments", Using: "id", GroupBy: "invoice_id",
		Select: "invoice_id AS id, sumIf(amount, status = 'paid') AS paid_amount"}}
}

// outstandingRub is what is left to pay of an invoice, in roubles at the
// rate of its amount (the "rate" lookup's), rounded like amount_rub.
const outstandingRub = "if(rate_rate = 0, NULL, toDecimal128(if(amount > paid_amount, toDecimal128(amount - paid_amount, 2), toDecimal128(0, 2)) * rate_rate + toDecimal128('0.005', 3), 2))"

func paymentsDataset() *Dataset {
	return &Dataset{
		Key: "payments", LabelRU: "Платежи", LabelEN: "Payments", Table: "payments", DefaultDate: "created_at",
		Columns: []string{"id", "invoice_id", "amount", "status", "planned_at", "paid_at", "created_at", "updated_at"},
		Lookups: append([]Lookup{
			{Name: "invoice", Lookup: olap.Lookup{Table: "invoices", Using: "invoice_id",
				Select: "id AS invoice_id, deal_id, number AS invoice_number, currency"}},
			{Name: "deal", Needs: []string{"invoice"}, Lookup: olap.Lookup{Table: "deals", Using: "deal_id", Select: "id AS deal_id, responsible_id"}},
			userLookup("responsible", "responsible_id", "responsible")},
			rateLookups("rate", "currency", "coalesce(paid_at, planned_at, created_at)", "amount", "amount_rub", "invoice")...),
		Access: func(a Access) sq.Sqlizer { return a.Payments("invoice_id") },
		Fields: []Field{
			ref("id", "id", "ID платежа", "Payment ID"),
			ref("invoice_id", "invoice_id", "Счёт (ID)", "Invoice (id)"),
			text("invoice_number", "invoice_number", "Счёт", "Invoice").with("invoice"),
			ref("deal_id", "deal_id", "Сделка (ID)", "Deal (id)").with("invoice"),
			ref("responsible", "responsible_id", "Ответственный (ID)", "Responsible (id)").with("deal"),
			text("responsible_name", "responsible_name", "Ответственный", "Responsible").with("deal", "responsible"),
			text("status", "status", "Статус", "Status").desc("Запланирован или оплачен.", "planned or paid."),
			money("amount", "amount_rub", "Сумма, ₽", "Amount, RUB").with("rate").
				desc("Сумма платежа (в валюте счёта) × курс на дату оплаты, иначе плановую дату (по Москве), до копейки.",
					"The payment (in the invoice currency) × the rate on the paid date, else the planned date (Moscow), to the kopeck."),
			money("amount_original", "amount", "Сумма в валюте счёта", "Amount in the invoice currency"),
			text("currency", "currency", "Валюта", "Currency").with("invoice"),
			moment("planned_at", "planned_at", "Плановая дата", "Planned"),
			moment("paid_at", "paid_at", "Оплачен", "Paid"),
			moment("created_at", "created_at", "Создан", "Created"),
		},
	}
}
