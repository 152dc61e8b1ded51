package main

import (
	"flag"
	"io"
	"reflect"
	"strings"
	"testing"
)

// TestConfigSecurity: VORONKA_METRICS_TOKEN and VORONKA_TRUSTED_PROXIES
// are refused at start when malformed, naming the variable (also through
// `voronka serve`, before any store is reached), and read when sound.
func TestConfigSecurity(t *testing.T) {
	load := func(vars map[string]string, args ...string) (*Config, error) {
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		c := loadConfig(fs, cliGetenv(vars))
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		return c, c.Validate()
	}
	for _, bad := range []struct{ name, value, want string }{
		{"VORONKA_METRICS_TOKEN", "short", "VORONKA_METRICS_TOKEN"},
		{"VORONKA_METRICS_TOKEN", "sixteen chars with spaces", "VORONKA_METRICS_TOKEN"},
		{"VORONKA_METRICS_TOKEN", "токен-из-кириллицы-длинный", "VORONKA_METRICS_TOKEN"},
		{"VORONKA_TRUSTED_PROXIES", "proxy.local", "VORONKA_TRUSTED_PROXIES"},
		{"VORONKA_TRUSTED_PROXIES", "10.0.0.1, 10.0.0.0/33", "VORONKA_TRUSTED_PROXIES"},
	} {
		if _, err := load(map[string]string{bad.name: bad.value}); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%s=%q: error %v, want one naming %s", bad.name, bad.value, err, bad.want)
		}
		vars := map[string]string{bad.name: bad.value, "VORONKA_PG_URL": "postgres://nobody@127.0.0.1:1/none", "VORONKA_CH_ADDR": "127.0.0.1:1"}
		if _, err := runCLI(t, vars, "serve"); err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("serve with %s=%q: error %v, want one naming %s", bad.name, bad.value, err, bad.want)
		}
	}
	if _, err := load(nil, "--metrics-token", "x y"); err == nil || !strings.Contains(err.Error(), "VORONKA_METRICS_TOKEN") {
		t.Errorf("--metrics-token 'x y': %v", err)
	}
	c, err := load(map[string]string{"VORONKA_METRICS_TOKEN": "0123456789abcdef", "VORONKA_TRUSTED_PROXIES": " 10.0.0.1, 192.168.0.0/16 ,::1"})
	if err != nil {
		t.Fatalf("sound values refused: %v", err)
	}
	proxies, _ := c.Proxies()
	if c.MetricsToken != "0123456789abcdef" || !reflect.DeepEqual(proxies, []string{"10.0.0.1", "192.168.0.0/16", "::1"}) {
		t.Errorf("token %q, proxies %q", c.MetricsToken, proxies)
	}
	if logged := c.LogValue().String(); strings.Contains(logged, "0123456789abcdef") {
		t.Errorf("the config as logged shows the metrics token: %s", logged)
	}
}
