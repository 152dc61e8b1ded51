package pages

import (
	"encoding/json"
	"flag"
	"os"
	"reflect"
	"testing"

	"github.com/voronka/voronka/internal/i18n"
)

var update = flag.Bool("update", false, "rewrite testdata/messages.golden.json")

const messagesGolden = "testdata/messages.golden.json"

// Every page message reads, in both languages, as testdata/messages.golden.json
// says: a text changed, lost or added shows here (go test -run
// TestMessagesGolden -update rewrites the file after a deliberate change).
func TestMessagesGolden(t *testing.T) {
	got := map[string]map[string]string{}
	for key := range messages {
		got[key] = map[string]string{i18n.RU: messages.T(i18n.RU, key), i18n.EN: messages.T(i18n.EN, key)}
	}
	if len(got) < 150 {
		t.Fatalf("only %d page messages: not the whole catalog", len(got))
	}
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(messagesGolden, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	raw, err := os.ReadFile(messagesGolden)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	var want map[string]map[string]string
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	for key, w := range want {
		if !reflect.DeepEqual(got[key], w) {
			t.Errorf("%s: %q, want %q", key, got[key], w)
		}
	}
	for key := range got {
		if _, ok := want[key]; !ok {
			t.Errorf("%s: not in %s", key, messagesGolden)
		}
	}
	for _, lang := range []string{"", "de", "EN"} {
		if got := messages.Translator(lang)("login"); got != want["login"][i18n.RU] {
			t.Errorf("Translator(%q) reads %q: an unknown language reads Russian", lang, got)
		}
	}
}
