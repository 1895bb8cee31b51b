package demo

import (
	"bytes"
	"context"
	"fmt"
	"hash/fnv"
	"image"
	"image/color"
	"image/png"
	"math"
	"regexp"
	"strings"
	"time"

	"masthead/internal/clock"
	"masthead/internal/media"
	"masthead/internal/news"
	"masthead/internal/newsroom"
	"masthead/internal/store"
)

// Illustration size for demo lead images (16:9).
const illustrationW, illustrationH = 960, 540

// Seed writes the demo newsroom into an empty site, as if every story had
// been published its stated age before now. Sections, staff, tags and
// comments go straight into the store; the stories go through the
// newsroom service, so they are prepared as any published story is. Lead
// and body images are drawn here and put in the media library.
func Seed(ctx context.Context, st *store.Store, desk *newsroom.Service, nr *Newsroom, files media.Store, now time.Time) error {
	if err := st.SetPublication(ctx, news.Publication{Name: nr.Name, Tagline: nr.Tagline, Description: nr.Description, Language: "en"}); err != nil {
		return err
	}
	sections := map[string]*news.Section{}
	for i, sec := range nr.Sections {
		ns := &news.Section{Slug: sec.Slug, Name: sec.Name, Description: sec.Description, Position: i}
		if err := st.CreateSection(ctx, ns); err != nil {
			return err
		}
		sections[sec.Slug] = ns
	}
	authors := map[string]news.Staff{}
	for i, au := range nr.Authors {
		role := news.RoleAuthor
		if i == 0 {
			role = news.RoleEditor
		}
		na := news.Staff{Slug: au.Slug, Name: au.Name, Email: au.Email, Role: role, JobTitle: au.JobTitle, Bio: au.Bio}
		if err := st.CreateStaff(ctx, &na); err != nil {
			return err
		}
		authors[au.Slug] = na
	}
	tags := map[string]news.Tag{}
	lib := media.NewLibrary(files, st, clock.NewManual(now))
	var err error
	for _, da := range nr.Articles {
		a := &news.Article{
			Slug: da.Slug, Headline: da.Headline, Standfirst: da.Standfirst, Body: da.Body,
			Section: sections[da.Section], Featured: da.Featured, CommentsOpen: !da.CommentsClosed,
			PublishedAt: now.Add(-da.Age).Truncate(time.Second),
		}
		a.CreatedAt = a.PublishedAt.Add(-3 * time.Hour)
		if da.UpdatedAfter > 0 {
			a.UpdatedAt = a.PublishedAt.Add(da.UpdatedAfter)
		}
		for _, slug := range da.Authors {
			a.Authors = append(a.Authors, authors[slug])
		}
		for _, name := range da.Tags {
			t, ok := tags[name]
			if !ok {
				var err error
				if t, err = st.EnsureTag(ctx, name); err != nil {
					return err
				}
				tags[name] = t
			}
			a.Tags = append(a.Tags, t)
		}
		if da.Image != nil {
			// Into the media library, as a newsroom's photo would go, so
			// the lead image has responsive variants (and AVIF and WebP).
			it, _, err := lib.Upload(ctx, Illustration(da.Slug), da.Slug+".png", 0)
			if err == nil {
				err = st.UpdateMediaText(ctx, it.ID, da.Image.Alt, da.Image.Caption, da.Image.Credit)
			}
			if err != nil {
				return fmt.Errorf("demo article %s: lead image: %w", da.Slug, err)
			}
			a.LeadImage = &news.Image{URL: it.LeadURL(), Alt: da.Image.Alt, Caption: da.Image.Caption, Credit: da.Image.Credit,
				Width: illustrationW, Height: illustrationH}
		}
		if a.Body, err = addBodyImages(ctx, st, lib, a.Body); err != nil {
			return fmt.Errorf("demo article %s: %w", da.Slug, err)
		}
		if err := desk.CreatePublished(ctx, a); err != nil {
			return fmt.Errorf("demo article %s: %w", da.Slug, err)
		}
		if entries := nr.Live[da.Slug]; entries != nil {
			seeds := make([]newsroom.SeedEntry, len(entries))
			for i, e := range entries {
				seeds[i] = newsroom.SeedEntry{At: a.PublishedAt.Add(e.After), AuthorID: authors[e.Author].ID,
					Input: news.LiveEntryInput{Headline: e.Headline, Body: e.Body, KeyEvent: e.KeyEvent, Pinned: e.Pinned}}
			}
			if err := desk.SeedLiveBlog(ctx, a.ID, a.PublishedAt, seeds); err != nil {
				return fmt.Errorf("demo live blog %s: %w", da.Slug, err)
			}
		}
		ids := map[string]int64{}
		for _, dc := range da.Comments {
			c := &news.Comment{
				ArticleID: a.ID, ParentID: ids[dc.ReplyTo], Name: dc.Name, Email: dc.Email, Website: dc.Website,
				Body: dc.Text, Status: news.CommentStatus(dc.Status), CreatedAt: now.Add(-dc.Age).Truncate(time.Second),
			}
			if err := st.CreateComment(ctx, c); err != nil {
				return fmt.Errorf("demo comment %s/%s: %w", da.Slug, dc.Key, err)
			}
			ids[dc.Key] = c.ID
		}
	}
	return nil
}

// bodyImage is an image in a demo body: ![alt](demo:name "caption").
var bodyImage = regexp.MustCompile(`!\[([^\]]+)\]\(demo:([a-z0-9-]+) "([^"]+)"\)`)

// addBodyImages puts the drawing each body image names into the media
// library, with its words and the graphics desk's credit, as a newsroom
// would upload a photo, and points the image at it: so the demo shows a
// figure with caption, credit and responsive variants.
func addBodyImages(ctx context.Context, st *store.Store, lib *media.Library, body string) (string, error) {
	var err error
	out := bodyImage.ReplaceAllStringFunc(body, func(m string) string {
		parts := bodyImage.FindStringSubmatch(m)
		alt, name, caption := parts[1], parts[2], parts[3]
		it, _, upErr := lib.Upload(ctx, Illustration(name), name+".png", 0)
		if upErr == nil {
			upErr = st.UpdateMediaText(ctx, it.ID, alt, caption, "Illustration: Courier graphics desk")
		}
		if upErr != nil {
			err = fmt.Errorf("body image %s: %w", name, upErr)
			return m
		}
		return strings.Replace(m, "demo:"+name, it.LeadURL(), 1)
	})
	return out, err
}

var palettes = [][4]color.RGBA{
	{{0x1d, 0x35, 0x57, 255}, {0x45, 0x7b, 0x9d, 255}, {0xa8, 0xda, 0xdc, 255}, {0xe6, 0x39, 0x46, 255}},
	{{0x26, 0x46, 0x53, 255}, {0x2a, 0x9d, 0x8f, 255}, {0xe9, 0xc4, 0x6a, 255}, {0xf4, 0xa2, 0x61, 255}},
	{{0x3d, 0x2c, 0x2e, 255}, {0x8c, 0x5e, 0x58, 255}, {0xd8, 0xb4, 0xa0, 255}, {0xf2, 0xe8, 0xcf, 255}},
	{{0x14, 0x21, 0x3d, 255}, {0x5c, 0x67, 0x7d, 255}, {0xfc, 0xa3, 0x11, 255}, {0xe5, 0xe5, 0xe5, 255}},
	{{0x2b, 0x2d, 0x42, 255}, {0x8d, 0x99, 0xae, 255}, {0xed, 0xf2, 0xf4, 255}, {0xd9, 0x04, 0x29, 255}},
}

// Illustration draws a deterministic abstract landscape for a demo story:
// a sky gradient, a sun, hills and a river, coloured and placed by the slug.
func Illustration(seed string) []byte {
	h := fnv.New64a()
	h.Write([]byte(seed))
	v := h.Sum64()
	pal := palettes[v%uint64(len(palettes))]
	sunX := float64(illustrationW) * (0.2 + 0.6*float64((v>>8)%100)/100)
	sunY := float64(illustrationH) * (0.18 + 0.2*float64((v>>16)%100)/100)
	phase := float64((v>>24)%628) / 100
	img := image.NewRGBA(image.Rect(0, 0, illustrationW, illustrationH))
	for y := 0; y < illustrationH; y++ {
		fy := float64(y) / illustrationH
		sky := mix(pal[0], pal[1], fy)
		for x := 0; x < illustrationW; x++ {
			fx := float64(x)
			c := sky
			if d := math.Hypot(fx-sunX, float64(y)-sunY); d < 70 {
				c = pal[3]
			}
			hill := illustrationH*0.62 + 40*math.Sin(fx/140+phase) + 18*math.Sin(fx/53+2*phase)
			if float64(y) > hill {
				c = mix(pal[1], pal[0], 0.55)
			}
			river := illustrationH*0.8 + 14*math.Sin(fx/90+phase)
			if float64(y) > river {
				c = mix(pal[2], pal[1], 0.35+0.15*math.Sin(float64(y)/6+fx/40))
			}
			img.SetRGBA(x, y, c)
		}
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		panic(err) // encoding an in-memory RGBA image cannot fail
	}
	return buf.Bytes()
}

func mix(a, b color.RGBA, t float64) color.RGBA {
	t = math.Max(0, math.Min(1, t))
	l := func(x, y uint8) uint8 { return uint8(float64(x)*(1-t) + float64(y)*t) }
	return color.RGBA{l(a.R, b.R), l(a.G, b.G), l(a.B, b.B), 255}
}
