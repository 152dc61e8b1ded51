// What the hand-written queries take as known: the stages (read once,
// untimed), and the users' names.

package bench

import (
	"context"
	"fmt"
	"strconv"
	"testing"

	"github.com/voronka/voronka/olap"
)

// funnelStages is the sales pipeline as the hand-written queries take
// it (read once, untimed; an analyst writing the query knows the
// stages): parallel arrays over its stages for transform().
type funnelStages struct {
	pipeline int64
	ids      []int64
	steps    []int32 // 1-based step of an open or won stage, else 0
	kinds    []string
	codes    []string
}

// code is the code of the stage with this id.
func (m funnelStages) code(id int64) string {
	for i, x := range m.ids {
		if x == id {
			return m.codes[i]
		}
	}
	return strconv.FormatInt(id, 10)
}

// stepCodes are the codes of the steps in order.
func (m funnelStages) stepCodes() []string {
	var out []string
	for i, s := range m.steps {
		if s > 0 {
			out = append(out, m.codes[i])
		}
	}
	return out
}

func loadFunnelStages(b *testing.B, f *reportsFixture) funnelStages {
	const q = `SELECT id, code, kind, pipeline_id FROM %[1]s.stages FINAL
WHERE _deleted = 0 AND pipeline_id IN (SELECT id FROM %[1]s.pipelines FINAL WHERE _deleted = 0 AND code = 'sales')
ORDER BY position, id`
	rows, err := f.ch.DB.Query(context.Background(), olap.SQL(fmt.Sprintf(q, f.ch.Database)))
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var m funnelStages
	var step int32
	for rows.Next() {
		var id int64
		var code, kind string
		if err := rows.Scan(&id, &code, &kind, &m.pipeline); err != nil {
			b.Fatal(err)
		}
		s := int32(0)
		if kind == "open" || kind == "won" {
			step++
			s = step
		}
		m.ids, m.codes, m.kinds, m.steps = append(m.ids, id), append(m.codes, code), append(m.kinds, kind), append(m.steps, s)
	}
	return m
}

// allStages are every stage's id, probability and group, read once
// (untimed): the hand-written queries take them as constants.
type allStages struct {
	ids    []int64
	probs  []int16
	groups []string
}

func loadAllStages(b *testing.B, f *reportsFixture) allStages {
	q := fmt.Sprintf("SELECT id, probability, stage_group FROM %s.stages FINAL WHERE _deleted = 0 ORDER BY id", f.ch.Database)
	rows, err := f.ch.DB.Query(context.Background(), olap.SQL(q))
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var s allStages
	for rows.Next() {
		var id int64
		var p int16
		var g string
		if err := rows.Scan(&id, &p, &g); err != nil {
			b.Fatal(err)
		}
		s.ids, s.probs, s.groups = append(s.ids, id), append(s.probs, p), append(s.groups, g)
	}
	return s
}

// userNames names the users with these ids.
func (f *reportsFixture) userNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	rows, err := f.ch.DB.Query(ctx, olap.SQL("SELECT id, name FROM "+f.ch.Database+".users FINAL WHERE _deleted = 0 AND has(?, id)", ids))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	names := map[int64]string{}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		names[id] = name
	}
	return names, rows.Err()
}
