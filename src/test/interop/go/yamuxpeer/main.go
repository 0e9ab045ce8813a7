// Command yamuxpeer is weft's interop peer for Go's hashicorp/yamux (the Debian snapshot
// golang-github-hashicorp-yamux-dev, 0.0+git20190923.df201c7), used by
// src/test/java/weft/interop/GoYamuxInteropTest.java.
//
// It speaks yamux over plain TCP with hashicorp's DefaultConfig: 256 KiB fixed stream window (no
// auto-tuning), accept backlog 256, keep-alive every 30 s, 10 s connection write timeout. Nothing is
// tuned, so nothing hides a bug on the other side. yamux logs go to stderr.
//
// Usage:
//
//	yamuxpeer listen              print the bound 127.0.0.1 port as the first stdout line, accept one
//	                              TCP connection, serve it as the yamux server (even stream ids) until
//	                              the session ends; exit 0 if every stream behaved.
//	yamuxpeer dial HOST:PORT SCENARIO...
//	                              connect, run a yamux client session (odd stream ids), drive each
//	                              scenario, print "OK <scenario> ..." or "FAIL <scenario>: ...", exit 1
//	                              if any failed. SCENARIO: echo100 echobig sink source finfirst
//	                              reset awaitreset status hangup goaway; all = all but goaway.
//	yamuxpeer selftest            listen and dial in one process (Go against Go): checks this program.
//
// Flags (before the mode):
//
//	-bytes N     size of the bulk transfers: sink, source, echobig (default 256 MiB)
//	-timeout D   bound on the whole run (default 3m); then it prints FAIL and exits 2
//	-trace       print every frame header, both directions, to stderr ("<-" in, "->" out)
//
// Files: main.go (modes), opener.go (drive the scenarios), acceptor.go (serve them), streams.go
// (lines, pattern bytes), wire.go (frame tracking, RST injection, trace).
//
// # The stream protocol
//
// The side that opens a stream (the "opener") sends one ASCII command line; the side that accepts
// it (the "acceptor") behaves as the command says. weft's test implements both roles too, so every
// scenario runs in both directions with the same wire conversation:
//
//	echo\n                   acceptor echoes every byte until EOF, then half-closes.
//	sink\n                   acceptor reads until EOF, then writes "<count> <crc32 hex>\n" and
//	                         half-closes: the opener half-closed and still reads.
//	source N SEED\n          acceptor writes N pattern bytes (SEED), then half-closes.
//	finfirst N M SEED\n      acceptor writes N pattern bytes (SEED) and half-closes first; then it reads
//	                         exactly M pattern bytes (SEED+1) from the opener, who writes them after
//	                         seeing the acceptor's FIN. The acceptor records the outcome.
//	reset CODE\n             acceptor resets the stream (RST, Length = CODE as go-yamux v5 sends it).
//	                         The opener's read and write must fail with a reset error.
//	awaitreset\n             acceptor answers "ready\n", then expects the opener's RST: its read and
//	                         write must fail with a reset error. The acceptor records the outcome.
//	status\n                 acceptor waits until its other handlers are done, then answers
//	                         "OK <handled>\n" or "FAIL <first failure>\n".
//	hangup\n                 acceptor answers "ready\n"; on the opener's "go\n" it closes its whole
//	                         session (hashicorp: just the TCP connection; weft: GO_AWAY, then the
//	                         connection). The opener's read, accept and open must then fail. (The
//	                         "go" makes it deterministic: go-yamux and weft drop unread data when
//	                         the session dies, so "ready" must be read first.) Nothing can follow
//	                         it, so a run with hangup sends no status.
//	goaway\n                 acceptor sends GO_AWAY(normal), answers "ready\n", then echoes until
//	                         EOF: streams open before a GO_AWAY finish, new ones cannot open.
//	                         (Only the Go acceptor serves it: weft's MuxedConnection has no GO_AWAY
//	                         short of close.) Nothing can be opened after it, so no status.
//	                         hashicorp's own open after a GO_AWAY fails with ErrRemoteGoAway.
//
// Pattern bytes are xorshift64* output, little endian, 8 bytes per step, from state SEED + golden
// ratio (type pattern, streams.go); the Java test generates the same bytes, so receivers check every byte
// and name the first offset that differs.
//
// # hashicorp quirks the peer works around (none changes its wire behaviour)
//
//   - It has no CloseWrite: Stream.Close sends FIN and then Read returns io.EOF whenever the buffer is
//     momentarily empty (stream.go Read, case streamLocalClose), although the peer may still send.
//     After its own Close this program therefore polls (afterClose, streams.go).
//   - It has no Stream.Reset: it only sends RST for streams over the accept backlog or after a local
//     GoAway. To reset a stream on purpose, this program writes the frame go-yamux v5 writes
//     (WINDOW_UPDATE|RST, Length = error code) between two of the session's frames (framedConn, wire.go).
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/yamux"
)

var (
	bulkBytes = flag.Int64("bytes", 256<<20, "size of the sink and source transfers")
	timeout   = flag.Duration("timeout", 3*time.Minute, "bound on the whole run")
	trace     = flag.Bool("trace", false, "print every frame header, both directions, to stderr")
)

func main() {
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: yamuxpeer [-bytes N] [-timeout D] [-trace] listen | dial HOST:PORT SCENARIO... | selftest")
	}
	flag.Parse()
	go func() {
		time.Sleep(*timeout)
		fmt.Printf("FAIL timeout: still running after %v\n", *timeout)
		os.Exit(2)
	}()

	var ok bool
	switch args := flag.Args(); {
	case len(args) == 1 && args[0] == "listen":
		ok = listen()
	case len(args) >= 3 && args[0] == "dial":
		ok = dial(args[1], args[2:])
	case len(args) == 1 && args[0] == "selftest":
		ok = selftest()
	default:
		flag.Usage()
		os.Exit(64)
	}
	if !ok {
		os.Exit(1)
	}
}

// logs is the yamux LogOutput: it copies to stderr and keeps the "[ERR]" lines about the protocol,
// because hashicorp logs protocol trouble (unexpected FIN, receive window exceeded, SYN tracking out
// of sync, an ACK for a stream it did not open) and carries on. Its I/O errors ("Failed to write
// header: broken pipe" when the other side closed the connection first) are teardown noise: the
// scenarios catch a connection that really breaks.
var logs = &errLog{w: os.Stderr}

type errLog struct {
	w     io.Writer
	mu    sync.Mutex
	lines []string // guarded by mu
}

func (l *errLog) Write(p []byte) (int, error) {
	if line := string(p); strings.Contains(line, "[ERR]") && !strings.Contains(line, "Failed to ") {
		l.mu.Lock()
		l.lines = append(l.lines, strings.TrimSpace(line))
		l.mu.Unlock()
	}
	return l.w.Write(p)
}

// protocolErrors says what went wrong, or "" if nothing did.
func (l *errLog) protocolErrors() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.lines) == 0 {
		return ""
	}
	return fmt.Sprintf("yamux logged %d protocol errors, first: %s", len(l.lines), l.lines[0])
}

func config() *yamux.Config {
	c := yamux.DefaultConfig()
	c.LogOutput = logs
	return c
}

// ---------------------------------------------------------------------------------------------
// Modes

func listen() bool {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Printf("FAIL listen: %v\n", err)
		return false
	}
	fmt.Println(ln.Addr().(*net.TCPAddr).Port) // the first line: the test reads the port from it
	conn, err := ln.Accept()
	ln.Close()
	if err != nil {
		fmt.Printf("FAIL accept: %v\n", err)
		return false
	}
	return serveConn(conn)
}

// serveConn runs a yamux server session until the session ends, then reports.
func serveConn(conn net.Conn) bool {
	fc := newFramedConn(conn)
	sess, err := yamux.Server(fc, config())
	if err != nil {
		fmt.Printf("FAIL server: %v\n", err)
		return false
	}
	l := newLedger()
	for {
		s, err := sess.AcceptStream()
		if err != nil {
			break // the session ended: the remote closed it, or it broke (then the log says why)
		}
		l.begin()
		go func() {
			defer l.end()
			if err := handle(sess, s, fc, l); err != nil {
				l.fail(fmt.Sprintf("stream %d: %v", s.StreamID(), err))
				fc.reset(s.StreamID(), 0) // so that the opener fails now instead of waiting for us
			}
		}()
	}
	if !l.awaitIdle(0, 10*time.Second) {
		l.fail("handlers still running 10s after the session ended")
	}
	handled, failures := l.snapshot()
	if e := logs.protocolErrors(); e != "" {
		failures = append(failures, e)
	}
	fmt.Printf("DONE handled=%d failures=%d\n", handled, len(failures))
	for _, f := range failures {
		fmt.Printf("FAIL %s\n", f)
	}
	return len(failures) == 0
}

func dial(addr string, scenarios []string) bool {
	conn, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		fmt.Printf("FAIL dial: %v\n", err)
		return false
	}
	fc := newFramedConn(conn)
	sess, err := yamux.Client(fc, config())
	if err != nil {
		fmt.Printf("FAIL client: %v\n", err)
		return false
	}
	ok := drive(sess, fc, scenarios)
	sess.Close()
	return ok
}

// selftest runs every scenario Go against Go over loopback TCP: "all" on one connection, then
// "goaway" on a second (after a GO_AWAY nothing else can open).
func selftest() bool {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Printf("FAIL listen: %v\n", err)
		return false
	}
	ok := true
	for _, scenarios := range [][]string{{"all"}, {"goaway"}} {
		served := make(chan bool, 1)
		go func() {
			conn, err := ln.Accept()
			if err != nil {
				served <- false
				return
			}
			served <- serveConn(conn)
		}()
		ok = dial(ln.Addr().String(), scenarios) && ok
		ok = <-served && ok
	}
	return ok
}
