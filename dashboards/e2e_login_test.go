package dashboards_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/voronka/voronka/dashboards/dashtest"
)

// loginLayout measures the sign-in form as laid out: the card's centre
// against the viewport's, its width, whether each label sits above its
// input (not beside it), whether the inputs fill the card, and the
// button's colour.
const loginLayout = `(() => {
  const card = document.querySelector('form[action="/login"]').getBoundingClientRect();
  const email = document.querySelector('input[name=email]').getBoundingClientRect();
  const label = document.querySelector('label[for=login-email]').getBoundingClientRect();
  const button = document.querySelector('form[action="/login"] button');
  return {
    offCentre: Math.abs(card.left + card.width / 2 - window.innerWidth / 2),
    width: card.width,
    labelAbove: label.bottom <= email.top + 1,
    inputFill: email.width / card.width,
    button: getComputedStyle(button).backgroundColor,
    error: (document.querySelector('[role=alert]') || {}).textContent || '',
    email: document.querySelector('input[name=email]').value,
  };
})()`

type loginBox struct {
	OffCentre  float64 `json:"offCentre"`
	Width      float64 `json:"width"`
	LabelAbove bool    `json:"labelAbove"`
	InputFill  float64 `json:"inputFill"`
	Button     string  `json:"button"`
	Error      string  `json:"error"`
	Email      string  `json:"email"`
}

// TestBrowserLoginPage: the sign-in form is a card in the middle of the
// page, labels above full-width inputs and a button in Voronka's colour;
// a wrong password says so in the card and keeps the e-mail typed.
func TestBrowserLoginPage(t *testing.T) {
	ts := dashtest.New(t)
	base, ctx, step := dashtest.Browser(t, ts, 30*time.Second)
	measure := func() loginBox {
		t.Helper()
		box, err := chromedp.Run(ctx, chromedp.Evaluate[loginBox](loginLayout))
		if err != nil {
			t.Fatal(err)
		}
		return box
	}
	step("login page", chromedp.Navigate(base+"/login"), chromedp.WaitVisible(`input[name=email]`))
	box := measure()
	if box.OffCentre > 2 || box.Width < 300 || box.Width > 480 || !box.LabelAbove || box.InputFill < 0.75 || box.Button != "rgb(31, 58, 95)" {
		t.Errorf("the form is not laid out as a centred card: %+v", box)
	}
	// Not a step: the 401 of a wrong password is what this part expects,
	// and the harness counts every 4xx as a problem; nothing runs after it.
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(wctx, chromedp.SendKeys(`input[name=email]`, "director@test.local"),
		chromedp.SendKeys(`input[name=password]`, "nope"), chromedp.Click(`button[type=submit]`),
		chromedp.WaitVisible(`[role=alert]`)); err != nil {
		t.Fatalf("wrong password: %v", err)
	}
	if box = measure(); box.Error != "Неверная почта или пароль" || box.Email != "director@test.local" {
		t.Errorf("after a wrong password: %+v", box)
	}
}
