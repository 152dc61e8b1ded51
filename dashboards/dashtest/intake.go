package dashtest

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/voronka/voronka/crmcore"
)

// NewForm creates a web form as admin and returns its key.
func (ts *Server) NewForm(source string) string {
	ts.T.Helper()
	var f crmcore.FormKey
	in := map[string]any{"name": "Заявка с сайта", "source": source, "responsible_id": ts.Users["manager"].ID,
		"mapping": map[string]string{"fio": "contact.name", "tel": "contact.phone", "mail": "contact.email", "org": "company.name", "subject": "title"}}
	if st := ts.DoJSON("POST", "/api/v1/forms", "admin", in, &f); st != 201 {
		ts.T.Fatalf("create form: %d", st)
	}
	return f.Key
}

// PostForm submits body to the public form key.
func (ts *Server) PostForm(key, contentType, body string) (int, string) {
	ts.T.Helper()
	req, _ := http.NewRequest("POST", "/forms/"+key, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	return ts.send(req)
}

// PostImport sends a file to POST /api/v1/imports as multipart.
func (ts *Server) PostImport(as, query, name string, data []byte) (int, string) {
	ts.T.Helper()
	return ts.PostFile("/api/v1/imports?"+query, as, name, data)
}

// PostFile sends a file to target as the multipart field file.
func (ts *Server) PostFile(target, as, name string, data []byte) (int, string) {
	ts.T.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req := httptest.NewRequest("POST", target, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+ts.Tokens[as])
	return ts.send(req)
}

// PostRaw sends data as the raw body of a POST to url, of the given
// content type, as the user alias.
func (ts *Server) PostRaw(as, url, contentType string, data []byte) (int, string) {
	ts.T.Helper()
	req := httptest.NewRequest("POST", url, bytes.NewReader(data))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Authorization", "Bearer "+ts.Tokens[as])
	return ts.send(req)
}
