package quotes

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"masthead/internal/testutil/shareddata"
)

// TestDevSet runs the annotated dev set through ExtractJSONL and Evaluate and
// holds the targets. With QUOTES_DEBUG=1 it logs every miss, false positive
// and wrong speaker, for error analysis.
func TestDevSet(t *testing.T) {
	path := shareddata.Path(t, "quotes", "dev.jsonl")
	gold, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var pred bytes.Buffer
	if err := ExtractJSONL(bytes.NewReader(gold), &pred); err != nil {
		t.Fatal(err)
	}
	s, err := Evaluate(bytes.NewReader(gold), bytes.NewReader(pred.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", s)
	if os.Getenv("QUOTES_DEBUG") != "" {
		logErrors(t, gold, pred.Bytes())
	}
	if s.F1 < 0.95 {
		t.Errorf("quote F1 = %.3f, want ≥ 0.95", s.F1)
	}
	if s.AttributionAccuracy < 0.90 {
		t.Errorf("attribution accuracy = %.3f, want ≥ 0.90", s.AttributionAccuracy)
	}
}

func logErrors(t *testing.T, gold, pred []byte) {
	type gq struct {
		Start, End int
		Text       string
		Speaker    *string
		SpeakerOrg *string `json:"speaker_org"`
	}
	type ga struct {
		ID     string
		Text   string
		Quotes []gq
	}
	preds := map[string][]predQuote{}
	sc := bufio.NewScanner(bytes.NewReader(pred))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var p prediction
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			t.Fatal(err)
		}
		preds[p.ID] = p.Quotes
	}
	str := func(p *string) string {
		if p == nil {
			return "<nil>"
		}
		return *p
	}
	sc = bufio.NewScanner(bytes.NewReader(gold))
	sc.Buffer(nil, 1<<24)
	var b strings.Builder
	for sc.Scan() {
		var g ga
		if err := json.Unmarshal(sc.Bytes(), &g); err != nil {
			t.Fatal(err)
		}
		rs := []rune(g.Text)
		ctx := func(s, e int) string {
			l := max(0, s-90)
			r := min(len(rs), e+50)
			return strings.ReplaceAll(string(rs[l:s])+"[["+string(rs[s:min(e, s+60)])+"]]"+string(rs[e:r]), "\n", "/")
		}
		ps := preds[g.ID]
		used := make([]bool, len(ps))
		for _, q := range g.Quotes {
			found := -1
			for i, p := range ps {
				ov := min(p.End, q.End) - max(p.Start, q.Start)
				if !used[i] && 2*ov >= q.End-q.Start {
					found = i
					break
				}
			}
			if found < 0 {
				fmt.Fprintf(&b, "MISS %s gold=%s/%s: %s\n", g.ID, str(q.Speaker), str(q.SpeakerOrg), ctx(q.Start, q.End))
				continue
			}
			used[found] = true
			ok := speakerCorrect(goldQuote{Start: q.Start, End: q.End, Speaker: q.Speaker, SpeakerOrg: q.SpeakerOrg}, ps[found].Speaker, map[string]bool{})
			if !ok {
				fmt.Fprintf(&b, "SPKR %s gold=%s/%s pred=%s: %s\n", g.ID, str(q.Speaker), str(q.SpeakerOrg), str(ps[found].Speaker), ctx(q.Start, q.End))
			}
		}
		for i, p := range ps {
			if !used[i] {
				fmt.Fprintf(&b, "FP   %s pred=%s: %s\n", g.ID, str(p.Speaker), ctx(p.Start, p.End))
			}
		}
	}
	t.Log("\n" + b.String())
}

// TestDebugMentions prints the mentions of one dev article (QUOTES_ARTICLE=id).
func TestDebugMentions(t *testing.T) {
	id := os.Getenv("QUOTES_ARTICLE")
	if id == "" {
		t.Skip("set QUOTES_ARTICLE")
	}
	data, err := os.ReadFile(devOrEnv(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range bytes.Split(data, []byte("\n")) {
		var a article
		if json.Unmarshal(line, &a) != nil || a.ID != id {
			continue
		}
		an := analyze(a.Text)
		var b strings.Builder
		for _, m := range an.ments {
			p := &an.paras[m.para]
			txt := a.Text[p.toks[m.t0].s:p.toks[m.t1-1].e]
			en := "-"
			if m.ent >= 0 {
				e := an.ents[m.ent]
				en = fmt.Sprintf("%d:%q k=%d g=%d roles=%q", m.ent, e.name, e.kind, e.gender, e.roles)
			}
			fmt.Fprintf(&b, "p%d %-30q kind=%d obl=%v -> %s\n", m.para, txt, m.kind, m.oblique, en)
		}
		t.Log("\n" + b.String())
	}
}

func devOrEnv(t *testing.T) string {
	if p := os.Getenv("QUOTES_FILE"); p != "" {
		return p
	}
	return shareddata.Path(t, "quotes", "dev.jsonl")
}
