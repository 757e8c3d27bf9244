// Package awstest holds what the local AWS fakes of the tests share. It is for tests only; no
// command links it.
package awstest

import (
	"bufio"
	"bytes"
	"errors"
	"net"
	"net/http"
	"slices"
	"sync"
)

// InvocationHeader is the header aws-sdk-go-v2 sends with every attempt of one operation call;
// its value is the same on each retry of that call (aws/middleware ClientRequestID).
const InvocationHeader = "Amz-Sdk-Invocation-Id"

// OncePerCall wraps a fake AWS endpoint so that each SDK operation call reaches h at most once
// after h has answered it with a 2xx status.
//
// The SDK retries an attempt whose response it could not read to the end, net.ErrClosed
// included (aws-sdk-go-v2 #2949). Go's transport can close a connection while the client is
// still draining a complete 200 response, so on a loaded machine a call AWS answered may be sent
// again. AWS itself would run it twice, but a fake that records what it was sent then counts
// one call twice, and a test of what the client sends fails for a reason that is not the
// client's. A retried attempt of a call h already answered with a 2xx status therefore gets
// that same answer again (status, headers and body) without reaching h. An error answer (4xx,
// 5xx) is never replayed: the retry reaches h, as throttling tests need. A response h did not
// finish (a panic, such as http.ErrAbortHandler, or a hijacked connection) is not replayed either.
// A retry that arrives while the attempt it repeats is still in h waits for it (or for its own
// client to go). A request without the header (not from the SDK) always reaches h.
func OncePerCall(h http.Handler) http.Handler {
	var mu sync.Mutex
	calls := map[string]*call{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get(InvocationHeader)
		if id == "" {
			h.ServeHTTP(w, r)
			return
		}
		mu.Lock()
		prev := calls[id]
		mu.Unlock()
		if prev != nil {
			// A retry can arrive before the attempt it repeats has returned from h: wait.
			select {
			case <-prev.done:
			case <-r.Context().Done():
				return
			}
			if prev.answer != nil {
				prev.answer.replay(w)
				return
			}
		}
		c := &call{done: make(chan struct{})}
		mu.Lock()
		calls[id] = c
		mu.Unlock()
		defer close(c.done)
		rw := &recorder{w: w, rec: &recorded{}}
		h.ServeHTTP(rw, r) // a panic skips what follows: nothing is kept
		if rw.hijacked {
			return
		}
		if rw.rec.status == 0 { // the handler wrote nothing: net/http sends a 200
			rw.rec.status = http.StatusOK
			rw.rec.header = rw.w.Header().Clone()
		}
		if rw.rec.status/100 == 2 {
			c.answer = rw.rec
		}
	})
}

// call is one SDK operation call: done closes when its latest attempt has returned from the
// handler; answer is then its 2xx answer, or nil.
type call struct {
	done   chan struct{}
	answer *recorded
}

type recorded struct {
	status int
	header http.Header
	body   bytes.Buffer
}

func (r *recorded) replay(w http.ResponseWriter) {
	for k, v := range r.header {
		w.Header()[k] = slices.Clone(v)
	}
	w.WriteHeader(r.status)
	w.Write(r.body.Bytes())
}

// recorder passes everything through to w and keeps a copy.
type recorder struct {
	w        http.ResponseWriter
	rec      *recorded
	hijacked bool
}

func (r *recorder) Header() http.Header { return r.w.Header() }

// WriteHeader keeps the first status and the headers as they are sent; net/http ignores a
// second call too.
func (r *recorder) WriteHeader(status int) {
	if r.rec.status != 0 {
		return
	}
	r.rec.status = status
	r.rec.header = r.w.Header().Clone()
	r.w.WriteHeader(status)
}

func (r *recorder) Write(p []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	r.rec.body.Write(p)
	return r.w.Write(p)
}

func (r *recorder) Flush() {
	if f, ok := r.w.(http.Flusher); ok {
		f.Flush()
	}
}

func (r *recorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	h, ok := r.w.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("awstest: the response writer cannot hijack")
	}
	r.hijacked = true
	return h.Hijack()
}
