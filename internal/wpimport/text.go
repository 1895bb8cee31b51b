package wpimport

import (
	"net/url"
	"path"
	"strings"

	"masthead/internal/news"
)

// wpSlug turns a WordPress slug (percent-encoded when not ASCII) into a
// Masthead slug, falling back to the title.
func wpSlug(slug, title string) string {
	if u, err := url.PathUnescape(slug); err == nil {
		slug = u
	}
	slug = strings.ToLower(strings.TrimSpace(slug))
	if news.ValidSlug(slug) {
		return slug
	}
	if slug != "" {
		if s := news.Slugify(slug); s != "untitled" {
			return s
		}
	}
	return news.Slugify(title)
}

// wpKey is how a WordPress slug or login is kept in wordpress_map:
// decoded and lower-case, as it appears in an old URL.
func wpKey(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		s = u
	}
	return strings.ToLower(strings.TrimSpace(s))
}

// oldPath is the path of a WordPress permalink below the site's root,
// without slashes at either end: "2013/01/10/hello-world", "about/team".
// Plain permalinks ("/?p=123") have none.
func oldPath(link, base string) string {
	u, err := url.Parse(link)
	if err != nil || u.RawQuery != "" && (u.Path == "" || u.Path == "/") {
		return ""
	}
	p := u.Path
	if b, err := url.Parse(base); err == nil && b.Path != "" && b.Path != "/" {
		p = strings.TrimPrefix(p, strings.TrimRight(b.Path, "/"))
	}
	p = strings.Trim(path.Clean("/"+p), "/")
	if p == "." {
		return ""
	}
	return strings.ToLower(p)
}

// uploadsPath is where an attachment's file sits below the uploads folder:
// its _wp_attached_file, or the part of its URL after /uploads/.
func uploadsPath(attachedFile, fileURL string) string {
	if attachedFile != "" {
		return strings.TrimLeft(attachedFile, "/")
	}
	u, err := url.Parse(fileURL)
	if err != nil {
		return ""
	}
	// …/wp-content/uploads/2013/03/photo.jpg, or on a files host
	// (WordPress.com) just /2013/03/photo.jpg.
	_, rest, ok := strings.Cut(u.Path, "/uploads/")
	if !ok {
		rest = u.Path
	}
	return strings.TrimLeft(rest, "/")
}
