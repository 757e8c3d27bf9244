// Package s3test runs a local S3-compatible server (gofakes3 behind httptest) holding a
// generated trail bucket, counts the requests made to it and injects per-object errors. It is
// for tests only; the CLI does not link it.
package s3test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/trailwatch/trailwatch/internal/awstest"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// Server is a fake S3 endpoint with one bucket. Use path-style addressing: URL/BUCKET/KEY.
type Server struct {
	URL    string
	Bucket string

	backend *s3mem.Backend
	mu      sync.Mutex
	lists   []List
	gets    []string
	fail    map[string]failure

	// Delay is added to every GetObject, so that downloads overlap. Set before requests.
	Delay time.Duration
	// Await holds every GetObject until that many have been waiting at once (or, once, for
	// 10 s), so that a client allowed that many downloads reaches them however slowly it
	// runs. Set before requests; 0 holds nothing.
	Await              int
	inFlight, maxFlown int
	reached            chan struct{}
	releaseOnce        sync.Once
}

// List is one ListObjectsV2 request.
type List struct {
	Prefix, Delimiter string
}

type failure struct {
	status  int
	code    string
	message string
	cutAt   int // with status 0: send the object's first cutAt bytes, then drop the connection
}

// New starts a server holding bucket, closed when the test ends.
func New(t testing.TB, bucket string) *Server {
	t.Helper()
	s := &Server{Bucket: bucket, backend: s3mem.New(), fail: map[string]failure{}, reached: make(chan struct{})}
	if err := s.backend.CreateBucket(bucket); err != nil {
		t.Fatal(err)
	}
	fake := gofakes3.New(s.backend, gofakes3.WithLogger(gofakes3.DiscardLog()))
	inner := fake.Server()
	srv := httptest.NewServer(awstest.OncePerCall(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.intercept(w, r) {
			return
		}
		if s.isGet(r) {
			// Counted while waiting only: once the body is sent, the client may close it and
			// send its next request before this handler has returned.
			s.track(+1)
			if s.Await > 0 {
				s.mu.Lock()
				reached := s.reached // Reset replaces it
				s.mu.Unlock()
				select {
				case <-reached:
				case <-time.After(10 * time.Second):
					s.release() // never reached: hold nothing more
				}
			}
			time.Sleep(s.Delay)
			s.track(-1)
		}
		inner.ServeHTTP(w, r)
	})))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// Put stores an object.
func (s *Server) Put(t testing.TB, key string, body []byte) {
	t.Helper()
	if _, err := s.backend.PutObject(s.Bucket, key, map[string]string{}, bytes.NewReader(body), int64(len(body)), nil); err != nil {
		t.Fatalf("put %s: %v", key, err)
	}
}

// Fail makes every GetObject of key answer with an S3 error (it is still listed).
func (s *Server) Fail(key string, status int, code, message string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail[key] = failure{status: status, code: code, message: message}
}

// Cut makes every GetObject of key send the object's headers and first n bytes, then close the
// connection: a download that breaks in the middle.
func (s *Server) Cut(key string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail[key] = failure{cutAt: n}
}

// Lists returns the ListObjectsV2 requests made so far.
func (s *Server) Lists() []List {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]List(nil), s.lists...)
}

// Gets returns the keys of the GetObject requests made so far, sorted.
func (s *Server) Gets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := append([]string(nil), s.gets...)
	sort.Strings(g)
	return g
}

// MaxConcurrentGets is the most GetObject requests waiting out Delay at the same time so far:
// with a Delay longer than a download, the client's downloads in flight.
func (s *Server) MaxConcurrentGets() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.maxFlown
}

func (s *Server) track(d int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inFlight += d
	s.maxFlown = max(s.maxFlown, s.inFlight)
	if s.Await > 0 && s.maxFlown >= s.Await {
		s.releaseLocked()
	}
}

// release stops holding GetObjects, until Reset.
func (s *Server) release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.releaseLocked()
}

func (s *Server) releaseLocked() {
	s.releaseOnce.Do(func() { close(s.reached) })
}

func (s *Server) isGet(r *http.Request) bool {
	bucket, key, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/")
	return r.Method == http.MethodGet && bucket == s.Bucket && key != ""
}

// Reset forgets the requests counted so far.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.lists, s.gets = nil, nil
	s.maxFlown = 0
	s.reached, s.releaseOnce = make(chan struct{}), sync.Once{}
}

// intercept counts list and get requests and answers injected failures.
func (s *Server) intercept(w http.ResponseWriter, r *http.Request) bool {
	path := strings.TrimPrefix(r.URL.Path, "/")
	bucket, key, _ := strings.Cut(path, "/")
	if bucket != s.Bucket || r.Method != http.MethodGet {
		return false
	}
	q := r.URL.Query()
	s.mu.Lock()
	defer s.mu.Unlock()
	if key == "" {
		if q.Get("list-type") == "2" {
			s.lists = append(s.lists, List{Prefix: q.Get("prefix"), Delimiter: q.Get("delimiter")})
		}
		return false
	}
	s.gets = append(s.gets, key)
	f, ok := s.fail[key]
	if !ok {
		return false
	}
	if f.status == 0 {
		obj, err := s.backend.GetObject(s.Bucket, key, nil)
		if err != nil {
			return false
		}
		defer obj.Contents.Close()
		body, _ := io.ReadAll(obj.Contents)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		w.Write(body[:min(f.cutAt, len(body))])
		rc := http.NewResponseController(w)
		rc.Flush() // Hijack drops what is still buffered: the first bytes must go out
		if conn, _, err := rc.Hijack(); err == nil {
			conn.Close()
		}
		return true
	}
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(f.status)
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>%s</Code><Message>%s</Message><Key>%s</Key><RequestId>test</RequestId></Error>`, f.code, f.message, key)
	return true
}
