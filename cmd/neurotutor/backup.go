package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"neurotutor/storage"
)

// minBackupToken is the shortest NEUROTUTOR_BACKUP_TOKEN accepted: the
// token guards a copy of every learner's data.
const minBackupToken = 16

// runBackup is "neurotutor backup FILE": it fetches a hot copy of a
// running bot's database from its /backup endpoint (NEUROTUTOR_BACKUP_URL,
// or the bot's NEUROTUTOR_LISTEN address on this machine) with
// NEUROTUTOR_BACKUP_TOKEN, checks the copy, and only then puts it at FILE
// (atomically: FILE is the old backup or the new one, never half of one).
func runBackup(ctx context.Context, args []string, getenv func(string) string, listen string, stdout io.Writer) error {
	if len(args) != 1 || args[0] == "" {
		return errors.New("usage: neurotutor backup FILE (with NEUROTUTOR_BACKUP_TOKEN set, as for the running bot)")
	}
	file := args[0]
	token := strings.TrimSpace(getenv("NEUROTUTOR_BACKUP_TOKEN"))
	if token == "" {
		return errors.New("NEUROTUTOR_BACKUP_TOKEN is not set: use the running bot's token")
	}
	src, err := backupURL(getenv("NEUROTUTOR_BACKUP_URL"), listen)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, src, nil)
	if err != nil {
		return fmt.Errorf("NEUROTUTOR_BACKUP_URL: %w", err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("backup: is the bot running? %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("backup: %s answered %s: %s", src, resp.Status, strings.TrimSpace(string(msg)))
	}

	dir := filepath.Dir(file)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(file)+".partial-*")
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	n, err := io.Copy(tmp, resp.Body)
	if err == nil && resp.ContentLength >= 0 && n != resp.ContentLength {
		err = fmt.Errorf("got %d of %d bytes", n, resp.ContentLength)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	version, err := storage.Verify(tmp.Name())
	if err != nil {
		return fmt.Errorf("backup: the copy does not check out, %s is unchanged: %w", file, err)
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if d, err := os.Open(dir); err == nil { // the rename itself survives a crash
		d.Sync()
		d.Close()
	}
	fmt.Fprintf(stdout, "backup: %s, %d bytes, schema v%d; restore by starting the bot with NEUROTUTOR_DB=%s\n", file, n, version, file)
	return nil
}

// backupURL is the /backup endpoint to fetch: explicit, or derived from
// the bot's listen address (an address without a host means this machine).
func backupURL(explicit, listen string) (string, error) {
	if u := strings.TrimSpace(explicit); u != "" {
		if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
			return "", fmt.Errorf("NEUROTUTOR_BACKUP_URL must be an http(s) URL, e.g. http://127.0.0.1:8080/backup")
		}
		return u, nil
	}
	addr := strings.TrimSpace(listen)
	if addr == "" || addr == "off" {
		addr = defaultPollListen
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("NEUROTUTOR_LISTEN %q is not host:port; set NEUROTUTOR_BACKUP_URL", addr)
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/backup", nil
}
