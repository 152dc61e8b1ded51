package main

import (
	"context"
	"errors"
)

func runSeed(ctx context.Context, args []string, env *cliEnv) error  { return errors.New("todo") }
func runServe(ctx context.Context, args []string, env *cliEnv) error { return errors.New("todo") }
func runUser(ctx context.Context, args []string, env *cliEnv) error  { return errors.New("todo") }
func runDemo(ctx context.Context, args []string, env *cliEnv) error  { return errors.New("todo") }
