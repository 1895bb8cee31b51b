package wxr

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Reader reads the records of a WXR file one at a time. It is not safe for
// concurrent use.
type Reader struct {
	d      *xml.Decoder
	spaces map[string]space // namespace URI → kind, cached
	buf    []byte           // scratch for element text
	cur    xml.StartElement // the child element each is handing to its callback

	header     Header
	started    bool   // <rss><channel> has been entered
	headerSent bool   // the *Header record has been returned
	done       bool   // </channel> has been read and the rest checked
	pending    Record // a record read while the header was still due
	err        error  // sticky: once Next fails it keeps failing
}

// NewReader returns a Reader that reads a WXR document from r. The document
// may be encoded in UTF-8, ISO-8859-1 or windows-1252 (the charsets old
// WordPress sites export in); r is read through a buffer, so it need not be
// buffered already.
func NewReader(r io.Reader) *Reader {
	d := xml.NewDecoder(r)
	// Older exporters let HTML named entities such as &nbsp; through in
	// titles; accept them rather than reject the file.
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charsetReader
	return &Reader{d: d, spaces: make(map[string]space)}
}

// InputOffset returns how many bytes of the input have been consumed, for
// progress reporting.
func (r *Reader) InputOffset() int64 { return r.d.InputOffset() }

// Next returns the next record: a *Header first, then *Author, *Term and
// *Item records in document order, and io.EOF once the whole document has
// been read and found well formed. Errors are *SyntaxError for XML that is
// not well formed or is cut short, an error wrapping ErrNotWXR for a
// document that is not a WordPress export, or a field error naming the line
// of a value that cannot be parsed (say, a non-numeric post ID). After an
// error, Next returns the same error again.
//
// When the version is missing or invalid, Next reads on to the end of the
// input before reporting it, so that a file that is both malformed and
// unversioned is reported as malformed.
func (r *Reader) Next() (Record, error) {
	if r.err != nil {
		return nil, r.err
	}
	rec, err := r.next()
	if err != nil {
		r.err = err
		return nil, err
	}
	return rec, nil
}

func (r *Reader) next() (Record, error) {
	if rec := r.pending; rec != nil {
		r.pending = nil
		return rec, nil
	}
	if r.done {
		return nil, io.EOF
	}
	if !r.started {
		if err := r.openChannel(); err != nil {
			return nil, err
		}
		r.started = true
	}
	for {
		tok, err := r.token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			rec, err := r.channelChild(t)
			if err != nil {
				return nil, err
			}
			if rec == nil {
				continue
			}
			if !r.headerSent {
				r.headerSent = true
				r.pending = rec
				h := r.header
				return &h, nil
			}
			return rec, nil
		case xml.EndElement: // </channel>
			if !r.headerSent {
				if err := r.checkVersion(); err != nil {
					return nil, err
				}
			}
			if err := r.drain(); err != nil {
				return nil, err
			}
			r.done = true
			if !r.headerSent {
				r.headerSent = true
				h := r.header
				return &h, nil
			}
			return nil, io.EOF
		}
	}
}

// openChannel reads up to and including the <channel> start tag.
func (r *Reader) openChannel() error {
	for {
		tok, err := r.d.Token()
		if err == io.EOF {
			return fmt.Errorf("%w: the file has no root element", ErrNotWXR)
		}
		if err != nil {
			return r.wrap(err)
		}
		if t, ok := tok.(xml.StartElement); ok {
			if t.Name != (xml.Name{Local: "rss"}) {
				return fmt.Errorf("%w: the root element is <%s>, not <rss>", ErrNotWXR, t.Name.Local)
			}
			break
		}
	}
	for {
		tok, err := r.token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name == (xml.Name{Local: "channel"}) {
				return nil
			}
			if err := r.skip(); err != nil {
				return err
			}
		case xml.EndElement:
			return r.drainThen(fmt.Errorf("%w: <rss> has no <channel>", ErrNotWXR))
		}
	}
}

// channelChild reads one child element of <channel>. It returns the record
// the element holds, or nil for a header field or an ignored element.
func (r *Reader) channelChild(el xml.StartElement) (Record, error) {
	n := r.name(el.Name)
	switch n {
	case name{spaceWP, "author"}, name{spaceWP, "category"}, name{spaceWP, "tag"},
		name{spaceWP, "term"}, name{spaceNone, "item"}:
		if !r.headerSent {
			if err := r.checkVersion(); err != nil {
				return nil, err
			}
		}
	default:
		if r.headerSent {
			return nil, r.skip()
		}
	}
	h := &r.header
	switch n {
	case name{spaceNone, "title"}:
		return nil, r.setText(&h.Title)
	case name{spaceNone, "link"}:
		return nil, r.setTrimmed(&h.Link)
	case name{spaceNone, "description"}:
		return nil, r.setText(&h.Description)
	case name{spaceNone, "pubDate"}:
		return nil, r.setTrimmed(&h.PubDate)
	case name{spaceNone, "language"}:
		return nil, r.setTrimmed(&h.Language)
	case name{spaceWP, "wxr_version"}:
		return nil, r.setTrimmed(&h.Version)
	case name{spaceWP, "base_site_url"}:
		return nil, r.setTrimmed(&h.BaseSiteURL)
	case name{spaceWP, "base_blog_url"}:
		return nil, r.setTrimmed(&h.BaseBlogURL)
	case name{spaceWP, "author"}:
		return r.author()
	case name{spaceWP, "category"}:
		return r.term(TaxonomyCategory)
	case name{spaceWP, "tag"}:
		return r.term(TaxonomyTag)
	case name{spaceWP, "term"}:
		return r.term("")
	case name{spaceNone, "item"}:
		return r.item()
	}
	return nil, r.skip()
}

// checkVersion fails unless the header declared a valid WXR version. On
// failure it reads the rest of the input first, so a syntax error anywhere
// in the file takes precedence.
func (r *Reader) checkVersion() error {
	if validVersion(r.header.Version) {
		return nil
	}
	return r.drainThen(errVersion)
}

func (r *Reader) author() (*Author, error) {
	a := new(Author)
	err := r.each(func(n name) error {
		switch n {
		case name{spaceWP, "author_id"}:
			return r.setInt(&a.ID, n)
		case name{spaceWP, "author_login"}:
			return r.setTrimmed(&a.Login)
		case name{spaceWP, "author_email"}:
			return r.setTrimmed(&a.Email)
		case name{spaceWP, "author_display_name"}:
			return r.setText(&a.DisplayName)
		case name{spaceWP, "author_first_name"}:
			return r.setText(&a.FirstName)
		case name{spaceWP, "author_last_name"}:
			return r.setText(&a.LastName)
		}
		return r.skip()
	})
	return a, err
}

// term reads a <wp:category> (taxonomy "category"), <wp:tag> ("post_tag")
// or <wp:term> (taxonomy "", read from <wp:term_taxonomy>).
func (r *Reader) term(taxonomy string) (*Term, error) {
	t := &Term{Taxonomy: taxonomy}
	err := r.each(func(n name) error {
		if n.space != spaceWP {
			return r.skip()
		}
		switch n.local {
		case "term_id":
			return r.setInt(&t.ID, n)
		case "termmeta":
			m, err := r.meta()
			if err == nil {
				t.Meta = append(t.Meta, m)
			}
			return err
		}
		switch taxonomy {
		case TaxonomyCategory:
			switch n.local {
			case "category_nicename":
				return r.setTrimmed(&t.Slug)
			case "category_parent":
				return r.setTrimmed(&t.Parent)
			case "cat_name":
				return r.setText(&t.Name)
			case "category_description":
				return r.setText(&t.Description)
			}
		case TaxonomyTag:
			switch n.local {
			case "tag_slug":
				return r.setTrimmed(&t.Slug)
			case "tag_name":
				return r.setText(&t.Name)
			case "tag_description":
				return r.setText(&t.Description)
			}
		default:
			switch n.local {
			case "term_taxonomy":
				return r.setTrimmed(&t.Taxonomy)
			case "term_slug":
				return r.setTrimmed(&t.Slug)
			case "term_parent":
				return r.setTrimmed(&t.Parent)
			case "term_name":
				return r.setText(&t.Name)
			case "term_description":
				return r.setText(&t.Description)
			}
		}
		return r.skip()
	})
	return t, err
}

func (r *Reader) item() (*Item, error) {
	it := new(Item)
	err := r.each(func(n name) error {
		switch n.space {
		case spaceNone:
			switch n.local {
			case "title":
				return r.setText(&it.Title)
			case "link":
				return r.setTrimmed(&it.Link)
			case "guid":
				return r.setTrimmed(&it.GUID)
			case "pubDate":
				return r.setTrimmed(&it.PubDate)
			case "description":
				return r.setText(&it.Description)
			case "category":
				c := Category{Domain: r.attr("domain"), Nicename: r.attr("nicename")}
				if err := r.setText(&c.Name); err != nil {
					return err
				}
				it.Categories = append(it.Categories, c)
				return nil
			}
		case spaceContent:
			if n.local == "encoded" {
				return r.setText(&it.Content)
			}
		case spaceExcerpt:
			if n.local == "encoded" {
				return r.setText(&it.Excerpt)
			}
		case spaceDC:
			if n.local == "creator" {
				return r.setTrimmed(&it.Creator)
			}
		case spaceWP:
			return r.itemWP(it, n)
		}
		return r.skip()
	})
	return it, err
}

// itemWP reads one WordPress-namespace child of an <item>.
func (r *Reader) itemWP(it *Item, n name) error {
	switch n.local {
	case "post_id":
		return r.setInt(&it.PostID, n)
	case "post_date":
		return r.setTrimmed(&it.PostDate)
	case "post_date_gmt":
		return r.setTrimmed(&it.PostDateGMT)
	case "post_modified":
		return r.setTrimmed(&it.PostModified)
	case "post_modified_gmt":
		return r.setTrimmed(&it.PostModifiedGMT)
	case "comment_status":
		return r.setTrimmed(&it.CommentStatus)
	case "ping_status":
		return r.setTrimmed(&it.PingStatus)
	case "post_name":
		return r.setTrimmed(&it.PostName)
	case "status":
		return r.setTrimmed(&it.Status)
	case "post_parent":
		return r.setInt(&it.PostParent, n)
	case "menu_order":
		return r.setInt(&it.MenuOrder, n)
	case "post_type":
		return r.setTrimmed(&it.PostType)
	case "post_password":
		return r.setText(&it.PostPassword)
	case "is_sticky":
		var v int64
		if err := r.setInt(&v, n); err != nil {
			return err
		}
		it.IsSticky = it.IsSticky || v != 0
		return nil
	case "attachment_url":
		return r.setTrimmed(&it.AttachmentURL)
	case "postmeta":
		m, err := r.meta()
		if err == nil {
			it.Meta = append(it.Meta, m)
		}
		return err
	case "comment":
		c, err := r.comment()
		if err == nil {
			it.Comments = append(it.Comments, c)
		}
		return err
	}
	return r.skip()
}

func (r *Reader) comment() (Comment, error) {
	var c Comment
	err := r.each(func(n name) error {
		if n.space != spaceWP {
			return r.skip()
		}
		switch n.local {
		case "comment_id":
			return r.setInt(&c.ID, n)
		case "comment_author":
			return r.setText(&c.Author)
		case "comment_author_email":
			return r.setTrimmed(&c.AuthorEmail)
		case "comment_author_url":
			return r.setTrimmed(&c.AuthorURL)
		case "comment_author_IP":
			return r.setTrimmed(&c.AuthorIP)
		case "comment_date":
			return r.setTrimmed(&c.Date)
		case "comment_date_gmt":
			return r.setTrimmed(&c.DateGMT)
		case "comment_content":
			return r.setText(&c.Content)
		case "comment_approved":
			return r.setTrimmed(&c.Approved)
		case "comment_type":
			return r.setTrimmed(&c.Type)
		case "comment_parent":
			return r.setInt(&c.Parent, n)
		case "comment_user_id":
			return r.setInt(&c.UserID, n)
		case "commentmeta":
			m, err := r.meta()
			if err == nil {
				c.Meta = append(c.Meta, m)
			}
			return err
		}
		return r.skip()
	})
	return c, err
}

// meta reads a <wp:postmeta>, <wp:termmeta> or <wp:commentmeta>.
func (r *Reader) meta() (Meta, error) {
	var m Meta
	err := r.each(func(n name) error {
		switch n {
		case name{spaceWP, "meta_key"}:
			return r.setTrimmed(&m.Key)
		case name{spaceWP, "meta_value"}:
			return r.setText(&m.Value)
		}
		return r.skip()
	})
	return m, err
}

// space classifies the namespaces WXR uses.
type space uint8

const (
	spaceOther   space = iota // a namespace WXR does not use
	spaceNone                 // no namespace: RSS 2.0's own elements
	spaceWP                   // http(s)://wordpress.org/export/1.x/
	spaceExcerpt              // http(s)://wordpress.org/export/1.x/excerpt/
	spaceContent              // http://purl.org/rss/1.0/modules/content/
	spaceDC                   // http://purl.org/dc/elements/1.1/
)

// name is an element name with its namespace resolved.
type name struct {
	space space
	local string
}

func (r *Reader) name(n xml.Name) name {
	if n.Space == "" {
		return name{spaceNone, n.Local}
	}
	s, ok := r.spaces[n.Space]
	if !ok {
		switch {
		case n.Space == NamespaceContent:
			s = spaceContent
		case n.Space == NamespaceDC:
			s = spaceDC
		case wpNamespace(n.Space) == "wp":
			s = spaceWP
		case wpNamespace(n.Space) == "excerpt":
			s = spaceExcerpt
		}
		if len(r.spaces) < 64 { // bound the cache against hostile input
			r.spaces[n.Space] = s
		}
	}
	return name{s, n.Local}
}

// attr returns an attribute (in no namespace) of the element each is
// handing to its callback, trimmed.
func (r *Reader) attr(local string) string {
	for _, a := range r.cur.Attr {
		if a.Name.Space == "" && a.Name.Local == local {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

// each calls fn for every child element of the element whose start tag was
// just read, up to its end tag. fn must consume the child entirely: read its
// text, read its children with each, or skip it.
func (r *Reader) each(fn func(name) error) error {
	for {
		tok, err := r.token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			r.cur = t
			if err := fn(r.name(t.Name)); err != nil {
				return err
			}
		case xml.EndElement:
			return nil
		}
	}
}

// text reads the character data of the element whose start tag was just
// read, up to its end tag. Nested elements (which WXR never has in a text
// field) are skipped.
func (r *Reader) text() (string, error) {
	b := r.buf[:0]
	for {
		tok, err := r.token()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.CharData:
			b = append(b, t...)
		case xml.StartElement:
			if err := r.skip(); err != nil {
				return "", err
			}
		case xml.EndElement:
			r.buf = b
			return string(b), nil
		}
	}
}

// setText stores the element's text in *dst unless *dst already holds a
// value (the first non-empty occurrence of a field wins).
func (r *Reader) setText(dst *string) error {
	s, err := r.text()
	if err == nil && *dst == "" {
		*dst = s
	}
	return err
}

// setTrimmed is setText for identifiers: surrounding whitespace is dropped.
func (r *Reader) setTrimmed(dst *string) error {
	s, err := r.text()
	if err == nil && *dst == "" {
		*dst = strings.TrimSpace(s)
	}
	return err
}

// setInt stores the element's integer value in *dst unless *dst is already
// non-zero. An empty element is 0.
func (r *Reader) setInt(dst *int64, n name) error {
	s, err := r.text()
	if err != nil {
		return err
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		line, _ := r.d.InputPos()
		return fmt.Errorf("malformed WXR file: line %d: <%s> is %q, not a whole number", line, n.local, s)
	}
	if *dst == 0 {
		*dst = v
	}
	return nil
}

// token returns the next token, converting every failure (including an end
// of input inside an element) into a reportable error.
func (r *Reader) token() (xml.Token, error) {
	tok, err := r.d.Token()
	if err == io.EOF {
		line, col := r.d.InputPos()
		return nil, &SyntaxError{Line: line, Column: col, Offset: r.d.InputOffset(), Msg: "unexpected end of file"}
	}
	if err != nil {
		return nil, r.wrap(err)
	}
	return tok, nil
}

// skip consumes the rest of the element whose start tag was just read.
func (r *Reader) skip() error {
	if err := r.d.Skip(); err != nil {
		return r.wrap(err)
	}
	return nil
}

// drain reads the rest of the input, reporting any syntax error in it.
func (r *Reader) drain() error {
	for {
		_, err := r.d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return r.wrap(err)
		}
	}
}

// drainThen returns the first syntax error in the rest of the input, or err
// if there is none.
func (r *Reader) drainThen(err error) error {
	if derr := r.drain(); derr != nil {
		return derr
	}
	return err
}

func (r *Reader) wrap(err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		line, col := r.d.InputPos()
		return &SyntaxError{Line: line, Column: col, Offset: r.d.InputOffset(), Msg: se.Msg}
	}
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		line, col := r.d.InputPos()
		return &SyntaxError{Line: line, Column: col, Offset: r.d.InputOffset(), Msg: "unexpected end of file"}
	}
	return fmt.Errorf("reading WXR file: %w", err)
}
