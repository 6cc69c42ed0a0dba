// Command ferretdb-embedded runs FerretDB v1 through its embeddable package, storing in a private
// PostgreSQL cluster it starts and stops itself (postgres.go), or in SQLite files.
//
// Why not `go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2`: that binary refuses to start
// ("Invalid build/version/version.txt") because release builds fill version.txt, which the module does
// not ship. The embeddable package is FerretDB's supported API for running the same server in-process;
// it also locks telemetry off, which these offline machines need.
//
// It prints one line, `ready <mongodb-uri>`, once the listener is up, so the caller can bind port 0
// and read the real address instead of racing for a "free" port.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listenAddr := flag.String("listen-addr", "127.0.0.1:0", "TCP address to listen on (port 0 picks a free one)")
	sqliteURL := flag.String("sqlite-url", "file:.data/db/", "SQLite backend directory URL (one file per database)")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	exitWithParent := flag.Bool("exit-with-parent", true, "stop when the process that started us is gone (a crashed test run must not leave engines behind)")
	pgBin := flag.String("pg-bin", "", "PostgreSQL server programs (initdb, postgres, psql): store in a private cluster instead of SQLite")
	pgDir := flag.String("pg-dir", ".data/pg", "the private cluster's folder (cluster/ and the socket in run/)")
	pgFast := flag.Bool("pg-fast", false, "no fsync: for throwaway test clusters")
	pgSetupSQL := flag.String("pg-setup-sql", "", "SQL run in FerretDB's database at every start (the index mirror)")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "bad -log-level: %v\n", err)
		os.Exit(2)
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	if *exitWithParent {
		go stopWhenOrphaned(os.Getppid(), stop)
	}

	config := &ferretdb.Config{Listener: ferretdb.ListenerConfig{TCP: *listenAddr}, Logger: logger, Handler: "sqlite", SQLiteURL: *sqliteURL}
	var cluster *pgCluster
	if *pgBin != "" {
		var err error
		if cluster, err = newPgCluster(*pgBin, *pgDir, logger); err == nil {
			if err = cluster.start(*pgFast); err == nil {
				err = cluster.prepare(*pgSetupSQL)
			}
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "postgresql: %v\n", err)
			if cluster != nil {
				stopCluster(cluster)
			}
			os.Exit(1)
		}
		defer stopCluster(cluster)
		// The cluster going away is the end of the engine too.
		go func() {
			<-cluster.exited
			logger.Error("PostgreSQL exited: stopping")
			stop()
		}()
		config.Handler, config.PostgreSQLURL, config.SQLiteURL = "postgresql", cluster.url(), ""
	}

	f, err := ferretdb.New(config)
	if err != nil {
		fmt.Fprintf(os.Stderr, "ferretdb: %v\n", err)
		if cluster != nil {
			stopCluster(cluster)
		}
		os.Exit(1)
	}

	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := f.Run(ctx); err != nil {
			logger.Error("ferretdb stopped", "err", err)
		}
	}()

	// MongoDBURI blocks until the listener is bound, so this line means "accepting connections".
	fmt.Printf("ready %s\n", f.MongoDBURI())

	<-done
}

func stopCluster(c *pgCluster) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c.stop(ctx)
}

// stopWhenOrphaned cancels the server once our parent exits (we get re-parented, so the ppid changes).
func stopWhenOrphaned(parent int, stop context.CancelFunc) {
	for range time.Tick(time.Second) {
		if os.Getppid() != parent {
			stop()
			return
		}
	}
}
