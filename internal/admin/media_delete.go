package admin

// Deleting an image from the media library: the image's page links to a
// confirmation that lists the articles using it and what will happen to
// them; confirming deletes the image from them, its files (every variant)
// and its record. The newsroom service decides who may
// (Service.MediaDeletion).

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"masthead/internal/edge"
	"masthead/internal/media"
	"masthead/internal/news"
)

func init() {
	flashes["mediadeleted"] = "Image deleted, with every size of it. Articles that used it no longer show it."
}

// mediaDelete shows what deleting an image would do and, confirmed,
// deletes it.
func (s *Server) mediaDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	me := actor(r)
	if r.Method == http.MethodPost && confirmed(r) {
		if _, err := s.desk.DeleteMedia(r.Context(), me, id); err != nil {
			if errors.Is(err, media.ErrUnavailable) {
				// The record stays until its files are gone: deleting
				// again finishes the job.
				return &edge.Error{Status: http.StatusServiceUnavailable,
					Message: "The media store cannot be reached just now, so the image's files could not be removed and the image is still in the library. Try deleting it again in a few minutes."}
			}
			return mediaError(err)
		}
		http.Redirect(w, r, "/admin/media?done=mediadeleted", http.StatusSeeOther)
		return nil
	}
	d, err := s.desk.MediaDeletion(r.Context(), me, id)
	if err != nil {
		return mediaError(err)
	}
	name := d.Item.Filename
	if name == "" {
		name = "this image"
	}
	p := confirmPage{Layout: s.layout(r, "Delete image", "media"), Heading: "Delete " + name + "?",
		Cancel: fmt.Sprintf("/admin/media/%d", id), ItemsHeading: "Where it is used"}
	switch n := len(d.Uses) + d.Hidden; n {
	case 0:
		p.Paragraphs = append(p.Paragraphs, "No article uses it.")
	default:
		p.Paragraphs = append(p.Paragraphs, "It is used by "+articleCount(n)+
			". Deleting it takes it out of them at once, published ones included: a lead image is cleared and a picture in the text removed, and each article's history says so.")
	}
	for _, use := range d.Site {
		p.Paragraphs = append(p.Paragraphs, "It is the site's "+use+": deleting it removes it from Settings, and the site shows none until another is chosen.")
	}
	p.Paragraphs = append(p.Paragraphs, "The image and every size made of it are deleted from the media store. This cannot be undone; browsers and caches that already hold a copy may show it for a while.")
	for _, a := range d.Uses {
		it := confirmItem{Label: a.Headline, Note: string(a.Status)}
		if a.Trash != nil {
			it.Note = "in the trash"
		}
		if s.desk.MayOpen(me, a) {
			it.URL = "/admin/articles/" + strconv.FormatInt(a.ID, 10)
		} else if a.IsPublic() {
			it.URL = a.URLPath()
		}
		p.Items = append(p.Items, it)
	}
	if d.Hidden > 0 {
		p.Items = append(p.Items, confirmItem{Label: articleCount(d.Hidden) + " by colleagues, not yet published"})
	}
	if d.Allowed {
		p.Action, p.Button = fmt.Sprintf("/admin/media/%d/delete", id), "Delete the image"
	} else {
		p.Refusal = d.Why
		if r.Method == http.MethodPost {
			return news.ErrForbidden
		}
	}
	return s.confirm(w, r, p)
}

// articleCount is "1 article", "3 articles".
func articleCount(n int) string {
	if n == 1 {
		return "1 article"
	}
	return strconv.Itoa(n) + " articles"
}
