package render

import (
	"html/template"
	"strconv"
	"time"

	"masthead/internal/markup"
	"masthead/internal/news"
)

// CommentNode is one comment as an article page shows it, with its
// replies.
type CommentNode struct {
	Comment  *news.Comment
	Pending  bool // the reader's own, awaiting moderation
	CanReply bool
	Replies  []*CommentNode
}

// commentThread writes comments and their replies as the "comment"
// template (partials/comment.html) does for each, byte for byte
// (comment_test.go holds them equal, hostile values included), with dates
// shown in loc in dateLayout as the template's datetime function shows
// them. Most stories in an archive have a few comments, and each cost the
// template some twenty reflective calls.
func commentThread(nodes []*CommentNode, loc *time.Location, dateLayout string) template.HTML {
	var b []byte
	for _, n := range nodes {
		b = appendComment(b, n, loc, dateLayout)
	}
	return template.HTML(b)
}

func appendComment(b []byte, n *CommentNode, loc *time.Location, dateLayout string) []byte {
	c := n.Comment
	id := strconv.FormatInt(c.ID, 10)
	b = append(b, `<li class="comment`...)
	if c.IsStaff {
		b = append(b, ` staff`...)
	}
	b = append(b, `" id="comment-`...)
	b = append(b, id...)
	b = append(b, "\">\n  <article aria-labelledby=\"comment-"...)
	b = append(b, id...)
	b = append(b, "-author\">\n    <header class=\"comment-meta\">\n      <span class=\"avatar\" aria-hidden=\"true\">"...)
	b = appendEscaped(b, initials(c.Name))
	b = append(b, "</span>\n      <span class=\"comment-author\" id=\"comment-"...)
	b = append(b, id...)
	b = append(b, `-author">`...)
	if c.Website != "" {
		b = append(b, `<a href="`...)
		b = appendURL(b, c.Website)
		b = append(b, `" rel="nofollow ugc noopener">`...)
		b = appendEscaped(b, c.Name)
		b = append(b, `</a>`...)
	} else {
		b = appendEscaped(b, c.Name)
	}
	if c.IsStaff {
		b = append(b, ` <span class="badge">Staff</span>`...)
	}
	if c.Handle != "" {
		b = append(b, ` <span class="comment-handle">`...)
		b = appendEscaped(b, c.Handle)
		b = append(b, `</span>`...)
	}
	b = append(b, "</span>\n      <a class=\"comment-time\" href=\"#comment-"...)
	b = append(b, id...)
	b = append(b, `"><time datetime="`...)
	b = appendEscaped(b, c.CreatedAt.UTC().AppendFormat(nil, time.RFC3339))
	b = append(b, `">`...)
	b = appendEscaped(b, c.CreatedAt.In(loc).AppendFormat(nil, dateLayout+", 15:04 MST"))
	b = append(b, `</time></a>`...)
	if !c.EditedAt.IsZero() {
		b = append(b, "\n      <span class=\"comment-edited\">Edited by the newsroom</span>"...)
	}
	b = append(b, "\n    </header>\n    "...)
	if n.Pending {
		b = append(b, `<p class="moderation" role="status">Your comment is awaiting moderation.</p>`...)
	}
	b = append(b, "\n    <div class=\"comment-body\">"...)
	b = append(b, markup.Comment(c.Body)...) // sanitised HTML, as the template's comment function trusts it
	b = append(b, "</div>\n    "...)
	if n.CanReply {
		b = append(b, `<p class="comment-actions"><a class="reply-link" href="?replyto=`...)
		b = append(b, id...)
		b = append(b, `#respond" aria-label="Reply to `...)
		b = appendEscaped(b, c.Name)
		b = append(b, `">Reply</a></p>`...)
	}
	b = append(b, "\n  </article>\n  "...)
	if len(n.Replies) > 0 {
		b = append(b, `<ol class="comment-replies">`...)
		for _, r := range n.Replies {
			b = appendComment(b, r, loc, dateLayout)
		}
		b = append(b, `</ol>`...)
	}
	return append(b, "\n</li>"...)
}
