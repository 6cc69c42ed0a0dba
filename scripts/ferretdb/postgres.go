package main

// A private PostgreSQL cluster for FerretDB's postgresql handler: data and a unix socket under the
// project's data folder, no TCP listener, owned and stopped by this process. PostgreSQL refuses to run
// as root, so when we are root (CI) initdb and postgres run as the `postgres` system user. The cluster
// is our child with a parent-death signal: whatever kills us (even SIGKILL) stops it too.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"time"
)

// The MongoDB-wire databases all live in this one PostgreSQL database (one schema each).
const pgDatabase = "ferretdb"

type pgCluster struct {
	bin     string // initdb, postgres, psql
	dataDir string // the cluster (PG_VERSION …)
	sockDir string // the unix socket; short, as socket paths are limited to ~107 bytes
	cred    *syscall.Credential
	cmd     *exec.Cmd
	exited  chan struct{}
	logger  *slog.Logger
}

func newPgCluster(bin, root string, logger *slog.Logger) (*pgCluster, error) {
	c := &pgCluster{bin: bin, dataDir: filepath.Join(root, "cluster"), sockDir: filepath.Join(root, "run"), exited: make(chan struct{}), logger: logger}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			return nil, fmt.Errorf("running as root, PostgreSQL needs the postgres system user (Debian's postgresql package creates it): %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		c.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}
	// Folders above ours stay enterable by the postgres user; ours is private to it.
	if err := os.MkdirAll(filepath.Dir(root), 0o755); err != nil {
		return nil, err
	}
	for _, dir := range []string{root, c.sockDir} {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, err
		}
	}
	if c.cred != nil {
		if err := chownTree(root, int(c.cred.Uid), int(c.cred.Gid)); err != nil {
			return nil, err
		}
		if dir, ok := unsearchableAncestor(root); !ok {
			return nil, fmt.Errorf("the postgres user cannot reach %s: %s is not searchable by others (chmod o+x it, or keep the data folder elsewhere)", root, dir)
		}
	}
	return c, nil
}

// unsearchableAncestor finds a folder above root that other users may not enter (a 0700 temp folder).
func unsearchableAncestor(root string) (string, bool) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return root, false
	}
	for dir := filepath.Dir(abs); ; dir = filepath.Dir(dir) {
		info, err := os.Stat(dir)
		if err != nil || info.Mode().Perm()&0o001 == 0 {
			return dir, false
		}
		if dir == filepath.Dir(dir) {
			return "", true
		}
	}
}

// chownTree hands the cluster's files to the postgres user. A file that vanishes during the walk (the
// lock file of an earlier cluster still shutting down) needs no owner: skipping it is not an error.
func chownTree(root string, uid, gid int) error {
	return filepath.Walk(root, func(path string, _ os.FileInfo, err error) error {
		if err == nil {
			err = os.Lchown(path, uid, gid)
		}
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		return err
	})
}

// command runs a PostgreSQL program as the cluster's owner.
func (c *pgCluster) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(c.bin, name), args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.cred}
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	return cmd
}

func (c *pgCluster) run(name string, args ...string) (string, error) {
	var out bytes.Buffer
	cmd := c.command(name, args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if err != nil {
		return out.String(), fmt.Errorf("%s: %w\n%s", name, err, out.String())
	}
	return out.String(), nil
}

// waitForOldPostmaster gives a cluster of an earlier engine on this folder (killed, its cluster still
// shutting down) time to finish before ours starts; PostgreSQL would refuse on its lock file.
func (c *pgCluster) waitForOldPostmaster(within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		raw, err := os.ReadFile(filepath.Join(c.dataDir, "postmaster.pid"))
		if err != nil {
			return nil // no lock file: nothing running
		}
		pid, _ := strconv.Atoi(string(bytes.TrimSpace(bytes.SplitN(raw, []byte("\n"), 2)[0])))
		if pid <= 0 || syscall.Kill(pid, 0) != nil {
			return nil // stale lock file of a dead postmaster: PostgreSQL removes it itself
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("another PostgreSQL (pid %d) is still running on %s", pid, c.dataDir)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// start initialises the cluster on first use, starts it, and waits until it answers.
func (c *pgCluster) start(fast bool) error {
	if err := c.waitForOldPostmaster(20 * time.Second); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(c.dataDir, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		c.logger.Info("initialising the PostgreSQL cluster", "dir", c.dataDir)
		if _, err := c.run("initdb", "-D", c.dataDir, "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8", "--auth=trust", "--no-instructions"); err != nil {
			return err
		}
	}
	args := []string{"-D", c.dataDir, "-k", c.sockDir, "-c", "listen_addresses=", "-c", "max_connections=200"}
	if fast {
		// Throwaway test clusters: durability is not what they are for.
		args = append(args, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	}
	c.cmd = c.command("postgres", args...)
	c.cmd.Stdout, c.cmd.Stderr = os.Stderr, os.Stderr
	// SIGINT is PostgreSQL's fast shutdown. Pdeathsig belongs to the thread that forks: lock it, so the
	// runtime does not retire that thread and stop the cluster with it.
	c.cmd.SysProcAttr.Pdeathsig = syscall.SIGINT
	runtime.LockOSThread()
	err := c.cmd.Start()
	runtime.UnlockOSThread()
	if err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	go func() {
		_ = c.cmd.Wait()
		close(c.exited)
	}()
	deadline := time.Now().Add(60 * time.Second)
	for {
		if _, err := c.psql("postgres", "SELECT 1"); err == nil {
			return nil
		} else if time.Now().After(deadline) {
			return fmt.Errorf("PostgreSQL did not accept connections within 60 s: %w", err)
		}
		select {
		case <-c.exited:
			return errors.New("postgres exited during start-up (see its log above)")
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func (c *pgCluster) psql(db, sql string) (string, error) {
	return c.run("psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-h", c.sockDir, "-U", "postgres", "-d", db, "-c", sql)
}

// prepare makes FerretDB's database, plans its parameterised filters with their real keys (so an
// expression index can match `_jsonb->$1 @> $2`), and runs the project's set-up SQL (the index mirror).
func (c *pgCluster) prepare(setupSQL string) error {
	exists, err := c.psql("postgres", fmt.Sprintf("SELECT 1 FROM pg_database WHERE datname = '%s'", pgDatabase))
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace([]byte(exists))) == 0 {
		if _, err := c.psql("postgres", "CREATE DATABASE "+pgDatabase); err != nil {
			return err
		}
	}
	if _, err := c.psql("postgres", "ALTER DATABASE "+pgDatabase+" SET plan_cache_mode = force_custom_plan"); err != nil {
		return err
	}
	if setupSQL != "" {
		if _, err := c.run("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", c.sockDir, "-U", "postgres", "-d", pgDatabase, "-f", setupSQL); err != nil {
			return err
		}
	}
	return nil
}

// url is how FerretDB reaches the cluster: over the socket only.
func (c *pgCluster) url() string {
	return fmt.Sprintf("postgres://postgres@/%s?host=%s", pgDatabase, c.sockDir)
}

// stop asks for a fast shutdown and waits; a cluster that does not go is killed.
func (c *pgCluster) stop(ctx context.Context) {
	if c.cmd == nil || c.cmd.Process == nil {
		return
	}
	select {
	case <-c.exited:
		return
	default:
	}
	_ = c.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-c.exited:
	case <-ctx.Done():
		_ = c.cmd.Process.Kill()
		<-c.exited
	}
}
