//go:build linux && !amd64

package callthread

// The SIGSYS handler is only written for amd64: these stay zero, and no trap is recorded.
var (
	trapFlag uint32
	trapData uint32
	trapNr   int32
	trapArch uint32
)

// InstallTrapHandler is only implemented on amd64; elsewhere it returns ErrNoTrapHandler and
// installs nothing, so the Go runtime takes a trap's SIGSYS and the child exits with status 2.
func InstallTrapHandler() error { return ErrNoTrapHandler }
