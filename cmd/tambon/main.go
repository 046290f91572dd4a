// Command tambon is the whole of tambon in one binary: the web server, the
// demo, imports and exports, migrations and administration. Run
// `tambon help` for the list of commands.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := Run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "tambon: "+describe(err))
		os.Exit(exitCode(err))
	}
}
