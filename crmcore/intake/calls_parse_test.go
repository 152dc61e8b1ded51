package intake

import (
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/voronka/voronka/domain"
)

func callOpts(t *testing.T, format string) CallOptions {
	t.Helper()
	o := CallOptions{Format: format}
	if err := o.Validate(domain.System); err != nil {
		t.Fatal(err)
	}
	return o
}

// TestParseMasterCSV reads a Master.csv as Asterisk's cdr_csv writes it
// (every text field quoted, quotes doubled, duration and billsec bare,
// uniqueid and userfield optional) and decides each call's sides.
// Expected values are read off the fixture by hand; times are Moscow's.
func TestParseMasterCSV(t *testing.T) {
	data, err := os.ReadFile("testdata/Master.csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, enc, err := parseCalls(data, callOpts(t, CallsAsterisk))
	if err != nil || enc != EncodingUTF8 || len(rows) != 6 {
		t.Fatalf("parse: %d rows, %s, %v", len(rows), enc, err)
	}
	utc := func(h, m int) time.Time { return time.Date(2024, 3, 2, h, m, 0, 0, time.UTC) }
	known := map[string]int64{"101": 1, "102": 2, "ivanov": 3}
	for i, want := range []struct {
		key, src, dst, peer, dstPeer, disposition string
		at                                        time.Time
		billsec                                   int
		ext, other                                string
		out                                       bool
	}{
		{"cdr:1709363703.26", "101", "89123456789", "101", "trunk", "ANSWERED", utc(7, 15).Add(3 * time.Second), 123, "101", "89123456789", true},
		{"cdr:1709366400.27", "79161234567", "102", "trunk", "102", "ANSWERED", utc(8, 0), 60, "102", "79161234567", false},
		{"cdr:1709371800.28", "84957654321", "s", "mts", "ivanov", "NO ANSWER", utc(9, 30), 0, "ivanov", "84957654321", false},
		{"cdr:1709373600.29", "101", "102", "101", "102", "ANSWERED", utc(10, 0), 180, "101", "102", true},
		{"", "102", "8 (903) 111-22-33", "102", "trunk", "BUSY", utc(11, 0), 0, "102", "8 (903) 111-22-33", true},
		{"cdr:1709384400.31", "105", "89261234567", "105", "trunk", "ANSWERED", utc(12, 0), 30, "105", "89261234567", true},
	} {
		r := rows[i]
		if r.err != "" || r.line != i+1 {
			t.Fatalf("row %d: line %d, err %q", i, r.line, r.err)
		}
		if want.key != "" && r.key != want.key {
			t.Errorf("row %d: key %q, want %q", i, r.key, want.key)
		}
		if r.src != want.src || r.dst != want.dst || r.peer != want.peer || r.dstPeer != want.dstPeer ||
			r.disposition != want.disposition || !r.at.Equal(want.at) || r.durationS != want.billsec {
			t.Errorf("row %d: %+v, want %+v", i, r, want)
		}
		ext, out, other := r.sides(known, DefaultMinDigits)
		if ext != want.ext || out != want.out || other != want.other {
			t.Errorf("row %d: sides %q %v %q, want %q %v %q", i, ext, out, other, want.ext, want.out, want.other)
		}
	}
	// Without a uniqueid the key is a hash of start, src, dst and channel:
	// stable, and another channel is another call.
	if k := rows[4].key; !strings.HasPrefix(k, "h:") || k != callHash("2024-03-02 14:00:00", "102", "8 (903) 111-22-33", "SIP/102-00000020") ||
		k == callHash("2024-03-02 14:00:00", "102", "8 (903) 111-22-33", "SIP/102-00000099") {
		t.Errorf("hash key %q", k)
	}
	if !internalNumber(rows[3].dst, DefaultMinDigits) || internalNumber(rows[3].dst, 3) {
		t.Error("102 is internal below 5 digits, not below 3")
	}
}

// TestParseCDRBadRows: unreadable rows become error rows naming the
// column, and the rows around them are read.
func TestParseCDRBadRows(t *testing.T) {
	good := `"","101","89123456789","from-internal","","SIP/101-1","SIP/trunk-2","Dial","","2024-03-02 10:15:03","","2024-03-02 10:17:13",130,123,"ANSWERED","DOCUMENTATION","1.1",""`
	for _, tc := range []struct{ name, row, field, reason string }{
		{"bad start", strings.Replace(good, "2024-03-02 10:15:03", "вчера", 1), "start", "start is not a time"},
		{"bad billsec", strings.Replace(good, ",123,", ",12s,", 1), "billsec", "billsec is not a number"},
		{"too few columns", `"","101","89123456789","from-internal"`, "file", "at least 16 columns"},
		{"broken quotes", `"","101","8912"3456789","x"`, "", "extraneous or missing \" in quoted-field"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows, _, err := parseCalls([]byte(good+"\n"+tc.row+"\n"+good+"\n"), callOpts(t, CallsAsterisk))
			if err != nil || len(rows) != 3 {
				t.Fatalf("%d rows, %v", len(rows), err)
			}
			if rows[0].err != "" || rows[2].err != "" || rows[2].line != 3 {
				t.Errorf("good rows: %+v %+v", rows[0], rows[2])
			}
			if r := rows[1]; r.line != 2 || r.field != tc.field || !strings.Contains(r.err, tc.reason) {
				t.Errorf("bad row: line %d field %q err %q", r.line, r.field, r.err)
			}
		})
	}
}

// TestParsePlainCalls reads the plain format as Excel saves it on
// Russian Windows (Windows-1251, ';'), with Russian titles and values.
func TestParsePlainCalls(t *testing.T) {
	text := "Время;Откуда;Куда;Длительность;Направление;Добавочный\r\n" +
		"02.03.2024 10:15;101;+7 912 345-67-89;2:05;исходящий;101\r\n" +
		"2024-03-02 11:00:00;8 916 123 45 67;102;0;входящий;102\r\n" +
		"2024-03-02 12:00:00;101;102;60;вбок;101\r\n"
	data, _ := charmap.Windows1251.NewEncoder().String(text)
	rows, enc, err := parseCalls([]byte(data), callOpts(t, CallsPlain))
	if err != nil || enc != EncodingCP1251 || len(rows) != 3 {
		t.Fatalf("parse: %d rows, %s, %v", len(rows), enc, err)
	}
	r := rows[0]
	ext, out, other := r.sides(nil, DefaultMinDigits)
	if !r.at.Equal(time.Date(2024, 3, 2, 7, 15, 0, 0, time.UTC)) || r.durationS != 125 || ext != "101" || !out || other != "+7 912 345-67-89" {
		t.Errorf("row 1: %+v → %q %v %q", r, ext, out, other)
	}
	r = rows[1]
	ext, out, other = r.sides(nil, DefaultMinDigits)
	if r.line != 3 || r.disposition != "NO ANSWER" || ext != "102" || out || other != "8 916 123 45 67" {
		t.Errorf("row 2: %+v → %q %v %q", r, ext, out, other)
	}
	if r := rows[2]; r.line != 4 || r.field != "direction" {
		t.Errorf("row 3: %+v", r)
	}
}

func TestCallTexts(t *testing.T) {
	for in, want := range map[string]string{"SIP/101-0000001a": "101", "PJSIP/ivanov-00000005": "ivanov",
		"Local/101@from-internal-00000001;1": "101", "DAHDI/1-1": "1", "": "", "IAX2/trunk": "trunk"} {
		if got := channelPeer(in); got != want {
			t.Errorf("channelPeer(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]int{"125": 125, "2:05": 125, "1:02:05": 3725, "": 0} {
		if got, ok := parseSeconds(in); !ok || got != want {
			t.Errorf("parseSeconds(%q) = %d %v", in, got, ok)
		}
	}
	for _, bad := range []string{"2:75", "-1", "1:2:3:4", "abc"} {
		if _, ok := parseSeconds(bad); ok {
			t.Errorf("parseSeconds(%q) accepted", bad)
		}
	}
	for _, tc := range []struct {
		out         bool
		other, disp string
		want        string
	}{
		{false, "89123456789", "ANSWERED", "Входящий звонок +7 912 345-67-89"},
		{true, "+7 (912) 345-67-89", "NO ANSWER", "Исходящий звонок +7 912 345-67-89 — без ответа"},
		{true, "442071234567", "BUSY", "Исходящий звонок 442071234567 — занято"},
		{false, "", "FAILED", "Входящий звонок (номер скрыт) — не состоялся"},
	} {
		if got := callSubject(tc.out, tc.other, tc.disp); got != tc.want {
			t.Errorf("callSubject(%v, %q, %q) = %q, want %q", tc.out, tc.other, tc.disp, got, tc.want)
		}
	}
}
