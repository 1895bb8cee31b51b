package newsroom_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"masthead/internal/news"
	"masthead/internal/testutil"
)

// Editors and administrators edit a reader's comment; writers may not.
// The text it had is kept, with who and why, for moderators; a refused
// edit says what is wrong and changes nothing.
func TestEditComment(t *testing.T) {
	ctx := context.Background()
	site := testutil.NewSite(t)
	staff := site.StaffByRole(t, "Staff", "a long password")
	a := site.Article(t, &news.Article{})
	const original = "Call the mayor on 555 0100, he is a crook."
	c := site.Comment(t, a, &news.Comment{Body: original})

	for _, role := range []news.Role{news.RoleContributor, news.RoleAuthor} {
		if _, err := site.Desk.EditComment(ctx, staff[role], c.ID, "Changed by a writer.", ""); !errors.Is(err, news.ErrForbidden) {
			t.Errorf("%s editing a comment: %v, want ErrForbidden", role, err)
		}
		if _, err := site.Desk.DeleteComment(ctx, staff[role], c.ID); !errors.Is(err, news.ErrForbidden) {
			t.Errorf("%s deleting a comment: %v, want ErrForbidden", role, err)
		}
	}
	for _, tt := range []struct{ body, note, field string }{
		{"  ", "", "body"},
		{strings.Repeat("x", news.MaxCommentBodyLen+1), "", "body"},
		{"Fine.\x00", "", "body"},
		{"Fine.", strings.Repeat("n", news.MaxEditNoteLen+1), "note"},
		{"Fine.", "two\nlines", "note"},
	} {
		var fe news.FieldErrors
		if _, err := site.Desk.EditComment(ctx, staff[news.RoleEditor], c.ID, tt.body, tt.note); !errors.As(err, &fe) || fe[tt.field] == "" {
			t.Errorf("editing to %.20q (note %.20q): %v, want a message for %s", tt.body, tt.note, err, tt.field)
		}
	}
	edited, err := site.Desk.EditComment(ctx, staff[news.RoleEditor], c.ID, "Call the mayor, he is a crook.\r\n", "phone number")
	if err != nil {
		t.Fatal(err)
	}
	if edited.Body != "Call the mayor, he is a crook." || edited.EditedAt.IsZero() {
		t.Errorf("edited: %+v", edited)
	}
	if _, err := site.Desk.EditComment(ctx, staff[news.RoleAdmin], c.ID, "Call the mayor.", "defamatory"); err != nil {
		t.Fatal(err)
	}
	// The same text again is no edit.
	if _, err := site.Desk.EditComment(ctx, staff[news.RoleAdmin], c.ID, "Call the mayor.", "again"); err != nil {
		t.Fatal(err)
	}
	conv, err := site.Desk.CommentInContext(ctx, staff[news.RoleEditor], c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(conv.Edits) != 2 || conv.Edits[0].OldBody != original || conv.Edits[0].Note != "phone number" || conv.Edits[0].UserName != "Staff editor" ||
		conv.Edits[1].UserName != "Staff admin" || conv.Focus.Body != "Call the mayor." {
		t.Errorf("the comment's history: %+v", conv.Edits)
	}
	// Readers see the new text only.
	public, err := site.Desk.PublishedComments(ctx, a.ID)
	if err != nil || len(public) != 1 || public[0].Body != "Call the mayor." {
		t.Errorf("readers see %+v (%v)", public, err)
	}

	if _, err := site.Desk.DeleteComment(ctx, staff[news.RoleEditor], c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := site.Store.Comment(ctx, c.ID); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("deleted comment: %v", err)
	}
}
