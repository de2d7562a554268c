package optimizer

import "sync"

// spare keeps one value between builds, so that a process building filter after filter does
// not allocate, clear and fault in the same large scratch (dpTables, about 0.7 MB at 161
// spans; the builder's node map and span buffer) for each. See spareLen for what it saves. Unlike a sync.Pool,
// it keeps the value across garbage collections, which come every few builds; unlike a free
// list, it keeps at most one, whatever the number of builds running at once.
type spare[T any] struct {
	mu  sync.Mutex
	val *T
}

// take returns the kept value, or a new zero one.
func (s *spare[T]) take() *T {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.val
	s.val = nil
	if v == nil {
		v = new(T)
	}
	return v
}

// give keeps v for the next take, unless a value is kept already.
func (s *spare[T]) give(v *T) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.val == nil {
		s.val = v
	}
}
