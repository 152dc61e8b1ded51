package pages

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/crmcore/rates"
	"github.com/voronka/voronka/dashboards/server"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/apperr"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/kinds"
)

// plansBody is the plan page (/plans): a month and a pipeline (none:
// the plans for all pipelines), and one table — a row per manager, a
// column per metric, the team's total. Directors and admins edit it
// (static/plans.js saves through PUT /api/v1/plans/batch, copies the
// previous month, imports a file); analysts and observers read it; a
// manager reads their own row.
type plansBody struct {
	Month, MonthName     string // YYYY-MM, «март 2026»
	Prev, PrevName, Next string
	Pipeline             string // a code, "" for all pipelines
	Months, Pipelines    []option
	Metrics              []planMetric
	Rows                 []planRow
	Totals               []string
	Edit, Own            bool
	Config               planConfig
}

// planMetric is a column: the metric, its header, money or a count.
type planMetric struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Money bool   `json:"money"`
}

// planRow is a manager's row; Edit false for a user who may no longer
// be given plans (not a manager now), whose stored plans still show.
type planRow struct {
	ID       int64
	Name     string
	Inactive bool
	Edit     bool
	Cells    []planCell
}

// planCell is one target: the input's text (1 500 000,00) and the text
// shown read-only (1 500 000,00 ₽), both "" without a plan.
type planCell struct {
	Metric, Label, Input, Text string
}

// planConfig is what static/plans.js needs, as JSON in the page.
type planConfig struct {
	Lang      string            `json:"lang"`
	CSRF      string            `json:"csrf"` // the X-CSRF-Token of the API calls
	Month     string            `json:"month"`
	Prev      string            `json:"prev"`
	PrevName  string            `json:"prev_name"`
	Pipeline  string            `json:"pipeline"`
	Metrics   []planMetric      `json:"metrics"`
	Months    []string          `json:"months"` // the months' names, January first
	Pipelines map[string]string `json:"pipelines"`
	Texts     map[string]string `json:"texts"`
}

// planMetricLabels are the metrics' headers, as finance's sheets name
// them too (dashboards/api reads these headers on import).
var planMetricLabels = map[string]i18n.Text{
	"won_amount": i18n.T("Выручка, ₽", "Revenue, ₽"),
	"won_count":  i18n.T("Выиграно сделок", "Deals won"),
	"new_deals":  i18n.T("Новые сделки", "New deals"),
	"calls":      i18n.T("Звонки", "Calls"),
	"meetings":   i18n.T("Встречи", "Meetings"),
}

// plansPage shows the month's plans.
func (s *handlers) plansPage(c *fiber.Ctx) error {
	d := s.newPage(c, "plans_title")
	b, err := s.plansBody(c, d)
	if e := apperr.As(err); e != nil && e.Kind == apperr.Invalid {
		d.Error = errorMessage(d.Lang, e)
	} else if err != nil {
		return err
	}
	d.Body = b
	return render(c, "plans", d)
}

// plansBody reads the filters and the plans; a filter that is not
// offered is an error the page names, with no table.
func (s *handlers) plansBody(c *fiber.Ctx, d *pageData) (*plansBody, error) {
	ctx, lang := c.UserContext(), d.Lang
	b := &plansBody{Edit: d.User.CanWriteAll(), Own: !d.User.SeesAll(), Pipeline: c.Query("pipeline")}
	month, err := planMonthQuery(c.Query("month"))
	b.Month, b.MonthName = month.Format("2006-01"), i18n.Month(lang, month)
	prev, next := month.AddDate(0, -1, 0), month.AddDate(0, 1, 0)
	b.Prev, b.PrevName, b.Next = prev.Format("2006-01"), i18n.Month(lang, prev), next.Format("2006-01")
	for m := time.Date(month.Year()-1, 1, 1, 0, 0, 0, 0, time.UTC); m.Year() <= month.Year()+1; m = m.AddDate(0, 1, 0) {
		b.Months = append(b.Months, option{m.Format("2006-01"), i18n.Month(lang, m)})
	}
	b.Config = planConfig{Lang: lang, CSRF: d.CSRF, Month: b.Month, Prev: b.Prev, PrevName: b.PrevName, Pipeline: b.Pipeline,
		Pipelines: map[string]string{}, Texts: planTexts(d)}
	for m := 1; m <= 12; m++ {
		name := i18n.Month(lang, time.Date(2000, time.Month(m), 1, 0, 0, 0, 0, time.UTC))
		b.Config.Months = append(b.Config.Months, name[:len(name)-5])
	}
	for _, k := range crmcore.PlanMetrics {
		b.Metrics = append(b.Metrics, planMetric{k, planMetricLabels[k].In(lang), k == "won_amount"})
	}
	b.Config.Metrics = b.Metrics
	pls, perr := s.Store.Pipelines(ctx)
	if perr != nil {
		return b, perr
	}
	b.Pipelines = []option{{"", d.T("plans_all_pipelines")}}
	known := b.Pipeline == ""
	for _, p := range pls {
		if p.Entity == "deal" {
			b.Pipelines = append(b.Pipelines, option{p.Code, p.Name})
			b.Config.Pipelines[p.Code] = p.Name
			known = known || p.Code == b.Pipeline
		}
	}
	if err != nil {
		return b, err
	}
	if !known {
		return b, apperr.Field("pipeline", "unknown_pipeline", "no such deal pipeline")
	}
	return b, s.planRows(c, d, b)
}

// planMonthQuery is the page's month: ?month=YYYY-MM, by default the
// current month in Moscow.
func planMonthQuery(q string) (time.Time, error) {
	if q == "" {
		now := time.Now().In(moscow)
		return time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC), nil
	}
	m, err := time.Parse("2006-01", q)
	if err != nil {
		now := time.Now().In(moscow)
		return time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC),
			apperr.Field("month", "invalid_month", "month is YYYY-MM")
	}
	return m, nil
}

// planRows fills the table: every active manager (a manager: only
// themselves), and anyone else with a plan in the month, then totals.
func (s *handlers) planRows(c *fiber.Ctx, d *pageData, b *plansBody) error {
	ctx := c.UserContext()
	users, err := s.Store.ListUsers(ctx)
	if err != nil {
		return err
	}
	plans, err := s.Store.ListPlans(ctx, d.User, crmcore.PlanFilter{Month: b.Month, Pipeline: b.Pipeline})
	if err != nil {
		return err
	}
	values := map[int64]map[string]domain.Money{}
	for _, p := range plans {
		if (p.Pipeline == nil) != (b.Pipeline == "") { // all pipelines: only the plans for all of them
			continue
		}
		if values[p.ResponsibleID] == nil {
			values[p.ResponsibleID] = map[string]domain.Money{}
		}
		values[p.ResponsibleID][p.Metric] = p.Value
	}
	sums := make([]domain.Money, len(b.Metrics))
	for _, u := range users {
		_, planned := values[u.ID]
		manager := u.Role == domain.RoleManager
		if (b.Own && u.ID != d.User.UserID) || !(planned || (manager && u.Active)) {
			continue
		}
		row := planRow{ID: u.ID, Name: u.Name, Inactive: !u.Active, Edit: manager}
		for i, m := range b.Metrics {
			cell := planCell{Metric: m.Key, Label: m.Label}
			if v, ok := values[u.ID][m.Key]; ok {
				cell.Input, cell.Text = planFigure(d.Lang, m, v, false), planFigure(d.Lang, m, v, true)
				sums[i] = domain.Money{Decimal: sums[i].Add(v.Decimal)}
			}
			row.Cells = append(row.Cells, cell)
		}
		b.Rows = append(b.Rows, row)
	}
	for i, m := range b.Metrics {
		b.Totals = append(b.Totals, planFigure(d.Lang, m, sums[i], true))
	}
	return nil
}

// planFigure is a target in the reader's digits: money with kopecks
// (and ₽ when shown, not typed), a count whole.
func planFigure(lang string, m planMetric, v domain.Money, shown bool) string {
	switch {
	case m.Money && shown:
		return moneyText(lang, v, "RUB")
	case m.Money:
		return i18n.Digits(lang, v.StringFixed(2), false)
	}
	return i18n.Digits(lang, v.StringFixed(0), false)
}

// planTexts are the script's messages in the page's language.
func planTexts(d *pageData) map[string]string {
	out := map[string]string{}
	for _, k := range []string{"plans_saved", "plans_not_saved", "plans_copied", "plans_none_prev", "plans_bad_number",
		"plans_negative", "plans_whole", "plans_decimals", "plans_saving", "plans_failed", "plans_checked", "plans_imported",
		"plans_problems", "plans_row_col", "plans_no_file", "plans_import_row", "plans_month", "plans_all_pipelines",
		"plans_manager", "plans_pipeline", "plans_no_file_chosen"} {
		out[k] = d.T(k)
	}
	return out
}

// monthCell is the drill cell of row i of a report by month: its month.
func monthCell(res *reports.Result) func(i int) map[string]any {
	return func(i int) map[string]any { return map[string]any{"month": res.Rows[i][0]} }
}

// planLinks links a plan panel's figures (the columns figures, those
// that sum records) to their drill pages: the table's cells (row i's to
// cell(i)'s records of the column, the totals' to all of them) and the
// chart's elements of the figures' series (element i is row i's). The
// plans, percents and run-rate forecasts are no records: not linked.
func planLinks(q dashQuery, pn *panel, def reports.Definition, figures []string, cell func(i int) map[string]any) {
	res, tv := pn.result, pn.Table
	if res == nil || tv == nil || q.page != "director" && q.page != "manager" && q.page != "finance" {
		return
	}
	link := func(c map[string]any, col string) string { return cellDrill(q, pn.ID, def, c, col) }
	links := func(cells []string, c map[string]any) []string {
		out := make([]string, len(cells))
		for j, col := range tv.Columns {
			if j < len(cells) && slices.Contains(figures, col.Key) && cells[j] != "—" {
				out[j] = link(c, col.Key)
			}
		}
		return out
	}
	tv.Links = make([][]string, len(tv.Rows))
	for i, r := range tv.Rows {
		tv.Links[i] = links(r, cell(i))
	}
	if tv.Totals != nil {
		tv.TotalLinks = links(tv.Totals, map[string]any{})
	}
	series := map[string]string{} // a series' name → its column
	for _, key := range figures {
		series[columnLabel(res, key)] = key
	}
	pn.Chart = drillChart(pn.Chart, func(name string, i int, _ string) string {
		if key, ok := series[name]; ok && i < len(res.Rows) {
			return link(cell(i), key)
		}
		return ""
	})
}

// planKinds are the plan reports' kinds, whose drills kindCrumb words.
var planKinds = map[string]bool{reports.KindPlanFact: true, reports.KindForecast: true, reports.KindForecastAccuracy: true}

// kindCrumb is the number of a plan panel in words, the breadcrumb's
// last step: the month («март 2026»), the manager (their name) or the
// team («Итого»), and the figure («выручка, факт», «выиграно»).
func (s *handlers) kindCrumb(ctx context.Context, r *kinds.DrillRequest, lang string) string {
	var parts []string
	if raw, ok := r.Cell["month"]; ok {
		parts = append(parts, cellWords(lang, "closed_at_month", raw))
	}
	if raw, ok := r.Cell["responsible"]; ok {
		parts = append(parts, s.userWords(ctx, raw, lang))
	}
	if len(parts) == 0 {
		parts = []string{messages.T(lang, "totals_row")}
	}
	key := "drill_fig_" + r.Column
	if r.Definition.Kind == reports.KindPlanFact {
		var par struct{ Metric string }
		json.Unmarshal(r.Definition.Params, &par)
		key = "drill_fig_fact_" + par.Metric
	}
	if text, ok := messages[key]; ok {
		parts = append(parts, text.In(lang))
	}
	return strings.Join(parts, ", ")
}

var _ = messages.Merge(planMessages)

// planMessages are the plan page's strings.
var planMessages = i18n.Catalog{
	"plans":                i18n.T("Планы", "Plans"),
	"plans_title":          i18n.T("Планы продаж", "Sales plans"),
	"plans_month":          i18n.T("Месяц", "Month"),
	"plans_pipeline":       i18n.T("Воронка", "Pipeline"),
	"plans_all_pipelines":  i18n.T("Все воронки", "All pipelines"),
	"plans_manager":        i18n.T("Менеджер", "Manager"),
	"plans_total":          i18n.T("Итого по команде", "Team total"),
	"plans_prev":           i18n.T("Предыдущий месяц", "Previous month"),
	"plans_next":           i18n.T("Следующий месяц", "Next month"),
	"plans_copy":           i18n.T("Скопировать прошлый месяц", "Copy last month"),
	"plans_save":           i18n.T("Сохранить", "Save"),
	"plans_inactive":       i18n.T("неактивен", "inactive"),
	"plans_none":           i18n.T("Менеджеров нет: планы ставятся пользователям с ролью «менеджер».", "No managers: plans are set for users with the manager role."),
	"plans_hint":           i18n.T("Пустая ячейка — плана нет. «Сохранить» записывает всю таблицу разом: если в одной ячейке ошибка, не сохраняется ничего.", "An empty cell is no plan. Save writes the whole table at once: if one cell is wrong, nothing is saved."),
	"plans_read_only":      i18n.T("Планы ставят директор и администратор; здесь их можно только смотреть.", "Directors and admins set plans; here you may only read them."),
	"plans_own":            i18n.T("Ваш план на месяц; ставят его директор и администратор.", "Your plan for the month; directors and admins set it."),
	"plans_import":         i18n.T("Импорт из файла", "Import from a file"),
	"plans_import_hint":    i18n.T("CSV или XLSX: столбцы «Менеджер» (ФИО или эл. почта), «Месяц» (2026-03, 01.03.2026 или «март 2026»; без него — выбранный месяц), «Воронка» (необязательно) и показатели с заголовками как в таблице. Всё или ничего: если в файле есть ошибки, не импортируется ничего, а ошибки перечисляются по строкам.", "CSV or XLSX: columns Manager (name or e-mail), Month (2026-03, 2026-03-01 or March 2026; without it, the month chosen here), Pipeline (optional) and the metrics headed as in the table. All or nothing: if the file has problems, nothing is imported and the problems are listed by row."),
	"plans_file":           i18n.T("Файл", "File"),
	"plans_choose":         i18n.T("Выбрать файл…", "Choose a file…"),
	"plans_no_file_chosen": i18n.T("Файл не выбран", "No file chosen"),
	"plans_check":          i18n.T("Проверить без сохранения", "Check without saving"),
	"plans_import_run":     i18n.T("Импортировать", "Import"),
	"plans_saved":          i18n.T("Сохранено: значений плана — %s.", "Saved: %s plan values."),
	"plans_not_saved":      i18n.T("Не сохранено: исправьте отмеченные ячейки. Ничего не записано.", "Not saved: fix the marked cells. Nothing was written."),
	"plans_saving":         i18n.T("Сохраняем…", "Saving…"),
	"plans_failed":         i18n.T("Не удалось: %s", "Failed: %s"),
	"plans_copied":         i18n.T("Подставлены планы за %s. Нажмите «Сохранить», чтобы записать их.", "The plans of %s are filled in. Press Save to store them."),
	"plans_none_prev":      i18n.T("За %s планов нет — копировать нечего.", "There are no plans for %s: nothing to copy."),
	"plans_bad_number":     i18n.T("Нужно число, например 1 500 000 или 1 500 000,50.", "A number is needed, e.g. 1,500,000 or 1,500,000.50."),
	"plans_negative":       i18n.T("План не может быть отрицательным.", "A plan cannot be negative."),
	"plans_whole":          i18n.T("Нужно целое число.", "A whole number is needed."),
	"plans_decimals":       i18n.T("Не больше двух знаков после запятой.", "At most two decimals."),
	"plans_checked":        i18n.T("Файл проверен, ничего не сохранено: строк — %s, значений плана — %s (новых или изменённых — %s, без изменений — %s).", "The file is checked, nothing saved: %s rows, %s plan values (%s new or changed, %s unchanged)."),
	"plans_imported":       i18n.T("Импортировано: строк — %s, значений плана — %s (новых или изменённых — %s, без изменений — %s).", "Imported: %s rows, %s plan values (%s new or changed, %s unchanged)."),
	"plans_problems":       i18n.T("Файл не импортирован, ничего не сохранено. Ошибки:", "The file was not imported, nothing was saved. Problems:"),
	"plans_row_col":        i18n.T("Строка %s, «%s»: %s", "Row %s, \"%s\": %s"),
	"plans_no_file":        i18n.T("Выберите файл CSV или XLSX.", "Choose a CSV or XLSX file."),
	"plans_import_row":     i18n.T("Строка", "Row"),

	// The figures of the plan panels in a drill's breadcrumb (kindCrumb).
	"drill_fig_fact_won_amount":    i18n.T("выручка, факт", "revenue, actual"),
	"drill_fig_fact_won_count":     i18n.T("выиграно сделок, факт", "deals won, actual"),
	"drill_fig_fact_new_deals":     i18n.T("новые сделки, факт", "new deals, actual"),
	"drill_fig_fact_calls":         i18n.T("звонки, факт", "calls, actual"),
	"drill_fig_fact_meetings":      i18n.T("встречи, факт", "meetings, actual"),
	"drill_fig_won":                i18n.T("выиграно", "won"),
	"drill_fig_best_case":          i18n.T("лучший случай", "best case"),
	"drill_fig_weighted":           i18n.T("взвешенный прогноз", "weighted forecast"),
	"drill_fig_cat_commit":         i18n.T("прогноз «Уверенно»", "forecast: commit"),
	"drill_fig_cat_best_case":      i18n.T("прогноз «Вероятно»", "forecast: best case"),
	"drill_fig_cat_pipeline":       i18n.T("прогноз «Возможно»", "forecast: pipeline"),
	"drill_fig_forecast_best_case": i18n.T("прогноз на начало месяца, лучший случай", "forecast at the month's start, best case"),
	"drill_fig_forecast_weighted":  i18n.T("прогноз на начало месяца, взвешенный", "forecast at the month's start, weighted"),
	"drill_fig_forecast_commit":    i18n.T("прогноз на начало месяца, «Уверенно»", "forecast at the month's start, commit"),
	"drill_fig_won_forecast":       i18n.T("выиграно из прогноза", "won of the forecast"),
}

// The currency rates page (/rates) lives here beside the plans, the other
// reference figures directors keep (the package is at its file limit).
// Anyone signed in reads it; directors and admins add and correct a rate
// in its form (POST /rates, then back to the page) and remove one
// (POST /rates/delete). The header links it for them only.

// ratesBody is the rates page: a table per currency, newest first.
type ratesBody struct {
	Edit       bool
	Currencies []option // the form's choice: every currency but the rouble
	Tables     []rateTable
	Form       rateForm
	Notice     string
}

// rateTable is one currency's rates; More counts the older ones not shown.
type rateTable struct {
	Code, Name string
	Rows       []rateRow
	More       int
}

// rateRow is one rate as the reader writes it: 02.03.2024, 92,5058 ₽.
type rateRow struct {
	ValidFrom, From, To, Rate string
}

// rateForm is the form's values and the error of each field.
type rateForm struct {
	Currency, ValidFrom, Rate string
	Errs                      map[string]string
}

// maxRateRows bounds a currency's table (years of daily rates).
const maxRateRows = 200

// rateNamesEN are the currencies' names in English (the table holds the
// Russian ones); another currency shows its code.
var rateNamesEN = map[string]string{"USD": "US dollar", "EUR": "Euro", "CNY": "Chinese yuan", "JPY": "Japanese yen",
	"GBP": "Pound sterling", "KZT": "Kazakhstani tenge", "BYN": "Belarusian rouble", "CHF": "Swiss franc", "TRY": "Turkish lira"}

func (s *handlers) ratesPage(c *fiber.Ctx) error {
	d := s.newPage(c, "rates_title")
	return s.renderRates(c, d, rateForm{Currency: c.Query("currency"), ValidFrom: i18n.Date(d.Lang, time.Now().In(moscow))}, true)
}

// renderRates renders the page; after a save or a removal (?saved=,
// ?removed= currency:date) it says which rate, by the currency's name.
func (s *handlers) renderRates(c *fiber.Ctx, d *pageData, form rateForm, notice bool) error {
	b, err := s.ratesBody(c.UserContext(), d, form)
	if err != nil {
		return err
	}
	for _, k := range []string{"saved", "removed"} {
		if !notice || c.Query(k) == "" {
			continue
		}
		cur, day, _ := strings.Cut(c.Query(k), ":")
		t, err := time.Parse(time.DateOnly, day)
		for _, o := range b.Currencies {
			if o.Value == cur && err == nil {
				b.Notice = fmt.Sprintf(d.T("rates_"+k), o.Label, i18n.Date(d.Lang, t))
			}
		}
	}
	var n [4]int
	if _, err := fmt.Sscanf(c.Query("imported"), "%d.%d.%d.%d", &n[0], &n[1], &n[2], &n[3]); notice && err == nil {
		b.Notice = fmt.Sprintf(d.T("rates_imported"), n[0], n[1], n[2], n[3])
	}
	d.Body = b
	return render(c, "rates", d)
}

func (s *handlers) ratesBody(ctx context.Context, d *pageData, form rateForm) (*ratesBody, error) {
	store := rates.Store{DB: s.Store.DB()}
	curs, err := store.Currencies(ctx)
	if err != nil {
		return nil, err
	}
	all, err := store.List(ctx, rates.Filter{})
	if err != nil {
		return nil, err
	}
	b := &ratesBody{Edit: d.User.CanWriteAll(), Form: form}
	byCode := map[string][]rates.Rate{}
	for _, r := range all {
		byCode[r.Currency] = append(byCode[r.Currency], r)
	}
	for _, cur := range curs {
		if cur.Code == rates.Rouble {
			continue
		}
		name := rateCurrencyName(d, cur)
		b.Currencies = append(b.Currencies, option{cur.Code, name})
		rs := byCode[cur.Code]
		t := rateTable{Code: strings.ToLower(cur.Code), Name: name}
		for i := len(rs) - 1; i >= 0 && len(t.Rows) < maxRateRows; i-- {
			t.Rows = append(t.Rows, rateRowOf(d, rs[i]))
		}
		t.More = len(rs) - len(t.Rows)
		b.Tables = append(b.Tables, t)
	}
	return b, nil
}

// rateCurrencyName is «Доллар США, $» or "US dollar (USD)".
func rateCurrencyName(d *pageData, c rates.Currency) string {
	en := c.Code
	if name, ok := rateNamesEN[c.Code]; ok {
		en = name + " (" + c.Code + ")"
	}
	return i18n.T(c.Name+", "+c.Symbol, en).In(d.Lang)
}

func rateRowOf(d *pageData, r rates.Rate) rateRow {
	day := func(s string) string {
		t, _ := time.Parse(time.DateOnly, s)
		return i18n.Date(d.Lang, t)
	}
	row := rateRow{ValidFrom: r.ValidFrom, From: day(r.ValidFrom), To: d.T("rates_in_force")}
	if r.ValidTo != nil {
		row.To = day(*r.ValidTo)
	}
	plain := r.Rate.String()
	if _, frac, _ := strings.Cut(plain, "."); len(frac) < 2 {
		plain = r.Rate.StringFixed(2)
	}
	row.Rate = i18n.Roubles(d.Lang, plain, false)
	return row
}

// rateSave is the form: a rate set, then the page again; a refused
// field shows its error beside it and nothing is stored (the page
// answers 422, as the schedules' form does).
func (s *handlers) rateSave(c *fiber.Ctx) error {
	d := s.newPage(c, "rates_title")
	if !server.CSRFOK(c) {
		return c.Status(fiber.StatusForbidden).SendString(d.T("csrf"))
	}
	form := rateForm{Currency: c.FormValue("currency"), ValidFrom: strings.TrimSpace(c.FormValue("valid_from")),
		Rate: strings.TrimSpace(c.FormValue("rate"))}
	in := rates.Put{Currency: form.Currency, ValidFrom: formDay(form.ValidFrom)}
	err := error(nil)
	if form.Rate != "" {
		v, perr := decimal.NewFromString(strings.NewReplacer(" ", "", "\u00a0", "", ",", ".").Replace(form.Rate))
		if perr != nil {
			err = &apperr.Error{Kind: apperr.Invalid, Code: "not_a_number", Field: "rate", Message: "not a number",
				Details: map[string]any{"value": form.Rate}}
		}
		in.Rate = &rates.Value{Decimal: v}
	}
	if err == nil {
		_, err = rates.Store{DB: s.Store.DB()}.Put(c.UserContext(), d.User, in)
	}
	if err == nil {
		return c.Redirect("/rates?currency="+url.QueryEscape(in.Currency)+"&saved="+url.QueryEscape(in.Currency+":"+in.ValidFrom), fiber.StatusSeeOther)
	}
	e := apperr.As(err)
	if e == nil || (e.Kind != apperr.Invalid && e.Kind != apperr.Forbidden) {
		return err
	}
	form.Errs = map[string]string{rateFormField(e.Field): errorMessage(d.Lang, e)}
	c.Status(rateErrorStatus(e.Kind))
	return s.renderRates(c, d, form, false)
}

// rateFormField is the rates form's field an error names ("" the whole form).
func rateFormField(f string) string {
	switch f {
	case "currency", "rate", "valid_from":
		return f
	}
	return "form"
}

// formDay is a date as a reader types it, 02.03.2024 in Russian or
// 2024-03-02, as the API takes it.
func formDay(s string) string {
	if t, err := time.Parse("02.01.2006", s); err == nil {
		return t.Format(time.DateOnly)
	}
	return s
}

// rateDelete removes one rate, then the page again.
func (s *handlers) rateDelete(c *fiber.Ctx) error {
	d := s.newPage(c, "rates_title")
	if !server.CSRFOK(c) {
		return c.Status(fiber.StatusForbidden).SendString(d.T("csrf"))
	}
	cur, day := c.FormValue("currency"), c.FormValue("valid_from")
	err := rates.Store{DB: s.Store.DB()}.Delete(c.UserContext(), d.User, cur, day)
	if err == nil {
		return c.Redirect("/rates?removed="+url.QueryEscape(cur+":"+day), fiber.StatusSeeOther)
	}
	e := apperr.As(err)
	if e == nil || e.Kind == apperr.Internal || e.Kind == apperr.Unavailable {
		return err
	}
	form := rateForm{Currency: cur, ValidFrom: i18n.Date(d.Lang, time.Now().In(moscow)), Errs: map[string]string{"form": errorMessage(d.Lang, e)}}
	c.Status(rateErrorStatus(e.Kind))
	return s.renderRates(c, d, form, false)
}

// rateImport loads a Bank of Russia file from the page's second form
// (multipart field file), as POST /api/v1/currency-rates/import does,
// then shows the page with what it did; a malformed file names its line
// and writes nothing.
func (s *handlers) rateImport(c *fiber.Ctx) error {
	d := s.newPage(c, "rates_title")
	if !server.CSRFOK(c) {
		return c.Status(fiber.StatusForbidden).SendString(d.T("csrf"))
	}
	fail := func(e *apperr.Error, line int) error {
		msg := errorMessage(d.Lang, e)
		if line > 0 {
			msg += " " + fmt.Sprintf(d.T("rates_file_line"), line)
		}
		c.Status(rateErrorStatus(e.Kind))
		return s.renderRates(c, d, rateForm{ValidFrom: i18n.Date(d.Lang, time.Now().In(moscow)), Errs: map[string]string{"file": msg}}, false)
	}
	if !d.User.CanWriteAll() {
		return fail(apperr.New(apperr.Forbidden, "forbidden", "only a director or an admin imports rates"), 0)
	}
	data, err := formFile(c)
	if err != nil {
		return fail(apperr.Field("file", "required", "choose the bank's file"), 0)
	}
	f, err := rates.Parse(data, "")
	var pe *rates.ParseError
	if errors.As(err, &pe) {
		return fail(apperr.Field("file", "invalid_rate_file", pe.Error()), pe.Line)
	}
	if err != nil {
		return err
	}
	sum, err := rates.Store{DB: s.Store.DB()}.Import(c.UserContext(), f)
	if err != nil {
		return err
	}
	q := url.Values{"imported": {fmt.Sprintf("%d.%d.%d.%d", sum.Added, sum.Changed, sum.Unchanged, sum.Skipped)}}
	return c.Redirect("/rates?"+q.Encode(), fiber.StatusSeeOther)
}

// formFile is the multipart field file's content.
func formFile(c *fiber.Ctx) ([]byte, error) {
	fh, err := c.FormFile("file")
	if err != nil {
		return nil, err
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// rateErrorStatus is the status of a rates form's refusal.
func rateErrorStatus(k apperr.Kind) int {
	switch k {
	case apperr.Forbidden:
		return fiber.StatusForbidden
	case apperr.NotFound:
		return fiber.StatusNotFound
	case apperr.Conflict:
		return fiber.StatusConflict
	}
	return fiber.StatusUnprocessableEntity
}

var _ = messages.Merge(rateMessages)

// rateMessages are the rates page's strings.
var rateMessages = i18n.Catalog{
	"rates":             i18n.T("Курсы валют", "Rates"),
	"rates_title":       i18n.T("Курсы валют", "Currency rates"),
	"rates_hint":        i18n.T("Суммы сделок в отчётах пересчитываются в рубли по курсу, действующему на дату создания сделки по московскому времени; счета и платежи — на дату счёта и платежа. Курс действует со своей даты до следующего курса той же валюты. Новый или исправленный курс за прошлую дату меняет и прошлые отчёты — через несколько секунд.", "Deal amounts in reports convert to roubles at the rate valid on the deal's creation date in Moscow; invoices and payments at their own dates. A rate is valid from its date until the currency's next one. A new or corrected rate for a past date changes past reports too, within seconds."),
	"rates_read_only":   i18n.T("Курсы задают директор и администратор; здесь их можно только смотреть.", "Directors and admins set the rates; here you may only read them."),
	"rates_bank":        i18n.T("Курсы Банка России можно загрузить файлом ниже или командой на сервере — см. документацию.", "The Bank of Russia's rates load from a file below or by a command on the server: see the documentation."),
	"rates_form":        i18n.T("Добавить или исправить курс", "Add or correct a rate"),
	"rates_currency":    i18n.T("Валюта", "Currency"),
	"rates_from":        i18n.T("Действует с", "Valid from"),
	"rates_to":          i18n.T("по", "to"),
	"rates_rate":        i18n.T("Курс, ₽ за единицу", "Rate, ₽ per unit"),
	"rates_rate_hint":   i18n.T("Рублей за одну единицу валюты, например 92,5058; за 10 юаней банк пишет 126,5893 — здесь это 12,65893.", "Roubles per ONE unit, e.g. 92.5058; where the bank quotes 126.5893 for 10 yuan, this is 12.65893."),
	"rates_save":        i18n.T("Сохранить курс", "Save the rate"),
	"rates_delete":      i18n.T("Удалить", "Remove"),
	"rates_delete_q":    i18n.T("Удалить этот курс? Дни, которые он покрывал, получат предыдущий курс.", "Remove this rate? The days it covered take the rate before it."),
	"rates_in_force":    i18n.T("по сей день", "in force"),
	"rates_date_format": i18n.T("дд.мм.гггг", "yyyy-mm-dd"),
	"rates_none":        i18n.T("Курсов нет: суммы в этой валюте считаются как 0 ₽.", "No rates: amounts in this currency count as 0 ₽."),
	"rates_more":        i18n.T("И более ранних курсов: %d.", "And %d earlier rates."),
	"rates_saved":       i18n.T("Курс сохранён: %s с %s.", "Rate saved: %s from %s."),
	"rates_imported":    i18n.T("Файл загружен: добавлено курсов — %d, исправлено — %d, без изменений — %d; пропущено валют, которых нет в справочнике, — %d.", "File loaded: %d rates added, %d corrected, %d unchanged; %d skipped (currencies not in the list)."),
	"rates_import":      i18n.T("Загрузить файл Банка России", "Load a Bank of Russia file"),
	"rates_import_hint": i18n.T("Файл курсов за день или динамики одной валюты с сайта Банка России, как есть. Загружаются только валюты из справочника; повторная загрузка ничего не меняет; файл с ошибкой не загружается целиком.", "The bank's daily file or one currency's dynamic file, as downloaded. Only currencies in the list are loaded; loading it again changes nothing; a file with an error loads nothing."),
	"rates_import_run":  i18n.T("Загрузить", "Load"),
	"rates_choose":      i18n.T("Выбрать файл…", "Choose a file…"),
	"rates_no_file":     i18n.T("Файл не выбран", "No file chosen"),
	"rates_file_line":   i18n.T("Ошибка в строке %d.", "The error is on line %d."),
	"rates_removed":     i18n.T("Курс удалён: %s с %s.", "Rate removed: %s from %s."),
}
