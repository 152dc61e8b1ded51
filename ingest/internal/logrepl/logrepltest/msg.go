// Package logrepltest helps the tests of logrepl and ingest: Msg builds
// replication messages by hand, CaptureSQL and CheckCapture are the
// captured workload and what its decoding must give. Tests only: ingest
// itself never imports it.
package logrepltest

import "encoding/binary"

// Msg builds a replication message by hand, big-endian like the server:
// Str appends a NUL-terminated string, Text a text-format tuple value.
type Msg []byte

func (m Msg) U8(v byte) Msg     { return append(m, v) }
func (m Msg) U16(v uint16) Msg  { return binary.BigEndian.AppendUint16(m, v) }
func (m Msg) U32(v uint32) Msg  { return binary.BigEndian.AppendUint32(m, v) }
func (m Msg) U64(v uint64) Msg  { return binary.BigEndian.AppendUint64(m, v) }
func (m Msg) Str(s string) Msg  { return append(append(m, s...), 0) }
func (m Msg) Text(s string) Msg { return append(m.U8('t').U32(uint32(len(s))), s...) }
