//go:build unix

package store

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"masthead/internal/news"
)

// Searches of a seeded archive (masthead bench seed), for measuring: set
// MASTHEAD_SEARCH_ARCHIVE to a copy of its folder (opening it writes).
//
//	MASTHEAD_SEARCH_ARCHIVE=/tmp/copy go test -run '^$' -bench SearchArchive ./internal/store/
var archiveSearches = []news.SearchQuery{
	{Text: "school budget"},
	{Text: "cou"},
	{Text: "the city"},
	{Text: "council budget"},
	{Text: "flood"},
	{Text: "school budget", Offset: 40},
	{Text: "flood", Offset: 390},
}

func archiveStore(tb testing.TB) *Store {
	dir := os.Getenv("MASTHEAD_SEARCH_ARCHIVE")
	if dir == "" {
		tb.Skip("MASTHEAD_SEARCH_ARCHIVE is not set")
	}
	s, err := OpenSQLite(context.Background(), filepath.Join(dir, "masthead.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func BenchmarkSearchArchive(b *testing.B) {
	s := archiveStore(b)
	ctx := context.Background()
	for _, q := range archiveSearches {
		q.Limit = 10
		b.Run(q.Text+"@"+itoa(q.Offset), func(b *testing.B) {
			cpu := cpuTime()
			for range b.N {
				if _, err := s.Search(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		})
	}
	// All of them in turn, as a site sees different searches: what one
	// search left in SQLite's page cache helps the next less.
	b.Run("mixed", func(b *testing.B) {
		cpu := cpuTime()
		for i := range b.N {
			q := archiveSearches[i%len(archiveSearches)]
			q.Limit = 10
			if _, err := s.Search(ctx, q); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms/op")
	})
}

// TestSearchArchiveSteps times a search's steps one by one, each run 50
// times: wall and CPU time (of the whole process) a run. The tiers are
// also read alone (hpage, ids and tpage: a heads tier's page, a tier's
// matches from article_search, and its page).
func TestSearchArchiveSteps(t *testing.T) {
	s := archiveStore(t)
	ctx := context.Background()
	const n = 50
	for _, q := range archiveSearches {
		q.Limit = 10
		words := searchWords(q.Text)
		var match string
		step := func(name string, fn func() error) {
			fn() // warm
			start, cpu := time.Now(), cpuTime()
			for range n {
				if err := fn(); err != nil {
					t.Fatal(err)
				}
			}
			t.Logf("%-16s @%-4d %-12s %8.2f ms wall %8.2f ms cpu", q.Text, q.Offset, name,
				float64(time.Since(start).Microseconds())/1000/n, float64((cpuTime()-cpu).Microseconds())/1000/n)
		}
		step("match", func() (err error) { match, err = s.matchWords(ctx, words); return err })
		tiers := searchTiers(match, true)
		var ids []int64
		step("page", func() (err error) { ids, _, _, err = s.searchPage(ctx, tiers, q, 200000, len(words) > 1); return err })
		for i, tr := range tiers {
			if tr.index != "" {
				step("hpage"+itoa(i), func() (err error) { _, err = s.headsTierPage(ctx, tr.index, tr.alone, q, 0, 10); return err })
				continue
			}
			step("ids"+itoa(i), func() (err error) {
				rows, err := s.queryRows(ctx, s.read, `SELECT rowid FROM article_search WHERE article_search MATCH ? ORDER BY rowid DESC LIMIT 3001`, tr.alone)
				if err != nil {
					return err
				}
				_, err = scanIDs(rows)
				return err
			})
			step("tpage"+itoa(i), func() (err error) { _, err = s.searchTierPage(ctx, tr.alone, q, 0, 10, 200000); return err })
		}
		step("total", func() error { _, _, err := s.searchTotal(ctx, match, q, 1, 200000); return err })
		step("articles", func() error { _, err := s.articlesByID(ctx, ids); return err })
		step("snippets", func() error { _, err := s.snippets(ctx, match, ids); return err })
		step("all", func() error { _, err := s.Search(ctx, q); return err })
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func itoa(i int) string { return strconv.Itoa(i) }
