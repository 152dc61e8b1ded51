package pages

import (
	"fmt"
	"math"
	"slices"
)

// basePalette are twenty colours told apart at a glance (Tableau's
// twenty: ten strong, ten light), the first ones for the first series.
var basePalette = []string{
	"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
	"#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5",
}

// palette is at least n distinct colours: the base twenty, then hues a
// golden angle apart (ECharts repeats its nine colours past the ninth
// series, so two series would share one).
func palette(n int) []string {
	out := slices.Clone(basePalette)
	for i := 0; len(out) < n; i++ {
		h := math.Mod(float64(i)*137.508, 360)
		c := hsl(h, 0.55+0.25*float64(i%3)/2, 0.35+0.2*float64(i%2))
		if !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// hsl is a colour by hue (degrees), saturation and lightness (0…1) as #rrggbb.
func hsl(h, s, l float64) string {
	c := (1 - math.Abs(2*l-1)) * s
	x := c * (1 - math.Abs(math.Mod(h/60, 2)-1))
	m := l - c/2
	var r, g, b float64
	switch {
	case h < 60:
		r, g = c, x
	case h < 120:
		r, g = x, c
	case h < 180:
		g, b = c, x
	case h < 240:
		g, b = x, c
	case h < 300:
		r, b = x, c
	default:
		r, b = c, x
	}
	return fmt.Sprintf("#%02x%02x%02x", int(math.Round((r+m)*255)), int(math.Round((g+m)*255)), int(math.Round((b+m)*255)))
}

// finish makes a chart's option honest about what it draws: bars of a
// series that is zero throughout draw nothing, and pie slices of zero
// neither, so both leave the chart; the legend lists exactly the series
// (a pie's slices) drawn; the palette has a colour for each of them.
func finish(o chartOptions) chartOptions {
	var m map[string]any
	if jsonCopy(o, &m) != nil {
		return o
	}
	series, _ := m["series"].([]any)
	var kept []any
	var names []string
	for _, s := range series {
		sm, _ := s.(map[string]any)
		data, _ := sm["data"].([]any)
		switch sm["type"] {
		case "pie":
			var slices []any
			for _, d := range data {
				if dm, _ := d.(map[string]any); dataValue(dm) != 0 {
					slices = append(slices, d)
					names = append(names, fmt.Sprint(dm["name"]))
				}
			}
			sm["data"] = slices
		case "bar":
			if !anyNonZero(data) {
				continue
			}
			names = append(names, fmt.Sprint(sm["name"]))
		default:
			names = append(names, fmt.Sprint(sm["name"]))
		}
		kept = append(kept, sm)
	}
	m["series"] = kept
	if lg, ok := m["legend"].(map[string]any); ok && lg["show"] == true {
		lg["data"] = names
	}
	m["color"] = palette(len(names))
	return m
}

// dataValue is a data item's value (0 when it has none or it is not a
// number).
func dataValue(d map[string]any) float64 {
	f, _ := d["value"].(float64)
	return f
}

// anyNonZero reports whether a bar series has a bar to draw.
func anyNonZero(data []any) bool {
	for _, d := range data {
		if dm, _ := d.(map[string]any); dataValue(dm) != 0 {
			return true
		}
	}
	return false
}

// contrastText is the label colour legible on background bg (#rrggbb):
// black or white, whichever contrasts more (WCAG's luminance): on any
// colour one of them reaches 4.58:1, past the 4.5 WCAG asks of text.
func contrastText(bg string) string {
	if contrast(luminance(bg), 0) >= contrast(luminance(bg), 1) {
		return "#000000"
	}
	return "#ffffff"
}

// luminance is a #rrggbb colour's relative luminance (WCAG 2).
func luminance(hex string) float64 {
	var r, g, b int
	fmt.Sscanf(hex, "#%02x%02x%02x", &r, &g, &b)
	lin := func(v int) float64 {
		c := float64(v) / 255
		if c <= 0.03928 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// contrast is the WCAG contrast ratio of two luminances.
func contrast(a, b float64) float64 {
	return (math.Max(a, b) + 0.05) / (math.Min(a, b) + 0.05)
}
