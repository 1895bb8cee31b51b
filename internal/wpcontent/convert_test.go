package wpcontent_test

import (
	"strings"
	"testing"

	"masthead/internal/wpcontent"
)

// block marks a body as block-editor content (no wpautop).
const block = "<!-- wp:paragraph -->"

type convertCase struct {
	name string
	in   string
	want string // without the final newline
}

var convertTests = []convertCase{
	// Paragraphs and wpautop.
	{"classic paragraphs", "First para\nsecond line\n\nSecond para", "First para\\\nsecond line\n\nSecond para"},
	{"classic blank lines with spaces", "One\n  \n\t\nTwo", "One\n\nTwo"},
	{"classic br then newline is one break", "a<br />\nb", "a\\\nb"},
	{"classic text around blocks", "Intro\n<h2>Head</h2>\nOutro", "Intro\n\n## Head\n\nOutro"},
	{"block paragraph newlines are spaces", block + "\n<p>One\ntwo</p>\n<!-- /wp:paragraph -->", "One two"},
	{"explicit p tags", "<p>One</p><p>Two</p>", "One\n\nTwo"},
	{"empty and nbsp paragraphs dropped", "<p>&nbsp;</p><p> </p><p>Text</p>", "Text"},
	{"whitespace collapses", block + "<p>  a   \t b  </p>", "a b"},
	{"empty body", "", ""},
	{"only block comments", "<!-- wp:spacer -->\n<div style=\"height:100px\" aria-hidden=\"true\" class=\"wp-block-spacer\"></div>\n<!-- /wp:spacer -->", ""},

	// Headings.
	{"headings", "<h1>One</h1><h3>Three</h3><h6>Six</h6>", "# One\n\n### Three\n\n###### Six"},
	{"heading trailing hash escaped", "<h2>Issue #</h2>", "## Issue \\#"},
	{"heading break becomes space", "<h2>A<br>B</h2>", "## A B"},
	{"heading with emphasis and link", `<h2><em>Big</em> <a href="/x">news</a></h2>`, "## *Big* [news](/x)"},
	{"empty heading dropped", "<h2> </h2><p>x</p>", "x"},

	// Emphasis.
	{"strong and em", "<strong>bold</strong> <em>it</em> <b>b</b> <i>i</i>", "**bold** *it* **b** *i*"},
	{"nested emphasis", "<strong><em>both</em></strong> <em>a <strong>b</strong> c</em>", "***both*** *a **b** c*"},
	{"emphasis spaces move outside", block + "<p>x<em> spaced </em>y</p>", "x *spaced* y"},
	{"intraword emphasis", block + "<p>un<em>believ</em>able</p>", "un*believ*able"},
	{"punctuation edge falls back to HTML", block + `<p>a<em>"b"</em>c</p>`, `a<em>"b"</em>c`},
	{"adjacent emphasis falls back to HTML", "<strong>a</strong><em>b</em>", "**a**<em>b</em>"},
	{"doubled emphasis once", "<em><em>x</em></em>", "*x*"},
	{"empty emphasis dropped", "a<strong> </strong>b", "a b"},

	// Links and images.
	{"link with title", `<a href="https://example.com/" title="Ex &quot;ample&quot;">site</a>`, `[site](https://example.com/ "Ex \"ample\"")`},
	{"link text equal to URL", `<a href="https://example.com/a">https://example.com/a</a>`, "<https://example.com/a>"},
	{"relative link", `<a href="/2024/05/story/">story</a>`, "[story](/2024/05/story/)"},
	{"link with parens and spaces", `<a href="https://en.wikipedia.org/wiki/Go_(game) x">Go</a>`, "[Go](<https://en.wikipedia.org/wiki/Go_(game)%20x>)"},
	{"javascript link keeps text", `<a href="javascript:alert(1)">click</a> <a href=" JaVa&#09;script:x">two</a>`, "click two"},
	{"anchor without href", `<a id="top"></a><a name="x">named</a>`, "named"},
	{"empty link dropped", `a<a href="/x"></a>b`, "ab"},
	{"mailto", `<a href="mailto:desk@example.com">email us</a>`, "[email us](mailto:desk@example.com)"},
	{"image", `<img src="/a.png" alt="A *star*" title="T">`, `![A \*star\*](/a.png "T")`},
	{"image without alt", `<img src="https://x.test/b.jpg">`, "![](https://x.test/b.jpg)"},
	{"linked image", `<a href="/big.jpg"><img src="/small.jpg" alt="s"></a>`, "[![s](/small.jpg)](/big.jpg)"},
	{"unsafe image keeps alt", `<img src="data:image/png;base64,AAAA" alt="chart"><img src="javascript:x">`, "chart"},
	{"link inside text", block + `<p>Read <a href="/a">this</a>, now.</p>`, "Read [this](/a), now."},

	// Lists.
	{"bullet list", "<ul><li>One</li><li>Two</li></ul>", "- One\n- Two"},
	{"ordered list with start", `<ol start="3"><li>Three</li><li>Four</li></ol>`, "3. Three\n4. Four"},
	{"nested lists", "<ul><li>A<ul><li>A1</li><li>A2<ol><li>x</li></ol></li></ul></li><li>B</li></ul>",
		"- A\n  - A1\n  - A2\n    1. x\n- B"},
	{"loose list", "<ol><li><p>One</p><p>more</p></li><li>Two</li></ol>", "1. One\n\n   more\n\n2. Two"},
	{"ordered list not from 1 nested in tight item", `<ul><li>A<ol start="5"><li>e</li></ol></li></ul>`, "- A\n\n  5. e"},
	{"adjacent lists alternate markers", "<ul><li>a</li></ul><ul><li>b</li></ul><ul><li>c</li></ul><ol><li>x</li></ol><ol><li>y</li></ol>",
		"- a\n\n* b\n\n- c\n\n1. x\n\n1) y"},
	{"list in classic body", "Intro\n<ul>\n\t<li>one</li>\n\t<li>two\nlines</li>\n</ul>\nOutro", "Intro\n\n- one\n- two\\\n  lines\n\nOutro"},
	{"ul directly in ul", "<ul><li>a</li><ul><li>nested</li></ul><li>b</li></ul>", "- a\n  - nested\n- b"},
	{"empty item", "<ul><li></li><li>x</li></ul>", "-\n- x"},
	{"item holding a rule", "<ul><li><hr></li></ul>", "-\n  ---"},
	{"list item escaping", "<ul><li>1. x</li><li>- y</li></ul>", "- 1\\. x\n- \\- y"},

	// Blockquotes.
	{"blockquote", "<blockquote><p>Quote</p><p>Second</p></blockquote>", "> Quote\n>\n> Second"},
	{"nested blockquote", "<blockquote>outer<blockquote>inner</blockquote></blockquote>", "> outer\n>\n> > inner"},
	{"pullquote with cite", `<figure class="wp-block-pullquote"><blockquote><p>Words.</p><cite>Someone</cite></blockquote></figure>`,
		"> Words.\n>\n> <cite>Someone</cite>"},

	// Code.
	{"inline code", "Use <code>go test</code> now", "Use `go test` now"},
	{"inline code with backticks", "<code>a`b</code> and <code>`x</code>", "``a`b`` and `` `x ``"},
	{"inline code keeps markup characters", "<code>*ptr &amp;&amp; x[0]</code>", "`*ptr && x[0]`"},
	{"pre block", "<pre>line 1\n  line 2\n</pre>", "```\nline 1\n  line 2\n```"},
	{"pre with language and fences", "<pre><code class=\"language-go\">fmt.Println(\"```\")</code></pre>",
		"````go\nfmt.Println(\"```\")\n````"},
	{"pre with br and entities", "<pre class=\"wp-block-preformatted\">a &lt;b&gt;<br>c</pre>", "```\na <b>\nc\n```"},
	{"pre keeps blank lines", "<pre>a\n\n\nb</pre>", "```\na\n\n\nb\n```"},
	{"code block in list", "<ul><li>x<pre>code</pre></li></ul>", "- x\n\n  ```\n  code\n  ```"},
	{"verse keeps lines", `<pre class="wp-block-verse">Roses <em>red</em>
violets blue</pre>`, "Roses *red*\\\nviolets blue"},

	// Rules and breaks.
	{"horizontal rule", "<p>a</p><hr /><p>b</p>", "a\n\n---\n\nb"},
	{"line break", block + "<p>a<br>b<br><br>c</p>", "a\\\nb\\\n\\\nc"},
	{"breaks at edges dropped", block + "<p><br>a<br></p>", "a"},

	// Escaping of literal characters.
	{"markdown characters escaped", block + "<p>a * b _c_ [x](y) `q` &lt;b&gt; | ~ d</p>", "a \\* b \\_c\\_ \\[x\\](y) \\`q\\` \\<b> \\| \\~ d"},
	{"intraword underscore kept", block + "<p>snake_case_name</p>", "snake_case_name"},
	{"line-start markers escaped", "<p># not heading</p><p>- not list</p><p>+ no</p><p>1. not list</p><p>2) nor</p><p>&gt; not quote</p><p>=== x</p>",
		"\\# not heading\n\n\\- not list\n\n\\+ no\n\n1\\. not list\n\n2\\) nor\n\n\\> not quote\n\n\\=== x"},
	{"escaping after a break", block + "<p>a<br># b<br>- c</p>", "a\\\n\\# b\\\n\\- c"},
	{"mid-line markers left alone", block + "<p>a # b - c 1. d</p>", "a # b - c 1. d"},
	{"backslashes", block + `<p>C:\xampp\htdocs \o/ end\</p>`, `C:\xampp\htdocs \o/ end\\`},
	{"entity-like text", block + "<p>&amp;copy; &amp;#169; AT&amp;T &amp; co</p>", `\&copy; \&#169; AT&T & co`},
	{"slashes kept", `Slashes aren\'t \"cool\"`, `Slashes aren\\'t \\"cool\\"`},

	// Kept HTML.
	{"table", "<table class=\"x\"><tr><td onclick=\"evil()\">a</td><td><script>alert(1)</script>b</td></tr></table>",
		"<table><tbody><tr><td>a</td><td>b</td></tr></tbody></table>"},
	{"table with blank lines", "<table><tr><td><pre>x\n\ny</pre></td></tr></table>", "<table><tbody><tr><td><pre>x\n&#10;y</pre></td></tr></tbody></table>"},
	{"definition list", "<dl><dt>Term</dt><dd>Def <em>x</em></dd></dl>", "<dl><dt>Term</dt><dd>Def <em>x</em></dd></dl>"},
	{"details", "<details><summary>More</summary><p>Hidden</p></details>", "<details><summary>More</summary><p>Hidden</p></details>"},
	{"form stripped to text", `<form action="/x"><label>Name</label><input name="n"><button>Go</button></form>`, "<div>Name   Go</div>"},
	{"unknown element is transparent", "<my-widget><p>inside</p></my-widget><font color=red>red</font>", "inside\n\nred"},
	{"inline phrase elements", "H<sub>2</sub>O E=mc<sup>2</sup> <abbr title=\"Seriously\" onclick=\"x\">srsly</abbr> <del>old</del>",
		`H<sub>2</sub>O E=mc<sup>2</sup> <abbr title="Seriously">srsly</abbr> <del>old</del>`},
	{"script and style dropped", "<p>a<script>alert(1)</script><style>p{}</style>b</p>", "ab"},

	// Figures and media.
	{"captioned image figure", `<figure class="wp-block-image"><img src="/a.jpg" alt="A" class="wp-image-5"/><figcaption class="wp-element-caption">Cap <a href="/c" onmouseover="x">link</a></figcaption></figure>`,
		`<figure><img src="/a.jpg" alt="A"/><figcaption>Cap <a href="/c">link</a></figcaption></figure>`},
	{"uncaptioned figure", `<figure class="wp-block-image"><img src="/a.jpg" alt="A"/></figure>`, "![A](/a.jpg)"},
	{"table figure", `<figure class="wp-block-table"><table><tr><td>x</td></tr></table><figcaption>T</figcaption></figure>`,
		"<figure><table><tbody><tr><td>x</td></tr></tbody></table><figcaption>T</figcaption></figure>"},
	{"iframe becomes its URL", `<iframe width="560" src="https://www.youtube.com/embed/abc" onload="x()">fallback</iframe>`, "<https://www.youtube.com/embed/abc>"},
	{"video with source and caption", `<figure class="wp-block-video"><video controls><source src="https://x.test/v.mp4"></video><figcaption>Clip</figcaption></figure>`,
		"<https://x.test/v.mp4>\n\nClip"},
	{"audio", `<audio controls src="/a.mp3"></audio>`, "[/a.mp3](/a.mp3)"},
	{"embed block", `<!-- wp:embed {"url":"https://youtu.be/x"} --><figure class="wp-block-embed"><div class="wp-block-embed__wrapper">
https://youtu.be/x
</div></figure><!-- /wp:embed -->`, "<https://youtu.be/x>"},
	{"classic URL on its own line", "Watch this:\nhttps://www.youtube.com/watch?v=a_b\nGreat.", "Watch this:\n\n<https://www.youtube.com/watch?v=a_b>\n\nGreat."},
	{"object with embed", `<object data="https://x.test/f.swf"><param name="q" value="1"><embed src="https://x.test/f.swf"></object>`, "<https://x.test/f.swf>"},

	// Gutenberg and WordPress markers.
	{"block delimiters stripped", "<!-- wp:heading {\"level\":3} -->\n<h3>H</h3>\n<!-- /wp:heading -->\n\n<!-- wp:archives /-->\n\n<!-- wp:paragraph -->\n<p>P</p>\n<!-- /wp:paragraph -->", "### H\n\nP"},
	{"group and columns unwrap", block + `<div class="wp-block-columns"><div class="wp-block-column"><p>Left</p></div><div class="wp-block-column"><p>Right</p></div></div>`, "Left\n\nRight"},
	{"button block", block + `<div class="wp-block-button"><a class="wp-block-button__link" href="https://x.test/">Donate</a></div>`, "[Donate](https://x.test/)"},
	{"more tag", "Intro<!--more-->Rest", "Intro\n\n<!--more-->\n\nRest"},
	{"more with text", "Intro\n<!--more Read on-->\nRest", "Intro\n\n<!--more Read on-->\n\nRest"},
	{"more block", "<!-- wp:more -->\n<!--more-->\n<!-- /wp:more -->", "<!--more-->"},
	{"nextpage", "One<!--nextpage-->Two", "One\n\n<!--nextpage-->\n\nTwo"},
	{"other comments dropped", "a<!-- note to self -->b", "ab"},

	// Shortcodes.
	{"caption shortcode", `[caption id="attachment_6" align="alignright" width="300"]<a href="/big.jpg"><img src="/small.jpg" alt="Boat" /></a> A boat, at sea[/caption]`,
		`<figure><a href="/big.jpg"><img src="/small.jpg" alt="Boat"/></a><figcaption>A boat, at sea</figcaption></figure>`},
	{"caption attribute", `[caption id="" align="aligncenter" width="640" caption="From the attribute"]<img src="/a.jpg" alt="a">[/caption]`,
		`<figure><img src="/a.jpg" alt="a"/><figcaption>From the attribute</figcaption></figure>`},
	{"caption without image keeps text", `[caption]Just words[/caption]`, "Just words"},
	{"unclosed caption is text", `[caption id="1"]<img src="/a.jpg">`, "\\[caption id=\"1\"\\]![](/a.jpg)"},
	{"embed shortcode", "Look:\n\n[embed]https://vimeo.com/123[/embed]\n\nDone", "Look:\n\n<https://vimeo.com/123>\n\nDone"},
	{"audio shortcode", `[audio https://x.test/a.mp3]`, "<https://x.test/a.mp3>"},
	{"video shortcode", `[video width="640" mp4="https://x.test/v.mp4"][/video]`, "<https://x.test/v.mp4>"},
	{"gallery without resolver stays", `[gallery ids="1,2,3"]`, `\[gallery ids="1,2,3"\]`},
	{"unknown shortcode stays", `[pullquote align="left"]Quote *this*[/pullquote]`, `\[pullquote align="left"\]Quote \*this\*\[/pullquote\]`},
	{"escaped shortcode", `[[caption]]`, `\[caption\]`},
	{"brackets that are not shortcodes", "a [1] b [x y", `a \[1\] b \[x y`},
}

func TestToMarkdown(t *testing.T) {
	for _, tt := range convertTests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := wpcontent.ToMarkdown(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			want := tt.want
			if want != "" {
				want += "\n"
			}
			if got != want {
				t.Errorf("ToMarkdown(%q)\n got: %q\nwant: %q\n--- got ---\n%s", tt.in, got, want, got)
			}
			assertNoLostWords(t, tt.in, got)
		})
	}
}

func TestGallery(t *testing.T) {
	images := map[int64]wpcontent.Attachment{
		1: {URL: "https://x.test/1.jpg", Alt: "One"},
		2: {URL: "https://x.test/2.jpg", Alt: "Two", Caption: "Second <em>image</em>"},
	}
	opts := wpcontent.Options{
		Attachment: func(id int64) (wpcontent.Attachment, bool) {
			a, ok := images[id]
			return a, ok
		},
		Attached: []int64{2, 1},
	}
	tests := []convertCase{
		{"ids", `[gallery ids="1,2,99"]`, "![One](https://x.test/1.jpg)\n\n" +
			`<figure><img src="https://x.test/2.jpg" alt="Two"/><figcaption>Second <em>image</em></figcaption></figure>`},
		{"unquoted ids", `[gallery columns=2 ids=1]`, "![One](https://x.test/1.jpg)"},
		{"attached images", `[gallery columns="3"]`, `<figure><img src="https://x.test/2.jpg" alt="Two"/><figcaption>Second <em>image</em></figcaption></figure>` +
			"\n\n![One](https://x.test/1.jpg)"},
		{"nothing resolves", `[gallery ids="98,99"]`, `\[gallery ids="98,99"\]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := wpcontent.Convert(tt.in, opts)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want+"\n" {
				t.Errorf("got %q\nwant %q", got, tt.want+"\n")
			}
		})
	}
}

// TestSanitised checks that no script, event handler or javascript: URL
// reaches the output, however it is dressed up.
func TestSanitised(t *testing.T) {
	attacks := []string{
		`<script>alert(1)</script>`,
		`<img src=x onerror=alert(1)>`,
		`<a href="javascript:alert(1)">x</a>`,
		`<a href="  jav&#x09;ascript:alert(1)">x</a>`,
		`<table><tr><td><a href="javascript:alert(1)" onclick="alert(1)">x</a></td></tr></table>`,
		`<figure><img src="javascript:alert(1)"><figcaption onmouseover="alert(1)">c</figcaption></figure>`,
		`<iframe src="javascript:alert(1)"></iframe>`,
		`<svg><script>alert(1)</script></svg>`,
		`<details open ontoggle="alert(1)"><summary>s</summary></details>`,
		`[caption]<img src="/a.jpg" onerror="alert(1)"> c[/caption]`,
		`<abbr title="x" onclick="alert(1)">a</abbr>`,
		`<object data="javascript:alert(1)"></object>`,
		`<math><mi xlink:href="javascript:alert(1)">x</mi></math>`,
		`<style>body{}</style><p style="x">y</p>`,
	}
	for _, in := range attacks {
		got, err := wpcontent.ToMarkdown(in)
		if err != nil {
			t.Fatal(err)
		}
		if m := unsafeOutput.FindString(got); m != "" {
			t.Errorf("ToMarkdown(%q) = %q: has %q", in, got, m)
		}
	}
}

func TestCRLF(t *testing.T) {
	got, err := wpcontent.ToMarkdown("One\r\ntwo\r\n\r\nThree")
	if err != nil {
		t.Fatal(err)
	}
	if want := "One\\\ntwo\n\nThree\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestDeepNesting(t *testing.T) {
	in := strings.Repeat("<div><span>", 5000) + "deep words" + strings.Repeat("</span></div>", 5000)
	got, err := wpcontent.ToMarkdown(in)
	if err != nil {
		t.Fatal(err)
	}
	if strings.TrimSpace(got) != "deep words" {
		t.Errorf("got %q", got)
	}
}
