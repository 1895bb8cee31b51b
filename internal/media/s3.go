package media

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
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
	partSize  int // larger files go up as multipart uploads, in parts this size
}

// defaultPartSize is the part size of multipart uploads.
const defaultPartSize = 8 << 20

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
		accessKey: cfg.AccessKey, secretKey: cfg.SecretKey, client: client, now: time.Now, partSize: defaultPartSize}, nil
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

// Put uploads a file. The body is read into memory to sign its hash:
// media files are images of a few megabytes. A file larger than a part
// (8 MiB) goes up as a multipart upload, a part at a time, so no single
// request carries more than that; a failed one is aborted, leaving no
// parts behind.
func (s *S3) Put(ctx context.Context, key string, r io.Reader) error {
	if !ValidKey(key) {
		return fmt.Errorf("media: invalid key %q", key)
	}
	body, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("media put %s: %w", key, err)
	}
	if len(body) > s.partSize {
		if err := s.putMultipart(ctx, key, body); err != nil {
			return fmt.Errorf("media put %s: %w", key, err)
		}
		return nil
	}
	resp, err := s.do(ctx, http.MethodPut, key, nil, body)
	if err != nil {
		return fmt.Errorf("media put %s: %w", key, err)
	}
	drain(resp.Body)
	return nil
}

// putMultipart uploads body in parts of s.partSize (S3 wants at least 5
// MiB for every part but the last).
func (s *S3) putMultipart(ctx context.Context, key string, body []byte) error {
	resp, err := s.do(ctx, http.MethodPost, key, url.Values{"uploads": {""}}, nil)
	if err != nil {
		return fmt.Errorf("start a multipart upload: %w", err)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	drain(resp.Body)
	if err != nil {
		return fmt.Errorf("start a multipart upload: %w", err)
	}
	id := between(string(b), "<UploadId>", "</UploadId>")
	if id == "" {
		return fmt.Errorf("start a multipart upload: no upload id in %.200q", b)
	}
	complete, err := s.putParts(ctx, key, id, body)
	if err == nil {
		err = s.completeMultipart(ctx, key, id, complete)
	}
	if err != nil {
		// Abort on a context of its own: the caller's may be what ended.
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if resp, aerr := s.do(actx, http.MethodDelete, key, url.Values{"uploadId": {id}}, nil); aerr == nil {
			drain(resp.Body)
		}
		return err
	}
	return nil
}

// putParts uploads the parts and returns the body of the request that
// completes the upload.
func (s *S3) putParts(ctx context.Context, key, id string, body []byte) ([]byte, error) {
	var complete bytes.Buffer
	complete.WriteString("<CompleteMultipartUpload>")
	for n, off := 1, 0; off < len(body); n, off = n+1, off+s.partSize {
		part := body[off:min(off+s.partSize, len(body))]
		resp, err := s.do(ctx, http.MethodPut, key, url.Values{"partNumber": {strconv.Itoa(n)}, "uploadId": {id}}, part)
		if err != nil {
			return nil, fmt.Errorf("part %d: %w", n, err)
		}
		etag := resp.Header.Get("ETag")
		drain(resp.Body)
		fmt.Fprintf(&complete, "<Part><PartNumber>%d</PartNumber><ETag>%s</ETag></Part>", n, html.EscapeString(etag))
	}
	complete.WriteString("</CompleteMultipartUpload>")
	return complete.Bytes(), nil
}

// completeMultipart joins the parts. S3 may answer 200 and still report
// an error in the body.
func (s *S3) completeMultipart(ctx context.Context, key, id string, complete []byte) error {
	resp, err := s.do(ctx, http.MethodPost, key, url.Values{"uploadId": {id}}, complete)
	if err != nil {
		return fmt.Errorf("complete the multipart upload: %w", err)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	drain(resp.Body)
	if err != nil {
		return fmt.Errorf("complete the multipart upload: %w", err)
	}
	if code := between(string(b), "<Code>", "</Code>"); strings.Contains(string(b), "<Error>") {
		return fmt.Errorf("complete the multipart upload: %s: %s", code, between(string(b), "<Message>", "</Message>"))
	}
	return nil
}

// do sends a signed request for key (with query and body) and returns a
// successful response, whose body the caller drains. A store that cannot
// be reached or answers 5xx gives an error wrapping ErrUnavailable.
func (s *S3) do(ctx context.Context, method, key string, query url.Values, body []byte) (*http.Response, error) {
	u := s.objectURL(key)
	u.RawQuery = query.Encode()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), rd)
	if err != nil {
		return nil, err
	}
	if method == http.MethodPut && query.Get("partNumber") == "" {
		req.Header.Set("Content-Type", contentTypes[strings.ToLower(path.Ext(key))])
	}
	hash := emptySHA256
	if body != nil {
		hash = sha256Hex(body)
	}
	s.sign(req, hash)
	resp, err := s.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	if resp.StatusCode/100 != 2 {
		defer drain(resp.Body)
		return nil, s3Error(resp)
	}
	return resp, nil
}

// Delete removes an object. S3 answers 204 whether or not it was there.
func (s *S3) Delete(ctx context.Context, key string) error {
	if !ValidKey(key) {
		return fmt.Errorf("media: invalid key %q", key)
	}
	resp, err := s.do(ctx, http.MethodDelete, key, nil, nil)
	var status *statusError
	if errors.As(err, &status) && status.code == http.StatusNotFound {
		return nil
	}
	if err != nil {
		return fmt.Errorf("media delete %s: %w", key, err)
	}
	drain(resp.Body)
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
	if err != nil && ctx.Err() == nil {
		err = fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
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

// s3Error describes a failed response, with the server's error code; a
// 5xx (the store unwell, not the request wrong) wraps ErrUnavailable.
func s3Error(resp *http.Response) error {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	err := &statusError{code: resp.StatusCode, status: resp.Status,
		s3Code: between(string(b), "<Code>", "</Code>"), msg: between(string(b), "<Message>", "</Message>")}
	if resp.StatusCode >= 500 {
		return fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return err
}

// statusError is an S3 error response.
type statusError struct {
	code                int
	status, s3Code, msg string
}

func (e *statusError) Error() string {
	if e.s3Code == "" {
		return "object store answered " + e.status
	}
	return fmt.Sprintf("object store answered %s: %s: %s", e.status, e.s3Code, e.msg)
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
