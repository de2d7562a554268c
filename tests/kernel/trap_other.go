//go:build linux && !amd64

package kernel

var (
	trapFlag uint32
	trapData uint32
	trapNr   int32
	trapArch uint32
)

// installTrapHandler is only implemented on amd64. Elsewhere the Go runtime's handler takes a
// trap's SIGSYS and exits with status 2, and Run reports a harness error.
func installTrapHandler() error { return nil }
