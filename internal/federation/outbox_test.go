package federation_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"masthead/internal/activitypub"
	"masthead/internal/clock"
	"masthead/internal/news"
)

// TestOutbox: an account's outbox counts its articles and pages through
// their Creates, newest first, twenty a page; the paper's has everyone's.
func TestOutbox(t *testing.T) {
	s := newFedSite(t, clock.System{})
	ada := s.Author(t, "Ada Reporter")
	bob := s.Author(t, "Bob Reporter")
	start := time.Now().Add(-48 * time.Hour).Truncate(time.Second)
	for i := range 23 {
		s.Article(t, &news.Article{Headline: fmt.Sprintf("Story %d", i), Authors: []news.Staff{ada}, PublishedAt: start.Add(time.Duration(i) * time.Minute)})
	}
	s.Article(t, &news.Article{Headline: "Bob's story", Authors: []news.Staff{bob}})
	ada0 := fmt.Sprintf("%s/ap/staff/%d/outbox", s.url, ada.ID)

	tests := []struct {
		url       string
		status    int
		total     int
		items     int
		first     string // the newest item's headline
		next      string
		prev      string
		firstPage string
	}{
		{url: ada0, status: 200, total: 23, firstPage: ada0 + "?page=1"},
		{url: ada0 + "?page=1", status: 200, total: 23, items: 20, first: "Story 22", next: ada0 + "?page=2"},
		{url: ada0 + "?page=2", status: 200, total: 23, items: 3, first: "Story 2", prev: ada0 + "?page=1"},
		{url: ada0 + "?page=3", status: 404},
		{url: ada0 + "?page=0", status: 404},
		{url: ada0 + "?page=two", status: 404},
		{url: s.url + "/ap/site/outbox?page=1", status: 200, total: 24, items: 20, first: "Bob's story", next: s.url + "/ap/site/outbox?page=2"},
	}
	for _, tt := range tests {
		t.Run(tt.url[len(s.url):], func(t *testing.T) {
			resp, body := get(t, tt.url, activitypub.ContentType)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			if tt.status != http.StatusOK {
				return
			}
			var page struct {
				Type         string
				TotalItems   int
				First, Next  string
				Prev, PartOf string
				OrderedItems []struct {
					ID, Type, Actor string
					Object          struct{ Type, Name string }
				}
			}
			if err := json.Unmarshal(body, &page); err != nil {
				t.Fatal(err)
			}
			if page.TotalItems != tt.total || len(page.OrderedItems) != tt.items || page.Next != tt.next || page.Prev != tt.prev || page.First != tt.firstPage {
				t.Errorf("got %s", body)
			}
			if tt.items == 0 {
				return
			}
			it := page.OrderedItems[0]
			if it.Type != "Create" || it.Object.Type != "Article" || it.Object.Name != tt.first || it.ID == "" {
				t.Errorf("first item %+v, want the Create of %q", it, tt.first)
			}
		})
	}
}
