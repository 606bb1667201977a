package bot

import (
	"container/list"
	"context"
	"sync"
)

// pngCache keeps recently rendered PNGs, bounded in bytes, so the moment
// between a render and Telegram's file_id for it (or a failed upload) never
// costs a second render. Concurrent requests for a key being rendered wait
// for that render instead of starting their own.
type pngCache struct {
	mu       sync.Mutex
	limit    int // bytes
	size     int
	order    *list.List // front = most recent; values are *pngEntry
	entries  map[string]*list.Element
	inflight map[string]*renderCall
}

type pngEntry struct {
	key string
	png []byte
}

type renderCall struct {
	done chan struct{}
	png  []byte
	err  error
}

func newPNGCache(limit int) *pngCache {
	return &pngCache{limit: limit, order: list.New(), entries: map[string]*list.Element{}, inflight: map[string]*renderCall{}}
}

// get returns the cached PNG for key, or renders it once with render.
func (c *pngCache) get(ctx context.Context, key string, render func() ([]byte, error)) ([]byte, error) {
	c.mu.Lock()
	if el, ok := c.entries[key]; ok {
		c.order.MoveToFront(el)
		png := el.Value.(*pngEntry).png
		c.mu.Unlock()
		return png, nil
	}
	if call, ok := c.inflight[key]; ok {
		c.mu.Unlock()
		select {
		case <-call.done:
			return call.png, call.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	call := &renderCall{done: make(chan struct{})}
	c.inflight[key] = call
	c.mu.Unlock()

	call.png, call.err = render()

	c.mu.Lock()
	delete(c.inflight, key)
	if call.err == nil {
		c.putLocked(key, call.png)
	}
	c.mu.Unlock()
	close(call.done)
	return call.png, call.err
}

func (c *pngCache) putLocked(key string, png []byte) {
	if cap(png) > c.limit {
		return
	}
	c.entries[key] = c.order.PushFront(&pngEntry{key: key, png: png})
	c.size += cap(png)
	for c.size > c.limit {
		el := c.order.Back()
		e := el.Value.(*pngEntry)
		c.order.Remove(el)
		delete(c.entries, e.key)
		c.size -= cap(e.png)
	}
}

// renderGate bounds the renders in flight to the number of cores and
// serves chats fairly: each chat renders one chart at a time, so a burst
// from one chat queues behind itself and takes at most one slot, while
// other chats' requests compete for the remaining slots.
type renderGate struct {
	slots chan struct{}
	mu    sync.Mutex
	chats map[int64]*chatTurn
}

type chatTurn struct {
	lock    chan struct{} // 1-buffered: held while the chat renders
	waiters int
}

func newRenderGate(slots int) *renderGate {
	return &renderGate{slots: make(chan struct{}, max(1, slots)), chats: map[int64]*chatTurn{}}
}

// acquire waits for the chat's turn and a free slot. onWait is called
// once if the caller has to wait for a slot (to show "uploading photo").
func (g *renderGate) acquire(ctx context.Context, chatID int64, onWait func()) (release func(), err error) {
	g.mu.Lock()
	t := g.chats[chatID]
	if t == nil {
		t = &chatTurn{lock: make(chan struct{}, 1)}
		g.chats[chatID] = t
	}
	t.waiters++
	g.mu.Unlock()
	leave := func() {
		g.mu.Lock()
		if t.waiters--; t.waiters == 0 {
			delete(g.chats, chatID)
		}
		g.mu.Unlock()
	}

	waited := false
	select {
	case t.lock <- struct{}{}:
	default:
		waited = true
		onWait()
		select {
		case t.lock <- struct{}{}:
		case <-ctx.Done():
			leave()
			return nil, ctx.Err()
		}
	}
	select {
	case g.slots <- struct{}{}:
	default:
		if !waited {
			onWait()
		}
		select {
		case g.slots <- struct{}{}:
		case <-ctx.Done():
			<-t.lock
			leave()
			return nil, ctx.Err()
		}
	}
	return func() {
		<-g.slots
		<-t.lock
		leave()
	}, nil
}
