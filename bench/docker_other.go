//go:build !linux

package bench

import "errors"

// DockerProfile fails off Linux: moby/profiles defines Docker's default profile for Linux only.
func DockerProfile() ([]byte, error) {
	return nil, errors.New("Docker's default profile (moby/profiles) is defined for Linux only")
}
