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
//	                              reset awaitreset status hangup, or all.
//	yamuxpeer selftest            listen and dial in one process (Go against Go): checks this program.
//
// Flags (before the mode): -bytes N sets the size of the bulk transfers (sink, source, echobig;
// default 256 MiB);
// -timeout D bounds the whole run (default 3m), after which the process prints FAIL and exits 2;
// -trace prints every frame header in both directions to stderr ("<-" received, "->" sent).
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
//
// Pattern bytes are xorshift64* output, little endian, 8 bytes per step, from state SEED + golden
// ratio (see pattern below); the Java test generates the same bytes, so receivers check every byte
// and name the first offset that differs.
//
// # hashicorp quirks the peer works around (none changes its wire behaviour)
//
//   - It has no CloseWrite: Stream.Close sends FIN and then Read returns io.EOF whenever the buffer is
//     momentarily empty (stream.go Read, case streamLocalClose), although the peer may still send.
//     After its own Close this program therefore polls (readAfterClose).
//   - It has no Stream.Reset: it only sends RST for streams over the accept backlog or after a local
//     GoAway. To reset a stream on purpose, this program writes the frame go-yamux v5 writes
//     (WINDOW_UPDATE|RST, Length = error code) between two of the session's frames (framedConn).
package main

import (
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"hash/crc32"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
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

// logs is the yamux LogOutput: it copies to stderr and counts "[ERR]" lines, because hashicorp
// logs protocol trouble (unexpected FIN, window exceeded, SYN tracking out of sync) and goes on.
var logs = &errCounter{w: os.Stderr}

type errCounter struct {
	w    io.Writer
	errs atomic.Int64
}

func (c *errCounter) Write(p []byte) (int, error) {
	if strings.Contains(string(p), "[ERR]") {
		c.errs.Add(1)
	}
	return c.w.Write(p)
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
	errLogs := logs.errs.Load()
	fmt.Printf("DONE handled=%d failures=%d errlogs=%d\n", handled, len(failures), errLogs)
	for _, f := range failures {
		fmt.Printf("FAIL %s\n", f)
	}
	return len(failures) == 0 && errLogs == 0
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

// selftest runs every scenario Go against Go over loopback TCP.
func selftest() bool {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Printf("FAIL listen: %v\n", err)
		return false
	}
	served := make(chan bool, 1)
	go func() {
		conn, err := ln.Accept()
		if err != nil {
			served <- false
			return
		}
		served <- serveConn(conn)
	}()
	ok := dial(ln.Addr().String(), []string{"all"})
	return <-served && ok
}

// ---------------------------------------------------------------------------------------------
// Opener side: drive scenarios and check what comes back.

var allScenarios = []string{"echo100", "echobig", "sink", "source", "finfirst", "reset", "awaitreset", "status", "hangup"}

// drive runs the scenarios one after another, then asks the acceptor for its status (unless
// the run says when, or hangs up).
func drive(sess *yamux.Session, fc *framedConn, scenarios []string) (ok bool) {
	if len(scenarios) == 1 && scenarios[0] == "all" {
		scenarios = allScenarios
	}
	ok = true
	defer func() {
		// hashicorp logs protocol trouble (e.g. an ACK for a stream it did not open) and carries on.
		if n := logs.errs.Load(); n > 0 {
			fmt.Printf("FAIL yamux logged %d [ERR] lines (see stderr)\n", n)
			ok = false
		}
	}()
	if !contains(scenarios, "status") && !contains(scenarios, "hangup") {
		scenarios = append(scenarios, "status")
	}
	for _, name := range scenarios {
		start := time.Now()
		detail, err := driveOne(sess, fc, name)
		if err != nil {
			fmt.Printf("FAIL %s: %v\n", name, err)
			ok = false
			continue
		}
		fmt.Printf("OK %s %s (%v)\n", name, detail, time.Since(start).Round(time.Millisecond))
	}
	return ok
}

func driveOne(sess *yamux.Session, fc *framedConn, name string) (string, error) {
	switch name {
	case "echo100":
		return driveEcho(sess, fc, 100)
	case "echobig":
		start := time.Now()
		if err := echoOne(sess, fc, 9, *bulkBytes); err != nil {
			return "", err
		}
		return fmt.Sprintf("%d bytes each way on one stream in %v (%s each way)", *bulkBytes,
			time.Since(start).Round(time.Millisecond), rate(*bulkBytes, start)), nil
	case "sink":
		return driveSink(sess, fc, *bulkBytes)
	case "source":
		return driveSource(sess, fc, *bulkBytes, 42)
	case "finfirst":
		return driveFinFirst(sess, fc, 300_000, 500_000, 7)
	case "reset":
		return driveReset(sess)
	case "awaitreset":
		return driveAwaitReset(sess, fc)
	case "status":
		return driveStatus(sess)
	case "hangup":
		return driveHangup(sess)
	}
	return "", fmt.Errorf("unknown scenario %q", name)
}

// driveEcho opens n streams at once; stream i sends 1 + i*5297 pattern bytes (up to about 512 KiB,
// twice the window) and reads the echo while it writes. hashicorp cannot half-close and keep
// reading, so the opener reads exactly what it sent, then closes; the acceptor sees EOF then.
func driveEcho(sess *yamux.Session, fc *framedConn, n int) (string, error) {
	errs := make(chan error, n)
	var total atomic.Int64
	for i := 0; i < n; i++ {
		size := int64(1 + i*5297)
		total.Add(size)
		go func(seed uint64) {
			errs <- echoOne(sess, fc, seed, size)
		}(uint64(i))
	}
	for i := 0; i < n; i++ {
		if err := <-errs; err != nil {
			return "", err
		}
	}
	return fmt.Sprintf("%d streams, %d bytes each way", n, total.Load()), nil
}

func echoOne(sess *yamux.Session, fc *framedConn, seed uint64, size int64) (err error) {
	s, err := sess.OpenStream()
	if err != nil {
		return fmt.Errorf("open: %w", err)
	}
	defer finish(fc, s, &err)
	written := make(chan error, 1)
	go func() {
		if _, err := io.WriteString(s, "echo\n"); err != nil {
			written <- err
			return
		}
		_, err := writePattern(s, seed, size)
		written <- err
	}()
	if err := expectPattern(s, seed, size); err != nil {
		return fmt.Errorf("stream %d: echo: %w", s.StreamID(), err)
	}
	if err := <-written; err != nil {
		return fmt.Errorf("stream %d: write: %w", s.StreamID(), err)
	}
	return nil
}

// finish closes the stream; if the scenario failed it resets it instead, so that the acceptor's
// handler fails now instead of waiting for bytes that will not come.
func finish(fc *framedConn, s *yamux.Stream, err *error) {
	if *err != nil {
		fc.reset(s.StreamID(), 0)
		return
	}
	s.Close()
}

// driveSink sends n pattern bytes, closes (FIN) and then reads the acceptor's count and CRC-32:
// the acceptor writes after our half-close.
func driveSink(sess *yamux.Session, fc *framedConn, n int64) (detail string, err error) {
	s, err := sess.OpenStream()
	if err != nil {
		return "", fmt.Errorf("open: %w", err)
	}
	defer finish(fc, s, &err)
	start := time.Now()
	crc := crc32.NewIEEE()
	if _, err := io.WriteString(s, "sink\n"); err != nil {
		return "", err
	}
	if _, err := writePattern(io.MultiWriter(s, crc), 3, n); err != nil {
		return "", fmt.Errorf("stream %d: write: %w", s.StreamID(), err)
	}
	s.Close()
	line, err := readLine(s, true)
	if err != nil {
		return "", fmt.Errorf("stream %d: reading the count after our close: %w", s.StreamID(), err)
	}
	want := fmt.Sprintf("%d %08x", n, crc.Sum32())
	if line != want {
		return "", fmt.Errorf("stream %d: acceptor counted %q, sent %q", s.StreamID(), line, want)
	}
	return fmt.Sprintf("%d bytes in %v (%s)", n, time.Since(start).Round(time.Millisecond), rate(n, start)), nil
}

// driveSource asks for n pattern bytes and checks each one, then the EOF.
func driveSource(sess *yamux.Session, fc *framedConn, n int64, seed uint64) (detail string, err error) {
	s, err := sess.OpenStream()
	if err != nil {
		return "", fmt.Errorf("open: %w", err)
	}
	defer finish(fc, s, &err)
	start := time.Now()
	if _, err := fmt.Fprintf(s, "source %d %d\n", n, seed); err != nil {
		return "", err
	}
	if err := expectPattern(s, seed, n); err != nil {
		return "", fmt.Errorf("stream %d: %w", s.StreamID(), err)
	}
	if err := expectEOF(s); err != nil {
		return "", fmt.Errorf("stream %d: %w", s.StreamID(), err)
	}
	return fmt.Sprintf("%d bytes in %v (%s)", n, time.Since(start).Round(time.Millisecond), rate(n, start)), nil
}

// driveFinFirst: the acceptor sends n bytes and half-closes first; we read them to EOF, then still
// write m bytes, then close. The acceptor checks them and tells us in "status".
func driveFinFirst(sess *yamux.Session, fc *framedConn, n, m int64, seed uint64) (detail string, err error) {
	s, err := sess.OpenStream()
	if err != nil {
		return "", fmt.Errorf("open: %w", err)
	}
	defer finish(fc, s, &err)
	if _, err := fmt.Fprintf(s, "finfirst %d %d %d\n", n, m, seed); err != nil {
		return "", err
	}
	if err := expectPattern(s, seed, n); err != nil {
		return "", fmt.Errorf("stream %d: %w", s.StreamID(), err)
	}
	if err := expectEOF(s); err != nil {
		return "", fmt.Errorf("stream %d: %w", s.StreamID(), err)
	}
	if _, err := writePattern(s, seed+1, m); err != nil {
		return "", fmt.Errorf("stream %d: write after the acceptor's FIN: %w", s.StreamID(), err)
	}
	return fmt.Sprintf("read %d to EOF, then wrote %d", n, m), nil
}

// driveReset asks the acceptor to reset, with and without an error code; our read and our write
// must both fail with hashicorp's ErrConnectionReset.
func driveReset(sess *yamux.Session) (string, error) {
	for _, code := range []uint32{0, 0x1001} {
		s, err := sess.OpenStream()
		if err != nil {
			return "", fmt.Errorf("open: %w", err)
		}
		if _, err := fmt.Fprintf(s, "reset %d\n", code); err != nil {
			return "", err
		}
		n, err := s.Read(make([]byte, 16))
		if !errors.Is(err, yamux.ErrConnectionReset) {
			return "", fmt.Errorf("stream %d: read after the acceptor's reset: got %d bytes, err %v", s.StreamID(), n, err)
		}
		if _, err := s.Write([]byte("x")); !errors.Is(err, yamux.ErrConnectionReset) {
			return "", fmt.Errorf("stream %d: write after the acceptor's reset: err %v", s.StreamID(), err)
		}
	}
	return "read and write fail with ErrConnectionReset (codes 0 and 0x1001)", nil
}

// driveAwaitReset waits for the acceptor's "ready", then resets the stream; the acceptor checks
// that its read and write fail and tells us in "status".
func driveAwaitReset(sess *yamux.Session, fc *framedConn) (string, error) {
	s, err := sess.OpenStream()
	if err != nil {
		return "", fmt.Errorf("open: %w", err)
	}
	if _, err := io.WriteString(s, "awaitreset\n"); err != nil {
		return "", err
	}
	if line, err := readLine(s, false); err != nil || line != "ready" {
		return "", fmt.Errorf("stream %d: wanted \"ready\", got %q, err %v", s.StreamID(), line, err)
	}
	// The stream stays open in our session; we never touch it again (go-yamux forgets it here).
	if err := fc.reset(s.StreamID(), 0); err != nil {
		return "", err
	}
	return fmt.Sprintf("sent RST on stream %d", s.StreamID()), nil
}

// driveHangup asks the acceptor to close its session: our blocked read must end, the session must
// close, and no stream may open afterwards.
func driveHangup(sess *yamux.Session) (string, error) {
	s, err := sess.OpenStream()
	if err != nil {
		return "", fmt.Errorf("open: %w", err)
	}
	if _, err := io.WriteString(s, "hangup\n"); err != nil {
		return "", err
	}
	if line, err := readLine(s, false); err != nil || line != "ready" {
		return "", fmt.Errorf("stream %d: wanted \"ready\", got %q, err %v", s.StreamID(), line, err)
	}
	if _, err := io.WriteString(s, "go\n"); err != nil {
		return "", err
	}
	// hashicorp ends the streams of a dead session with io.EOF (Stream.forceClose).
	n, err := s.Read(make([]byte, 16))
	if err == nil {
		return "", fmt.Errorf("stream %d: read %d bytes after the hang-up", s.StreamID(), n)
	}
	select {
	case <-sess.CloseChan():
	case <-time.After(10 * time.Second):
		return "", fmt.Errorf("session still open 10s after the hang-up")
	}
	if _, err := sess.OpenStream(); err == nil {
		return "", fmt.Errorf("opened a stream after the hang-up")
	}
	return fmt.Sprintf("read ends with %q, session closed", err), nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func driveStatus(sess *yamux.Session) (string, error) {
	s, err := sess.OpenStream()
	if err != nil {
		return "", fmt.Errorf("open: %w", err)
	}
	defer s.Close()
	if _, err := io.WriteString(s, "status\n"); err != nil {
		return "", err
	}
	line, err := readLine(s, false)
	if err != nil {
		return "", err
	}
	if !strings.HasPrefix(line, "OK") {
		return "", fmt.Errorf("acceptor says %q", line)
	}
	return "acceptor says " + line, nil
}

// ---------------------------------------------------------------------------------------------
// Acceptor side: one goroutine per accepted stream.

func handle(sess *yamux.Session, s *yamux.Stream, fc *framedConn, l *ledger) error {
	cmd, err := readLine(s, false)
	if err != nil {
		return fmt.Errorf("reading the command: %w", err)
	}
	f := strings.Fields(cmd)
	if len(f) == 0 {
		return fmt.Errorf("empty command")
	}
	num := func(i int) uint64 {
		if i >= len(f) {
			return 0
		}
		v, _ := strconv.ParseUint(f[i], 10, 64)
		return v
	}
	switch f[0] {
	case "echo":
		if _, err := io.CopyBuffer(s, s, make([]byte, writeSize)); err != nil {
			return fmt.Errorf("echo: %w", err)
		}
		return s.Close()

	case "sink":
		crc := crc32.NewIEEE()
		n, err := io.Copy(crc, s)
		if err != nil {
			return fmt.Errorf("sink: after %d bytes: %w", n, err)
		}
		if _, err := fmt.Fprintf(s, "%d %08x\n", n, crc.Sum32()); err != nil {
			return fmt.Errorf("sink: writing after the opener's FIN: %w", err)
		}
		return s.Close()

	case "source":
		if _, err := writePattern(s, num(2), int64(num(1))); err != nil {
			return fmt.Errorf("source: %w", err)
		}
		return s.Close()

	case "finfirst":
		n, m, seed := int64(num(1)), int64(num(2)), num(3)
		if _, err := writePattern(s, seed, n); err != nil {
			return fmt.Errorf("finfirst: %w", err)
		}
		s.Close() // our FIN goes first; hashicorp can only keep reading by polling, see readAfterClose
		if err := expectPattern(afterClose{s}, seed+1, m); err != nil {
			return fmt.Errorf("finfirst: reading after our FIN: %w", err)
		}
		return nil

	case "reset":
		return fc.reset(s.StreamID(), uint32(num(1)))

	case "hangup":
		if _, err := io.WriteString(s, "ready\n"); err != nil {
			return err
		}
		if line, err := readLine(s, false); err != nil || line != "go" {
			return fmt.Errorf("hangup: wanted \"go\", got %q, err %v", line, err)
		}
		return sess.Close() // hashicorp sends no GO_AWAY: the TCP connection just closes

	case "awaitreset":
		if _, err := io.WriteString(s, "ready\n"); err != nil {
			return err
		}
		n, err := s.Read(make([]byte, 16))
		if !errors.Is(err, yamux.ErrConnectionReset) {
			return fmt.Errorf("awaitreset: read: got %d bytes, err %v, want ErrConnectionReset", n, err)
		}
		if _, err := s.Write([]byte("x")); !errors.Is(err, yamux.ErrConnectionReset) {
			return fmt.Errorf("awaitreset: write: err %v, want ErrConnectionReset", err)
		}
		return nil

	case "status":
		if !l.awaitIdle(1, 30*time.Second) {
			l.fail("status: other handlers still running after 30s")
		}
		handled, failures := l.snapshot()
		reply := fmt.Sprintf("OK %d", handled)
		if len(failures) > 0 {
			reply = "FAIL " + failures[0]
		} else if n := logs.errs.Load(); n > 0 {
			reply = fmt.Sprintf("FAIL yamux logged %d [ERR] lines (see stderr)", n)
		}
		// The opener closes the session as soon as it has this line, and hashicorp's Write may
		// then report ErrSessionShutdown although the frame went out (waitForSendErr selects
		// between "written" and "shut down" at random). The opener judges the reply; not us.
		io.WriteString(s, reply+"\n")
		s.Close()
		return nil
	}
	return fmt.Errorf("unknown command %q", cmd)
}

// ledger counts running handlers and keeps their failures, for "status" and the exit code.
type ledger struct {
	mu       sync.Mutex
	idle     *sync.Cond
	active   int
	handled  int
	failures []string
}

func newLedger() *ledger {
	l := &ledger{}
	l.idle = sync.NewCond(&l.mu)
	return l
}

func (l *ledger) begin() { l.mu.Lock(); l.active++; l.mu.Unlock() }

func (l *ledger) end() {
	l.mu.Lock()
	l.active--
	l.handled++
	l.idle.Broadcast()
	l.mu.Unlock()
}

func (l *ledger) fail(msg string) {
	fmt.Fprintln(os.Stderr, "yamuxpeer: FAIL "+msg)
	l.mu.Lock()
	l.failures = append(l.failures, msg)
	l.mu.Unlock()
}

func (l *ledger) snapshot() (int, []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.handled, append([]string(nil), l.failures...)
}

// awaitIdle waits until at most `others` handlers run (the caller counts as one), or the timeout.
func (l *ledger) awaitIdle(others int, d time.Duration) bool {
	timer := time.AfterFunc(d, func() { l.mu.Lock(); l.idle.Broadcast(); l.mu.Unlock() })
	defer timer.Stop()
	deadline := time.Now().Add(d)
	l.mu.Lock()
	defer l.mu.Unlock()
	for l.active > others && time.Now().Before(deadline) {
		l.idle.Wait()
	}
	return l.active <= others
}

// ---------------------------------------------------------------------------------------------
// Reading helpers

// readLine reads one '\n'-terminated line byte by byte, so that no byte after it is consumed.
func readLine(s *yamux.Stream, closed bool) (string, error) {
	var r io.Reader = s
	if closed {
		r = afterClose{s}
	}
	var line []byte
	b := make([]byte, 1)
	for len(line) < 200 {
		if _, err := io.ReadFull(r, b); err != nil {
			return string(line), err
		}
		if b[0] == '\n' {
			return string(line), nil
		}
		line = append(line, b[0])
	}
	return string(line), fmt.Errorf("line too long: %q", line)
}

// afterClose reads a stream we already closed. hashicorp's Read then returns io.EOF whenever its
// buffer is empty, even if the peer is still sending (stream.go Read, case streamLocalClose), so
// an EOF here means "nothing yet": poll until bytes come or 60 s pass. Callers know how many bytes
// to expect.
type afterClose struct{ s *yamux.Stream }

func (a afterClose) Read(b []byte) (int, error) {
	deadline := time.Now().Add(60 * time.Second)
	for {
		n, err := a.s.Read(b)
		if n > 0 || err != io.EOF {
			return n, err
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("no data for 60s after our own close: %w", io.ErrUnexpectedEOF)
		}
		time.Sleep(time.Millisecond)
	}
}

// writeSize is the size of each Write: 1 MiB, more than the 256 KiB window, so that hashicorp
// sends DATA frames as large as its whole send window (stream.go write: min(window, len(b))).
const writeSize = 1 << 20

// writePattern writes n pattern bytes from seed, in writes of writeSize.
func writePattern(w io.Writer, seed uint64, n int64) (int64, error) {
	return io.CopyBuffer(w, io.LimitReader(newPattern(seed), n), make([]byte, writeSize))
}

// expectPattern reads exactly n bytes and checks them against the pattern from seed.
func expectPattern(r io.Reader, seed uint64, n int64) error {
	want := newPattern(seed)
	got := make([]byte, 64<<10)
	exp := make([]byte, 64<<10)
	for off := int64(0); off < n; {
		chunk := int64(len(got))
		if n-off < chunk {
			chunk = n - off
		}
		k, err := r.Read(got[:chunk])
		if k > 0 {
			want.Read(exp[:k])
			for i := 0; i < k; i++ {
				if got[i] != exp[i] {
					return fmt.Errorf("byte %d of %d differs (got %#02x, want %#02x)", off+int64(i), n, got[i], exp[i])
				}
			}
			off += int64(k)
		}
		if err != nil && off < n {
			return fmt.Errorf("after %d of %d bytes: %w", off, n, err)
		}
	}
	return nil
}

// expectEOF checks that the stream ends here (the peer's FIN, after all its data).
func expectEOF(r io.Reader) error {
	n, err := io.ReadFull(r, make([]byte, 1))
	if err != io.EOF {
		return fmt.Errorf("wanted EOF, got %d more bytes, err %v", n, err)
	}
	return nil
}

func rate(n int64, start time.Time) string {
	return fmt.Sprintf("%.0f MiB/s", float64(n)/(1<<20)/time.Since(start).Seconds())
}

// pattern is an endless reader of xorshift64* output (Vigna 2014: shifts 12, 25, 27, multiplier
// 2685821657736338717), each 64-bit step written little endian. The Java test has the same generator.
type pattern struct {
	x    uint64
	word [8]byte
	used int
}

func newPattern(seed uint64) *pattern {
	return &pattern{x: seed + 0x9E3779B97F4A7C15, used: 8} // never 0 for the small seeds used here
}

func (p *pattern) Read(b []byte) (int, error) {
	i := 0
	for ; i < len(b) && p.used < 8; i++ { // finish the current word
		b[i] = p.word[p.used]
		p.used++
	}
	for ; len(b)-i >= 8; i += 8 { // whole words straight into b
		binary.LittleEndian.PutUint64(b[i:], p.step())
	}
	if i < len(b) { // start a new word for the tail
		binary.LittleEndian.PutUint64(p.word[:], p.step())
		p.used = copy(b[i:], p.word[:])
	}
	return len(b), nil
}

func (p *pattern) step() uint64 {
	p.x ^= p.x >> 12
	p.x ^= p.x << 25
	p.x ^= p.x >> 27
	return p.x * 2685821657736338717
}

// ---------------------------------------------------------------------------------------------
// framedConn: the TCP connection under the session, able to slip in an RST frame and to trace frames.

// framedConn is what the yamux session reads and writes. hashicorp's send loop is the only
// writer; it writes a frame's 12-byte header and its body in separate Write calls. framedConn
// follows the headers to know where frames end, so reset can put its own frame between two frames.
// With -trace it prints every frame header in both directions to stderr.
type framedConn struct {
	conn net.Conn
	in   frameTracker // recv loop only

	mu       sync.Mutex
	boundary *sync.Cond   // signalled when the write position is between two frames
	out      frameTracker // guarded by mu
}

func newFramedConn(conn net.Conn) *framedConn {
	c := &framedConn{conn: conn, in: frameTracker{dir: "<-"}, out: frameTracker{dir: "->"}}
	c.boundary = sync.NewCond(&c.mu)
	return c
}

func (c *framedConn) Close() error { return c.conn.Close() }

func (c *framedConn) Read(b []byte) (int, error) {
	n, err := c.conn.Read(b)
	c.in.track(b[:n])
	return n, err
}

func (c *framedConn) Write(b []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n, err := c.conn.Write(b)
	if c.out.track(b[:n]) {
		c.boundary.Broadcast()
	}
	return n, err
}

// reset writes WINDOW_UPDATE|RST for the stream, Length = error code: what go-yamux v5's
// Stream.ResetWithError sends (hashicorp's own RST frames carry Length 0).
func (c *framedConn) reset(id, code uint32) error {
	f := make([]byte, 12)
	f[1] = typeWindowUpdate
	binary.BigEndian.PutUint16(f[2:4], flagRST)
	binary.BigEndian.PutUint32(f[4:8], id)
	binary.BigEndian.PutUint32(f[8:12], code)
	c.mu.Lock()
	defer c.mu.Unlock()
	for !c.out.atBoundary() {
		c.boundary.Wait()
	}
	_, err := c.conn.Write(f)
	c.out.track(f)
	return err
}

// The wire constants of the yamux spec (hashicorp const.go).
const (
	typeData, typeWindowUpdate, typePing, typeGoAway = 0, 1, 2, 3
	flagSYN, flagACK, flagFIN, flagRST               = 0x1, 0x2, 0x4, 0x8
)

// frameTracker follows a byte stream of yamux frames: a 12-byte header, then Length body bytes
// for DATA frames only (for the other types Length is a window delta, ping id or error code).
type frameTracker struct {
	dir      string
	hdr      [12]byte // the header so far, hdrFill bytes of it
	hdrFill  int
	bodyLeft uint32 // body bytes of the current DATA frame still to come
}

// track consumes bytes; it returns true if they end at a frame boundary.
func (t *frameTracker) track(b []byte) bool {
	for len(b) > 0 {
		if t.bodyLeft > 0 {
			k := uint32(len(b))
			if k > t.bodyLeft {
				k = t.bodyLeft
			}
			t.bodyLeft -= k
			b = b[k:]
			continue
		}
		k := copy(t.hdr[t.hdrFill:], b)
		t.hdrFill += k
		b = b[k:]
		if t.hdrFill == 12 {
			t.hdrFill = 0
			if t.hdr[1] == typeData {
				t.bodyLeft = binary.BigEndian.Uint32(t.hdr[8:12])
			}
			if *trace {
				fmt.Fprintf(os.Stderr, "yamuxpeer: %s %s\n", t.dir, describe(t.hdr[:]))
			}
		}
	}
	return t.atBoundary()
}

func (t *frameTracker) atBoundary() bool { return t.hdrFill == 0 && t.bodyLeft == 0 }

// describe prints a header as "WINDOW_UPDATE SYN|ACK stream=3 length=0".
func describe(h []byte) string {
	types := []string{"DATA", "WINDOW_UPDATE", "PING", "GO_AWAY"}
	typ := fmt.Sprintf("type%d", h[1])
	if int(h[1]) < len(types) {
		typ = types[h[1]]
	}
	var flags []string
	f := binary.BigEndian.Uint16(h[2:4])
	for i, name := range []string{"SYN", "ACK", "FIN", "RST"} {
		if f&(1<<i) != 0 {
			flags = append(flags, name)
		}
	}
	if f&^0xf != 0 {
		flags = append(flags, fmt.Sprintf("%#x", f&^0xf))
	}
	if len(flags) == 0 {
		flags = []string{"-"}
	}
	v := ""
	if h[0] != 0 {
		v = fmt.Sprintf(" version=%d", h[0])
	}
	return fmt.Sprintf("%s %s stream=%d length=%d%s", typ, strings.Join(flags, "|"),
		binary.BigEndian.Uint32(h[4:8]), binary.BigEndian.Uint32(h[8:12]), v)
}
