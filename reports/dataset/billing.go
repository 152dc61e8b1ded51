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
		Columns: []string{"id", "deal_id", "number", "amount", "currency", "status", "issued_at", "due_at", "created_at", "updated_at"},
		Lookups: append([]Lookup{
			{Name: "deal", Lookup: olap.Lookup{Table: "deals", Using: "deal_id", Select: "id AS deal_id, responsible_id, title AS deal_title"}},
			userLookup("responsible", "responsible_id", "responsible")},
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
		},
	}
}

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
