package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/voronka/voronka/crmcore"
)

func runUser(ctx context.Context, args []string, env *cliEnv) error {
	if len(args) == 0 || args[0] != "add" {
		return fmt.Errorf("usage: voronka user add --email E --name N --role R --password P [--extension 101]")
	}
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	cfg := loadConfig(fs, env.getenv)
	var in crmcore.NewUser
	fs.StringVar(&in.Email, "email", "", "e-mail, the login")
	fs.StringVar(&in.Name, "name", "", "full name, e.g. Иванов Иван Иванович")
	fs.StringVar(&in.Role, "role", "", "admin, director, analyst or manager")
	fs.StringVar(&in.Password, "password", "", "password (4–72 bytes)")
	fs.StringVar(&in.Extension, "extension", "", "PBX extension or SIP login (101), for call logs")
	if err := parseAndValidate(fs, args[1:], cfg); err != nil {
		return err
	}
	pool, err := crmcore.OpenPool(ctx, cfg.PGURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	u, err := crmcore.NewStore(pool).CreateUser(ctx, in)
	if err != nil {
		return fmt.Errorf("add user: %w", err)
	}
	fmt.Fprintf(env.stdout, "user %d added: %s <%s>, role %s\n", u.ID, u.Name, u.Email, u.Role)
	return nil
}
