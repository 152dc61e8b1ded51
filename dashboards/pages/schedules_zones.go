package pages

import (
	"fmt"
	"time"

	"github.com/voronka/voronka/internal/i18n"
)

// scheduleZone is a time zone the schedules form offers, with its city.
type scheduleZone struct {
	ID   string // the IANA name the schedule stores
	City i18n.Text
}

// russianZones are Russia's time zones west to east; Moscow is the
// default of every schedule.
var russianZones = []scheduleZone{
	{"Europe/Kaliningrad", i18n.T("Калининград", "Kaliningrad")},
	{"Europe/Moscow", i18n.T("Москва", "Moscow")},
	{"Europe/Volgograd", i18n.T("Волгоград", "Volgograd")},
	{"Europe/Samara", i18n.T("Самара", "Samara")},
	{"Asia/Yekaterinburg", i18n.T("Екатеринбург", "Yekaterinburg")},
	{"Asia/Omsk", i18n.T("Омск", "Omsk")},
	{"Asia/Novosibirsk", i18n.T("Новосибирск", "Novosibirsk")},
	{"Asia/Krasnoyarsk", i18n.T("Красноярск", "Krasnoyarsk")},
	{"Asia/Irkutsk", i18n.T("Иркутск", "Irkutsk")},
	{"Asia/Chita", i18n.T("Чита", "Chita")},
	{"Asia/Yakutsk", i18n.T("Якутск", "Yakutsk")},
	{"Asia/Vladivostok", i18n.T("Владивосток", "Vladivostok")},
	{"Asia/Sakhalin", i18n.T("Южно-Сахалинск", "Yuzhno-Sakhalinsk")},
	{"Asia/Magadan", i18n.T("Магадан", "Magadan")},
	{"Asia/Kamchatka", i18n.T("Петропавловск-Камчатский", "Petropavlovsk-Kamchatsky")},
	{"Asia/Anadyr", i18n.T("Анадырь", "Anadyr")},
}

// otherZones follow the Russian ones: neighbours and business centres.
var otherZones = []scheduleZone{
	{"Europe/Minsk", i18n.T("Минск", "Minsk")},
	{"Asia/Almaty", i18n.T("Алматы", "Almaty")},
	{"Asia/Tashkent", i18n.T("Ташкент", "Tashkent")},
	{"Asia/Bishkek", i18n.T("Бишкек", "Bishkek")},
	{"Asia/Yerevan", i18n.T("Ереван", "Yerevan")},
	{"Asia/Tbilisi", i18n.T("Тбилиси", "Tbilisi")},
	{"Asia/Baku", i18n.T("Баку", "Baku")},
	{"Europe/Kyiv", i18n.T("Киев", "Kyiv")},
	{"Europe/Istanbul", i18n.T("Стамбул", "Istanbul")},
	{"Asia/Dubai", i18n.T("Дубай", "Dubai")},
	{"Europe/Berlin", i18n.T("Берлин", "Berlin")},
	{"Europe/London", i18n.T("Лондон", "London")},
	{"Asia/Shanghai", i18n.T("Пекин, Шанхай", "Beijing, Shanghai")},
	{"America/New_York", i18n.T("Нью-Йорк", "New York")},
	{"UTC", i18n.T("Всемирное время (UTC)", "Coordinated Universal Time (UTC)")},
}

// zoneGroup is one <optgroup> of the time-zone list.
type zoneGroup struct {
	Label   string
	Options []option
}

// zoneGroups is the time-zone list in lang, Russian zones first, each as
// "Москва (UTC+3)" at now; a zone outside the list (set through the
// API) is added so the form can show it.
func zoneGroups(lang, current string, now time.Time) []zoneGroup {
	groups := []zoneGroup{
		{messages.T(lang, "sch_zones_russia"), zoneOptions(russianZones, lang, now)},
		{messages.T(lang, "sch_zones_other"), zoneOptions(otherZones, lang, now)},
	}
	if current != "" && zoneCity(current, lang) == current {
		groups[1].Options = append(groups[1].Options, option{current, current})
	}
	return groups
}

func zoneOptions(zs []scheduleZone, lang string, now time.Time) []option {
	out := make([]option, 0, len(zs))
	for _, z := range zs {
		out = append(out, option{z.ID, z.City.In(lang) + " (" + utcOffset(z.ID, now) + ")"})
	}
	return out
}

// zoneCity is the city of a listed zone in lang, else the zone's name.
func zoneCity(id, lang string) string {
	for _, zs := range [][]scheduleZone{russianZones, otherZones} {
		for _, z := range zs {
			if z.ID == id {
				return z.City.In(lang)
			}
		}
	}
	return id
}

// utcOffset is a zone's offset at now: UTC+3, UTC+5:30, UTC−5.
func utcOffset(id string, now time.Time) string {
	loc, err := time.LoadLocation(id)
	if err != nil {
		return "UTC"
	}
	_, off := now.In(loc).Zone()
	sign := "+"
	if off < 0 {
		sign, off = "−", -off
	}
	s := fmt.Sprintf("UTC%s%d", sign, off/3600)
	if m := off % 3600 / 60; m != 0 {
		s += fmt.Sprintf(":%02d", m)
	}
	return s
}
