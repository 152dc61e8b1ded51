//go:build chdb

package chdb

/*
#cgo LDFLAGS: -L${SRCDIR}/../../var/chdb -lchdb -Wl,-rpath,${SRCDIR}/../../var/chdb
#include <stdlib.h>
#include <stddef.h>

// Declarations of the part of chDB's C API (programs/local/chdb.h) used
// here; the npm package ships the library without its header.
typedef struct chdb_result_ { void *internal_data; } chdb_result;
typedef struct chdb_connection_ { void *internal_data; } *chdb_connection;
chdb_connection *chdb_connect(int argc, char **argv);
void chdb_close_conn(chdb_connection *conn);
chdb_result *chdb_query_n(chdb_connection conn, const char *query, size_t query_len, const char *format, size_t format_len);
char *chdb_result_buffer(chdb_result *result);
size_t chdb_result_length(chdb_result *result);
const char *chdb_result_error(chdb_result *result);
void chdb_destroy_query_result(chdb_result *result);
*/
import "C"

import (
	"errors"
	"fmt"
	"sync"
	"unsafe"
)

// Session is the process's one chDB engine (chDB boots one engine per
// process; a second connect to another path fails). Queries are
// serialized: a chDB connection runs one statement at a time.
type Session struct {
	mu       sync.Mutex
	conn     *C.chdb_connection
	database string // the session's current database ("" = default)
}

var (
	openOnce sync.Once
	shared   *Session
	openErr  error
)

// Open boots the in-memory engine once per process and returns it.
func Open() (*Session, error) {
	openOnce.Do(func() { shared, openErr = connect() })
	return shared, openErr
}

func connect() (*Session, error) {
	args := []string{"voronka-chdb"}
	argv := make([]*C.char, len(args))
	for i, a := range args {
		argv[i] = C.CString(a)
		defer C.free(unsafe.Pointer(argv[i]))
	}
	conn := C.chdb_connect(C.int(len(args)), &argv[0])
	if conn == nil {
		return nil, errors.New("chdb_connect failed")
	}
	s := &Session{conn: conn, database: "default"}
	// Batches arrive inside the query text (see batch.Send): allow 1 GiB.
	if _, err := s.query("SET max_query_size = 1073741824", "Native"); err != nil {
		return nil, err
	}
	return s, nil
}

// Query runs one statement and returns its output in format (e.g.
// "Native", "TabSeparated"); the statement may carry inline data after a
// FORMAT clause (binary-safe). A server exception is the error.
func (s *Session) Query(query, format string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.query(query, format)
}

// QueryIn is Query with database as the current database ("" is
// "default"), switched with USE under the same lock.
func (s *Session) QueryIn(database, query, format string) ([]byte, error) {
	if database == "" {
		database = "default"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.database != database {
		if _, err := s.query("USE "+database, "Native"); err != nil {
			return nil, err
		}
		s.database = database
	}
	return s.query(query, format)
}

func (s *Session) query(query, format string) ([]byte, error) {
	if s.conn == nil {
		return nil, errors.New("chdb: session closed")
	}
	q := C.CBytes([]byte(query))
	defer C.free(q)
	f := C.CString(format)
	defer C.free(unsafe.Pointer(f))
	res := C.chdb_query_n(*s.conn, (*C.char)(q), C.size_t(len(query)), f, C.size_t(len(format)))
	if res == nil {
		return nil, errors.New("chdb: no result")
	}
	defer C.chdb_destroy_query_result(res)
	if e := C.chdb_result_error(res); e != nil {
		return nil, fmt.Errorf("chdb: %s", C.GoString(e))
	}
	n := C.chdb_result_length(res)
	if n == 0 {
		return nil, nil
	}
	return C.GoBytes(unsafe.Pointer(C.chdb_result_buffer(res)), C.int(n)), nil
}
