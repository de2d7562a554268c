//go:build !unix

package bench

import "os"

// maxRSS is 0 (unknown): the system gives no rusage.
func maxRSS(*os.ProcessState) int64 { return 0 }

// minorFaults is 0 (unknown): the system gives no rusage.
func minorFaults(*os.ProcessState) int64 { return 0 }
