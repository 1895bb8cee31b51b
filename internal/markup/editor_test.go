package markup_test

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	nethtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"masthead/internal/demo"
	"masthead/internal/markup"
)

// editorBlock is a top-level element of the editor's HTML.
type editorBlock struct {
	tag, kind, md, sep string
}

func editorBlocks(t testing.TB, h string) []editorBlock {
	t.Helper()
	body := &nethtml.Node{Type: nethtml.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := nethtml.ParseFragment(strings.NewReader(h), body)
	if err != nil {
		t.Fatal(err)
	}
	var out []editorBlock
	for _, n := range nodes {
		if n.Type != nethtml.ElementNode {
			t.Fatalf("text outside a block in the editor's HTML: %q", n.Data)
		}
		b := editorBlock{tag: n.Data}
		hasMD := false
		for _, a := range n.Attr {
			switch a.Key {
			case "data-md":
				b.md, hasMD = a.Val, true
			case "data-sep":
				b.sep = a.Val
			case "data-kind":
				b.kind = a.Val
			}
		}
		if !hasMD {
			t.Fatalf("<%s> without data-md", n.Data)
		}
		out = append(out, b)
	}
	return out
}

// reassemble is what the editor saves when nothing was touched.
func reassemble(blocks []editorBlock) string {
	var b strings.Builder
	for _, bl := range blocks {
		b.WriteString(bl.md + bl.sep)
	}
	return b.String()
}

func TestEditorBlocks(t *testing.T) {
	r := markup.New()
	cases := []struct {
		name, src string
		want      []string // per block: tag or card kind, then a fragment its HTML must hold
	}{
		{"paragraphs and a heading", "One *two* **three**.\n\n## Sub\n\nFour [link](https://example.org/a_b \"T\") `code` ~~gone~~.\n",
			[]string{"p", "<em>two</em> <strong>three</strong>", "h2", "Sub", "p", `<a href="https://example.org/a_b" title="T">link</a> <code>code</code> <s>gone</s>`}},
		{"escapes and entities are text", "A \\*star\\* &amp; &lt;tag&gt; \"quotes\" -- dash\n",
			[]string{"p", `A *star* &amp; &lt;tag&gt; &#34;quotes&#34; -- dash`}},
		{"line breaks", "one\ntwo\\\nthree  \nfour\n",
			[]string{"p", "one\ntwo<br>three<br>four"}},
		{"pull quote", "> We will rebuild.\n>\n> — Ines Darrow, mayor\n",
			[]string{"blockquote", `<p>We will rebuild.</p><p class="attribution">— Ines Darrow, mayor</p></blockquote>`}},
		{"lists keep marker, start and looseness", "* a\n* b\n\n3) c\n\n4) d\n",
			[]string{"ul", `data-marker="*"`, "ol", `start="3"`}},
		{"nested list", "- a\n  - b\n- c\n", []string{"ul", "<li>a<ul data-marker=\"-\"><li>b</li></ul></li><li>c</li>"}},
		{"figure", "![A flooded street](/media/ab/flood.jpg \"Ferry Lane at dawn\")\n",
			[]string{"figure", `data-caption="Ferry Lane at dawn"><p class="ve-card-label">Image</p><img src="/media/ab/flood.jpg" alt="A flooded street"><p class="ve-card-caption">Ferry Lane at dawn</p>`}},
		{"figure from elsewhere is not loaded", "![x](https://evil.example/x.png)\n", []string{"figure", "Image from elsewhere, not shown"}},
		{"embeds are the reader site's", "https://www.youtube.com/watch?v=M7lc1UVf-VE\n\n<https://bsky.app/profile/courier.example/post/3kabc>\n\nhttps://example.org/page\n",
			[]string{"embed", "Embed: YouTube video", "embed", `data-url="https://bsky.app/profile/courier.example/post/3kabc"`, "p", ">https://example.org/page</p>"}},
		{"cards", "| a | b |\n|---|---|\n| 1 | 2 |\n\n```go\nx\n```\n\n---\n\n<div>raw</div>\n\n[ref]: https://example.org\n",
			[]string{"raw", "Table", "raw", "Code", "raw", "Divider", "raw", "HTML", "raw", "Link address"}},
		{"inline HTML or image makes a card", "a <sup>2</sup>\n\ntext ![i](/media/x.png) text\n\n- [ ] task\n",
			[]string{"raw", "Text with formatting", "raw", "Text with formatting", "raw", "List with formatting"}},
		{"the editor's own fallback tags stay editable", "word<strong>\"q\"</strong>word\n", []string{"p", `word<strong>&#34;q&#34;</strong>word`}},
		{"unbalanced tags do not", "a <strong>b\n", []string{"raw", ""}},
		{"dangerous link is a card", "[x](javascript:alert(1))\n", []string{"raw", ""}},
		{"empty list item", "-\n- b\n", []string{"ul", "<li><br></li><li>b</li>"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := r.Editor(c.src)
			blocks := editorBlocks(t, h)
			if got := reassemble(blocks); got != c.src {
				t.Fatalf("reassembled %q, want %q", got, c.src)
			}
			if len(blocks) != len(c.want)/2 {
				t.Fatalf("%d blocks, want %d:\n%s", len(blocks), len(c.want)/2, h)
			}
			for i, b := range blocks {
				kind, frag := c.want[2*i], c.want[2*i+1]
				if b.tag != kind && b.kind != kind {
					t.Errorf("block %d is <%s> (%s), want %s", i, b.tag, b.kind, kind)
				}
				if !strings.Contains(h, frag) {
					t.Errorf("block %d: the HTML lacks %q:\n%s", i, frag, h)
				}
			}
		})
	}
}

// TestEditorKeepsEveryByte: the editor's blocks give back exactly what
// they were made from, whatever it is.
func TestEditorKeepsEveryByte(t *testing.T) {
	r := markup.New()
	for _, src := range []string{
		"", "\n", "  \n\n", "a", "a\n", "\n\n\nLead blank lines\n\n\n\ntrailing\n\n\n",
		"para\n# heading right after\npara\n- list right after\n",
		"Setext\n======\n\ntext\n---\n", "```\nunclosed fence\n\n\n", "    indented\n\n    code\n\nafter",
		"> quote\nlazy\n\n1. a\n\n   b\n2. c\n", "crlf\r\n\r\nlines\r\n", "[a]: /x\n[b]: /y\npara [a] [b]\n",
		"<!--more-->\n\n<figure><img src=\"/m.png\"><figcaption>c</figcaption></figure>\n",
		"trailing spaces   \n\n\t\n", "***\n- - -\n___\n", "| a |\n|---|\n",
	} {
		if got := reassemble(editorBlocks(t, r.Editor(src))); got != src {
			t.Errorf("%q came back as %q", src, got)
		}
	}
}

// TestEditorRoundTripDemo: every demo article opened in the editor and
// saved unchanged is the same Markdown, byte for byte. (The imported
// WordPress Theme Unit Test posts are checked in package wpimport.)
func TestEditorRoundTripDemo(t *testing.T) {
	n, err := demo.Load()
	if err != nil {
		t.Fatal(err)
	}
	r := markup.New()
	editable := 0
	for _, a := range n.Articles {
		blocks := editorBlocks(t, r.Editor(a.Body))
		if got := reassemble(blocks); got != a.Body {
			t.Errorf("%s: the editor's blocks give back different Markdown", a.Slug)
		}
		for _, b := range blocks {
			if b.kind == "" {
				editable++
			} else if b.kind == "raw" {
				t.Errorf("%s: a demo block is a card, not editable text: %q", a.Slug, b.md)
			}
		}
	}
	if editable == 0 {
		t.Error("no editable block in the demo")
	}
}

// FuzzEditor: whatever the body, the editor's blocks give it back byte for
// byte, and nothing in them can run a script.
func FuzzEditor(f *testing.F) {
	for _, s := range []string{
		"# Hello\n\n\"Quote,\" she said.\n", "> q\n>\n> — Name\n", "- a\n  - b\n\n1. c\n", "<script>alert(1)</script>",
		"![a](javascript:x \"t\")\n\nhttps://x.test/\n", "| a |\n|---|\n", "```\ncode\n", "[r]: /x\n\n[a][r]\n", "x<strong>y</strong>\r\n",
		"<!--more-->", "\n\n\n", "a  \nb\\\nc",
	} {
		f.Add(s)
	}
	r := markup.New()
	f.Fuzz(func(t *testing.T, src string) {
		if !utf8.ValidString(src) || strings.ContainsRune(src, 0) {
			t.Skip("not text a browser keeps: it reads NUL and broken UTF-8 as U+FFFD, in the textarea as much as here")
		}
		h := r.Editor(src)
		if got := reassemble(editorBlocks(t, h)); got != src {
			t.Fatalf("%q came back as %q", src, got)
		}
		markup.CheckSafe(t, h)
	})
}

// TestEditorFigureCredit: with a library, a figure card shows the
// image's credit (or that it has none) as the reader site will; images
// the library does not hold, and a failed look-up, show none.
func TestEditorFigureCredit(t *testing.T) {
	lib := func(url string) (*markup.LibraryImage, error) {
		switch url {
		case "/media/lib/credited.jpg":
			return &markup.LibraryImage{Credit: "Photo: Jane Doe / Agency"}, nil
		case "/media/lib/uncredited.jpg":
			return &markup.LibraryImage{}, nil
		case "/media/lib/broken.jpg":
			return nil, errors.New("database down")
		}
		return nil, nil
	}
	r := markup.New().WithLibrary(lib)
	for src, want := range map[string]string{
		"/media/lib/credited.jpg":   `<p class="ve-card-credit">Credit: Photo: Jane Doe / Agency</p>`,
		"/media/lib/uncredited.jpg": `<p class="ve-card-credit"><span class="ve-missing">No credit in the library</span></p>`,
		"/media/elsewhere.jpg":      "",
		"/media/lib/broken.jpg":     "",
	} {
		md := "![Alt](" + src + " \"Cap\")"
		h := r.Editor(md)
		if got := reassemble(editorBlocks(t, h)); got != md {
			t.Errorf("%s: reassembled %q", src, got)
		}
		if want == "" {
			if strings.Contains(h, "ve-card-credit") || strings.Contains(h, "data-credit") {
				t.Errorf("%s: a credit line for an image the library does not give:\n%s", src, h)
			}
		} else if !strings.Contains(h, want) {
			t.Errorf("%s: lacks %s:\n%s", src, want, h)
		}
	}
	if h := markup.New().Editor("![Alt](/media/lib/credited.jpg)"); strings.Contains(h, "ve-card-credit") {
		t.Error("a renderer without a library showed a credit")
	}
}
