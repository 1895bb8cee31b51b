package markup

import (
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// scriptCapable finds what must never survive sanitising: script-capable
// elements, event-handler attributes and script URLs.
var scriptCapable = regexp.MustCompile(`(?i)^(script|iframe|object|embed|style|link|meta|base|form|input|button|svg|math|frame|frameset|template)$`)

func checkSafe(t *testing.T, out string) {
	t.Helper()
	z := html.NewTokenizer(strings.NewReader(out))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		if scriptCapable.MatchString(tok.Data) && !isEmbedButton(tok) {
			t.Fatalf("output contains <%s>: %q", tok.Data, out)
		}
		for _, a := range tok.Attr {
			key := strings.ToLower(a.Key)
			val := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
			if strings.HasPrefix(key, "on") || key == "style" || key == "srcdoc" || key == "formaction" {
				t.Fatalf("output has attribute %s: %q", a.Key, out)
			}
			if (key == "href" || key == "src" || key == "action" || key == "xlink:href") &&
				(strings.HasPrefix(val, "javascript:") || strings.HasPrefix(val, "vbscript:") || strings.HasPrefix(val, "data:text")) {
				t.Fatalf("output has a script URL in %s: %q", a.Key, out)
			}
		}
	}
}

// isEmbedButton reports whether a button is an embed facade's load button
// and nothing more: no form to submit, no action, no other attribute.
func isEmbedButton(tok html.Token) bool {
	if tok.Data != "button" {
		return false
	}
	for _, a := range tok.Attr {
		switch {
		case a.Key == "type" && a.Val == "button", a.Key == "class" && a.Val == "embed-load",
			a.Key == "hidden", a.Key == "aria-describedby" && strings.HasPrefix(a.Val, "embed-"):
		default:
			return false
		}
	}
	return true
}

func FuzzArticle(f *testing.F) {
	for _, s := range []string{
		"# Hello\n\n\"Quote,\" she said.",
		"<script>alert(1)</script>",
		"<img src=x onerror=alert(1)>",
		"[x](javascript:alert(1))",
		"<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
		"<svg><script>alert(1)</script></svg>",
		"> quote\n>\n> — Name",
		"<iframe srcdoc='<script>x</script>'></iframe>",
		"<div style=\"background:url(javascript:x)\">x</div>",
		"![a](data:text/html;base64,PHNjcmlwdD4=)",
		"![alt](/media/x.png \"A \\\"caption\\\" <b>\")",
		"https://www.youtube.com/watch?v=aqz-KE-bpKQ&t=1m5s",
		"<https://mastodon.social/@ana/123>\n\nhttps://example.org/a.pdf",
		"[https://x.com/a/status/1](https://x.com/a/status/1)",
	} {
		f.Add(s)
	}
	r := New()
	f.Fuzz(func(t *testing.T, src string) {
		out, _, err := r.Article(src)
		if err != nil {
			t.Fatal(err)
		}
		checkSafe(t, out)
	})
}

func FuzzComment(f *testing.F) {
	for _, s := range []string{"hello", "<b>x</b> https://e.org/a?b=c&d=e", "www.x.y\n\nline", "\"><script>x</script>", "https://e.org/\"onmouseover=\"x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		out := Comment(body)
		checkSafe(t, out)
		// Every tag in a comment is one we wrote.
		z := html.NewTokenizer(strings.NewReader(out))
		for tt := z.Next(); tt != html.ErrorToken; tt = z.Next() {
			if tt == html.StartTagToken || tt == html.SelfClosingTagToken {
				if name, _ := z.TagName(); string(name) != "p" && string(name) != "br" && string(name) != "a" {
					t.Fatalf("comment produced <%s>: %q", name, out)
				}
			}
		}
	})
}

// FuzzEmbedFor: whatever address a writer pastes, an embed's frame is an
// https address with a host, and its facade is safe markup whose frame
// attribute says exactly that address.
func FuzzEmbedFor(f *testing.F) {
	for _, s := range []string{
		"https://www.youtube.com/watch?v=aqz-KE-bpKQ", "https://youtu.be/aqz-KE-bpKQ?t=90", "https://vimeo.com/1/abcdef",
		"https://mastodon.social/@a/1", "https://example.org/a.pdf?x=\"'<>", "https://bsky.app/profile/did:plc:abcdefghijklmnopqrstuvwx/post/x",
		"https://www.google.com/maps/place/A\"B/@1,2,3z", "https://soundcloud.com/a/b", "https://www.youtube.com@evil.example/watch?v=aqz-KE-bpKQ",
		"https://0.AA:/.pdf",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		e, ok := EmbedFor(raw)
		if !ok {
			return
		}
		if e.Frame != "" {
			u, ok := embeddableURL(e.Frame)
			if !ok || u.Scheme != "https" || !anyHost.MatchString(u.Host) {
				t.Fatalf("EmbedFor(%q): frame %q", raw, e.Frame)
			}
		}
		out := e.facade("embed-1")
		checkSafe(t, out)
		z := html.NewTokenizer(strings.NewReader(out))
		srcs := 0
		for tt := z.Next(); tt != html.ErrorToken; tt = z.Next() {
			for _, a := range z.Token().Attr {
				if a.Key == "data-embed-src" {
					srcs++
					if a.Val != e.Frame {
						t.Fatalf("facade frame %q, want %q", a.Val, e.Frame)
					}
				}
			}
		}
		if want := min(len(e.Frame), 1); srcs != want {
			t.Fatalf("facade has %d frame addresses, want %d: %s", srcs, want, out)
		}
	})
}
