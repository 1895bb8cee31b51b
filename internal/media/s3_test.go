package media

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	// The S3 server for these tests: rclone's maintained fork of gofakes3,
	// which runs in-process (no binary to fetch or build) and checks
	// Signature V4 with the algorithm MinIO uses, so a signing mistake
	// fails here as it would against a real bucket. Test-only: the
	// masthead binary does not link it.
	"github.com/rclone/gofakes3"
	"github.com/rclone/gofakes3/s3mem"
)

const (
	testAccessKey = "masthead-test"
	testSecretKey = "s3cr3t/with+odd=chars"
)

// s3Server starts an S3-compatible server with one bucket, "news".
func s3Server(t *testing.T) string {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket(context.Background(), "news"); err != nil {
		t.Fatal(err)
	}
	faker := gofakes3.New(backend, gofakes3.WithV4Auth(map[string]string{testAccessKey: testSecretKey}))
	srv := httptest.NewServer(faker.Server())
	t.Cleanup(srv.Close)
	return srv.URL
}

func newTestS3(t *testing.T, endpoint, secret string) *S3 {
	t.Helper()
	cfg, err := ParseS3URL("s3://news/site-media?endpoint=" + endpoint + "&region=eu-west-2")
	if err != nil {
		t.Fatal(err)
	}
	cfg.AccessKey, cfg.SecretKey = testAccessKey, secret
	s, err := NewS3(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestS3PutOpenServe(t *testing.T) {
	ctx := context.Background()
	st := newTestS3(t, s3Server(t), testSecretKey)
	image := bytes.Repeat([]byte("0123456789"), 10_000) // 100 kB
	keys := []string{"demo/harbour.png", "2026/11/Café du port 1.jpg"}
	for _, key := range keys {
		if err := st.Put(ctx, key, bytes.NewReader(image)); err != nil {
			t.Fatalf("Put %q: %v", key, err)
		}
	}
	if err := st.Put(ctx, "../escape.png", strings.NewReader("x")); err == nil {
		t.Error("Put accepted a key outside the folder")
	}

	for _, key := range keys {
		f, mod, err := st.Open(ctx, key)
		if err != nil {
			t.Fatalf("Open %q: %v", key, err)
		}
		got, err := io.ReadAll(f)
		f.Close()
		if err != nil || !bytes.Equal(got, image) {
			t.Fatalf("Open %q read %d bytes, %v", key, len(got), err)
		}
		if time.Since(mod) > time.Hour {
			t.Errorf("modification time %v", mod)
		}
	}
	if _, _, err := st.Open(ctx, "demo/missing.png"); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing file: %v, want ErrNotFound", err)
	}

	// Seeking reads from the new offset, as http.ServeContent needs.
	f, _, err := st.Open(ctx, keys[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if n, err := f.Seek(0, io.SeekEnd); err != nil || n != int64(len(image)) {
		t.Fatalf("size %d, %v", n, err)
	}
	if _, err := f.Seek(12_345, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 20)
	if _, err := io.ReadFull(f, buf); err != nil || !bytes.Equal(buf, image[12_345:12_365]) {
		t.Fatalf("read after seek: %q, %v", buf, err)
	}

	mux := http.NewServeMux()
	mux.Handle("GET /media/{key...}", Handler(st))
	tests := []struct {
		method, path, rng string
		status            int
		body              []byte
	}{
		{"GET", "/media/demo/harbour.png", "", 200, image},
		{"GET", "/media/demo/harbour.png", "bytes=100-109", 206, image[100:110]},
		{"GET", "/media/demo/harbour.png", "bytes=-5", 206, image[len(image)-5:]},
		{"HEAD", "/media/demo/harbour.png", "", 200, nil},
		{"GET", "/media/2026/11/Café%20du%20port%201.jpg", "", 200, image},
		{"GET", "/media/demo/missing.png", "", 404, nil},
	}
	for _, tt := range tests {
		req := httptest.NewRequest(tt.method, tt.path, nil)
		if tt.rng != "" {
			req.Header.Set("Range", tt.rng)
		}
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		if rec.Code != tt.status {
			t.Errorf("%s %s (%s) = %d, want %d", tt.method, tt.path, tt.rng, rec.Code, tt.status)
			continue
		}
		if tt.body != nil && !bytes.Equal(rec.Body.Bytes(), tt.body) {
			t.Errorf("%s %s (%s): %d bytes, want %d", tt.method, tt.path, tt.rng, rec.Body.Len(), len(tt.body))
		}
	}
}

func TestS3WrongSecretIsRefused(t *testing.T) {
	st := newTestS3(t, s3Server(t), "not-the-secret")
	err := st.Put(context.Background(), "demo/x.png", strings.NewReader("x"))
	if err == nil || !strings.Contains(err.Error(), "403") {
		t.Fatalf("Put with a wrong secret: %v, want a 403 from the server", err)
	}
}

// The example in AWS's documentation of Signature Version 4 for S3 ("GET
// Object"), signed here exactly: same keys, time, host, path and range.
func TestS3SignatureMatchesAWSExample(t *testing.T) {
	s, err := NewS3(S3Config{Endpoint: "https://examplebucket.s3.amazonaws.com", Bucket: "examplebucket",
		AccessKey: "AKIAIOSFODNN7EXAMPLE", SecretKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"})
	if err != nil {
		t.Fatal(err)
	}
	s.now = func() time.Time { return time.Date(2013, 5, 24, 0, 0, 0, 0, time.UTC) }
	req := httptest.NewRequest("GET", "https://examplebucket.s3.amazonaws.com/test.txt", nil)
	req.Header.Set("Range", "bytes=0-9")
	s.sign(req, emptySHA256)
	want := "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request," +
		"SignedHeaders=host;range;x-amz-content-sha256;x-amz-date," +
		"Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
	if got := req.Header.Get("Authorization"); got != want {
		t.Errorf("Authorization:\n got %s\nwant %s", got, want)
	}
}

func TestParseS3URL(t *testing.T) {
	tests := []struct {
		raw  string
		want S3Config
		ok   bool
	}{
		{"s3://media?endpoint=http://127.0.0.1:9000&region=eu-west-2", S3Config{Bucket: "media", Endpoint: "http://127.0.0.1:9000", Region: "eu-west-2"}, true},
		{"s3://media/site/files", S3Config{Bucket: "media", Prefix: "site/files", Endpoint: "https://s3.us-east-1.amazonaws.com"}, true},
		{"s3://media?region=eu-west-1", S3Config{Bucket: "media", Region: "eu-west-1", Endpoint: "https://s3.eu-west-1.amazonaws.com"}, true},
		{"s3://media?endpont=http://x", S3Config{}, false},
		{"s3:///nobucket", S3Config{}, false},
		{"http://media", S3Config{}, false},
	}
	for _, tt := range tests {
		got, err := ParseS3URL(tt.raw)
		if (err == nil) != tt.ok || (tt.ok && got != tt.want) {
			t.Errorf("ParseS3URL(%q) = %+v, %v; want %+v", tt.raw, got, err, tt.want)
		}
	}
	if _, err := NewS3(S3Config{Endpoint: "http://x", Bucket: "b"}); err == nil {
		t.Error("NewS3 without credentials succeeded")
	}
}
