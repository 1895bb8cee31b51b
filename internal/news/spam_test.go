package news_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"masthead/internal/news"
)

func mustBlock(t *testing.T, kind news.BlockKind, value string) news.Block {
	t.Helper()
	b, err := news.NewBlock(kind, value, "")
	if err != nil {
		t.Fatalf("NewBlock(%s, %q): %v", kind, value, err)
	}
	return b
}

func TestScoreComment(t *testing.T) {
	list := news.Blocklist{
		mustBlock(t, news.BlockEmail, "troll@example.test"),
		mustBlock(t, news.BlockEmail, "@spam.example"),
		mustBlock(t, news.BlockIP, "203.0.113.0/24"),
		mustBlock(t, news.BlockIP, "2001:db8::1"),
		mustBlock(t, news.BlockWord, "casino"),
		mustBlock(t, news.BlockWord, "Cheap   PILLS"),
		mustBlock(t, news.BlockDomain, "https://www.pills.example/shop"),
	}
	const plain = "I was at the meeting and the vote was closer than this says."
	long := "This exact text is long enough to count as a repeat of itself."
	tests := []struct {
		name    string
		c       news.Comment
		f       news.SpamFacts
		score   int
		rules   []string
		trusted news.CommentStatus // status for a reader with approved comments
		status  news.CommentStatus // status for a new reader
	}{
		{name: "clean", c: news.Comment{Body: plain}, score: 0,
			trusted: news.CommentApproved, status: news.CommentPending},
		{name: "one link in a real comment", c: news.Comment{Body: plain + " Minutes: https://council.example/minutes"}, score: 0,
			trusted: news.CommentApproved, status: news.CommentPending},
		{name: "honeypot", c: news.Comment{Body: plain}, f: news.SpamFacts{Honeypot: true}, score: 100, rules: []string{"honeypot"},
			trusted: news.CommentSpam, status: news.CommentSpam},
		{name: "blocked email", c: news.Comment{Email: "Troll@Example.test", Body: plain}, score: 100, rules: []string{"blocked-email"},
			trusted: news.CommentSpam, status: news.CommentSpam},
		{name: "blocked email domain", c: news.Comment{Email: "anyone@spam.example", Body: plain}, score: 100, rules: []string{"blocked-email"},
			trusted: news.CommentSpam, status: news.CommentSpam},
		{name: "similar email domain is not blocked", c: news.Comment{Email: "anyone@notspam.example", Body: plain}, score: 0,
			trusted: news.CommentApproved, status: news.CommentPending},
		{name: "blocked range", c: news.Comment{IP: "203.0.113.77", Body: plain}, score: 100, rules: []string{"blocked-ip"},
			trusted: news.CommentSpam, status: news.CommentSpam},
		{name: "blocked IPv4 seen as IPv6", c: news.Comment{IP: "::ffff:203.0.113.5", Body: plain}, score: 100, rules: []string{"blocked-ip"},
			trusted: news.CommentSpam, status: news.CommentSpam},
		{name: "blocked IPv6", c: news.Comment{IP: "2001:db8::1", Body: plain}, score: 100, rules: []string{"blocked-ip"},
			trusted: news.CommentSpam, status: news.CommentSpam},
		{name: "two links", c: news.Comment{Body: plain + " https://a.example/1 and https://b.example/2"}, score: 2, rules: []string{"links"},
			trusted: news.CommentApproved, status: news.CommentPending},
		{name: "six links", c: news.Comment{Body: plain + " http://a.example http://b.example http://c.example www.d.example http://e.example http://f.example"}, score: 10, rules: []string{"links"},
			trusted: news.CommentPending, status: news.CommentSpam},
		{name: "links in pasted HTML count", c: news.Comment{Body: plain + ` <a href="http://a.example">a</a> [url=http://b.example]b[/url]`}, score: 2, rules: []string{"links"},
			trusted: news.CommentApproved, status: news.CommentPending},
		{name: "bare link", c: news.Comment{Body: "see https://shop.example/deal"}, score: 3, rules: []string{"bare-link"},
			trusted: news.CommentApproved, status: news.CommentPending},
		{name: "link as name", c: news.Comment{Name: "www.shop.example", Body: plain}, score: 5, rules: []string{"link-in-name"},
			trusted: news.CommentApproved, status: news.CommentPending},
		{name: "blocked word, any case and punctuation", c: news.Comment{Body: "Best CASINO, in town. " + plain}, score: 6, rules: []string{"blocked-word"},
			trusted: news.CommentPending, status: news.CommentPending},
		{name: "blocked word only as a whole word", c: news.Comment{Body: "The casinos debate again. " + plain}, score: 0,
			trusted: news.CommentApproved, status: news.CommentPending},
		{name: "blocked phrase and word", c: news.Comment{Name: "Cheap pills", Body: "casino " + plain}, score: 12, rules: []string{"blocked-word", "blocked-word"},
			trusted: news.CommentPending, status: news.CommentSpam},
		{name: "blocked domain via subdomain link", c: news.Comment{Body: plain + " https://buy.pills.example/now"}, score: 10, rules: []string{"blocked-domain"},
			trusted: news.CommentPending, status: news.CommentSpam},
		{name: "blocked domain as website", c: news.Comment{Website: "https://pills.example", Body: plain}, score: 10, rules: []string{"blocked-domain"},
			trusted: news.CommentPending, status: news.CommentSpam},
		{name: "lookalike domain is not blocked", c: news.Comment{Body: plain + " https://notpills.example/"}, score: 0,
			trusted: news.CommentApproved, status: news.CommentPending},
		{name: "same text from another reader", c: news.Comment{Body: long}, f: news.SpamFacts{SameTextOthers: 1}, score: 5, rules: []string{"repeat-others"},
			trusted: news.CommentApproved, status: news.CommentPending},
		{name: "same text from several", c: news.Comment{Body: long}, f: news.SpamFacts{SameTextOthers: 4}, score: 8, rules: []string{"repeat-others"},
			trusted: news.CommentPending, status: news.CommentPending},
		{name: "same text again from this email", c: news.Comment{Body: long}, f: news.SpamFacts{SameTextByEmail: 1}, score: 5, rules: []string{"repeat-self"},
			trusted: news.CommentApproved, status: news.CommentPending},
		{name: "same text a third time from this email", c: news.Comment{Body: long}, f: news.SpamFacts{SameTextByEmail: 2}, score: 10, rules: []string{"repeat-self"},
			trusted: news.CommentPending, status: news.CommentSpam},
		{name: "short texts are repeated innocently", c: news.Comment{Body: "Well said, thank you."}, f: news.SpamFacts{SameTextOthers: 9, SameTextByEmail: 3}, score: 0,
			trusted: news.CommentApproved, status: news.CommentPending},
		{name: "capitals", c: news.Comment{Body: "THIS COUNCIL IS A DISGRACE AND EVERYONE KNOWS IT"}, score: 3, rules: []string{"capitals"},
			trusted: news.CommentApproved, status: news.CommentPending},
		{name: "a short capital word is not shouting", c: news.Comment{Body: "RIP. " + plain}, score: 0,
			trusted: news.CommentApproved, status: news.CommentPending},
		{name: "capitals around links", c: news.Comment{Body: "READ THIS BEFORE THE COUNCIL VOTES https://petition.example/sign-it-now-please"}, score: 3, rules: []string{"capitals"},
			trusted: news.CommentApproved, status: news.CommentPending},
		{name: "punctuation", c: news.Comment{Body: plain + " Really???"}, score: 2, rules: []string{"punctuation"},
			trusted: news.CommentApproved, status: news.CommentPending},
		{name: "capitals and punctuation", c: news.Comment{Body: "WHY IS NOBODY TALKING ABOUT THE BRIDGE!!!"}, score: 5, rules: []string{"capitals", "punctuation"},
			trusted: news.CommentApproved, status: news.CommentPending},
		{name: "typical link spam", c: news.Comment{Name: "Best Deals", Body: "Great post!!! Visit https://a.example https://b.example https://c.example for more great posts like this"},
			f: news.SpamFacts{SameTextOthers: 2}, score: 14, rules: []string{"links", "repeat-others", "punctuation"},
			trusted: news.CommentPending, status: news.CommentSpam},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.f.Blocklist = list
			check := news.ScoreComment(&tt.c, tt.f)
			var rules []string
			for _, s := range check.Signals {
				if s.Reason == "" {
					t.Errorf("signal %s has no reason", s.Rule)
				}
				rules = append(rules, s.Rule)
			}
			if check.Score != tt.score || !slices.Equal(rules, tt.rules) {
				t.Errorf("score %d %v, want %d %v (%+v)", check.Score, rules, tt.score, tt.rules, check.Signals)
			}
			if got := check.Status(false); got != tt.status {
				t.Errorf("new reader: %s, want %s", got, tt.status)
			}
			// A known reader gets the known-reader signal on top.
			tt.f.ApprovedBefore = true
			known := news.ScoreComment(&tt.c, tt.f)
			if known.Score != tt.score-5 || known.Signals[len(known.Signals)-1].Rule != "known-reader" {
				t.Errorf("known reader: score %d, want %d (%+v)", known.Score, tt.score-5, known.Signals)
			}
			if got := known.Status(true); got != tt.trusted {
				t.Errorf("known reader: %s, want %s", got, tt.trusted)
			}
		})
	}
}

func TestSpamReasonsNameTheMatch(t *testing.T) {
	list := news.Blocklist{mustBlock(t, news.BlockWord, "casino"), mustBlock(t, news.BlockDomain, "pills.example")}
	check := news.ScoreComment(&news.Comment{Body: "casino at https://pills.example and https://x.example"}, news.SpamFacts{Blocklist: list})
	var reasons []string
	for _, s := range check.Signals {
		reasons = append(reasons, s.Reason)
	}
	all := strings.Join(reasons, " | ")
	for _, want := range []string{"2 links.", "Blocked word “casino”.", "Links to blocked domain pills.example."} {
		if !strings.Contains(all, want) {
			t.Errorf("reasons %q lack %q", all, want)
		}
	}
}

func TestTextFingerprint(t *testing.T) {
	a := news.TextFingerprint("Great post!! Visit my site.")
	if b := news.TextFingerprint("  great POST visit\nmy site "); a != b {
		t.Errorf("case, spacing and punctuation change the fingerprint")
	}
	if c := news.TextFingerprint("Great post. Visit your site."); a == c {
		t.Errorf("different words share a fingerprint")
	}
}

func TestNewBlock(t *testing.T) {
	tests := []struct {
		kind  news.BlockKind
		in    string
		want  string
		field string // the field in error, "" if valid
	}{
		{news.BlockEmail, " Troll@Example.TEST ", "troll@example.test", ""},
		{news.BlockEmail, "@Spam.Example", "@spam.example", ""},
		{news.BlockEmail, "not an email", "", "value"},
		{news.BlockEmail, "@localhost", "", "value"},
		{news.BlockIP, "203.0.113.7", "203.0.113.7", ""},
		{news.BlockIP, "203.0.113.7/24", "203.0.113.0/24", ""},
		{news.BlockIP, "::ffff:203.0.113.7", "203.0.113.7", ""},
		{news.BlockIP, "2001:DB8::1", "2001:db8::1", ""},
		{news.BlockIP, "203.0.113", "", "value"},
		{news.BlockWord, "  Cheap,  PILLS! ", "cheap pills", ""},
		{news.BlockWord, "!!!", "", "value"},
		{news.BlockDomain, "https://www.Pills.example/shop?x=1", "pills.example", ""},
		{news.BlockDomain, "pills.example", "pills.example", ""},
		{news.BlockDomain, "localhost", "", "value"},
		{"phone", "555", "", "kind"},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind)+" "+tt.in, func(t *testing.T) {
			b, err := news.NewBlock(tt.kind, tt.in, "  a note ")
			var fe news.FieldErrors
			switch {
			case tt.field == "" && err != nil:
				t.Fatalf("error %v", err)
			case tt.field != "" && (!errors.As(err, &fe) || fe[tt.field] == ""):
				t.Fatalf("error %v, want one on %q", err, tt.field)
			case tt.field == "" && (b.Value != tt.want || b.Note != "a note"):
				t.Errorf("value %q note %q, want %q", b.Value, b.Note, tt.want)
			}
		})
	}
	if _, err := news.NewBlock(news.BlockWord, "spam", strings.Repeat("x", 201)); err == nil {
		t.Error("a 201-character note was accepted")
	}
}

func TestStaffReply(t *testing.T) {
	staff := news.Staff{ID: 7, Name: "Ed Itor", Email: "ed@example.test", Role: news.RoleEditor}
	pending := &news.Comment{ID: 3, ArticleID: 10, Status: news.CommentPending}
	reply, approve, err := news.StaffReply(staff, 10, pending, " Thanks,\r\nfixed. ")
	if err != nil {
		t.Fatal(err)
	}
	if !approve || reply.ParentID != 3 || !reply.IsStaff || reply.Status != news.CommentApproved || reply.Name != "Ed Itor" || reply.Email != "ed@example.test" || reply.Body != "Thanks,\nfixed." {
		t.Errorf("reply %+v, approve parent %v", reply, approve)
	}
	approved := &news.Comment{ID: 4, ArticleID: 10, Status: news.CommentApproved}
	if _, approve, err := news.StaffReply(staff, 10, approved, "Yes."); err != nil || approve {
		t.Errorf("reply to an approved comment: approve %v, %v", approve, err)
	}
	if top, _, err := news.StaffReply(staff, 10, nil, "Note from the desk."); err != nil || top.ParentID != 0 {
		t.Errorf("top-level staff comment: %+v, %v", top, err)
	}
	for name, tt := range map[string]struct {
		parent *news.Comment
		body   string
	}{
		"empty":         {approved, "  "},
		"too long":      {approved, strings.Repeat("x", news.MaxCommentBodyLen+1)},
		"spam parent":   {&news.Comment{ID: 5, ArticleID: 10, Status: news.CommentSpam}, "hello"},
		"binned parent": {&news.Comment{ID: 6, ArticleID: 10, Status: news.CommentTrash}, "hello"},
	} {
		var fe news.FieldErrors
		if _, _, err := news.StaffReply(staff, 10, tt.parent, tt.body); !errors.As(err, &fe) || fe["reply"] == "" {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, _, err := news.StaffReply(staff, 11, approved, "wrong article"); !errors.Is(err, news.ErrNotFound) {
		t.Errorf("reply across articles: %v", err)
	}
}
