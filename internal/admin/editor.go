package admin

import (
	"net/http"
	"strings"

	"masthead/internal/edge"
	"masthead/internal/wpcontent"
)

// The visual editor (static/editor.js) edits the body's Markdown as HTML
// blocks that each keep their source (markup.Renderer.Editor); these
// endpoints give it those blocks. Like the live preview, they only convert
// what the signed-in writer sends, so they need a session and the form's
// CSRF token (staff) and no other permission.

// maxPasteBytes bounds pasted HTML; word processors put a lot of markup
// around little text, but a clipboard this large is not a story.
const maxPasteBytes = 2 << 20

// editorBlocks renders Markdown as the editor's blocks: the body when the
// writer switches from the Markdown source back to the visual editor, or a
// figure, embed or card the editor inserts.
func (s *Server) editorBlocks(w http.ResponseWriter, r *http.Request) error {
	return writeHTML(w, s.editorHTML(r, strings.ReplaceAll(r.PostForm.Get("body"), "\r\n", "\n")))
}

// editorPaste converts HTML from the clipboard (Google Docs, Word, a web
// page) to Markdown with the same converter as the WordPress importer, and
// answers the editor's blocks for it.
func (s *Server) editorPaste(w http.ResponseWriter, r *http.Request) error {
	src := r.PostForm.Get("html")
	if len(src) > maxPasteBytes {
		return &edge.Error{Status: http.StatusRequestEntityTooLarge, Message: "That is too much to paste at once. Paste it in parts."}
	}
	md, err := wpcontent.Clipboard(src)
	if err != nil {
		return edge.BadRequest("The pasted text could not be read. Paste it as plain text (Ctrl+Shift+V).")
	}
	return writeHTML(w, s.editorHTML(r, md))
}

// editorHTML renders Markdown as the editor's blocks, its figures with
// the credits the library gives them, as readers will see them.
func (s *Server) editorHTML(r *http.Request, md string) string {
	return s.markup.WithLibrary(s.desk.EditorLibrary(r.Context(), sessionFrom(r.Context()).Staff)).Editor(md)
}

func writeHTML(w http.ResponseWriter, h string) error {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, err := w.Write([]byte(h))
	return err
}
