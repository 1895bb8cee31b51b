package newsroom_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"strings"
	"testing"

	"masthead/internal/media"
	"masthead/internal/news"
	"masthead/internal/newsroom"
)

// TestBodyFiguresFromLibrary: an image of the media library, alone in its
// paragraph, is shown with the library's credit and responsive variants as
// the article is saved; an image from elsewhere keeps its caption only.
func TestBodyFiguresFromLibrary(t *testing.T) {
	ctx := context.Background()
	desk, staff := mediaDesk(t)
	editor := staff[news.RoleEditor]
	var photo bytes.Buffer
	if err := png.Encode(&photo, image.NewGray(image.Rect(0, 0, 1000, 500))); err != nil {
		t.Fatal(err)
	}
	it, _, err := desk.UploadImage(ctx, editor, newsroom.Upload{Name: "quay.png", Data: photo.Bytes()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := desk.UpdateMediaText(ctx, editor, it.ID, newsroom.MediaText{Alt: "The quay under water", Credit: "Photo: Ana Ruiz"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		body      string
		want      []string
		forbidden []string
	}{
		{
			name: "the top variant, captioned",
			body: "![](" + it.LeadURL() + ` "Ferry Lane at dawn")`,
			want: []string{`alt="The quay under water"`, `width="1000" height="500"`, `srcset="` + it.Srcset() + `"`,
				`<figure><picture><source type="image/avif" srcset="` + media.PictureOf(it.LeadURL()).AVIF + `" sizes="`,
				`<source type="image/webp" srcset="` + media.PictureOf(it.LeadURL()).WebP + `" sizes="`,
				`<figcaption>Ferry Lane at dawn <span class="credit">Photo: Ana Ruiz</span></figcaption>`},
		},
		{
			name: "the original, the body's own alt text",
			body: "![Water on Ferry Lane](" + it.URL() + ")",
			want: []string{`alt="Water on Ferry Lane"`, `srcset="` + it.Srcset() + `"`, `<figcaption><span class="credit">Photo: Ana Ruiz</span></figcaption>`},
		},
		{
			name:      "an address shaped like the library's, of nothing in it",
			body:      "![x](/media/lib/00/" + strings.Repeat("0", 64) + ".png \"Nothing\")",
			want:      []string{"<figcaption>Nothing</figcaption>"},
			forbidden: []string{"srcset", "credit", "<picture>"},
		},
		{
			name:      "an image from elsewhere",
			body:      `![x](https://example.org/a.jpg "Elsewhere")`,
			want:      []string{"<figcaption>Elsewhere</figcaption>"},
			forbidden: []string{"srcset", "credit", "<picture>"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := &news.Article{Headline: "Flood " + tt.name, Body: tt.body}
			if err := desk.Prepare(ctx, a); err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(a.BodyHTML, w) {
					t.Errorf("body lacks %q:\n%s", w, a.BodyHTML)
				}
			}
			for _, f := range tt.forbidden {
				if strings.Contains(a.BodyHTML, f) {
					t.Errorf("body contains %q:\n%s", f, a.BodyHTML)
				}
			}
		})
	}
}
