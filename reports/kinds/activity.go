package kinds

import (
	"context"
	"time"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/olap"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/dataset"
)

func init() {
	RegisterKind(reports.KindManagerActivity, perUserKind{columns: activityColumns, cells: activityCells,
		keep: func(*managerFigures) bool { return true }, drills: activityDrills})
}

// perUserKind is a report of per-user figures (managerFigures) with the
// team as totals; manager activity and activities-vs-outcomes differ only
// in their columns, their cells and which users they list.
type perUserKind struct {
	columns func(lang string) []reports.Column
	cells   func(*managerFigures) []any
	keep    func(*managerFigures) bool // list this user
	drills  map[string]string          // the countable columns: the figure each counts (drill_people.go)
}

// compareKeys: a row is a user (id, name); a comparison sets the same
// user's figures for the period before beside theirs.
func (perUserKind) compareKeys() int { return 2 }

// compareNow: the overdue tasks are counted now, not in the period.
func (perUserKind) compareNow() []string { return []string{"tasks_overdue"} }

// perUserParams: Pipeline (optional, a deal pipeline's code) counts only
// that pipeline's deals and the activities on them; without it every
// deal pipeline and every activity counts.
type perUserParams struct {
	Pipeline string `json:"pipeline,omitempty"`
}

// Plan checks the params and the (required) period.
func (k perUserKind) Plan(def *reports.Definition, p domain.Principal, now time.Time) (Plan, error) {
	var par perUserParams
	if err := decodeKindParams(def.Params, &par); err != nil {
		return nil, err
	}
	sc, err := planScope(def, p, now, par.Pipeline, true)
	if err != nil {
		return nil, err
	}
	loc, err := def.Period.Location("period")
	if err != nil {
		return nil, err
	}
	return perUserPlan{perUserKind: k, sc: sc, loc: loc}, nil
}

type perUserPlan struct {
	perUserKind
	sc  *scope
	loc *time.Location // the period's zone (the drill's times)
}

// Run computes the figures for p.
func (pl perUserPlan) Run(ctx context.Context, db *olap.DB) (*reports.Result, error) {
	start := time.Now()
	r, err := pl.sc.start(ctx, db)
	if err != nil {
		return nil, err
	}
	figures, err := r.managerFigures(ctx)
	if err != nil {
		return nil, err
	}
	users, labels, err := sortedUsers(ctx, db, figures)
	if err != nil {
		return nil, err
	}
	res := &reports.Result{Columns: pl.columns(r.lang)}
	for _, u := range users {
		if pl.keep(figures[u]) {
			res.Rows = append(res.Rows, append([]any{u, labels[u]}, pl.cells(figures[u])...))
		}
	}
	res.Totals = append([]any{nil, nil}, pl.cells(figures.team())...)
	res.Meta = r.resultMeta(start, r.sqlTime, len(res.Rows))
	return res, nil
}

// activityCells are one user's (or the team's) figures in column order.
func activityCells(f *managerFigures) []any {
	var avgDays any
	if f.won > 0 {
		avgDays = roundHours(f.wonDays / float64(f.won))
	}
	return []any{f.calls, f.emails, f.meetings, f.tasksDone, f.overdue, f.created, f.movedDeals,
		f.won, centsMoney(f.wonAmount), nullableCell(ratio(f.won, f.closed)), avgDays}
}

func activityColumns(lang string) []reports.Column {
	return kindColumns(lang,
		colSpec{"responsible", i18n.T("Сотрудник (ID)", "User (id)"), reports.TypeInteger, i18n.Text{}},
		colSpec{"responsible_name", i18n.T("Сотрудник", "User"), reports.TypeString, i18n.T("Владелец дел; ответственный за сделки.", "The activities' owner; the deals' responsible.")},
		colSpec{"calls", i18n.T("Звонки", "Calls"), reports.TypeInteger, i18n.T("Звонки, совершённые в периоде.", "Calls made in the period.")},
		colSpec{"emails", i18n.T("Письма", "E-mails"), reports.TypeInteger, i18n.T("Письма, отправленные или полученные в периоде.", "E-mails sent or received in the period.")},
		colSpec{"meetings", i18n.T("Встречи", "Meetings"), reports.TypeInteger, i18n.T("Встречи, проведённые в периоде.", "Meetings held in the period.")},
		colSpec{"tasks_done", i18n.T("Задачи выполнены", "Tasks done"), reports.TypeInteger, i18n.T("Задачи, выполненные в периоде.", "Tasks done in the period.")},
		colSpec{"tasks_overdue", i18n.T("Задачи просрочены", "Tasks overdue"), reports.TypeInteger, i18n.T("Невыполненные задачи со сроком в прошлом — на сейчас.", "Tasks not done whose due time has passed — now.")},
		colSpec{"deals_created", i18n.T("Создано сделок", "Deals created"), reports.TypeInteger, i18n.T("Сделки, созданные в периоде, по текущему ответственному.", "Deals created in the period, by current responsible.")},
		colSpec{"deals_moved_forward", i18n.T("Сделок продвинуто", "Deals moved forward"), reports.TypeInteger,
			i18n.T("Сделки с хотя бы одним переходом вперёд в периоде (из открытой стадии в более дальнюю открытую или выигранную).",
				"Deals with at least one forward move in the period (from an open stage to a later open or won one).")},
		colSpec{"deals_won", i18n.T("Выиграно сделок", "Deals won"), reports.TypeInteger, i18n.T("Сделки, закрытые в периоде и сейчас выигранные.", "Deals closed in the period and now won.")},
		colSpec{"won_amount", i18n.T("Выиграно, ₽", "Won, RUB"), reports.TypeMoney, dataset.AmountDefinition("Сумма выигранных сделок.", "The won deals' amount.")},
		colSpec{"win_rate", i18n.T("Доля побед", "Win rate"), reports.TypePercent, i18n.T("Выиграно / закрыто (выиграно или проиграно) в периоде.", "Won / closed (won or lost) in the period.")},
		colSpec{"avg_days_to_win", i18n.T("Дней до победы", "Days to win"), reports.TypeNumber, i18n.T("Среднее число дней от создания до закрытия выигранных сделок.", "Average days from creation to closing of the won deals.")})
}
