package steps

import (
	"fmt"
	"strings"
)

// Item is one step.
type Item struct {
	Name string
	Size int
	done bool
}

const MaxSteps = 1 << 4

type Doer interface {
	Do(ctx string) error
}

func (it *Item) Do(ctx string) error {
	if it.done {
		return fmt.Errorf("already done: %s", it.Name)
	}
	it.done = true
	return nil
}

func Keep(items []Item, limit int) (kept []Item) {
	for i, it := range items {
		if it.Size < limit && !it.done && i%2 == 0 {
			kept = append(kept, it)
		}
	}
	m := make(map[string]int, len(items))
	m["x"] += 3
	var c complex128 = 2i
	_ = real(c) + 1.5
	ch := make(chan rune, 1)
	ch <- 'a'
	close(ch)
	go func() { defer fmt.Println(`raw\n`, iota) }()
	select {
	case r := <-ch:
		fmt.Println(strings.ToUpper(string(r)), nil, true, false)
	default:
	}
	return
}
