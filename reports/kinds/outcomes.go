package kinds

import (
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
)

func init() {
	RegisterKind(reports.KindActivityOutcomes, perUserKind{columns: outcomesColumns, cells: outcomeCells,
		keep: func(f *managerFigures) bool { return f.dealCalls+f.dealEmails+f.dealMeetings+f.won+f.moves > 0 }, drills: outcomeDrills})
}

// outcomeCells are one user's (or the team's) figures in column order.
func outcomeCells(f *managerFigures) []any {
	per := func(n, of int64) any { return nullableCell(ratio(n, of)) }
	return []any{f.dealCalls, f.dealEmails, f.dealMeetings, f.won, f.moves,
		per(f.dealCalls, f.won), per(f.dealEmails, f.won), per(f.dealMeetings, f.won),
		per(f.dealCalls, f.moves), per(f.dealEmails, f.moves), per(f.dealMeetings, f.moves)}
}

func outcomesColumns(lang string) []reports.Column {
	specs := []colSpec{
		{"responsible", i18n.T("Сотрудник (ID)", "User (id)"), reports.TypeInteger, i18n.Text{}},
		{"responsible_name", i18n.T("Сотрудник", "User"), reports.TypeString, i18n.T("Владелец дел; ответственный за сделки.", "The activities' owner; the deals' responsible.")},
		{"calls", i18n.T("Звонки по сделкам", "Calls on deals"), reports.TypeInteger, i18n.T("Звонки по сделкам, совершённые в периоде.", "Calls on deals made in the period.")},
		{"emails", i18n.T("Письма по сделкам", "E-mails on deals"), reports.TypeInteger, i18n.T("Письма по сделкам в периоде.", "E-mails on deals in the period.")},
		{"meetings", i18n.T("Встречи по сделкам", "Meetings on deals"), reports.TypeInteger, i18n.T("Встречи по сделкам, проведённые в периоде.", "Meetings on deals held in the period.")},
		{"deals_won", i18n.T("Выиграно сделок", "Deals won"), reports.TypeInteger, i18n.T("Сделки, закрытые в периоде и сейчас выигранные.", "Deals closed in the period and now won.")},
		{"stages_advanced", i18n.T("Переходов вперёд", "Stages advanced"), reports.TypeInteger,
			i18n.T("Переходы в периоде из открытой стадии в более дальнюю открытую или выигранную.", "Moves in the period from an open stage to a later open or won one.")},
	}
	for _, o := range outcomeWords {
		specs = append(specs, colSpec{o.key + "_per_won", i18n.T(o.word.RU+" на выигранную сделку", o.word.EN+" per deal won"), reports.TypeNumber,
			i18n.T(o.word.RU+" по сделкам / выиграно сделок.", o.word.EN+" on deals / deals won.")})
	}
	for _, o := range outcomeWords {
		specs = append(specs, colSpec{o.key + "_per_advance", i18n.T(o.word.RU+" на переход вперёд", o.word.EN+" per stage advanced"), reports.TypeNumber,
			i18n.T(o.word.RU+" по сделкам / переходов вперёд.", o.word.EN+" on deals / stages advanced.")})
	}
	return kindColumns(lang, specs...)
}

// outcomeWords are the deal activities the per-outcome columns count:
// key and the word for them.
var outcomeWords = []struct {
	key  string
	word i18n.Text
}{{"calls", i18n.T("Звонков", "Calls")}, {"emails", i18n.T("Писем", "E-mails")}, {"meetings", i18n.T("Встреч", "Meetings")}}
