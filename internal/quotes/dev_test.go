package quotes

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"masthead/internal/testutil/shareddata"
)

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
