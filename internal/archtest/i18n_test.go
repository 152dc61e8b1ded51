package archtest

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// Russian and English are spoken through internal/i18n only (Text,
// Catalog, Parse, Valid, Other). Outside it, no non-test Go file of the
// module
//   - declares a text as a fixed array of strings ([2]string{"Итого",
//     "Total"}, map[string][2]string{…}, [2]string{c.LabelRU, c.LabelEN},
//     or a wider tuple such as [3]string{key, ru, en}): the array holds
//     Cyrillic beside Latin text, or names something …RU or …EN (an
//     array of Russian names alone is data, not a pair);
//   - keys a map literal by a language code ("ru": {…}, "en": {…});
//   - compares a language code: == or != against "ru", "en", i18n.RU or
//     i18n.EN, or a switch case on them (map[bool]string{…}[lang == "en"]
//     included). Validation uses i18n.Valid, a choice Text.In.
func TestLanguagesThroughI18n(t *testing.T) {
	files, root := i18nScanFiles(t), moduleDir(t)+string(filepath.Separator)
	seen := map[string]bool{}
	for _, f := range files {
		seen[filepath.ToSlash(strings.TrimPrefix(f, root))] = true
		for _, v := range i18nViolations(t, f) {
			t.Errorf("%s: speak through internal/i18n", strings.TrimPrefix(v, root))
		}
	}
	// Not vacuous: the whole module, with the files that spoke languages
	// their own way before internal/i18n, and without i18n itself.
	if len(files) < 250 {
		t.Fatalf("scanned %d files: not the whole module", len(files))
	}
	for _, want := range []string{"dashboards/pages/i18n.go", "reports/compile/labels.go", "reports/kinds/columns.go",
		"reports/xlsx/labels.go", "reports/schedule/deliver.go", "dashboards/api/forms.go", "cmd/voronka/export.go",
		"internal/chdb/conn.go"} {
		if !seen[want] {
			t.Errorf("%s was not scanned", want)
		}
	}
	if seen["internal/i18n/i18n.go"] {
		t.Error("internal/i18n itself was scanned")
	}
}

// The rule catches each way it names, and lets alone what is not a
// language: SQL column pairs, label–value rows, other codes.
func TestI18nRuleCatches(t *testing.T) {
	bad := `package x

var total = [2]string{"Итого", "Total"}
var words = map[string][2]string{"sheet": {"Отчёт", "Report"}}
var outcomes = [][3]string{{"calls", "Звонков", "Calls"}}
var messages = map[string]map[string]string{"ru": {"login": "Вход"}}

func label(lang string, c struct{ LabelRU, LabelEN string }) string {
	if lang == "en" {
		return [2]string{c.LabelRU, c.LabelEN}[1]
	}
	switch lang {
	case "ru":
	}
	if i18n.EN != lang {
	}
	return map[bool]string{true: "Report", false: "Отчёт"}[lang != "ru"]
}
`
	good := `package x

var labelQueries = map[string][2]string{"users": {"toString(id), name", "id"}}
var total = i18n.T("Итого", "Total")
var activityTypes = [4]string{"call", "email", "meeting", "task"}
var managerNames = [3]string{"Соколов Артём", "Кузнецова Мария", "Волков Никита"}

const TOKEN, OPEN = "token", "open"

func rows(key, v, lang string) [][2]string {
	if lang == "de" || key == "p_report" {
		return [][2]string{{key, v}, {TOKEN, OPEN}}
	}
	return nil
}
`
	dir := t.TempDir()
	write := func(name, src string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	got := i18nViolations(t, write("bad.go", bad))
	wantLines := []int{3, 4, 5, 6, 9, 10, 13, 15, 17}
	var lines []int
	for _, v := range got {
		n, _ := strconv.Atoi(strings.Split(v, ":")[1])
		lines = append(lines, n)
	}
	if fmt.Sprint(lines) != fmt.Sprint(wantLines) {
		t.Errorf("findings on lines %v, want %v:\n%s", lines, wantLines, strings.Join(got, "\n"))
	}
	if got := i18nViolations(t, write("good.go", good)); len(got) > 0 {
		t.Errorf("false findings:\n%s", strings.Join(got, "\n"))
	}
}

// moduleDir is the module's root directory.
func moduleDir(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -m: %v\n%s", err, out)
	}
	return strings.TrimSpace(string(out))
}

// i18nScanFiles are the non-test Go files of the module's packages, those
// a build tag leaves out included, but internal/i18n's.
func i18nScanFiles(t *testing.T) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}|{{.Dir}}|{{join .GoFiles \",\"}},{{join .IgnoredGoFiles \",\"}}",
		mod+"...").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	var files []string
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		parts := strings.SplitN(line, "|", 3)
		if parts[0] == mod+"internal/i18n" {
			continue
		}
		for _, name := range strings.Split(parts[2], ",") {
			if strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") {
				files = append(files, filepath.Join(parts[1], name))
			}
		}
	}
	return files
}

// i18nViolations are path:line: findings of the rule in one file.
func i18nViolations(t *testing.T, path string) []string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	report := func(n ast.Node, what string) {
		out = append(out, fmt.Sprintf("%s:%d: %s", path, fset.Position(n.Pos()).Line, what))
	}
	implied := map[*ast.CompositeLit]ast.Expr{} // the type of a literal that elides it
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CompositeLit:
			typ := n.Type
			if typ == nil {
				typ = implied[n]
			}
			checkLiteral(n, typ, implied, report)
		case *ast.BinaryExpr:
			if (n.Op == token.EQL || n.Op == token.NEQ) && (isLangCode(n.X) || isLangCode(n.Y)) {
				report(n, "compares a language code")
			}
		case *ast.CaseClause:
			for _, e := range n.List {
				if isLangCode(e) {
					report(e, "switches on a language code")
				}
			}
		}
		return true
	})
	return out
}

// checkLiteral reports a literal text pair or language-keyed map and
// passes each elided element type down to the element literals.
func checkLiteral(cl *ast.CompositeLit, typ ast.Expr, implied map[*ast.CompositeLit]ast.Expr, report func(ast.Node, string)) {
	var keyType, elemType ast.Expr
	switch tt := typ.(type) {
	case *ast.ArrayType:
		elemType = tt.Elt
	case *ast.MapType:
		keyType, elemType = tt.Key, tt.Value
	}
	var langs textLangs
	for _, e := range cl.Elts {
		v := e
		if kv, ok := e.(*ast.KeyValueExpr); ok {
			v = kv.Value
			if _, isMap := typ.(*ast.MapType); isMap && isLangCode(kv.Key) {
				report(kv, "keys a map by language")
			}
			if c, ok := kv.Key.(*ast.CompositeLit); ok && c.Type == nil {
				implied[c] = keyType
			}
		}
		if c, ok := v.(*ast.CompositeLit); ok && c.Type == nil {
			implied[c] = elemType
		}
		langs.add(v)
	}
	if isStringArray(typ) && langs.pair() {
		report(cl, "declares a text as a fixed array of strings")
	}
}

// isStringArray reports whether typ is [N]string or [...]string.
func isStringArray(typ ast.Expr) bool {
	at, ok := typ.(*ast.ArrayType)
	if !ok || at.Len == nil {
		return false
	}
	id, ok := at.Elt.(*ast.Ident)
	return ok && id.Name == "string"
}

// langSuffix is a name for one language's text: LabelRU, NameEN, RU.
var langSuffix = regexp.MustCompile(`(^|[a-z0-9_])(RU|EN)$`)

// textLangs is what the elements of a literal hold: Russian text, text
// in Latin letters only, names of one language's text.
type textLangs struct{ russian, latin, named bool }

func (l *textLangs) add(e ast.Expr) {
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BasicLit:
			s, err := strconv.Unquote(n.Value)
			switch {
			case n.Kind != token.STRING || err != nil:
			case strings.IndexFunc(s, isCyrillic) >= 0:
				l.russian = true
			case strings.IndexFunc(s, unicode.IsLetter) >= 0:
				l.latin = true
			}
		case *ast.Ident:
			l.named = l.named || langSuffix.MatchString(n.Name)
		}
		return true
	})
}

// pair reports whether the elements are one text in two languages.
func (l textLangs) pair() bool { return l.named || l.russian && l.latin }

func isCyrillic(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }

// isLangCode reports whether e is "ru", "en", i18n.RU or i18n.EN.
func isLangCode(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.BasicLit:
		s, err := strconv.Unquote(e.Value)
		return e.Kind == token.STRING && err == nil && (s == "ru" || s == "en")
	case *ast.SelectorExpr:
		x, ok := e.X.(*ast.Ident)
		return ok && x.Name == "i18n" && (e.Sel.Name == "RU" || e.Sel.Name == "EN")
	}
	return false
}
