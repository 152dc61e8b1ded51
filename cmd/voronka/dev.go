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
	cluster := fs.Bool("cluster", false, "up: also the local ClickHouse cluster (2 shards × 2 replicas and ZooKeeper); env: the cluster's variables")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() >= 1 { // flags after the action: `voronka dev up --cluster`
		action := fs.Arg(0)
		if err := fs.Parse(fs.Args()[1:]); err != nil {
			return err
		}
		args = append([]string{action}, fs.Args()...)
	} else {
		args = nil
	}
	if len(args) != 1 {
		return fmt.Errorf("usage: voronka dev up|down|status|env [--cluster]")
	}
	dev := devenv.New(*dir, env.getenv, env.stderr)
	switch args[0] {
	case "up":
		if err := dev.Up(ctx); err != nil {
			return fmt.Errorf("dev up: %w", err)
		}
		if *cluster {
			if err := dev.ClusterUp(ctx); err != nil {
				return fmt.Errorf("dev up --cluster: %w", err)
			}
		}
		fallthrough
	case "status":
		for _, s := range append(dev.Status(ctx), dev.ClusterStatus(ctx)...) {
			fmt.Fprintln(env.stdout, s)
		}
	case "down":
		return dev.Down(ctx)
	case "env":
		lines := dev.EnvLines()
		if *cluster {
			lines = dev.ClusterEnvLines()
		}
		for _, l := range lines {
			fmt.Fprintln(env.stdout, l)
		}
	default:
		return fmt.Errorf("unknown dev action %q: want up, down, status or env", args[0])
	}
	return nil
}
