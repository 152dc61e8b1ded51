package intake

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"github.com/voronka/voronka/internal/apperr"
)

// cdrColumns are the columns of Asterisk's Master.csv (cdr_csv), in the
// order Asterisk writes them; uniqueid and userfield are optional.
var cdrColumns = []string{"accountcode", "src", "dst", "dcontext", "clid", "channel", "dstchannel",
	"lastapp", "lastdata", "start", "answer", "end", "duration", "billsec", "disposition", "amaflags",
	"uniqueid", "userfield"}

// cdrMinColumns is how many columns a CDR row has at least (up to amaflags).
const cdrMinColumns = 16

// callRow is one call as read from a file, before it is matched with a
// user and a client. For a CDR, src, dst and the channels' peers decide
// the sides later (resolve); a plain row names its extension and
// direction.
type callRow struct {
	line          int
	err, field    string // an unreadable row: reported as an error
	key           string // the stable source key
	at            time.Time
	src, dst      string
	peer, dstPeer string // the extension part of channel and dstchannel
	ext           string // plain rows: the user's extension
	dir           string // plain rows: in or out
	durationS     int
	disposition   string
}

// parseCalls reads a call log into rows; a file that cannot be read at
// all is a 422 on file or encoding.
func parseCalls(data []byte, o CallOptions) ([]callRow, string, error) {
	if err := CheckData(data); err != nil {
		return nil, "", err
	}
	if o.Format == CallsPlain {
		p, err := ParseCSV(data, Options{Kind: ImportCallsKind, Encoding: o.Encoding, Separator: o.Separator})
		if err != nil {
			return nil, "", err
		}
		rows := make([]callRow, len(p.Records))
		for i, rec := range p.Records {
			rows[i] = plainRow(rec, o.loc)
		}
		return rows, p.Encoding, nil
	}
	text, enc, err := ToUTF8(data, o.Encoding)
	if err != nil {
		return nil, "", err
	}
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	recs, err := readRows(r, cdrColumns)
	if err != nil {
		return nil, "", err
	}
	rows := make([]callRow, len(recs))
	for i, rec := range recs {
		rows[i] = cdrRow(rec, o.loc)
	}
	return rows, enc, nil
}

// cdrRow is one Master.csv row.
func cdrRow(rec ImportRecord, loc *time.Location) callRow {
	c := callRow{line: rec.Line, err: rec.Err}
	f := rec.Fields
	if c.err != "" {
		return c
	}
	if len(f) < cdrMinColumns {
		c.err, c.field = "a CDR row has at least 16 columns (accountcode … amaflags); this one has "+strconv.Itoa(len(f)), "file"
		return c
	}
	c.src, c.dst = strings.TrimSpace(f["src"]), strings.TrimSpace(f["dst"])
	c.peer, c.dstPeer = channelPeer(f["channel"]), channelPeer(f["dstchannel"])
	c.disposition = strings.ToUpper(strings.TrimSpace(f["disposition"]))
	var ok bool
	if c.at, ok = parseCallTime(f["start"], loc); !ok {
		c.err, c.field = "start is not a time like 2024-03-02 10:15:03: "+f["start"], "start"
		return c
	}
	if c.durationS, ok = parseSeconds(f["billsec"]); !ok {
		c.err, c.field = "billsec is not a number of seconds: "+f["billsec"], "billsec"
		return c
	}
	c.key = "cdr:" + strings.TrimSpace(f["uniqueid"])
	if strings.TrimSpace(f["uniqueid"]) == "" {
		c.key = callHash(f["start"], c.src, c.dst, f["channel"])
	}
	return c
}

// channelPeer is the extension a channel names: SIP/101-0000001a → 101,
// PJSIP/ivanov-00000005 → ivanov, Local/101@from-internal-00000001;1 → 101.
func channelPeer(ch string) string {
	ch = strings.TrimSpace(ch)
	_, rest, ok := strings.Cut(ch, "/")
	if !ok {
		return ""
	}
	if at := strings.IndexByte(rest, '@'); at >= 0 {
		return rest[:at]
	}
	if dash := strings.LastIndexByte(rest, '-'); dash > 0 {
		return rest[:dash]
	}
	return rest
}

// callTimeLayouts are the times a call log may hold: Asterisk's, and
// what spreadsheets and other PBXs write.
var callTimeLayouts = []string{"2006-01-02 15:04:05", "2006-01-02 15:04", "02.01.2006 15:04:05", "02.01.2006 15:04",
	"2006-01-02T15:04:05"}

// parseCallTime reads a time in the PBX's zone (RFC 3339 carries its own).
func parseCallTime(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	for _, l := range callTimeLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// parseSeconds reads 125, 2:05 or 0:02:05 as seconds; "" is 0.
func parseSeconds(s string) (int, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	total := 0
	parts := strings.Split(s, ":")
	if len(parts) > 3 {
		return 0, false
	}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || (i > 0 && n > 59) || n > 10_000_000 {
			return 0, false
		}
		total = total*60 + n
	}
	return total, true
}

// callHash is the source key of a call without a uniqueid.
func callHash(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x1f")))
	return "h:" + hex.EncodeToString(h[:16])
}

// errNoCalls answers a file without a single row.
var errNoCalls = apperr.Field("file", "required", "the file has no call rows")
