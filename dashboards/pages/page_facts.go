package pages

import (
	"fmt"
	"strconv"
	"time"

	"github.com/voronka/voronka/internal/i18n"
	"github.com/voronka/voronka/reports"
	"github.com/voronka/voronka/reports/engine"
)

// pageFacts is what a page with report answers says about them: the
// period in force, when the page was computed, and how old the oldest
// answer's data is (the header's freshness).
type pageFacts struct {
	from, to time.Time // the period of the page's answers ([from, to), zero: none)
	oldest   time.Time // the oldest answer's DataAsOf (zero: no answer)
	bound    time.Duration
	asked    time.Time // when the page was asked for: ages count to it, not the page's own run
}

// answered records one answer's meta: its data's age, and its period
// when the page has none yet (withPeriod: the answer is over the page's
// period, not a comparison's).
func (d *pageData) answered(m reports.Meta, withPeriod bool) {
	if !m.DataAsOf.IsZero() && (d.facts.oldest.IsZero() || m.DataAsOf.Before(d.facts.oldest)) {
		d.facts.oldest = m.DataAsOf
	}
	if withPeriod && d.facts.from.IsZero() && !m.From.IsZero() {
		d.facts.from, d.facts.to = m.From, m.To
	}
}

// settle writes the facts into the page at render time: the header's
// freshness — the oldest answer's data time and its age when the page
// was asked for (a slow page is not stale data), a warning past the
// staleness bound —, the period in words and the computed-at time (now).
func (d *pageData) settle(now time.Time) {
	f := d.facts
	if f.oldest.IsZero() {
		return
	}
	age := max(f.asked.Sub(f.oldest), 0)
	at := f.oldest.In(moscow).Format(dateTimeLayout(d.Lang))
	d.Fresh = fmt.Sprintf(d.T("fresh_answers"), at, ageText(d.Lang, age))
	d.FreshTitle = fmt.Sprintf(d.T("fresh_answers_def"), ageText(d.Lang, f.bound)) + " " + d.FreshTitle
	if age > f.bound {
		d.FreshWarn = true
		d.Fresh = fmt.Sprintf(d.T("fresh_stale"), at, ageText(d.Lang, age), ageText(d.Lang, f.bound))
	}
	d.Computed = d.T("computed") + " " + now.In(moscow).Format(dateTimeLayout(d.Lang))
	if !f.from.IsZero() {
		d.Period = d.T("period_in_force") + ": " + periodWords(d.Lang, f.from, f.to)
	}
}

// maxStaleness is how old an answer's data may be before the header
// warns: the cache's bound (VORONKA_REPORT_MAX_STALENESS), the default
// without a cache.
func (s *handlers) maxStaleness() time.Duration {
	if s.Reports != nil && s.Reports.Cache != nil && s.Reports.Cache.MaxStaleness > 0 {
		return s.Reports.Cache.MaxStaleness
	}
	return engine.DefaultMaxStaleness
}

// dateTimeLayout is a moment to the second in the reader's way.
func dateTimeLayout(lang string) string {
	if i18n.Parse(lang) == i18n.RU {
		return "02.01.2006 15:04:05"
	}
	return "2006-01-02 15:04:05"
}

// ageText is a duration as people say it: seconds, minutes, hours or
// days, whole.
func ageText(lang string, d time.Duration) string {
	ru := i18n.Parse(lang) == i18n.RU
	unit := func(n int64, r, e string) string {
		if ru {
			return strconv.FormatInt(n, 10) + "\u00a0" + r
		}
		return strconv.FormatInt(n, 10) + "\u00a0" + e
	}
	switch {
	case d < time.Minute:
		return unit(int64(d/time.Second), "с", "s")
	case d < time.Hour:
		return unit(int64(d/time.Minute), "мин", "min")
	case d < 48*time.Hour:
		return unit(int64(d/time.Hour), "ч", "h")
	}
	return unit(int64(d/(24*time.Hour)), "дн.", "d")
}

// monthsGenRU are the months as a date says them: «1 января».
var monthsGenRU = [12]string{"января", "февраля", "марта", "апреля", "мая", "июня",
	"июля", "августа", "сентября", "октября", "ноября", "декабря"}

// periodWords is the period [from, to) in words, by its days in Moscow:
// «1 января – 31 марта 2026», «1 декабря 2025 – 31 января 2026»,
// "1 January – 31 March 2026"; one day alone for a single day.
func periodWords(lang string, from, to time.Time) string {
	f, l := from.In(moscow), to.Add(-time.Nanosecond).In(moscow)
	day := func(t time.Time, year bool) string {
		s := strconv.Itoa(t.Day()) + " " + t.Month().String()
		if i18n.Parse(lang) == i18n.RU {
			s = strconv.Itoa(t.Day()) + " " + monthsGenRU[t.Month()-1]
		}
		if year {
			s += " " + strconv.Itoa(t.Year())
		}
		return s
	}
	if f.Year() == l.Year() && f.YearDay() == l.YearDay() {
		return day(l, true)
	}
	return day(f, f.Year() != l.Year()) + " – " + day(l, true)
}
