package dataset

import (
	sq "github.com/Masterminds/squirrel"

	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
)

// AmountNote says how deal amounts become roubles, on every money field.
var AmountNote = i18n.T(" В рублях: сумма сделки × курс её валюты, действующий на дату создания (по Москве), с округлением до копейки.",
	" In roubles: the deal amount × the rate of its currency valid on its creation date (Moscow), rounded to the kopeck.")

// AmountDefinition is the definition of a money value, ru and en each
// followed by AmountNote.
func AmountDefinition(ru, en string) i18n.Text { return i18n.T(ru+AmountNote.RU, en+AmountNote.EN) }

func init() {
	registerDataset(&Dataset{
		Key: "deals", LabelRU: "Сделки", LabelEN: "Deals", Table: "deals", DefaultDate: "created_at",
		Columns: []string{"id", "title", "pipeline_id", "stage_id", "amount", "currency", "responsible_id", "company_id",
			"contact_id", "source", "lead_id", "lost_reason", "created_by", "created_at", "updated_at", "closed_at",
			"expected_close_at", "forecast_category"},
		Lookups: append([]Lookup{pipelineLookup(), stageLookup("stage", "stage_id", "stage"),
			userLookup("responsible", "responsible_id", "responsible"), companyLookup(), sourceLookup()},
			rateLookups("rate", "currency", "created_at", "amount", "amount_rub")...),
		Access: func(a Access) sq.Sqlizer { return a.Deals("id", "responsible_id") },
		Fields: append(dealFields(), dealStageFields()...),
	})
}

func dealFields() []Field {
	return []Field{
		ref("id", "id", "ID сделки", "Deal ID").desc("Номер сделки в CRM.", "The deal's id in the CRM."),
		text("title", "title", "Название", "Title"),
		text("pipeline", "pipeline_code", "Воронка (код)", "Pipeline (code)").with("pipeline"),
		text("pipeline_name", "pipeline_name", "Воронка", "Pipeline").with("pipeline"),
		ref("responsible", "responsible_id", "Ответственный (ID)", "Responsible (id)"),
		text("responsible_name", "responsible_name", "Ответственный", "Responsible").with("responsible").
			desc("Текущий ответственный за сделку.", "The deal's current responsible user."),
		text("source", "source", "Источник (код)", "Source (code)"),
		text("source_name", "source_name", "Источник", "Source").with("source"),
		money("amount", "amount_rub", "Сумма, ₽", "Amount, RUB").with("rate").
			define(AmountDefinition("Сумма сделки.", "The deal amount.")),
		money("weighted_amount", "toDecimal128(toDecimal128(amount_rub, 4) * stage_probability / 100 + toDecimal128('0.005', 3), 2)",
			"Взвешенная сумма, ₽", "Weighted amount, RUB").with("rate", "stage").
			define(AmountDefinition("Сумма × вероятность текущей стадии / 100, до копейки.",
				"Amount × the current stage's probability / 100, to the kopeck.")),
		money("amount_original", "amount", "Сумма в валюте сделки", "Amount in the deal currency").
			desc("Сумма в валюте сделки, без пересчёта: складывайте только в одной валюте.",
				"The amount in the deal's own currency, unconverted: add up one currency at a time."),
		text("currency", "currency", "Валюта", "Currency"),
		moment("created_at", "created_at", "Создана", "Created").desc("Дата создания сделки.", "When the deal was created."),
		moment("closed_at", "closed_at", "Закрыта", "Closed").
			desc("Когда сделка перешла в выигранную или проигранную стадию.", "When the deal reached a won or lost stage."),
		moment("updated_at", "updated_at", "Изменена", "Updated"),
		day("expected_close_at", "expected_close_at", "Ожидаемая дата закрытия", "Expected close date").
			desc("Когда сделку ожидают закрыть: дата, которую указали в сделке; пусто, если её нет.",
				"When the deal is expected to close: the date set on the deal; empty when none is set."),
		text("forecast_category", "forecast_category", "Категория прогноза (код)", "Forecast category (code)").
			desc("Категория прогноза, заданная в сделке: commit — «Уверенно», best_case — «Вероятно», pipeline — «Возможно»; "+
				"пусто — не задана, сделка в прогнозе по вероятности стадии.",
				"The forecast category set on the deal: commit, best_case or pipeline; "+
					"empty when none is set, and the deal counts by its stage's probability."),
		text("company", "if(company_id IS NULL, NULL, company_name)", "Компания", "Company").with("company"),
		ref("company_id", "company_id", "Компания (ID)", "Company (id)"),
		text("lost_reason", "lost_reason", "Причина отказа", "Lost reason"),
		ref("created_by", "created_by", "Создал (ID)", "Created by (id)"),
		quantity("cycle_days", reports.TypeNumber, "if(closed_at IS NULL, NULL, (toInt64(closed_at) - toInt64(created_at)) / 86400)",
			"Дней до закрытия", "Days to close").
			desc("Дней от создания до закрытия сделки; у открытых сделок пусто.", "Days from creation to closing; empty for open deals."),
	}
}

func dealStageFields() []Field {
	return []Field{
		text("stage", "stage_code", "Стадия (код)", "Stage (code)").with("stage").orderedBy(stageOrder("stage")),
		text("stage_name", "stage_name", "Стадия", "Stage").with("stage").orderedBy(stageOrder("stage")).
			desc("Текущая стадия сделки, под её нынешним названием.", "The deal's current stage, by its current name."),
		text("stage_kind", "stage_kind", "Тип стадии", "Stage kind").with("stage").orderedBy(stageOrder("stage")).
			desc("Открытая, выиграна, проиграна или на паузе.", "open, won, lost or paused."),
		text("stage_group", "stage_group", "Группа стадий", "Stage group").with("stage").orderedBy(stageOrder("stage")),
		quantity("stage_position", reports.TypeInteger, "stage_position", "Порядок стадии", "Stage position").with("stage").asDim().
			allowing(rankAggs),
		quantity("probability", reports.TypeInteger, "stage_probability", "Вероятность, %", "Probability, %").with("stage").asDim().
			allowing(levelAggs).desc("Вероятность текущей стадии (0–100).", "The current stage's probability (0–100)."),
		flag("won", "toUInt8(stage_kind = 'won')", "Выиграна", "Won",
			i18n.T("Выиграно сделок", "Deals won"), i18n.T("Доля выигранных", "Share won")).with("stage").
			desc("1, если сделка в выигранной стадии, иначе 0: сумма — число выигранных, среднее — их доля.",
				"1 when the deal is in a won stage, else 0: the sum counts won deals, the average is their share."),
		flag("lost", "toUInt8(stage_kind = 'lost')", "Проиграна", "Lost",
			i18n.T("Проиграно сделок", "Deals lost"), i18n.T("Доля проигранных", "Share lost")).with("stage").
			desc("1, если сделка в проигранной стадии, иначе 0: сумма — число проигранных, среднее — их доля.",
				"1 when the deal is in a lost stage, else 0: the sum counts lost deals, the average is their share."),
	}
}
