package main

import (
	"context"
	"errors"
)

func runDemo(ctx context.Context, args []string, env *cliEnv) error  { return errors.New("todo") }
