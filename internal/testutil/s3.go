package testutil

import (
	"testing"

	"masthead/internal/media"
	"masthead/internal/media/s3test"
)

// S3Media is a media store in bucket "news" (under media/) of a real S3
// server process started for the test (s3test), with the server, to stop
// and restart it.
func S3Media(t testing.TB) (*media.S3, *s3test.Server) {
	t.Helper()
	srv := s3test.Start(t, "news")
	cfg, err := media.ParseS3URL("s3://news/media?endpoint=" + srv.URL + "&region=" + s3test.Region)
	if err != nil {
		t.Fatal(err)
	}
	cfg.AccessKey, cfg.SecretKey = s3test.AccessKey, s3test.SecretKey
	files, err := media.NewS3(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return files, srv
}
