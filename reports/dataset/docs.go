package dataset

import (
	sq "github.com/Masterminds/squirrel"

	"github.com/voronka/voronka/olap"
)

// The documents of a deal (crmcore/docs): contracts, orders, acts.
func init() {
	registerDataset(contractsDataset())
	registerDataset(ordersDataset())
	registerDataset(actsDataset())
}

func contractsDataset() *Dataset {
	return &Dataset{
		Key: "contracts", LabelRU: "Договоры", LabelEN: "Contracts", Table: "contracts", DefaultDate: "signed_at",
		Columns: []string{"id", "company_id", "number", "signed_at", "valid_to", "created_at", "updated_at"},
		Lookups: []Lookup{companyLookup()},
		// Directory data like their companies: every role reads them.
		Access: func(Access) sq.Sqlizer { return everything },
		Fields: []Field{
			ref("id", "id", "ID договора", "Contract ID"),
			text("number", "number", "Номер", "Number"),
			ref("company", "company_id", "Компания (ID)", "Company (id)"),
			text("company_name", "if(company_id IS NULL, NULL, company_name)", "Компания", "Company").with("company"),
			day("signed_at", "signed_at", "Подписан", "Signed"),
			day("valid_to", "valid_to", "Действует до", "Valid to").desc("Пусто — бессрочный.", "Empty: open-ended."),
			moment("created_at", "created_at", "Создан", "Created"),
		},
	}
}

// dealOfDocs brings a document's deal: its responsible, title and company.
func dealOfDocs(needs ...string) Lookup {
	return Lookup{Name: "deal", Needs: needs, Lookup: olap.Lookup{Table: "deals", Using: "deal_id",
		Select: "id AS deal_id, responsible_id, title AS deal_title, company_id"}}
}

// companyOfDeal is companyLookup after the deal's lookup.
func companyOfDeal() Lookup {
	l := companyLookup()
	l.Needs = []string{"deal"}
	return l
}

func ordersDataset() *Dataset {
	return &Dataset{
		Key: "orders", LabelRU: "Заказы", LabelEN: "Orders", Table: "orders", DefaultDate: "created_at",
		Columns: []string{"id", "deal_id", "contract_id", "number", "amount", "currency", "created_at", "updated_at"},
		Lookups: append([]Lookup{
			dealOfDocs(), userLookup("responsible", "responsible_id", "responsible"), companyOfDeal(),
			{Name: "contract", Lookup: olap.Lookup{Table: "contracts", Using: "contract_id",
				Select: "id AS contract_id, number AS contract_number"}}},
			rateLookups("rate", "currency", "created_at", "amount", "amount_rub")...),
		Access: func(a Access) sq.Sqlizer { return a.DealIDs("deal_id") },
		Fields: []Field{
			ref("id", "id", "ID заказа", "Order ID"),
			text("number", "number", "Номер", "Number"),
			ref("deal_id", "deal_id", "Сделка (ID)", "Deal (id)"),
			text("deal_title", "deal_title", "Сделка", "Deal").with("deal"),
			ref("responsible", "responsible_id", "Ответственный (ID)", "Responsible (id)").with("deal"),
			text("responsible_name", "responsible_name", "Ответственный", "Responsible").with("deal", "responsible"),
			ref("company", "company_id", "Компания (ID)", "Company (id)").with("deal"),
			text("company_name", "if(company_id IS NULL, NULL, company_name)", "Компания", "Company").with("deal", "company"),
			ref("contract_id", "contract_id", "Договор (ID)", "Contract (id)"),
			text("contract_number", "if(contract_id IS NULL, NULL, contract_number)", "Договор", "Contract").with("contract"),
			money("amount", "amount_rub", "Сумма, ₽", "Amount, RUB").with("rate").
				desc("Сумма заказа × курс его валюты на дату создания заказа (по Москве), до копейки.",
					"The order amount × its currency's rate on the order's creation date (Moscow), to the kopeck."),
			money("amount_original", "amount", "Сумма в валюте заказа", "Amount in the order currency"),
			text("currency", "currency", "Валюта", "Currency"),
			moment("created_at", "created_at", "Создан", "Created"),
		},
	}
}

func actsDataset() *Dataset {
	return &Dataset{
		Key: "acts", LabelRU: "Акты", LabelEN: "Acts", Table: "acts", DefaultDate: "signed_at",
		Columns: []string{"id", "order_id", "number", "amount", "signed_at", "created_at", "updated_at"},
		Lookups: append([]Lookup{
			{Name: "order", Lookup: olap.Lookup{Table: "orders", Using: "order_id",
				Select: "id AS order_id, deal_id, number AS order_number, currency"}},
			dealOfDocs("order"), userLookup("responsible", "responsible_id", "responsible"), companyOfDeal()},
			rateLookups("rate", "currency", "signed_at", "amount", "amount_rub", "order")...),
		Access: func(a Access) sq.Sqlizer { return a.Orders("order_id") },
		Fields: []Field{
			ref("id", "id", "ID акта", "Act ID"),
			text("number", "number", "Номер", "Number"),
			ref("order_id", "order_id", "Заказ (ID)", "Order (id)"),
			text("order_number", "order_number", "Заказ", "Order").with("order"),
			ref("deal_id", "deal_id", "Сделка (ID)", "Deal (id)").with("order"),
			text("deal_title", "deal_title", "Сделка", "Deal").with("deal"),
			ref("responsible", "responsible_id", "Ответственный (ID)", "Responsible (id)").with("deal"),
			text("responsible_name", "responsible_name", "Ответственный", "Responsible").with("deal", "responsible"),
			ref("company", "company_id", "Компания (ID)", "Company (id)").with("deal"),
			text("company_name", "if(company_id IS NULL, NULL, company_name)", "Компания", "Company").with("deal", "company"),
			money("amount", "amount_rub", "Сумма, ₽", "Amount, RUB").with("rate").
				desc("Сумма акта (в валюте заказа) × курс на дату подписания, до копейки.",
					"The act (in the order currency) × the rate on the signing date, to the kopeck."),
			money("amount_original", "amount", "Сумма в валюте заказа", "Amount in the order currency"),
			text("currency", "currency", "Валюта", "Currency").with("order"),
			day("signed_at", "signed_at", "Подписан", "Signed"),
			moment("created_at", "created_at", "Создан", "Created"),
		},
	}
}
