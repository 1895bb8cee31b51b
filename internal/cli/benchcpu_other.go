//go:build !unix

package cli

import "time"

// processCPU is not measured here: bench render shows no CPU column's figure.
func processCPU() time.Duration { return 0 }
