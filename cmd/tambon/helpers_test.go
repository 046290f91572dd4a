package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// run runs the tambon command line in-process and returns its output.
func run(t *testing.T, env map[string]string, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	err = Run(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), err
}

// mustRun returns a runner of the command line in env that fails the test
// on an error, showing both outputs, and returns the standard output.
func mustRun(t *testing.T, env map[string]string) func(args ...string) string {
	return func(args ...string) string {
		t.Helper()
		out, errOut, err := run(t, env, "", args...)
		if err != nil {
			t.Fatalf("tambon %s: %v\n%s\n%s", strings.Join(args, " "), err, out, errOut)
		}
		return out
	}
}

var servingRE = regexp.MustCompile(`serving at (https?://\S+)`)

// lockedBuffer collects a server's output while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startApp runs `tambon <args> --addr 127.0.0.1:0` in the background and
// returns the URL it prints and everything it printed before serving.
func startApp(t testing.TB, env map[string]string, args ...string) (url string, banner *lockedBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	args = append(args, "--addr", "127.0.0.1:0")
	go func() {
		done <- Run(ctx, args, func(k string) string { return env[k] }, nil, pw, io.Discard)
		pw.Close()
	}()
	banner = &lockedBuffer{}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		sent := false
		for sc.Scan() {
			banner.Write(append(sc.Bytes(), '\n'))
			if m := servingRE.FindStringSubmatch(sc.Text()); m != nil && !sent {
				found <- m[1]
				sent = true
			}
		}
		if !sent {
			close(found)
		}
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			t.Error("server did not stop")
		}
	})
	select {
	case u, ok := <-found:
		if !ok {
			t.Fatalf("tambon %v exited before serving: %v", args, <-done)
		}
		return u, banner
	case err := <-done:
		t.Fatalf("tambon %v exited: %v", args, err)
	case <-time.After(120 * time.Second):
		t.Fatal("tambon did not start serving")
	}
	return "", nil
}

// get fetches a URL and returns status and body.
func get(t testing.TB, url string, header ...string) (int, string, http.Header) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func tempDB(t testing.TB) string { return filepath.Join(t.TempDir(), "tambon.db") }
