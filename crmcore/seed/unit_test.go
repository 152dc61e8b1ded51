package seed

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func TestINNCheckDigits(t *testing.T) {
	// Published ИНН: Сбербанк (legal entity) and a sole trader's.
	if got := checkDigit([]byte("770708389"), []int{2, 4, 10, 3, 5, 9, 4, 6, 8}); got != '3' {
		t.Errorf("7707083893: check digit %c", got)
	}
	d := []byte("5001007322")
	n11 := checkDigit(d, []int{7, 2, 4, 10, 3, 5, 9, 4, 6, 8})
	n12 := checkDigit(append(d, n11), []int{3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8})
	if n11 != '5' || n12 != '9' {
		t.Errorf("500100732259: check digits %c%c", n11, n12)
	}
	r := rand.New(rand.NewPCG(1, 2))
	if s := inn10(r, "77"); len(s) != 10 || !strings.HasPrefix(s, "77") {
		t.Errorf("inn10: %q", s)
	}
	if s := inn12(r, "50"); len(s) != 12 || !strings.HasPrefix(s, "50") {
		t.Errorf("inn12: %q", s)
	}
}

func TestNames(t *testing.T) {
	for in, want := range map[string]string{"Иванов": "Иванова", "Островский": "Островская", "Ильин": "Ильина"} {
		if got := feminine(in); got != want {
			t.Errorf("feminine(%s) = %s, want %s", in, got, want)
		}
	}
	if got := translit("Щукин Юрий"); got != "shchukinyuriy" {
		t.Errorf("translit: %s", got)
	}
	p := person{First: "Анна", Last: "Петрова", Middle: "Игоревна"}
	if p.FIO() != "Петрова Анна Игоревна" || p.short() != "Петрова А. И." {
		t.Errorf("names: %q %q", p.FIO(), p.short())
	}
}

func inWorkingHours(t time.Time) bool {
	h := t.In(msk).Hour()
	return workday(t) && h >= 9 && h < 19
}

func TestWorkingTime(t *testing.T) {
	newYear := time.Date(2025, 1, 1, 10, 0, 0, 0, msk)
	if workday(newYear) || workday(time.Date(2025, 6, 28, 12, 0, 0, 0, msk)) {
		t.Error("1 January and a Saturday are not working days")
	}
	if got := addWork(newYear, time.Hour); !got.Equal(time.Date(2025, 1, 9, 10, 0, 0, 0, msk)) {
		t.Errorf("an hour of work after New Year's Day ends at %v", got)
	}
	friday := time.Date(2025, 6, 27, 18, 30, 0, 0, msk)
	if got := addWork(friday, time.Hour); !got.Equal(time.Date(2025, 6, 30, 9, 30, 0, 0, msk)) {
		t.Errorf("Friday 18:30 + 1h of work = %v", got)
	}
	r := rand.New(rand.NewPCG(3, 4))
	at := friday
	for range 2000 {
		next := later(r, at, 20*time.Hour, 1.2)
		if !next.After(at) || !inWorkingHours(next) {
			t.Fatalf("later(%v) = %v", at, next)
		}
		if w := workAfter(r, at.Add(-13*time.Hour)); !inWorkingHours(w) {
			t.Fatalf("workAfter: %v", w)
		}
		if c := createdAt(r, testNow, r.Float64()); !inWorkingHours(c) || c.After(testNow) || testNow.Sub(c) > window+72*time.Hour {
			t.Fatalf("createdAt: %v", c)
		}
		at = next
	}
}

func TestProgressLinesWhenNotATerminal(t *testing.T) {
	var buf bytes.Buffer
	p := newProgress(&buf, 1000)
	clock := p.start
	p.now = func() time.Time { clock = clock.Add(time.Second); return clock }
	for range 40 {
		p.add(25)
	}
	p.finish()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 10 {
		t.Fatalf("%d lines, want one per tenth:\n%s", len(lines), buf.String())
	}
	last := lines[9]
	for _, want := range []string{"[##############################]", "100%", "1000/1000", "25 deals/s", "ETA 0s"} {
		if !strings.Contains(last, want) {
			t.Errorf("last line %q lacks %q", last, want)
		}
	}
	if thousands(52000) != "52,000" || thousands(999) != "999" || thousands(1234567) != "1,234,567" {
		t.Error("thousands")
	}
	if newProgress(nil, 10) != nil {
		t.Error("progress without a writer")
	}
}
