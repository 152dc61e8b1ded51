package main

import (
	"context"
	"errors"
)

func runServe(ctx context.Context, args []string, env *cliEnv) error { return errors.New("todo") }
func runUser(ctx context.Context, args []string, env *cliEnv) error  { return errors.New("todo") }
func runDemo(ctx context.Context, args []string, env *cliEnv) error  { return errors.New("todo") }
