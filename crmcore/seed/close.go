package seed

import "time"

// Expected close dates (issue 17). Drawn from the deal's id and the seed,
// not from the chunk's stream, so adding them left every other value of
// the demo as it was.

// expectedClose gives d its expected close date: an open or paused deal
// one in the coming three months, or — for about one in six — one up to a
// month past (overdue); a won or lost deal one within two weeks of its
// close, either side. Dates are Moscow calendar days.
func (g *gen) expectedClose(d *deal) {
	u := mix(g.salt ^ uint64(d.ID))
	var day dayNum
	switch {
	case !d.Closed.IsZero():
		day = dayOf(d.Closed) + dayNum(u%29) - 14
	case u%6 == 0:
		day = dayOf(g.now) - 1 - dayNum(u>>8%30)
	default:
		day = dayOf(g.now) + 1 + dayNum(u>>8%91)
	}
	d.ExpectedClose = time.Unix(int64(day)*86400, 0).UTC()
}

// mix is splitmix64's finaliser: well-spread bits from any input.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}
