package dataset

import (
	sq "github.com/Masterminds/squirrel"

	"github.com/voronka/voronka/internal/i18n"
)

func init() {
	registerDataset(&Dataset{
		Key: "leads", LabelRU: "Лиды", LabelEN: "Leads", Table: "leads", DefaultDate: "created_at",
		Columns: []string{"id", "title", "source", "stage_id", "responsible_id", "contact_name", "company_name",
			"contact_id", "company_id", "disqualify_reason", "deal_id", "created_by", "created_at", "updated_at", "converted_at"},
		Lookups: []Lookup{stageLookup("stage", "stage_id", "stage"), userLookup("responsible", "responsible_id", "responsible"),
			sourceLookup()},
		Access: func(a Access) sq.Sqlizer { return a.Leads("responsible_id") },
		Fields: []Field{
			ref("id", "id", "ID лида", "Lead ID"),
			text("title", "title", "Название", "Title"),
			text("source", "source", "Источник (код)", "Source (code)"),
			text("source_name", "source_name", "Источник", "Source").with("source"),
			text("stage", "stage_code", "Статус (код)", "Status (code)").with("stage").orderedBy("stage_position"),
			text("stage_name", "stage_name", "Статус", "Status").with("stage").orderedBy("stage_position").
				desc("Текущий статус лида, под его нынешним названием.", "The lead's current status, by its current name."),
			text("stage_kind", "stage_kind", "Тип статуса", "Status kind").with("stage").orderedBy("stage_position"),
			ref("responsible", "responsible_id", "Ответственный (ID)", "Responsible (id)"),
			text("responsible_name", "responsible_name", "Ответственный", "Responsible").with("responsible"),
			text("company_name", "company_name", "Компания", "Company"),
			text("disqualify_reason", "disqualify_reason", "Причина дисквалификации", "Disqualification reason"),
			ref("deal_id", "deal_id", "Сделка (ID)", "Deal (id)"),
			flag("converted", "toUInt8(deal_id IS NOT NULL)", "Сконвертирован", "Converted",
				i18n.T("Сконвертировано лидов", "Leads converted"), i18n.T("Доля конверсии", "Conversion rate")).
				desc("1, если из лида создана сделка, иначе 0: среднее — доля конверсии.",
					"1 when the lead became a deal, else 0: the average is the conversion rate."),
			moment("created_at", "created_at", "Создан", "Created"),
			moment("converted_at", "converted_at", "Сконвертирован в", "Converted at"),
			moment("updated_at", "updated_at", "Изменён", "Updated"),
		},
	})
}
