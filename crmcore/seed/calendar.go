package seed

import (
	"sync"
	"time"
)

// msk is Moscow time. A fixed zone (UTC+3, no DST since 2014) keeps the
// data independent of the machine's tzdata, and makes a Moscow day exactly
// 24 hours: the calendar below is plain arithmetic on Unix time.
var msk = time.FixedZone("MSK", mskOffset)

const (
	mskOffset = 3 * 60 * 60
	day       = 24 * time.Hour
	dayStart  = 9 * time.Hour // working hours, Moscow time
	dayEnd    = 19 * time.Hour
	workHours = dayEnd - dayStart
)

// holidays are the fixed Russian public holidays (month*100 + day).
var holidays = []int{101, 102, 103, 104, 105, 106, 107, 108, 223, 308, 501, 509, 612, 1104}

// dayNum is a Moscow calendar day, counted from 1970-01-01.
type dayNum int64

func dayOf(t time.Time) dayNum {
	s := t.Unix() + mskOffset
	if s < 0 {
		return dayNum((s - 86399) / 86400)
	}
	return dayNum(s / 86400)
}

// start is the day's midnight in Moscow.
func (d dayNum) start() time.Time { return time.Unix(int64(d)*86400-mskOffset, 0).In(msk) }

// working reports whether d is a working day: Monday to Friday and not a
// public holiday. Days of 2000–2099 come from a table built once.
func (d dayNum) working() bool {
	calendarOnce.Do(buildCalendar)
	if i := d - calendarFrom; i >= 0 && int(i) < len(calendar) {
		return calendar[i]
	}
	return slowWorking(d)
}

func (d dayNum) nextWorking() dayNum {
	for d++; !d.working(); d++ {
	}
	return d
}

var (
	calendarOnce sync.Once
	calendarFrom = dayOf(time.Date(2000, 1, 1, 12, 0, 0, 0, time.UTC))
	calendar     []bool
)

func buildCalendar() {
	to := dayOf(time.Date(2100, 1, 1, 12, 0, 0, 0, time.UTC))
	calendar = make([]bool, to-calendarFrom)
	for i := range calendar {
		calendar[i] = slowWorking(calendarFrom + dayNum(i))
	}
}

func slowWorking(d dayNum) bool {
	if wd := (int64(d)%7 + 7 + 4) % 7; wd == 0 || wd == 6 { // 1970-01-01 was a Thursday
		return false
	}
	_, m, dd := d.start().Date()
	md := int(m)*100 + dd
	for _, h := range holidays {
		if h == md {
			return false
		}
	}
	return true
}

// workday reports whether the Moscow calendar day of t is a working day.
func workday(t time.Time) bool { return dayOf(t).working() }
