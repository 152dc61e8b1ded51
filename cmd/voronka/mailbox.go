package main

import (
	"context"
	"log/slog"

	"github.com/voronka/voronka/crmcore"
	"github.com/voronka/voronka/crmcore/mailbox"
)

// startMailbox polls VORONKA_IMAP_URL in the background, when set; done
// closes when the poller has stopped (at once when there is none).
func startMailbox(ctx context.Context, cfg *Config, store *crmcore.Store, log *slog.Logger) <-chan struct{} {
	done := make(chan struct{})
	if cfg.IMAPURL == "" {
		close(done)
		return done
	}
	mc, _ := mailbox.ParseURL(cfg.IMAPURL) // checked by Validate
	go func() {
		defer close(done)
		(&mailbox.Poller{Store: store, Config: mc, Log: log}).Run(ctx)
	}()
	return done
}
