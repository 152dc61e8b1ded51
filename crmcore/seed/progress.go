package seed

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// progress draws "seeding deals [#####.....] 45% 450000/1000000  52,000
// deals/s  ETA 12s". On a terminal it redraws one line in place (at most
// ten times a second); elsewhere (a log, a pipe) it prints a line at each
// tenth of the way. A nil progress, or one without a writer, does nothing.
type progress struct {
	w            io.Writer
	tty          bool
	total, done  int
	start, drawn time.Time
	nextTenth    int
	now          func() time.Time
}

func newProgress(w io.Writer, total int) *progress {
	if w == nil || total <= 0 {
		return nil
	}
	p := &progress{w: w, total: total, now: time.Now, nextTenth: 1}
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	p.start = p.now()
	return p
}

// add records n more deals written.
func (p *progress) add(n int) {
	if p == nil {
		return
	}
	p.done += n
	t := p.now()
	if p.tty {
		if t.Sub(p.drawn) >= 100*time.Millisecond || p.done >= p.total {
			p.drawn = t
			fmt.Fprint(p.w, "\r"+p.line(t)+"\x1b[K")
		}
		return
	}
	if tenth := p.done * 10 / p.total; tenth >= p.nextTenth {
		p.nextTenth = tenth + 1
		fmt.Fprintln(p.w, p.line(t))
	}
}

// finish ends the redrawn line.
func (p *progress) finish() {
	if p != nil && p.tty {
		fmt.Fprintln(p.w)
	}
}

func (p *progress) line(t time.Time) string {
	const width = 30
	filled := width * p.done / p.total
	bar := strings.Repeat("#", filled) + strings.Repeat(".", width-filled)
	s := fmt.Sprintf("seeding deals [%s] %3d%% %d/%d", bar, 100*p.done/p.total, p.done, p.total)
	el := t.Sub(p.start).Seconds()
	if el <= 0 || p.done == 0 {
		return s
	}
	rate := float64(p.done) / el
	eta := time.Duration(float64(p.total-p.done) / rate * float64(time.Second)).Round(time.Second)
	return s + "  " + thousands(int64(rate)) + " deals/s  ETA " + eta.String()
}

// thousands writes n with comma separators: 52,000.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
