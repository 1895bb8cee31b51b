package media

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"masthead/internal/media/s3test"
)

const (
	testAccessKey = s3test.AccessKey
	testSecretKey = s3test.SecretKey
)

// s3Server starts a real S3 server (s3test) with one bucket, "news".
func s3Server(t *testing.T) string {
	t.Helper()
	return s3test.Start(t, "news").URL
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
	mux.Handle("GET /media/{key...}", Handler(st, slog.New(slog.DiscardHandler)))
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

// A file larger than a part goes up in parts, and reads back whole.
func TestS3MultipartUpload(t *testing.T) {
	ctx := context.Background()
	srv := s3test.Start(t, "news")
	st := newTestS3(t, srv.URL, testSecretKey)
	st.partSize = 5 << 20 // S3's smallest part
	big := make([]byte, 11<<20+12345)
	for i := range big {
		big[i] = byte(i*7 + i>>13)
	}
	if err := st.Put(ctx, "2026/12/big.png", bytes.NewReader(big)); err != nil {
		t.Fatalf("Put: %v", err)
	}
	f, _, err := st.Open(ctx, "2026/12/big.png")
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(f)
	f.Close()
	if err != nil || !bytes.Equal(got, big) {
		t.Fatalf("read back %d of %d bytes, %v", len(got), len(big), err)
	}
	// The gateway keeps the object as a file of the whole size.
	if fi, err := os.Stat(filepath.Join(srv.Dir, "news", "site-media", "2026", "12", "big.png")); err != nil || fi.Size() != int64(len(big)) {
		t.Errorf("the object on disk: %v, %v", fi, err)
	}
}

// With the server down, every call fails with ErrUnavailable (to be tried
// again), and works again once it is back.
func TestS3Down(t *testing.T) {
	ctx := context.Background()
	srv := s3test.Start(t, "news")
	st := newTestS3(t, srv.URL, testSecretKey)
	st.partSize = 5 << 20
	if err := st.Put(ctx, "demo/kept.png", strings.NewReader("kept")); err != nil {
		t.Fatal(err)
	}
	srv.Stop()
	// In order: the delete comes last, so that the open finds the file.
	calls := []struct {
		name string
		call func() error
	}{
		{"put", func() error { return st.Put(ctx, "demo/new.png", strings.NewReader("new")) }},
		{"multipart", func() error { return st.Put(ctx, "demo/big.png", bytes.NewReader(make([]byte, 6<<20))) }},
		{"open", func() error {
			_, _, err := st.Open(ctx, "demo/kept.png")
			return err
		}},
		{"delete", func() error { return st.Delete(ctx, "demo/kept.png") }},
	}
	for _, c := range calls {
		if err := c.call(); !errors.Is(err, ErrUnavailable) {
			t.Errorf("%s with the server down: %v, want ErrUnavailable", c.name, err)
		}
	}
	srv.Restart(t)
	for _, c := range calls {
		if err := c.call(); err != nil {
			t.Errorf("%s once the server is back: %v", c.name, err)
		}
	}
	// A refusal is not an outage.
	if err := newTestS3(t, srv.URL, "not-the-secret").Put(ctx, "demo/x.png", strings.NewReader("x")); err == nil || errors.Is(err, ErrUnavailable) {
		t.Errorf("wrong secret: %v, want a refusal that is not ErrUnavailable", err)
	}
}

// BenchmarkS3 stores and reads back files through a real S3 server
// (versitygw, s3test): a 1 MB photo in one request, and a 20 MB one (the
// largest the library takes) in 8 MiB parts.
func BenchmarkS3(b *testing.B) {
	ctx := context.Background()
	srv := s3test.Start(b, "news")
	cfg, err := ParseS3URL("s3://news/bench?endpoint=" + srv.URL + "&region=" + s3test.Region)
	if err != nil {
		b.Fatal(err)
	}
	cfg.AccessKey, cfg.SecretKey = testAccessKey, testSecretKey
	st, err := NewS3(cfg)
	if err != nil {
		b.Fatal(err)
	}
	for _, size := range []int{1 << 20, MaxUploadBytes} {
		data := bytes.Repeat([]byte("masthead"), size/8)
		b.Run(fmt.Sprintf("put+get/%dMB", size>>20), func(b *testing.B) {
			b.SetBytes(int64(2 * size))
			for i := 0; b.Loop(); i++ {
				key := fmt.Sprintf("b/%d.jpg", i)
				if err := st.Put(ctx, key, bytes.NewReader(data)); err != nil {
					b.Fatal(err)
				}
				f, _, err := st.Open(ctx, key)
				if err != nil {
					b.Fatal(err)
				}
				if n, err := io.Copy(io.Discard, f); err != nil || n != int64(size) {
					b.Fatalf("read %d bytes, %v", n, err)
				}
				f.Close()
			}
		})
	}
}
