package render

import (
	"html/template"
	"slices"
	"strconv"
	"time"

	"masthead/internal/news"
)

// CommentForm is the "Leave a Reply" form's values and errors, kept across
// a failed submission.
type CommentForm struct {
	Name, Email, Website, Body string
	Errors                     news.FieldErrors
	// Reader is the signed-in reader, whose account signs the comment.
	Reader *news.Reader
}

// commentSection writes an article's comments and the form to add one as
// the "comment-section" template (pages/article.html) does, byte for byte
// (respond_test.go holds them equal, hostile values included), with dates
// shown in loc in dateLayout. replyTo is the comment being answered, or
// nil.
func commentSection(a *news.Article, nodes []*CommentNode, replyTo *news.Comment, f CommentForm, loc *time.Location, dateLayout string) template.HTML {
	b := make([]byte, 0, 4096)
	b = append(b, "<section class=\"comments\" id=\"comments\" aria-labelledby=\"comments-heading\">\n  <h2 id=\"comments-heading\" class=\"section-heading\">"...)
	b = appendEscaped(b, plural(a.CommentCount, "comment", "comments"))
	b = append(b, "</h2>\n  "...)
	if len(nodes) > 0 {
		b = append(b, `<ol class="comment-list">`...)
		for _, n := range nodes {
			b = appendComment(b, n, loc, dateLayout)
		}
		b = append(b, `</ol>`...)
	}
	b = append(b, "\n  "...)
	if !a.CommentsOpen {
		b = append(b, "\n  <p class=\"closed\">Comments are closed on this article.</p>\n  \n</section>"...)
		return template.HTML(b)
	}
	path := a.URLPath()
	b = append(b, "\n  <div class=\"respond\" id=\"respond\">\n    <h3>"...)
	if replyTo != nil {
		b = append(b, "Reply to "...)
		b = appendEscaped(b, replyTo.Name)
	} else {
		b = append(b, "Leave a Reply"...)
	}
	b = append(b, "</h3>\n    "...)
	var replyID string
	if replyTo != nil {
		replyID = strconv.FormatInt(replyTo.ID, 10)
		b = append(b, `<p class="replying">You are replying to <a href="#comment-`...)
		b = appendQueryURL(b, replyID)
		b = append(b, `">`...)
		b = appendEscaped(b, replyTo.Name)
		b = append(b, `’s comment</a>. <a href="`...)
		b = appendURL(b, path)
		b = append(b, `#respond">Cancel reply</a></p>`...)
	}
	b = append(b, "\n    "...)
	if len(f.Errors) > 0 {
		b = append(b, "<div class=\"form-errors\" role=\"alert\" id=\"form-errors\">\n      <p>Your comment was not posted. Please check:</p>\n      <ul>"...)
		fields := make([]string, 0, len(f.Errors))
		for k := range f.Errors {
			fields = append(fields, k)
		}
		slices.Sort(fields) // as a template ranges over a map
		for _, k := range fields {
			b = append(b, `<li><a href="#field-`...)
			b = appendQueryURL(b, k)
			b = append(b, `">`...)
			b = appendEscaped(b, f.Errors[k])
			b = append(b, `</a></li>`...)
		}
		b = append(b, "</ul>\n    </div>"...)
	}
	b = append(b, "\n    <form class=\"comment-form\" method=\"post\" action=\""...)
	b = appendURL(b, path)
	b = append(b, "/comments\">\n      "...)
	if replyTo != nil {
		b = append(b, `<input type="hidden" name="parent_id" value="`...)
		b = appendEscaped(b, replyID)
		b = append(b, `">`...)
	}
	b = append(b, "\n      "...)
	if r := f.Reader; r != nil {
		b = append(b, `<p class="form-note commenting-as">Commenting as <strong>`...)
		if r.Name != "" {
			b = appendEscaped(b, r.Name)
		} else {
			b = appendEscaped(b, r.Email)
		}
		b = append(b, `</strong>. Your email address (`...)
		b = appendEscaped(b, r.Email)
		b = append(b, ") will not be published. <a href=\"/account\">Your account</a></p>\n      "...)
	} else {
		b = append(b, `<p class="form-note">Your email address will not be published. Required fields are marked <span aria-hidden="true">*</span><span class="visually-hidden">as required</span>. Have a reader account? <a href="/account?next=`...)
		b = appendQueryURL(b, path)
		b = append(b, `%23respond">Sign in</a> to comment without typing your name and email.</p>`...)
	}
	b = append(b, "\n      "...)
	b = appendField(b, "comment", f.Errors["comment"], func(b []byte, invalid string) []byte {
		b = append(b, "\n        <label for=\"field-comment\">Comment <span aria-hidden=\"true\">*</span></label>\n        <textarea id=\"field-comment\" name=\"comment\" rows=\"6\" maxlength=\"5000\" required"...)
		b = append(b, invalid...)
		b = append(b, '>')
		b = appendEscaped(b, f.Body)
		return append(b, `</textarea>`...)
	})
	b = append(b, "\n      <div class=\"field-row\">\n        "...)
	if f.Reader == nil || f.Reader.Name == "" {
		b = appendField(b, "name", f.Errors["name"], func(b []byte, invalid string) []byte {
			b = append(b, "\n          <label for=\"field-name\">Name <span aria-hidden=\"true\">*</span></label>\n          <input id=\"field-name\" name=\"name\" value=\""...)
			b = appendEscaped(b, f.Name)
			b = append(b, `" maxlength="100" autocomplete="name" required`...)
			return append(append(b, invalid...), '>')
		})
	}
	b = append(b, "\n        "...)
	if f.Reader == nil {
		b = appendField(b, "email", f.Errors["email"], func(b []byte, invalid string) []byte {
			b = append(b, "\n          <label for=\"field-email\">Email <span aria-hidden=\"true\">*</span></label>\n          <input id=\"field-email\" name=\"email\" type=\"email\" value=\""...)
			b = appendEscaped(b, f.Email)
			b = append(b, `" maxlength="254" autocomplete="email" required`...)
			return append(append(b, invalid...), '>')
		})
	}
	b = append(b, "\n        "...)
	b = appendField(b, "website", f.Errors["website"], func(b []byte, invalid string) []byte {
		b = append(b, "\n          <label for=\"field-website\">Website</label>\n          <input id=\"field-website\" name=\"website\" type=\"url\" value=\""...)
		b = appendEscaped(b, f.Website)
		b = append(b, `" maxlength="300" autocomplete="url"`...)
		return append(append(b, invalid...), '>')
	})
	b = append(b, "\n      </div>\n      <div class=\"hp\" aria-hidden=\"true\">\n        <label for=\"field-hp\">Leave this field empty</label>\n        <input id=\"field-hp\" name=\"fax\" tabindex=\"-1\" autocomplete=\"off\">\n      </div>\n      <button type=\"submit\">Post Comment</button>\n    </form>\n  </div>\n  \n</section>"...)
	return template.HTML(b)
}

// appendField writes one of the comment form's fields: its <div>, marked
// invalid when msg (its error) is set, the label and control that control
// writes (given the attributes that mark it invalid, or none), and the
// error. The fields nest at different depths: the indent of the error's
// line is the control's.
func appendField(b []byte, name, msg string, control func(b []byte, invalid string) []byte) []byte {
	b = append(b, `<div class="field`...)
	if msg != "" {
		b = append(b, ` invalid`...)
	}
	b = append(b, `">`...)
	invalid := ""
	if msg != "" {
		invalid = ` aria-invalid="true" aria-describedby="err-` + name + `"`
	}
	b = control(b, invalid)
	// The indent of the control's line, repeated before the error's.
	indent := "\n        "
	if name != "comment" {
		indent = "\n          "
	}
	b = append(b, indent...)
	if msg != "" {
		b = append(b, `<p class="error" id="err-`...)
		b = append(b, name...)
		b = append(b, `">`...)
		b = appendEscaped(b, msg)
		b = append(b, `</p>`...)
	}
	b = append(b, indent[:len(indent)-2]...)
	return append(b, `</div>`...)
}

// appendQueryURL appends s as html/template writes a value inside a URL's
// query or fragment: every byte but letters, digits and - . _ ~
// percent-encoded (lower-case hex), which leaves nothing for the
// attribute's escaping.
func appendQueryURL(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '.', c == '_', c == '~':
			b = append(b, c)
		default:
			b = append(b, '%', hex[c>>4], hex[c&15])
		}
	}
	return b
}
