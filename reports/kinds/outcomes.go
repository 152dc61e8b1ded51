package kinds

import "github.com/voronka/voronka/reports"

func init() {
	RegisterKind(reports.KindActivityOutcomes, perUserKind{columns: outcomesColumns, cells: outcomeCells,
		keep: func(f *managerFigures) bool { return f.dealCalls+f.dealEmails+f.dealMeetings+f.won+f.moves > 0 }})
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
		{"responsible", "Сотрудник (ID)", "User (id)", reports.TypeInteger, "", ""},
		{"responsible_name", "Сотрудник", "User", reports.TypeString, "Владелец дел; ответственный за сделки.", "The activities' owner; the deals' responsible."},
		{"calls", "Звонки по сделкам", "Calls on deals", reports.TypeInteger, "Звонки по сделкам, совершённые в периоде.", "Calls on deals made in the period."},
		{"emails", "Письма по сделкам", "E-mails on deals", reports.TypeInteger, "Письма по сделкам в периоде.", "E-mails on deals in the period."},
		{"meetings", "Встречи по сделкам", "Meetings on deals", reports.TypeInteger, "Встречи по сделкам, проведённые в периоде.", "Meetings on deals held in the period."},
		{"deals_won", "Выиграно сделок", "Deals won", reports.TypeInteger, "Сделки, закрытые в периоде и сейчас выигранные.", "Deals closed in the period and now won."},
		{"stages_advanced", "Переходов вперёд", "Stages advanced", reports.TypeInteger,
			"Переходы в периоде из открытой стадии в более дальнюю открытую или выигранную.", "Moves in the period from an open stage to a later open or won one."},
	}
	for _, o := range [][3]string{{"calls", "Звонков", "Calls"}, {"emails", "Писем", "E-mails"}, {"meetings", "Встреч", "Meetings"}} {
		specs = append(specs, colSpec{o[0] + "_per_won", o[1] + " на выигранную сделку", o[2] + " per deal won", reports.TypeNumber,
			o[1] + " по сделкам / выиграно сделок.", o[2] + " on deals / deals won."})
	}
	for _, o := range [][3]string{{"calls", "Звонков", "Calls"}, {"emails", "Писем", "E-mails"}, {"meetings", "Встреч", "Meetings"}} {
		specs = append(specs, colSpec{o[0] + "_per_advance", o[1] + " на переход вперёд", o[2] + " per stage advanced", reports.TypeNumber,
			o[1] + " по сделкам / переходов вперёд.", o[2] + " on deals / stages advanced."})
	}
	return kindColumns(lang, specs...)
}
