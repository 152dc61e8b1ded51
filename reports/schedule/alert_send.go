package schedule

import (
	"context"
	"fmt"
	"io"
	"math"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"os"
	"path/filepath"
	"time"

	"github.com/shopspring/decimal"

	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/xlsx"
)

// alertMail is one alert message, subject and text.
type alertMail struct{ Subject, Body string }

var (
	alertSubjects = map[string]i18n.Text{
		EventFired:    i18n.T("Voronka: «%s» — условие выполнено", "Voronka: \"%s\" — the condition is met"),
		EventReminded: i18n.T("Voronka: «%s» — условие всё ещё выполняется", "Voronka: \"%s\" — the condition is still met"),
		EventCleared:  i18n.T("Voronka: «%s» — условие больше не выполняется", "Voronka: \"%s\" — the condition no longer holds"),
	}
	alertConditions = map[string]i18n.Text{
		CondBelow:         i18n.T("ниже %s", "below %s"),
		CondAbove:         i18n.T("выше %s", "above %s"),
		CondDropMoreThan:  i18n.T("снизилось к предыдущему периоду более чем на %s", "fell against the previous period by more than %s"),
		CondRiseMoreThan:  i18n.T("выросло к предыдущему периоду более чем на %s", "rose against the previous period by more than %s"),
		CondForecastBelow: i18n.T("прогноз ниже %s плана", "forecast below %s of the plan"),
	}
	alertCompared = map[string]i18n.Text{
		CondDropMoreThan:  i18n.T("Предыдущий период: %s.", "The previous period: %s."),
		CondRiseMoreThan:  i18n.T("Предыдущий период: %s.", "The previous period: %s."),
		CondForecastBelow: i18n.T("План: %s.", "Plan: %s."),
	}
	alertText = i18n.T(
		"Здравствуйте, %s!\r\n\r\n«%s»: %s — %s.\r\nУсловие: %s.\r\n%sПрошлая проверка: %s.\r\nПроверено %s, по вашим правам доступа.\r\n\r\nОтчёт: %s\r\n\r\nВоронка\r\n",
		"Hello, %s.\r\n\r\n\"%s\": %s — %s.\r\nCondition: %s.\r\n%sThe previous check: %s.\r\nChecked %s, with your access.\r\n\r\nReport: %s\r\n\r\nVoronka\r\n")
	noValue = i18n.T("нет значения", "no value")
)

// alertMessage is what a recipient is told of an event.
func (svc *Service) alertMessage(a Alert, u domain.Principal, f figure, st standingOf, ev string, at time.Time) alertMail {
	lang := a.Lang
	show := func(d *decimal.Decimal, percent bool) string {
		if d == nil {
			return noValue.In(lang)
		}
		unit := f.Type
		if percent {
			unit = reports.TypePercent
		} else if unit == reports.TypePercent {
			unit = reports.TypeNumber // a plan against a share's forecast: the plan's own figure
		}
		v, _ := d.Float64()
		return FormatValue(lang, unit, v)
	}
	compared := ""
	if t, ok := alertCompared[a.Condition]; ok {
		compared = fmt.Sprintf(t.In(lang), show(f.Compared, f.Percent && a.Condition != CondForecastBelow)) + "\r\n"
	}
	previous := show(st.value, f.Percent)
	if !st.known {
		previous = noValue.In(lang)
	}
	body := fmt.Sprintf(alertText.In(lang), u.Name, a.Name, f.Label, show(f.Value, f.Percent),
		a.Rule(lang), compared, previous,
		i18n.DateTime(lang, at.In(zoneOf(a.Timezone))), svc.PublicURL+"/reports/"+a.ReportID)
	return alertMail{Subject: fmt.Sprintf(alertSubjects[ev].In(lang), a.Name), Body: body}
}

// tell sends a message to u as the alert delivers: by mail, or as a text
// file in Dir/alerts/<alert>/<recipient>/.
func (svc *Service) tell(ctx context.Context, a Alert, u domain.Principal, m alertMail) (via, target string, err error) {
	via = svc.via(Schedule{Delivery: a.Delivery})
	if via == DeliveryFolder {
		dir := filepath.Join(svc.Dir, "alerts", xlsx.SafeName(fmt.Sprintf("%d %s", a.ID, a.Name)), xlsx.SafeName(u.Email))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return via, dir, err
		}
		path := filepath.Join(dir, svc.now().UTC().Format("20060102T150405.000000000Z")+".txt")
		return via, path, os.WriteFile(path, []byte(m.Subject+"\r\n\r\n"+m.Body), 0o644)
	}
	if svc.Mailer == nil {
		return via, "", fmt.Errorf("delivery by e-mail but no SMTP server is configured (VORONKA_SMTP_URL)")
	}
	from, to := mail.Address{Name: "Voronka", Address: svc.Mailer.From}, mail.Address{Name: u.Name, Address: u.Email}
	return via, u.Email, svc.Mailer.Send(ctx, u.Email, func(w io.Writer) error {
		fmt.Fprintf(w, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMIME-Version: 1.0\r\n",
			from.String(), to.String(), mime.QEncoding.Encode("utf-8", m.Subject), svc.now().Format(time.RFC1123Z))
		fmt.Fprintf(w, "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
		qp := quotedprintable.NewWriter(w)
		if _, err := io.WriteString(qp, m.Body); err != nil {
			return err
		}
		return qp.Close()
	})
}

// zoneOf is an alert's time zone (Moscow when it cannot be loaded).
func zoneOf(tz string) *time.Location {
	if loc, err := location(tz); err == nil {
		return loc
	}
	loc, _ := time.LoadLocation("Europe/Moscow")
	return loc
}

// FormatValue shows an alert's figure, threshold or reading in lang by
// its unit: a share in percent (60 is «60,0 %»), roubles with the sign,
// a count whole, any other number to two decimals at most.
func FormatValue(lang, unit string, v float64) string {
	switch unit {
	case reports.TypePercent:
		return i18n.Percent(lang, v/100, 1)
	case reports.TypeMoney:
		return i18n.Roubles(lang, decimal.NewFromFloat(math.Abs(v)).StringFixed(2), v < 0)
	case reports.TypeInteger:
		return i18n.Number(lang, v, 0)
	}
	return i18n.Decimal(lang, v, 2)
}

// Rule is the alert's condition in words with its threshold: «ниже 60,0 %»,
// «снизилось к предыдущему периоду более чем на 10,0 %».
func (a Alert) Rule(lang string) string {
	limit := FormatValue(lang, a.Unit, a.Value)
	if a.Condition != CondBelow && a.Condition != CondAbove {
		limit = FormatValue(lang, reports.TypePercent, a.Value)
	}
	return fmt.Sprintf(alertConditions[a.Condition].In(lang), limit)
}
