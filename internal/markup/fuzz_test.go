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
		if scriptCapable.MatchString(tok.Data) {
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
