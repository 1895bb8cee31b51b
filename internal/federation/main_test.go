package federation_test

import (
	"os"
	"testing"

	"masthead/internal/testutil"
)

func TestMain(m *testing.M) { os.Exit(testutil.RunTests(m)) }
