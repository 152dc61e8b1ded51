package dataset

import sq "github.com/Masterminds/squirrel"

func init() {
	registerDataset(&Dataset{
		Key: "companies", LabelRU: "Компании", LabelEN: "Companies", Table: "companies", DefaultDate: "created_at",
		Columns: []string{"id", "name", "inn", "responsible_id", "created_at", "updated_at"},
		Lookups: []Lookup{userLookup("responsible", "responsible_id", "responsible")},
		// Companies are shared reference data: every role lists them in
		// the CRM (crmcore.ListCompanies), so reports see them all too.
		Access: func(Access) sq.Sqlizer { return everything },
		Fields: []Field{
			ref("id", "id", "ID компании", "Company ID"),
			text("name", "name", "Название", "Name"),
			text("inn", "inn", "ИНН", "INN"),
			ref("responsible", "responsible_id", "Ответственный (ID)", "Responsible (id)"),
			text("responsible_name", "if(responsible_id IS NULL, NULL, responsible_name)", "Ответственный", "Responsible").with("responsible"),
			moment("created_at", "created_at", "Создана", "Created"),
			moment("updated_at", "updated_at", "Изменена", "Updated"),
		},
	})
}
