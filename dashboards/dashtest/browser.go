package dashtest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// The browser harness: headless Chromium (Debian's package) over a
// server on loopback, failing a step on any console error, exception,
// failed request or request outside Voronka.

// chromiumPath is Debian's Chromium; the browser tests fail without it.
const chromiumPath = "/usr/bin/chromium"

// browserProblems collects console errors, exceptions and failed
// requests seen by the page.
type browserProblems struct {
	mu   sync.Mutex
	list []string
}

func (b *browserProblems) add(format string, args ...any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.list = append(b.list, fmt.Sprintf(format, args...))
}

func (b *browserProblems) take() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := b.list
	b.list = nil
	return out
}

// listen records what went wrong in the browser tab of ctx.
func (b *browserProblems) listen(ctx context.Context) error {
	return chromedp.Listen(ctx, func(ev any) {
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeWarning {
				b.add("console %s: %v", e.Type, e.Args)
			}
		case *runtime.EventExceptionThrown:
			b.add("exception: %s %s:%d", e.ExceptionDetails.Text, e.ExceptionDetails.URL, e.ExceptionDetails.LineNumber)
		case *network.EventLoadingFailed:
			b.add("request failed: %s %s", e.ErrorText, e.BlockedReason)
		case *network.EventResponseReceived:
			// A script's call answered 422 is the page's to show (the plan
			// page's refused cells and file problems); any other 4xx or 5xx,
			// and a 422 page or asset, is a problem.
			if e.Response.Status >= 400 && !(e.Response.Status == 422 && e.Type == network.ResourceTypeFetch) {
				b.add("HTTP %d %s", int(e.Response.Status), e.Response.URL)
			}
			if !strings.HasPrefix(e.Response.URL, "http://127.0.0.1:") && !strings.HasPrefix(e.Response.URL, "data:") {
				b.add("request outside Voronka: %s", e.Response.URL)
			}
		}
	})
}

// StartBrowser runs headless Chromium with a fresh profile.
func StartBrowser(t *testing.T) (context.Context, context.CancelFunc) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("Chromium is required for the browser tests (apt-get install chromium): %v", err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1400, 1000),
		chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	// The first run starts the browser; it must have no deadline.
	if err := chromedp.Do(ctx); err != nil {
		cancelCtx()
		cancelAlloc()
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx, func() { cancelCtx(); cancelAlloc() }
}

// ServeLoopback runs ts's server on 127.0.0.1 until the test ends and
// returns its address.
func ServeLoopback(t *testing.T, ts *Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ts.Srv.ServeListener(ctx, ln) }()
	t.Cleanup(func() { cancel(); <-done })
	return "http://" + ln.Addr().String()
}

// Screenshot captures the viewport (so a broken capture fails every run)
// and, with VORONKA_SCREENSHOTS=1 (`make screenshots`), saves it as
// docs/screenshots/<name>.png for the README; otherwise the committed
// pictures stay as they are.
func Screenshot(name string) chromedp.Action[chromedp.Void] {
	return saveShot(name, chromedp.CaptureScreenshot())
}

// FullScreenshot is Screenshot of the whole page, or with a selector of
// the first element it matches (a panel).
func FullScreenshot(name string, sel ...string) chromedp.Action[chromedp.Void] {
	if len(sel) > 0 {
		return saveShot(name, chromedp.Screenshot(sel[0]))
	}
	return saveShot(name, chromedp.FullScreenshot(100))
}

// saveShot runs capture and keeps what it took as docs/screenshots/<name>.png
// when VORONKA_SCREENSHOTS=1.
func saveShot(name string, capture chromedp.Action[[]byte]) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		buf, err := capture(ctx, tg)
		if err != nil || os.Getenv("VORONKA_SCREENSHOTS") != "1" {
			return err
		}
		root, err := moduleRoot()
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(root, "docs", "screenshots", name+".png"), buf, 0o644)
	})
}

// moduleRoot is the folder of go.mod above the test's working directory.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	for err == nil {
		if _, serr := os.Stat(filepath.Join(dir, "go.mod")); serr == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
	return "", err
}

// Step runs browser actions under the session's timeout; it fails the
// test on an error or on any browser problem they caused.
type Step func(name string, actions ...chromedp.Action[chromedp.Void])

// Browser serves ts on loopback and starts Chromium for the test: the
// server's address, the browser context and the Step runner.
func Browser(t *testing.T, ts *Server, timeout time.Duration) (string, context.Context, Step) {
	t.Helper()
	base := ServeLoopback(t, ts)
	ctx, cancel := StartBrowser(t)
	t.Cleanup(cancel)
	problems := &browserProblems{}
	if err := problems.listen(ctx); err != nil {
		t.Fatal(err)
	}
	step := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		if err := chromedp.Do(sctx, actions...); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if p := problems.take(); len(p) > 0 {
			t.Fatalf("%s: browser problems: %v", name, p)
		}
	}
	return base, ctx, step
}

// SignIn are the actions that sign email in through the login page with
// the fixtures' password and wait for the signed-in page, after first
// (a viewport, say).
func SignIn(base, email string, first ...chromedp.Action[chromedp.Void]) []chromedp.Action[chromedp.Void] {
	return append(first, chromedp.Navigate(base+"/login"), chromedp.WaitVisible(`input[name=email]`),
		chromedp.SendKeys(`input[name=email]`, email), chromedp.SendKeys(`input[name=password]`, Password),
		chromedp.Click(`button[type=submit]`), chromedp.WaitVisible(`form[action="/logout"]`))
}

// Eval evaluates JavaScript in ctx's page to a string; t fails on an
// error.
func Eval(t *testing.T, ctx context.Context) func(js string) string {
	return func(js string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return s
	}
}
