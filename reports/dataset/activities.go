package dataset

import (
	sq "github.com/Masterminds/squirrel"

	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
)

func init() {
	registerDataset(&Dataset{
		Key: "activities", LabelRU: "Дела", LabelEN: "Activities", Table: "activities", DefaultDate: "created_at",
		Columns: []string{"id", "type", "subject", "owner_id", "deal_id", "lead_id", "direction", "duration_s",
			"due_at", "done_at", "created_at", "updated_at"},
		Lookups: []Lookup{userLookup("owner", "owner_id", "owner")},
		Access:  func(a Access) sq.Sqlizer { return a.Activities("owner_id", "deal_id", "lead_id") },
		Fields: []Field{
			ref("id", "id", "ID дела", "Activity ID"),
			text("type", "type", "Тип", "Type").desc("Звонок, письмо, встреча или задача.", "call, email, meeting or task."),
			text("subject", "subject", "Тема", "Subject"),
			ref("owner", "owner_id", "Исполнитель (ID)", "Owner (id)"),
			text("owner_name", "owner_name", "Исполнитель", "Owner").with("owner"),
			ref("deal_id", "deal_id", "Сделка (ID)", "Deal (id)"),
			ref("lead_id", "lead_id", "Лид (ID)", "Lead (id)"),
			text("direction", "direction", "Направление", "Direction").desc("Входящий или исходящий; пусто у встреч и задач.", "in or out; empty for meetings and tasks."),
			quantity("duration_s", reports.TypeInteger, "duration_s", "Длительность, с", "Duration, s"),
			flag("done", "toUInt8(done_at IS NOT NULL)", "Выполнено", "Done",
				i18n.T("Выполнено дел", "Activities done"), i18n.T("Доля выполненных", "Share done")).
				desc("1, если дело выполнено, иначе 0: сумма — число выполненных, среднее — их доля.",
					"1 when the activity is done, else 0: the sum counts activities done, the average is their share."),
			moment("due_at", "due_at", "Срок", "Due"),
			moment("done_at", "done_at", "Выполнено в", "Done at"),
			moment("created_at", "created_at", "Создано", "Created"),
		},
	})
}
