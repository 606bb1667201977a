package bot

import (
	"context"
	"errors"
	"sync"
	"testing"
)

func TestPNGCacheBoundedAndRendersOnce(t *testing.T) {
	c := newPNGCache(100)
	renders := 0
	render := func(n int) func() ([]byte, error) {
		return func() ([]byte, error) { renders++; return make([]byte, n), nil }
	}
	ctx := context.Background()
	c.get(ctx, "a", render(40))
	c.get(ctx, "a", render(40))
	if renders != 1 {
		t.Fatalf("renders = %d, want 1", renders)
	}
	c.get(ctx, "b", render(40))
	c.get(ctx, "a", render(40)) // a is now the most recent
	c.get(ctx, "c", render(40)) // evicts b
	if c.size > 100 {
		t.Fatalf("size %d over the limit", c.size)
	}
	renders = 0
	c.get(ctx, "a", render(40))
	c.get(ctx, "b", render(40))
	if renders != 1 {
		t.Fatalf("after eviction: renders = %d, want 1 (only b)", renders)
	}
	c.get(ctx, "huge", render(1000))
	if _, ok := c.entries["huge"]; ok {
		t.Fatal("an entry larger than the cache was kept")
	}
	// Errors are not cached.
	fail := errors.New("x")
	if _, err := c.get(ctx, "bad", func() ([]byte, error) { return nil, fail }); err != fail {
		t.Fatal(err)
	}
	if _, ok := c.entries["bad"]; ok {
		t.Fatal("error cached")
	}
}

func TestPNGCacheOneRenderInFlight(t *testing.T) {
	c := newPNGCache(1 << 20)
	started, finish := make(chan struct{}), make(chan struct{})
	var mu sync.Mutex
	renders := 0
	render := func() ([]byte, error) {
		mu.Lock()
		renders++
		mu.Unlock()
		close(started)
		<-finish
		return []byte("png"), nil
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); c.get(context.Background(), "k", render) }()
	<-started
	results := make(chan []byte, 5)
	for range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			png, _ := c.get(context.Background(), "k", func() ([]byte, error) { t.Error("second render"); return nil, nil })
			results <- png
		}()
	}
	close(finish)
	wg.Wait()
	close(results)
	for png := range results {
		if string(png) != "png" {
			t.Fatalf("got %q", png)
		}
	}
	if renders != 1 {
		t.Fatalf("renders = %d", renders)
	}
}

// With one slot, a burst of renders from chat A takes the slot one at a
// time, and chat B's render goes before A's second.
func TestRenderGateIsFairAcrossChats(t *testing.T) {
	g := newRenderGate(1)
	ctx := context.Background()
	var order []string
	var mu sync.Mutex
	record := func(s string) { mu.Lock(); order = append(order, s); mu.Unlock() }

	releaseA1, err := g.acquire(ctx, 1, func() {})
	if err != nil {
		t.Fatal(err)
	}
	record("A1")
	waiting := make(chan string, 10)
	var wg sync.WaitGroup
	start := func(chat int64, name string) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rel, err := g.acquire(ctx, chat, func() { waiting <- name })
			if err != nil {
				t.Error(err)
				return
			}
			record(name)
			rel()
		}()
	}
	// A2..A4 queue behind A's own turn; B1 queues for the slot.
	start(1, "A2")
	<-waiting
	start(1, "A3")
	<-waiting
	start(2, "B1")
	<-waiting
	releaseA1()
	wg.Wait()
	if len(order) != 4 || order[1] != "B1" {
		t.Fatalf("order %v: B1 should follow A1", order)
	}
	if len(g.chats) != 0 {
		t.Fatalf("gate leaks chat entries: %d", len(g.chats))
	}
}

func TestRenderGateHonoursCancel(t *testing.T) {
	g := newRenderGate(1)
	rel, _ := g.acquire(context.Background(), 1, func() {})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := g.acquire(ctx, 2, cancel) // cancels as soon as it must wait
		done <- err
	}()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	rel()
	if len(g.chats) != 0 || len(g.slots) != 0 {
		t.Fatal("gate not clean after cancel")
	}
}
