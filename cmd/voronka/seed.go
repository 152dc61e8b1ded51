package main

import (
	"context"
	"errors"
)

// runSeed is written by the seed work (crmcore/seed).
func runSeed(ctx context.Context, args []string, env *cliEnv) error { return errors.New("todo") }
