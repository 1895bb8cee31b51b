package media

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
)

// S3 keeps media in a bucket of an S3-compatible object store (AWS S3,
// MinIO, Garage, Ceph, R2 …), so that several Masthead instances share one
// set of files. It speaks the calls it needs — PUT, GET, HEAD and DELETE
// of an object — over net/http with AWS Signature Version 4 and path-style
// addressing (http://endpoint/bucket/key), which every S3-compatible server
// accepts; a full SDK would add dozens of modules for nothing more.
type S3 struct {
	endpoint  *url.URL
	bucket    string
	prefix    string
	region    string
	accessKey string
	secretKey string
	client    *http.Client
	now       func() time.Time
}

// S3Config says where the bucket is and how to sign in to it.
type S3Config struct {
	Endpoint  string // "https://s3.eu-west-1.amazonaws.com", "http://127.0.0.1:9000"
	Bucket    string
	Prefix    string // optional folder inside the bucket, e.g. "media"
	Region    string // the bucket's region; "us-east-1" when empty
	AccessKey string
	SecretKey string
	Client    *http.Client // nil: a client with timeouts
}

// ParseS3URL reads the --media form
// s3://BUCKET[/PREFIX]?endpoint=URL&region=REGION. The credentials are not
// part of it; the caller adds them.
func ParseS3URL(raw string) (S3Config, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "s3" || u.Host == "" {
		return S3Config{}, fmt.Errorf("media URL %q: use s3://bucket?endpoint=https://host&region=…", raw)
	}
	q := u.Query()
	cfg := S3Config{
		Bucket:   u.Host,
		Prefix:   strings.Trim(u.Path, "/"),
		Endpoint: q.Get("endpoint"),
		Region:   q.Get("region"),
	}
	if cfg.Endpoint == "" {
		region := cfg.Region
		if region == "" {
			region = "us-east-1"
		}
		cfg.Endpoint = "https://s3." + region + ".amazonaws.com"
	}
	for k := range q {
		if k != "endpoint" && k != "region" {
			return S3Config{}, fmt.Errorf("media URL %q: unknown parameter %q (endpoint and region are understood)", raw, k)
		}
	}
	return cfg, nil
}

// NewS3 checks the configuration; it does not contact the server.
func NewS3(cfg S3Config) (*S3, error) {
	ep, err := url.Parse(cfg.Endpoint)
	if err != nil || (ep.Scheme != "http" && ep.Scheme != "https") || ep.Host == "" || (ep.Path != "" && ep.Path != "/") {
		return nil, fmt.Errorf("S3 endpoint %q: use http(s)://host[:port]", cfg.Endpoint)
	}
	if cfg.Bucket == "" || strings.ContainsAny(cfg.Bucket, "/?#") {
		return nil, fmt.Errorf("S3 bucket %q: name a bucket", cfg.Bucket)
	}
	if cfg.AccessKey == "" || cfg.SecretKey == "" {
		return nil, errors.New("S3 media needs an access key and a secret key (MASTHEAD_S3_ACCESS_KEY, MASTHEAD_S3_SECRET_KEY)")
	}
	if cfg.Prefix != "" && (path.Clean(cfg.Prefix) != cfg.Prefix || strings.HasPrefix(cfg.Prefix, "/") || strings.Contains(cfg.Prefix, "..")) {
		return nil, fmt.Errorf("S3 prefix %q: use a plain folder name like media", cfg.Prefix)
	}
	region := cfg.Region
	if region == "" {
		region = "us-east-1"
	}
	client := cfg.Client
	if client == nil {
		client = &http.Client{Timeout: 5 * time.Minute, Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			ResponseHeaderTimeout: 30 * time.Second,
			IdleConnTimeout:       90 * time.Second,
			MaxIdleConnsPerHost:   16,
		}}
	}
	ep.Path = ""
	return &S3{endpoint: ep, bucket: cfg.Bucket, prefix: cfg.Prefix, region: region,
		accessKey: cfg.AccessKey, secretKey: cfg.SecretKey, client: client, now: time.Now}, nil
}

// String names the bucket, for logs.
func (s *S3) String() string {
	return "s3://" + path.Join(s.bucket, s.prefix) + " at " + s.endpoint.String()
}

func (s *S3) objectURL(key string) *url.URL {
	u := *s.endpoint
	u.Path = "/" + path.Join(s.bucket, s.prefix, key)
	return &u
}

// Put uploads a file. The body is read into memory to sign its hash: media
// files are images of a few megabytes.
func (s *S3) Put(ctx context.Context, key string, r io.Reader) error {
	if !ValidKey(key) {
		return fmt.Errorf("media: invalid key %q", key)
	}
	body, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("media put %s: %w", key, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, s.objectURL(key).String(), bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("media put %s: %w", key, err)
	}
	req.Header.Set("Content-Type", contentTypes[strings.ToLower(path.Ext(key))])
	s.sign(req, sha256Hex(body))
	resp, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("media put %s: %w", key, err)
	}
	defer drain(resp.Body)
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("media put %s: %w", key, s3Error(resp))
	}
	return nil
}

// Delete removes an object. S3 answers 204 whether or not it was there.
func (s *S3) Delete(ctx context.Context, key string) error {
	if !ValidKey(key) {
		return fmt.Errorf("media: invalid key %q", key)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodDelete, s.objectURL(key).String(), nil)
	if err != nil {
		return fmt.Errorf("media delete %s: %w", key, err)
	}
	s.sign(req, emptySHA256)
	resp, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("media delete %s: %w", key, err)
	}
	defer drain(resp.Body)
	if resp.StatusCode/100 != 2 && resp.StatusCode != http.StatusNotFound {
		return fmt.Errorf("media delete %s: %w", key, s3Error(resp))
	}
	return nil
}

// Open returns the file, read lazily: a GET starts at the first Read (or at
// the offset a Seek chose, as a range request), so serving a whole image
// costs one request and a range only fetches what it needs.
func (s *S3) Open(ctx context.Context, key string) (io.ReadSeekCloser, time.Time, error) {
	if !ValidKey(key) {
		return nil, time.Time{}, ErrNotFound
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.objectURL(key).String(), nil)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("media open %s: %w", key, err)
	}
	s.sign(req, emptySHA256)
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("media open %s: %w", key, err)
	}
	switch {
	case resp.StatusCode == http.StatusNotFound:
		drain(resp.Body)
		return nil, time.Time{}, ErrNotFound
	case resp.StatusCode != http.StatusOK:
		defer drain(resp.Body)
		return nil, time.Time{}, fmt.Errorf("media open %s: %w", key, s3Error(resp))
	}
	mod, _ := http.ParseTime(resp.Header.Get("Last-Modified"))
	if resp.ContentLength < 0 { // no length to seek by: keep the file in memory
		defer drain(resp.Body)
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			return nil, time.Time{}, fmt.Errorf("media open %s: %w", key, err)
		}
		return nopCloser{bytes.NewReader(b)}, mod, nil
	}
	return &s3Object{s: s, ctx: ctx, key: key, size: resp.ContentLength, body: resp.Body}, mod, nil
}

// s3Object reads an object from the current offset; a Seek elsewhere drops
// the open response and the next Read asks for a range.
type s3Object struct {
	s       *S3
	ctx     context.Context
	key     string
	size    int64
	off     int64
	body    io.ReadCloser // reading at bodyOff, or nil
	bodyOff int64
}

func (o *s3Object) Read(p []byte) (int, error) {
	if o.off >= o.size {
		return 0, io.EOF
	}
	if o.body == nil || o.bodyOff != o.off {
		if err := o.openAt(o.off); err != nil {
			return 0, err
		}
	}
	n, err := o.body.Read(p)
	o.off += int64(n)
	o.bodyOff = o.off
	if err == io.EOF && o.off < o.size {
		err = io.ErrUnexpectedEOF
	}
	return n, err
}

func (o *s3Object) openAt(off int64) error {
	if o.body != nil {
		o.body.Close()
		o.body = nil
	}
	req, err := http.NewRequestWithContext(o.ctx, http.MethodGet, o.s.objectURL(o.key).String(), nil)
	if err != nil {
		return err
	}
	req.Header.Set("Range", "bytes="+strconv.FormatInt(off, 10)+"-")
	o.s.sign(req, emptySHA256)
	resp, err := o.s.client.Do(req)
	if err != nil {
		return fmt.Errorf("media read %s: %w", o.key, err)
	}
	if resp.StatusCode != http.StatusPartialContent {
		defer drain(resp.Body)
		return fmt.Errorf("media read %s at %d: %w", o.key, off, s3Error(resp))
	}
	o.body, o.bodyOff = resp.Body, off
	return nil
}

func (o *s3Object) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += o.off
	case io.SeekEnd:
		offset += o.size
	default:
		return o.off, errors.New("media: bad whence")
	}
	if offset < 0 {
		return o.off, errors.New("media: seek before the start")
	}
	o.off = offset
	return offset, nil
}

func (o *s3Object) Close() error {
	if o.body == nil {
		return nil
	}
	err := o.body.Close()
	o.body = nil
	return err
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

// s3Error describes a failed response, with the server's error code.
func s3Error(resp *http.Response) error {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	code := between(string(b), "<Code>", "</Code>")
	msg := between(string(b), "<Message>", "</Message>")
	if code == "" {
		return fmt.Errorf("object store answered %s", resp.Status)
	}
	return fmt.Errorf("object store answered %s: %s: %s", resp.Status, code, msg)
}

func between(s, open, close string) string {
	_, rest, ok := strings.Cut(s, open)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, close)
	return v
}

// drain reads what is left of a body (so the connection is reused) and
// closes it.
func drain(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, 64<<10))
	body.Close()
}

// AWS Signature Version 4, for S3.

const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// sign adds the x-amz-date, x-amz-content-sha256 and Authorization headers
// to req, signing its method, path, query, host, the x-amz headers and any
// Range, Content-Type and Content-MD5 headers.
func (s *S3) sign(req *http.Request, payloadHash string) {
	now := s.now().UTC()
	amzDate := now.Format("20060102T150405Z")
	day := now.Format("20060102")
	req.Header.Set("X-Amz-Date", amzDate)
	req.Header.Set("X-Amz-Content-Sha256", payloadHash)

	headers := map[string]string{"host": req.Host}
	if req.Host == "" {
		headers["host"] = req.URL.Host
	}
	for name, vals := range req.Header {
		lname := strings.ToLower(name)
		if strings.HasPrefix(lname, "x-amz-") || lname == "range" || lname == "content-type" || lname == "content-md5" {
			headers[lname] = strings.Join(strings.Fields(strings.Join(vals, ",")), " ")
		}
	}
	names := make([]string, 0, len(headers))
	for n := range headers {
		names = append(names, n)
	}
	sort.Strings(names)
	var canonHeaders strings.Builder
	for _, n := range names {
		canonHeaders.WriteString(n + ":" + headers[n] + "\n")
	}
	signed := strings.Join(names, ";")

	canonical := strings.Join([]string{
		req.Method,
		uriEncode(req.URL.EscapedPath(), false),
		canonicalQuery(req.URL.Query()),
		canonHeaders.String(),
		signed,
		payloadHash,
	}, "\n")
	scope := day + "/" + s.region + "/s3/aws4_request"
	toSign := "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + sha256Hex([]byte(canonical))
	key := hmacSHA256([]byte("AWS4"+s.secretKey), day)
	key = hmacSHA256(key, s.region)
	key = hmacSHA256(key, "s3")
	key = hmacSHA256(key, "aws4_request")
	sig := hex.EncodeToString(hmacSHA256(key, toSign))
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+s.accessKey+"/"+scope+
		",SignedHeaders="+signed+",Signature="+sig)
}

// uriEncode encodes a path (already escaped by net/url, so it is decoded
// first) or a query component as SigV4 wants: everything but A-Z a-z 0-9
// - _ . ~ percent-encoded in upper case, and '/' kept in paths.
func uriEncode(s string, encodeSlash bool) string {
	if dec, err := url.PathUnescape(s); err == nil && !encodeSlash {
		s = dec
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_', c == '.', c == '~':
			b.WriteByte(c)
		case c == '/' && !encodeSlash:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func canonicalQuery(q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		vals := append([]string(nil), q[k]...)
		sort.Strings(vals)
		for _, v := range vals {
			parts = append(parts, uriEncode(k, true)+"="+uriEncode(v, true))
		}
	}
	return strings.Join(parts, "&")
}
