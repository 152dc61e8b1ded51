package domain

// Stage kinds: what a stage of a pipeline means for a deal in it (docs/api.md
// "Funnel semantics"). Funnel steps are the open and won stages in
// position order; lost and paused stages are outcomes beside them.
const (
	KindOpen   = "open"
	KindWon    = "won"
	KindLost   = "lost"
	KindPaused = "paused"
)
