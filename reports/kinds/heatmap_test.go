package kinds

import (
	"testing"
	"time"
)

// TestAutoGrain: days up to 62 days, weeks up to 731, months beyond.
func TestAutoGrain(t *testing.T) {
	from := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for days, want := range map[int]string{1: "day", 31: "day", 62: "day", 63: "week", 365: "week", 731: "week", 732: "month", 3650: "month"} {
		if got := autoGrain(from, from.AddDate(0, 0, days)); got != want {
			t.Errorf("%d days: %s, want %s", days, got, want)
		}
	}
}
