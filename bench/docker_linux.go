package bench

import (
	"encoding/json"

	"github.com/moby/profiles/seccomp"
)

// DockerProfile returns Docker's default seccomp profile (moby/profiles) as JSON.
func DockerProfile() ([]byte, error) {
	return json.Marshal(seccomp.DefaultProfile())
}
