package benchdata_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"masthead/internal/benchdata"
	"masthead/internal/news"
	"masthead/internal/store"
)

func TestGenerate(t *testing.T) {
	ctx := context.Background()
	st, err := store.OpenSQLite(ctx, filepath.Join(t.TempDir(), "masthead.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	start := time.Now()
	if err := benchdata.Generate(ctx, st, benchdata.Options{Articles: 2500, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	t.Logf("2500 articles in %v", time.Since(start))
	n, err := st.CountPublished(ctx, news.ArticleFilter{})
	if err != nil || n != 2500 {
		t.Fatalf("count = %d, %v", n, err)
	}
}
