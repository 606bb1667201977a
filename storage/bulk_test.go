package storage

import (
	"encoding/binary"
	"fmt"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// BulkReminders (test builds only) fills the reminder index with entries
// for users 1..n, their fire times spread evenly over the day from base,
// appending sorted keys in a few large transactions: a million take a few
// seconds, where a million SetReminder calls would take many minutes.
// With withUsers it also writes each user's record (slower: JSON and ~200
// bytes per user); DueReminders reads only the index, so its benchmark
// does not need them.
func (db *DB) BulkReminders(tb testing.TB, n int, base time.Time, withUsers bool) {
	tb.Helper()
	const chunk = 100_000
	db.bolt.NoSync = true // one fsync at the end instead of one per chunk
	defer func() {
		db.bolt.NoSync = false
		if err := db.bolt.Sync(); err != nil {
			tb.Fatal(err)
		}
	}()
	for lo := 0; lo < n; lo += chunk {
		err := db.bolt.Update(func(tx *bolt.Tx) error {
			users, due := tx.Bucket(bucketUsers), tx.Bucket(bucketDue)
			users.FillPercent, due.FillPercent = 1, 1 // appends in key order
			for i := lo; i < min(lo+chunk, n); i++ {
				uid := int64(i + 1)
				next := base.Add(time.Duration(int64(i)*86400/int64(n)) * time.Second).UTC() // non-decreasing
				if err := due.Put(dueKey(next, uid), binary.BigEndian.AppendUint64(nil, uint64(uid))); err != nil {
					return err
				}
				if !withUsers {
					continue
				}
				u := User{Reminder: Reminder{
					Enabled: true, ChatID: uid, HHMM: next.Format("15:04"), Zone: "UTC",
					Next: next, NextDate: next.Format(time.DateOnly),
				}}
				if err := putUser(tx, uid, u); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
}

// BulkGroupYear gives a group members players who each answered once a
// week for weeks weeks up to end, through the same running totals a round
// answer updates (addTotals), in large transactions.
func (db *DB) BulkGroupYear(tb testing.TB, chat int64, members, weeks int, end time.Time) {
	tb.Helper()
	db.bolt.NoSync = true
	defer func() {
		db.bolt.NoSync = false
		if err := db.bolt.Sync(); err != nil {
			tb.Fatal(err)
		}
	}()
	last := Week(end, time.UTC)
	for w := weeks - 1; w >= 0; w-- {
		err := db.bolt.Update(func(tx *bolt.Tx) error {
			for m := range members {
				uid := int64(m + 1)
				if err := addTotals(tx, chat, uid, fmt.Sprint("Участник ", uid), 500+(m*37+w*11)%500, m%3 != 0, last-uint32(w)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
}
