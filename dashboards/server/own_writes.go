package server

import (
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/domain"
	"github.com/voronka/voronka/reports/engine"
)

// ownWrites remembers, per user, where PostgreSQL's WAL stood after their
// last write through this server, so that their next answers include it
// (read your own writes): someone who moves a deal and opens the funnel
// sees the move, not the cached answer from before it, even while the
// change stream is still bringing it. Everyone else's answers follow the
// data within the cache's staleness bound as before. A write is
// remembered for ownWriteFor: by then every answer holds it anyway while
// the stream runs, and when the stream has stopped the user's answers
// stop waiting for it (each waits at most the staleness bound). Kept in
// memory, one entry per user who wrote; a restart forgets them, which
// only means the first answers after it follow the bound.
type ownWrites struct {
	mu   sync.Mutex
	last map[int64]ownWrite
}

// ownWrite is where the WAL stood after a user's last write, and when.
type ownWrite struct {
	lsn uint64
	at  time.Time
}

// ownWriteFor is how long a user's answers wait for their own last write.
const ownWriteFor = 30 * time.Second

// of is the WAL position user's answers must include (0: none).
func (w *ownWrites) of(user int64) uint64 {
	w.mu.Lock()
	defer w.mu.Unlock()
	last, ok := w.last[user]
	if !ok || time.Since(last.at) >= ownWriteFor {
		delete(w.last, user)
		return 0
	}
	return last.lsn
}

func (w *ownWrites) wrote(user int64, lsn uint64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.last == nil {
		w.last = map[int64]ownWrite{}
	}
	w.last[user] = ownWrite{lsn: max(w.last[user].lsn, lsn), at: time.Now()}
}

// nextAsSignedIn runs the rest of a request signed in as p: its report
// answers include p's own last write (engine.After), and a write it makes
// is remembered for p's next requests. A failed read of the WAL position
// only forgoes that (the answers follow the staleness bound); the
// request's own outcome stands.
func (s *Server) nextAsSignedIn(c *fiber.Ctx, p domain.Principal) error {
	c.Locals(principalKey, p)
	ctx, note := crmcore.NoteWrites(engine.After(c.UserContext(), s.writes.of(p.UserID)))
	c.SetUserContext(ctx)
	err := c.Next()
	if note.Wrote() && p.UserID != 0 {
		if lsn, werr := s.Store.WALPosition(ctx); werr == nil {
			s.writes.wrote(p.UserID, lsn)
		}
	}
	return err
}
