//go:build linux

package store

import (
	"context"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"masthead/internal/news"
)

// TestRenderArchiveSteps times the store's part of an uncached article
// page step by step over the same 2,000 random published articles of a
// seeded archive (MASTHEAD_SEARCH_ARCHIVE, a copy, as for searches): wall
// and CPU time a call, and the read system calls (SQLite's page reads).
// Each step runs over all the articles before the next, twice.
//
//	MASTHEAD_SEARCH_ARCHIVE=/tmp/copy go test -run RenderArchiveSteps -v ./internal/store/
func TestRenderArchiveSteps(t *testing.T) {
	s := archiveStore(t)
	ctx := context.Background()
	var maxID int64
	if err := s.queryRow(ctx, s.read, `SELECT MAX(id) FROM articles`).Scan(&maxID); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	var list []*news.Article
	for len(list) < 2000 {
		var path string
		if err := s.queryRow(ctx, s.read, `SELECT path FROM articles WHERE id = ? AND status = 'published'`, rng.Int64N(maxID)+1).Scan(&path); err != nil {
			continue
		}
		a, err := s.PublishedArticle(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		list = append(list, a)
	}
	step := func(name string, fn func(a *news.Article) error) {
		start, cpu, reads := time.Now(), cpuTime(), readCalls(t)
		for _, a := range list {
			if err := fn(a); err != nil {
				t.Fatal(err)
			}
		}
		n := float64(len(list))
		t.Logf("%-12s %7.1f µs wall %7.1f µs cpu %5.1f reads", name, float64(time.Since(start).Nanoseconds())/1000/n,
			float64((cpuTime()-cpu).Nanoseconds())/1000/n, float64(readCalls(t)-reads)/n)
	}
	for range 2 {
		step("article", func(a *news.Article) error { _, err := s.PublishedArticle(ctx, a.Path); return err })
		step("quotes", func(a *news.Article) error { _, err := s.ArticleQuotes(ctx, a.ID); return err })
		step("neighbours", func(a *news.Article) error { _, err := s.Neighbours(ctx, a); return err })
		step("related", func(a *news.Article) error { _, err := s.Related(ctx, a, 3); return err })
		var chosen [][]int64
		step("  choice", func(a *news.Article) error {
			ids, err := s.relatedChoice(ctx, a, a.Tags, 3)
			chosen = append(chosen, ids)
			return err
		})
		i := 0
		step("  cards", func(*news.Article) error {
			_, err := s.relatedCards(ctx, chosen[i])
			i++
			return err
		})
	}
}

// readCalls is how many read system calls the process has made.
func readCalls(t *testing.T) int {
	b, err := os.ReadFile("/proc/self/io")
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "syscr: "); ok {
			n, err := strconv.Atoi(v)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatal("no syscr in /proc/self/io")
	return 0
}
