package schedule

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/compile"
	"github.com/voronka/voronka/reports/kinds"
)

// The stale deals digest (issue 20): a per-recipient schedule of a
// stale_deals report (the standard «Застоявшиеся сделки», typically
// cron "0 9 * * *" with working_days_only) is each recipient's digest.
// Each gets the report of their own deals (params.responsible = them,
// under their access) and a message listing their stale deals and their
// deals without a next task, with links; a recipient with neither gets
// nothing. Runs are claimed like every schedule's, so several
// processes deliver each day's digest once.

// digestLimit bounds each list of a digest message (the workbook has
// every row).
const digestLimit = 50

// digest reports whether the job is a stale deals digest.
func (j *job) digest() bool { return j.def.Kind == reports.KindStaleDeals && j.sch.PerRecipient }

// staleDigest is j narrowed to u's own deals with the message listing
// them, or nil when u has no stale deal and none without a next task.
func (svc *Service) staleDigest(ctx context.Context, j *job, u domain.Principal) (*job, error) {
	params := map[string]json.RawMessage{}
	if len(j.def.Params) > 0 && string(j.def.Params) != "null" {
		if err := json.Unmarshal(j.def.Params, &params); err != nil {
			return nil, fmt.Errorf("digest params: %w", err)
		}
	}
	params["responsible"] = json.RawMessage(fmt.Sprint(u.UserID))
	out := *j
	var err error
	if out.def.Params, err = json.Marshal(params); err != nil {
		return nil, err
	}
	stale, err := svc.digestList(ctx, &out, u, "count")
	if err != nil {
		return nil, err
	}
	noTask, err := svc.digestList(ctx, &out, u, "no_task")
	if err != nil {
		return nil, err
	}
	if stale.Meta.Total == 0 && noTask.Meta.Total == 0 {
		return nil, nil
	}
	lang := j.sch.Lang
	var b strings.Builder
	fmt.Fprintf(&b, digestHello.In(lang), u.Name)
	svc.digestSection(&b, lang, digestStale, stale)
	svc.digestSection(&b, lang, digestNoTask, noTask)
	fmt.Fprintf(&b, digestFooter.In(lang), j.name, j.sch.Name, j.sch.Cron, j.sch.Timezone)
	out.body = b.String()
	return &out, nil
}

// digestList is the deals behind one column of u's report (the stale
// ones, or those without a next task), at most digestLimit.
func (svc *Service) digestList(ctx context.Context, j *job, u domain.Principal, column string) (*kinds.DrillResult, error) {
	def := j.def
	return j.eng.Drill(ctx, u, kinds.DrillRequest{Definition: &def, Column: column,
		DrillOptions: compile.DrillOptions{Limit: digestLimit, Sort: []reports.Sort{{By: "title"}}}})
}

// digestSection writes one list: its heading with the count, then a
// line per deal with its stage and link.
func (svc *Service) digestSection(b *strings.Builder, lang string, head i18n.Text, res *kinds.DrillResult) {
	fmt.Fprintf(b, head.In(lang), res.Meta.Total)
	if res.Meta.Total == 0 {
		b.WriteString(digestNone.In(lang))
		return
	}
	col := map[string]int{}
	for i, c := range res.Columns {
		col[c.Key] = i
	}
	for _, r := range res.Rows {
		fmt.Fprintf(b, "  • «%v» — %v: %s/deals/%v\r\n", r[col["title"]], r[col["stage_name"]], strings.TrimRight(svc.PublicURL, "/"), r[col["id"]])
	}
	if res.Meta.Truncated {
		fmt.Fprintf(b, digestMore.In(lang), len(res.Rows), res.Meta.Total)
	}
}

// The digest's words; the verbs take the recipient; a count; the shown
// and all; the report, the schedule, its cron and time zone.
var (
	digestHello  = i18n.T("Здравствуйте, %s!\r\n\r\n", "Hello, %s.\r\n\r\n")
	digestStale  = i18n.T("Застоявшиеся сделки (без активности дольше правила стадии): %d\r\n", "Stale deals (idle longer than their stage's rule): %d\r\n")
	digestNoTask = i18n.T("\r\nСделки без следующей задачи: %d\r\n", "\r\nDeals without a next task: %d\r\n")
	digestNone   = i18n.T("  нет\r\n", "  none\r\n")
	digestMore   = i18n.T("  …показаны %d из %d, все — во вложении\r\n", "  …%d of %d shown, all of them attached\r\n")
	digestFooter = i18n.T("\r\nВо вложении отчёт «%s» по вашим сделкам.\r\nРасписание «%s» (%s, %s).\r\n\r\nВоронка\r\n",
		"\r\nThe report \"%s\" of your deals is attached.\r\nSchedule \"%s\" (%s, %s).\r\n\r\nVoronka\r\n")
)
