// Command dkimverify checks the DKIM signature of a message on standard
// input with mailtest.VerifyDKIM (an independent verifier), for tests in
// other languages: the browser tests hand it what arrived at Mailpit.
//
//	dkimverify --domain example.org --selector s1 --txt-file record.txt < message.eml
//
// It prints "dkim=pass" and exits 0, or says why and exits 1.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"masthead/internal/mail/mailtest"
)

func main() {
	domain := flag.String("domain", "", "the signing domain (d=)")
	selector := flag.String("selector", "", "the selector (s=)")
	txtFile := flag.String("txt-file", "", "file holding the TXT record of selector._domainkey.domain")
	flag.Parse()
	if err := run(*domain, *selector, *txtFile, os.Stdin); err != nil {
		fmt.Fprintln(os.Stderr, "dkim=fail:", err)
		os.Exit(1)
	}
	fmt.Println("dkim=pass")
}

func run(domain, selector, txtFile string, in io.Reader) error {
	if domain == "" || selector == "" || txtFile == "" {
		return fmt.Errorf("give --domain, --selector and --txt-file")
	}
	txt, err := os.ReadFile(txtFile)
	if err != nil {
		return err
	}
	raw, err := io.ReadAll(in)
	if err != nil {
		return err
	}
	return mailtest.VerifyDKIM(raw, domain, selector, strings.TrimSpace(string(txt)))
}
