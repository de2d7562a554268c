package lang

import (
	"errors"
	"fmt"
	"strconv"
)

var errLeadingZero = errors.New("leading zero")

// ParseNumber returns the value of an integer literal: decimal, or 0x, 0o, 0b with Go's
// optional underscores between digits. Values must fit 64 bits unsigned. A decimal with a
// leading zero (0755) is an error rather than C's octal.
func ParseNumber(text string) (uint64, error) {
	if len(text) > 1 && text[0] == '0' && (text[1] >= '0' && text[1] <= '9' || text[1] == '_') {
		return 0, fmt.Errorf("invalid number %s: %w is not octal here", text, errLeadingZero)
	}
	v, err := strconv.ParseUint(text, 0, 64)
	if errors.Is(err, strconv.ErrRange) {
		return 0, fmt.Errorf("number %s overflows 64 bits", text)
	}
	if err != nil {
		return 0, fmt.Errorf("invalid number %s", text)
	}
	return v, nil
}
