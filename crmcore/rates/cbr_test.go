package rates

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// want is one expected rate: currency, date, roubles per unit, line.
type want struct {
	currency, date, rate string
	line                 int
}

// The bank's files as it writes them parse to rates per one unit, each
// worked out by hand (Value / Nominal), with the line of its element.
func TestParseBankFiles(t *testing.T) {
	for _, tc := range []struct {
		file, currency, kind string
		want                 []want
	}{
		{"daily_2024-03-02.xml", "", "daily", []want{
			{"GBP", "2024-03-02", "115.674", 3},
			{"USD", "2024-03-02", "91.3336", 4},
			{"EUR", "2024-03-02", "98.9044", 5},
			{"KZT", "2024-03-02", "0.203087", 6}, // 20,3087 / 100
			{"CNY", "2024-03-02", "12.65893", 7}, // 126,5893 / 10
			{"JPY", "2024-03-02", "0.608967", 8}, // 60,8967 / 100
		}},
		{"dynamic_usd_2024-03.xml", "", "dynamic", []want{
			{"USD", "2024-03-01", "90.8423", 3}, {"USD", "2024-03-02", "91.3336", 4},
			{"USD", "2024-03-05", "91.0305", 5}, {"USD", "2024-03-06", "90.7493", 6},
		}},
		{"dynamic_usd_2024-03.xml", "usd", "dynamic", []want{
			{"USD", "2024-03-01", "90.8423", 3}, {"USD", "2024-03-02", "91.3336", 4},
			{"USD", "2024-03-05", "91.0305", 5}, {"USD", "2024-03-06", "90.7493", 6},
		}},
		{"dynamic_jpy_2024-03.xml", "", "dynamic", []want{
			{"JPY", "2024-03-01", "0.605612", 3}, {"JPY", "2024-03-02", "0.608967", 4},
		}},
	} {
		t.Run(tc.file+" "+tc.currency, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			f, err := Parse(data, tc.currency)
			if err != nil {
				t.Fatal(err)
			}
			if f.Kind != tc.kind {
				t.Errorf("kind %q, want %q", f.Kind, tc.kind)
			}
			var got []want
			for _, r := range f.Rates {
				got = append(got, want{r.Currency, r.Date.Format("2006-01-02"), r.Rate.String(), r.Line})
			}
			if len(got) != len(tc.want) {
				t.Fatalf("rates %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("rate %d: %v, want %v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

// A unit rate keeps all eight decimals: 10 000 of a currency at four
// decimals.
func TestParseKeepsEightDecimals(t *testing.T) {
	f, err := Parse(bankFile(t, `<?xml version="1.0" encoding="windows-1251"?>
<ValCurs Date="02.03.2024" name="Foreign Currency Market">
<Valute ID="R01150"><NumCode>704</NumCode><CharCode>VND</CharCode><Nominal>10000</Nominal><Name>Вьетнамских донгов</Name><Value>36,9821</Value></Valute>
</ValCurs>`), "")
	if err != nil {
		t.Fatal(err)
	}
	if got := f.Rates[0].Rate.String(); got != "0.00369821" {
		t.Errorf("rate %s, want 0.00369821", got)
	}
}

const daily = `<?xml version="1.0" encoding="windows-1251"?>
<ValCurs Date="02.03.2024" name="Foreign Currency Market">
<Valute ID="R01235"><NumCode>840</NumCode><CharCode>USD</CharCode><Nominal>1</Nominal><Name>Доллар США</Name><Value>91,3336</Value></Valute>
</ValCurs>`

const dynamic = `<?xml version="1.0" encoding="windows-1251"?>
<ValCurs ID="R01235" DateRange1="01.03.2024" DateRange2="02.03.2024" name="Foreign Currency Market Dynamic">
<Record Date="01.03.2024" Id="R01235"><Nominal>1</Nominal><Value>90,8423</Value></Record>
</ValCurs>`

// A malformed file is refused with the line and the element at fault.
func TestParseRefusesMalformedFiles(t *testing.T) {
	r := strings.NewReplacer
	for _, tc := range []struct {
		name, currency string
		data           []byte
		want           string
	}{
		{"unclosed element", "", bankFile(t, r("</Value></Valute>", "</Valute>").Replace(daily)), "line 3: not well-formed XML"},
		{"cut short", "", bankFile(t, daily[:len(daily)-len("</ValCurs>")]), "line 4: not well-formed XML: unexpected EOF"},
		{"not the bank's", "", bankFile(t, `<?xml version="1.0" encoding="windows-1251"?>`+"\n<rates/>"), "line 2, <rates>: the root element is not ValCurs"},
		{"empty", "", nil, "no ValCurs element"},
		{"value with a point and letters", "", bankFile(t, r("91,3336", "91.33x").Replace(daily)), `line 3, <Value>: "91.33x" is not a rate`},
		{"zero value", "", bankFile(t, r("91,3336", "0,0000").Replace(daily)), "line 3, <Value>: a rate must be above zero"},
		{"negative value", "", bankFile(t, r("91,3336", "-91,3336").Replace(daily)), `line 3, <Value>: "-91,3336" is not a rate`},
		{"no value", "", bankFile(t, r("<Value>91,3336</Value>", "").Replace(daily)), "line 3, <Valute>: no Value element"},
		{"zero nominal", "", bankFile(t, r("<Nominal>1<", "<Nominal>0<").Replace(daily)), "line 3, <Nominal>"},
		{"bad date", "", bankFile(t, r("02.03.2024", "2024-03-02").Replace(daily)), `line 2, <ValCurs>: Date="2024-03-02" is not a date`},
		{"bad code", "", bankFile(t, r(">USD<", ">Доллар<").Replace(daily)), "line 3, <CharCode>"},
		{"twice", "", bankFile(t, r("</ValCurs>", "<Valute ID=\"R01235\"><CharCode>USD</CharCode><Nominal>1</Nominal><Value>1</Value></Valute>\n</ValCurs>").Replace(daily)), "line 4, <Valute>: USD on 02.03.2024 is given twice (first on line 3)"},
		{"neither kind", "", bankFile(t, r(` Date="02.03.2024"`, "").Replace(daily)), "line 2, <ValCurs>: neither Date"},
		{"UTF-8 saved as windows-1251", "", []byte(daily), "its text is UTF-8"},
		{"another encoding", "", []byte(r("windows-1251", "koi8-r").Replace(dynamic)), `unsupported encoding "koi8-r"`},
		{"unknown bank id", "", bankFile(t, r("R01235", "R09999").Replace(dynamic)), "R09999 is not one Voronka knows: name the currency"},
		{"a currency against the id", "EUR", bankFile(t, dynamic), "the file is of R01235 (USD), not EUR"},
		{"a record of another id", "", bankFile(t, r(`Id="R01235"`, `Id="R01239"`).Replace(dynamic)), `line 3, <Record>: Id "R01239" is not the file's currency R01235`},
		{"a record date", "", bankFile(t, r(`Record Date="01.03.2024"`, `Record Date="31.02.2024"`).Replace(dynamic)), `line 3, <Record>: Date="31.02.2024"`},
		{"a record of an early date", "", bankFile(t, r(`Record Date="01.03.2024"`, `Record Date="01.03.1960"`).Replace(dynamic)), `line 3, <Record>: Date="01.03.1960"`},
		{"another child", "", bankFile(t, r("<Record ", "<Valute ").Replace(r("</Record>", "</Valute>").Replace(dynamic))), "line 3, <Valute>: unexpected element"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := Parse(tc.data, tc.currency)
			if err == nil {
				t.Fatalf("parsed %v, want an error with %q", f, tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want it to hold %q", err, tc.want)
			}
		})
	}
}

// A dynamic file of an id Voronka does not know takes the currency given.
func TestParseDynamicWithCurrency(t *testing.T) {
	f, err := Parse(bankFile(t, strings.ReplaceAll(dynamic, "R01235", "R09999")), "xts")
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Rates) != 1 || f.Rates[0].Currency != "XTS" || f.Rates[0].Rate.String() != "90.8423" {
		t.Errorf("rates %+v, want XTS 90.8423", f.Rates)
	}
}
