package engine

import (
	"context"
	"testing"

	"github.com/voronka/voronka/reports"
)

// TestFunnelAfterPipelineEdits: renaming a stage relabels the past, and a
// stage added later between qual and prop, which no deal's history holds,
// counts every deal that got past it (skipped steps count as passed).
func TestFunnelAfterPipelineEdits(t *testing.T) {
	s := kxSetup(t, kxFixture, kxNow)
	ctx := context.Background()
	cols := []string{"id", "pipeline_id", "code", "name", "position", "kind", "probability", "stage_group", "_version", "_deleted"}
	rows := [][]any{
		{int64(902), int64(900), "qual", "Квалификация лида", int32(2), "open", int16(30), "Квалификация", uint64(2), uint8(0)},
		{int64(903), int64(900), "prop", "Предложение", int32(4), "open", int16(60), "Предложение", uint64(2), uint8(0)},
		{int64(907), int64(900), "demo", "Демонстрация", int32(3), "open", int16(50), "Предложение", uint64(2), uint8(0)},
	}
	if err := s.ch.DB.Insert(ctx, "stages", cols, rows); err != nil {
		t.Fatal(err)
	}
	jan := kxJanuary
	f := kxFunnel(t, s, kxDirector, reports.FunnelRequest{Pipeline: "fx", Period: &jan})
	kxCheckSteps(t, "edited", f.Steps, []kxStep{
		{"new", 7, "34959.95", null, 1, 24},
		{"qual", 6, "28959.95", 6.0 / 7, 6.0 / 7, 36},
		{"demo", 4, "15000.00", 4.0 / 6, 4.0 / 7, null},
		{"prop", 4, "15000.00", 1, 4.0 / 7, 600},
		{"won", 1, "1000.00", 1.0 / 4, 1.0 / 7, null},
	})
	if f.Steps[1].Name != "Квалификация лида" {
		t.Errorf("qual is labelled %q, want its new name", f.Steps[1].Name)
	}
}
