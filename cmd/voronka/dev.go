package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/voronka/voronka/internal/devenv"
)

func runDev(ctx context.Context, args []string, env *cliEnv) error {
	fs := flag.NewFlagSet("dev", flag.ContinueOnError)
	dir := fs.String("dir", devenv.DefaultDir(env.getenv), "where the servers keep their data (VORONKA_DEV_DIR)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("usage: voronka dev up|down|status|env")
	}
	dev := devenv.New(*dir, env.getenv, env.stderr)
	switch fs.Arg(0) {
	case "up":
		if err := dev.Up(ctx); err != nil {
			return fmt.Errorf("dev up: %w", err)
		}
		fallthrough
	case "status":
		for _, s := range dev.Status(ctx) {
			fmt.Fprintln(env.stdout, s)
		}
	case "down":
		return dev.Down(ctx)
	case "env":
		for _, l := range dev.EnvLines() {
			fmt.Fprintln(env.stdout, l)
		}
	default:
		return fmt.Errorf("unknown dev action %q: want up, down, status or env", fs.Arg(0))
	}
	return nil
}
