package backup_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"masthead/internal/backup"
	"masthead/internal/demo"
	"masthead/internal/media"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/store"
)

// fingerprint summarises a site: every published article's path, headline
// and body, and its comments.
func fingerprint(t *testing.T, st *store.Store) string {
	t.Helper()
	ctx := context.Background()
	list, err := st.PublishedArticles(ctx, news.ArticleFilter{Limit: 1000}, true)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	for _, a := range list {
		fmt.Fprintf(&b, "%s|%s|%d\n", a.Path, a.Headline, len(a.Body))
		cs, err := st.ArticleComments(ctx, a.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			fmt.Fprintf(&b, "  %d %s %s\n", c.ID, c.Name, c.Body)
		}
	}
	return b.String()
}

func TestBackupWhileServingAndRestore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	st, err := store.OpenSQLite(ctx, filepath.Join(data, "masthead.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	files, _ := media.NewLocal(filepath.Join(data, "media"))
	nr, err := demo.Load()
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Seed(ctx, st, newsroom.New(st, newsroom.Config{Location: time.UTC}), nr, files, time.Now()); err != nil {
		t.Fatal(err)
	}
	first, _ := st.PublishedArticles(ctx, news.ArticleFilter{Limit: 1}, false)

	// Keep writing while the backup is taken: it must still be consistent.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			c := &news.Comment{ArticleID: first[0].ID, Name: "Writer", Email: "w@example.test", Body: fmt.Sprint("during backup ", i), Status: news.CommentApproved}
			if err := st.CreateComment(ctx, c); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	time.Sleep(50 * time.Millisecond)
	var buf bytes.Buffer
	if err := backup.Create(ctx, st, filepath.Join(data, "media"), &buf); err != nil {
		t.Fatal(err)
	}
	close(stop)
	wg.Wait()

	restored := filepath.Join(dir, "restored")
	if err := backup.Restore(bytes.NewReader(buf.Bytes()), restored, false); err != nil {
		t.Fatal(err)
	}
	if err := backup.Restore(bytes.NewReader(buf.Bytes()), restored, false); err == nil {
		t.Error("restore over an existing site without --force succeeded")
	}
	rs, err := store.OpenSQLite(ctx, filepath.Join(restored, "masthead.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	if v, err := rs.IntegrityCheck(ctx); err != nil || v != "ok" {
		t.Fatalf("integrity: %q %v", v, err)
	}
	got := fingerprint(t, rs)
	articles, _ := rs.CountPublished(ctx, news.ArticleFilter{})
	if articles != len(nr.Articles) {
		t.Errorf("restored %d articles, want %d", articles, len(nr.Articles))
	}
	// Every comment in the restore is in the live site (a prefix in time).
	live := fingerprint(t, st)
	if len(got) == 0 || len(got) > len(live) {
		t.Errorf("restored site is not a snapshot of the live one")
	}
	// Media came back byte for byte (the demo's images are library files
	// now, in folders by hash).
	copied := 0
	err = filepath.WalkDir(filepath.Join(data, "media"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(data, path)
		a, _ := os.ReadFile(path)
		b, err := os.ReadFile(filepath.Join(restored, rel))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("media %s differs: %v", rel, err)
		}
		copied++
		return nil
	})
	if err != nil || copied == 0 {
		t.Fatalf("no media to compare (%v)", err)
	}
	// A corrupt backup leaves the target untouched.
	if err := backup.Restore(bytes.NewReader(buf.Bytes()[:len(buf.Bytes())/2]), restored, true); err == nil {
		t.Error("truncated backup restored")
	}
	if _, err := os.Stat(filepath.Join(restored, "masthead.db")); err != nil {
		t.Errorf("failed restore damaged the existing site: %v", err)
	}
}
