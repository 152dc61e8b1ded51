package logrepl

import (
	"bytes"
	"encoding/binary"
	"fmt"
)

// Tuple is the column values of one row, in Relation column order.
type Tuple []TupleValue

// TupleValue is one column of a tuple. Kind is 'n' (NULL), 'u' (an
// unchanged TOASTed value the server did not send), 't' (text format in
// Data) or 'b' (binary format in Data; not requested by Voronka).
type TupleValue struct {
	Kind byte
	Data []byte
}

// reader walks a message; the first error sticks and later reads return
// zero values, so decoders read straight through and check once.
type reader struct {
	b   []byte
	pos int
	err error
}

func (r *reader) take(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || r.pos+n > len(r.b) {
		r.err = fmt.Errorf("truncated at byte %d (want %d more of %d)", r.pos, n, len(r.b))
		return nil
	}
	p := r.b[r.pos : r.pos+n]
	r.pos += n
	return p
}

func (r *reader) u8() uint8 {
	if p := r.take(1); p != nil {
		return p[0]
	}
	return 0
}

func (r *reader) u16() uint16 {
	if p := r.take(2); p != nil {
		return binary.BigEndian.Uint16(p)
	}
	return 0
}

func (r *reader) u32() uint32 {
	if p := r.take(4); p != nil {
		return binary.BigEndian.Uint32(p)
	}
	return 0
}

func (r *reader) u64() uint64 {
	if p := r.take(8); p != nil {
		return binary.BigEndian.Uint64(p)
	}
	return 0
}

// str reads a NUL-terminated string.
func (r *reader) str() string {
	if r.err != nil {
		return ""
	}
	i := bytes.IndexByte(r.b[r.pos:], 0)
	if i < 0 {
		r.err = fmt.Errorf("unterminated string at byte %d", r.pos)
		return ""
	}
	s := string(r.b[r.pos : r.pos+i])
	r.pos += i + 1
	return s
}

func (r *reader) tuple() Tuple {
	n := int(r.u16())
	t := make(Tuple, 0, n)
	for i := 0; i < n && r.err == nil; i++ {
		v := TupleValue{Kind: r.u8()}
		switch v.Kind {
		case 'n', 'u':
		case 't', 'b':
			v.Data = r.take(int(int32(r.u32())))
		default:
			r.err = fmt.Errorf("unknown tuple value kind %q in column %d", v.Kind, i)
		}
		t = append(t, v)
	}
	return t
}

func (r *reader) relation() *Relation {
	m := &Relation{ID: r.u32(), Namespace: r.str(), Name: r.str(), ReplicaIdentity: r.u8()}
	n := int(r.u16())
	for i := 0; i < n && r.err == nil; i++ {
		c := RelationColumn{Key: r.u8()&1 == 1, Name: r.str(), TypeOID: r.u32(), TypeMod: int32(r.u32())}
		m.Columns = append(m.Columns, c)
	}
	return m
}

func (r *reader) insert() *Insert {
	m := &Insert{RelationID: r.u32()}
	r.expect('N')
	m.New = r.tuple()
	return m
}

func (r *reader) update() *Update {
	m := &Update{RelationID: r.u32()}
	if k := r.peek(); k == 'K' || k == 'O' {
		m.OldKind = r.u8()
		m.Old = r.tuple()
	}
	r.expect('N')
	m.New = r.tuple()
	return m
}

func (r *reader) delete() *Delete {
	m := &Delete{RelationID: r.u32(), OldKind: r.u8()}
	if m.OldKind != 'K' && m.OldKind != 'O' && r.err == nil {
		r.err = fmt.Errorf("delete: old tuple kind %q", m.OldKind)
	}
	m.Old = r.tuple()
	return m
}

func (r *reader) truncate() *Truncate {
	n := int(r.u32())
	m := &Truncate{Options: r.u8()}
	for i := 0; i < n && r.err == nil; i++ {
		m.RelationIDs = append(m.RelationIDs, r.u32())
	}
	return m
}

func (r *reader) message() *LogicalMessage {
	m := &LogicalMessage{Transactional: r.u8()&1 == 1, LSN: LSN(r.u64()), Prefix: r.str()}
	m.Content = r.take(int(int32(r.u32())))
	return m
}

func (r *reader) peek() byte {
	if r.err != nil || r.pos >= len(r.b) {
		return 0
	}
	return r.b[r.pos]
}

func (r *reader) expect(c byte) {
	if got := r.u8(); got != c && r.err == nil {
		r.err = fmt.Errorf("want %q, got %q", c, got)
	}
}
