package dataset

import (
	sq "github.com/Masterminds/squirrel"

	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
)

func init() {
	registerDataset(&Dataset{
		Key: "stage_changes", LabelRU: "Смены стадий", LabelEN: "Stage changes", Table: "stage_changes", DefaultDate: "changed_at",
		Columns: []string{"id", "deal_id", "pipeline_id", "from_stage_id", "to_stage_id", "changed_at", "changed_by", "reason"},
		Lookups: []Lookup{pipelineLookup(), stageLookup("from_stage", "from_stage_id", "from_stage"),
			stageLookup("to_stage", "to_stage_id", "to_stage"), userLookup("changed_by", "changed_by", "changed_by"),
			{Name: "deal", Lookup: olap.Lookup{Table: "deals", Using: "deal_id", Select: "id AS deal_id, responsible_id, title AS deal_title"}},
			userLookup("responsible", "responsible_id", "responsible")},
		Access: func(a Access) sq.Sqlizer { return a.DealIDs("deal_id") },
		Fields: []Field{
			ref("id", "id", "ID записи", "Record ID"),
			ref("deal_id", "deal_id", "Сделка (ID)", "Deal (id)"),
			text("deal_title", "deal_title", "Сделка", "Deal").with("deal"),
			text("pipeline", "pipeline_code", "Воронка (код)", "Pipeline (code)").with("pipeline"),
			text("pipeline_name", "pipeline_name", "Воронка", "Pipeline").with("pipeline"),
			text("from_stage", "if(from_stage_id IS NULL, NULL, from_stage_code)", "Из стадии (код)", "From stage (code)").with("from_stage").orderedBy(stageOrder("from_stage")).
				desc("Пусто у входа в первую стадию при создании сделки.", "Empty for the entry into the first stage at creation."),
			text("from_stage_name", "if(from_stage_id IS NULL, NULL, from_stage_name)", "Из стадии", "From stage").with("from_stage").orderedBy(stageOrder("from_stage")),
			text("to_stage", "to_stage_code", "В стадию (код)", "To stage (code)").with("to_stage").orderedBy(stageOrder("to_stage")),
			text("to_stage_name", "to_stage_name", "В стадию", "To stage").with("to_stage").orderedBy(stageOrder("to_stage")).
				desc("Стадия, в которую перешла сделка, под её нынешним названием.", "The stage entered, by its current name."),
			text("to_stage_kind", "to_stage_kind", "Тип стадии", "Stage kind").with("to_stage").orderedBy(stageOrder("to_stage")),
			text("to_stage_group", "to_stage_group", "Группа стадий", "Stage group").with("to_stage").orderedBy(stageOrder("to_stage")),
			quantity("to_stage_position", reports.TypeInteger, "to_stage_position", "Порядок стадии", "Stage position").with("to_stage").asDim().
				allowing(rankAggs),
			moment("changed_at", "changed_at", "Когда", "Changed at").desc("Момент смены стадии.", "When the stage changed."),
			ref("changed_by", "changed_by", "Кто (ID)", "Changed by (id)"),
			text("changed_by_name", "if(changed_by IS NULL, NULL, changed_by_name)", "Кто", "Changed by").with("changed_by"),
			ref("responsible", "responsible_id", "Ответственный (ID)", "Responsible (id)").with("deal").
				desc("Текущий ответственный за сделку.", "The deal's current responsible user."),
			text("responsible_name", "responsible_name", "Ответственный", "Responsible").with("deal", "responsible"),
			text("reason", "reason", "Причина", "Reason"),
		},
	})
}
