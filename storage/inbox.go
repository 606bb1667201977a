package storage

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// The inbox keeps every update the bot accepted until it is handled, so
// that a crash loses none (see README, "Delivery guarantees").
//
// Bucket "inbox": update_id (8 bytes, big-endian) → the update's raw JSON
// while it is pending, or an empty value (a tombstone) once it is done.
// Tombstones let a redelivered update (a webhook retry) be recognised; the
// oldest are pruned beyond inboxKeepDone. Bucket "meta", key
// "inbox_offset": the next getUpdates offset (8 bytes), written in the same
// transaction as the batch it follows.
var (
	bucketInbox    = []byte("inbox")
	keyInboxOffset = []byte("inbox_offset")
	keyInboxCount  = []byte("inbox_count") // keys in the inbox bucket
)

// inboxKeepDone is how many done update ids are remembered for
// deduplication. Telegram retries a webhook delivery for a limited time and
// never redelivers a getUpdates batch once confirmed, so the newest ids are
// the only ones that can come again.
const inboxKeepDone = 10000

// InboxUpdate is one update as it came from Telegram.
type InboxUpdate struct {
	ID  int64
	Raw []byte // the update's JSON
}

func inboxKey(id int64) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], uint64(id))
	return k[:]
}

// InboxPut stores a fetched batch and the next getUpdates offset in one
// transaction, and returns the updates that are new: one already in the
// inbox (pending or done) or below the stored offset is a redelivery and is
// left out. nextOffset 0 leaves the offset as it is (webhook mode).
func (db *DB) InboxPut(batch []InboxUpdate, nextOffset int64) ([]InboxUpdate, error) {
	var fresh []InboxUpdate
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		fresh = fresh[:0]
		b, err := tx.CreateBucketIfNotExists(bucketInbox)
		if err != nil {
			return err
		}
		meta := tx.Bucket(bucketMeta)
		offset := int64(0)
		if v := meta.Get(keyInboxOffset); len(v) == 8 {
			offset = int64(binary.BigEndian.Uint64(v))
		}
		for _, u := range batch {
			k := inboxKey(u.ID)
			if u.ID < offset || b.Get(k) != nil {
				continue
			}
			if len(u.Raw) == 0 {
				return fmt.Errorf("storage: inbox update %d is empty", u.ID)
			}
			if err := b.Put(k, u.Raw); err != nil {
				return err
			}
			if err := addInboxCount(tx, 1); err != nil {
				return err
			}
			fresh = append(fresh, u)
		}
		if nextOffset > offset {
			if err := meta.Put(keyInboxOffset, inboxKey(nextOffset)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("storage: inbox put: %w", err)
	}
	return fresh, nil
}

// InboxOffset returns the getUpdates offset stored with the last batch (0
// before the first).
func (db *DB) InboxOffset() (int64, error) {
	var off int64
	err := db.bolt.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketMeta).Get(keyInboxOffset); len(v) == 8 {
			off = int64(binary.BigEndian.Uint64(v))
		}
		return nil
	})
	return off, err
}

// InboxPending returns the updates stored and not yet done, oldest first.
func (db *DB) InboxPending() ([]InboxUpdate, error) {
	var out []InboxUpdate
	err := db.bolt.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketInbox)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, v []byte) error {
			if len(v) > 0 {
				out = append(out, InboxUpdate{ID: int64(binary.BigEndian.Uint64(k)), Raw: append([]byte(nil), v...)})
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("storage: inbox pending: %w", err)
	}
	return out, nil
}

// InboxDone marks an update handled: its JSON is dropped and its id kept
// (a tombstone) for deduplication; the oldest tombstones beyond
// inboxKeepDone are pruned. Concurrent calls share one transaction
// (bbolt's Batch).
func (db *DB) InboxDone(id int64) error {
	err := db.bolt.Batch(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketInbox)
		if err != nil {
			return err
		}
		k := inboxKey(id)
		if b.Get(k) == nil {
			if err := addInboxCount(tx, 1); err != nil {
				return err
			}
		}
		if err := b.Put(k, []byte{}); err != nil {
			return err
		}
		return pruneInbox(tx, b)
	})
	if err != nil {
		return fmt.Errorf("storage: inbox done %d: %w", id, err)
	}
	return nil
}

// maxPrune bounds the tombstones one transaction deletes, so that a
// transaction stays short.
const maxPrune = 64

func addInboxCount(tx *bolt.Tx, d int64) error {
	meta := tx.Bucket(bucketMeta)
	n := int64(0)
	if v := meta.Get(keyInboxCount); len(v) == 8 {
		n = int64(binary.BigEndian.Uint64(v))
	}
	return meta.Put(keyInboxCount, inboxKey(max(n+d, 0)))
}

// pruneInbox deletes the oldest tombstones beyond inboxKeepDone, at most
// maxPrune of them. Pending updates are never deleted.
func pruneInbox(tx *bolt.Tx, b *bolt.Bucket) error {
	n := int64(0)
	if v := tx.Bucket(bucketMeta).Get(keyInboxCount); len(v) == 8 {
		n = int64(binary.BigEndian.Uint64(v))
	}
	extra := n - inboxKeepDone
	if extra <= 0 {
		return nil
	}
	var drop [][]byte
	c := b.Cursor()
	for k, v := c.First(); k != nil && int64(len(drop)) < min(extra, maxPrune); k, v = c.Next() {
		if len(v) == 0 {
			drop = append(drop, append([]byte(nil), k...))
		}
	}
	for _, k := range drop {
		if err := b.Delete(k); err != nil {
			return err
		}
	}
	return addInboxCount(tx, -int64(len(drop)))
}
