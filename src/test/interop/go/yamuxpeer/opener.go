// The opener's side of the scenarios: open streams, drive each scenario, check what comes back.

package main

import (
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/yamux"
)

var allScenarios = []string{"echo100", "echobig", "sink", "source", "finfirst", "reset", "awaitreset", "status", "hangup"}

// drive runs the scenarios one after another, then asks the acceptor for its status (unless
// the run says when, or hangs up).
func drive(sess *yamux.Session, fc *framedConn, scenarios []string) (ok bool) {
	if len(scenarios) == 1 && scenarios[0] == "all" {
		scenarios = allScenarios
	}
	ok = true
	defer func() {
		if e := logs.protocolErrors(); e != "" {
			fmt.Printf("FAIL %s\n", e)
			ok = false
		}
	}()
	if !contains(scenarios, "status") && !contains(scenarios, "hangup") && !contains(scenarios, "goaway") {
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
	case "goaway":
		return driveGoAway(sess)
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
	// The acceptor hangs up as soon as it reads this, and hashicorp's Write may then report
	// ErrSessionShutdown although the frame went out (waitForSendErr selects between "written" and
	// "shut down" at random): that error is expected here.
	if _, err := io.WriteString(s, "go\n"); err != nil && !errors.Is(err, yamux.ErrSessionShutdown) {
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

// driveGoAway asks the acceptor for a GO_AWAY: then no stream may open, but this one still echoes.
func driveGoAway(sess *yamux.Session) (string, error) {
	s, err := sess.OpenStream()
	if err != nil {
		return "", fmt.Errorf("open: %w", err)
	}
	defer s.Close()
	if _, err := io.WriteString(s, "goaway\n"); err != nil {
		return "", err
	}
	if line, err := readLine(s, false); err != nil || line != "ready" {
		return "", fmt.Errorf("stream %d: wanted \"ready\", got %q, err %v", s.StreamID(), line, err)
	}
	_, refused := sess.OpenStream()
	if refused == nil {
		return "", fmt.Errorf("opened a stream after GO_AWAY")
	}
	if _, err := io.WriteString(s, "still here\n"); err != nil {
		return "", fmt.Errorf("stream %d: write after GO_AWAY: %w", s.StreamID(), err)
	}
	if line, err := readLine(s, false); err != nil || line != "still here" {
		return "", fmt.Errorf("stream %d: echo after GO_AWAY: got %q, err %v", s.StreamID(), line, err)
	}
	// Nothing can follow, so the run closes the session next: first let the acceptor finish (its
	// FIN after ours removes the stream from the session), or its last write may see the shutdown.
	s.Close()
	for deadline := time.Now().Add(10 * time.Second); sess.NumStreams() > 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			return "", fmt.Errorf("stream %d: no FIN from the acceptor 10s after ours", s.StreamID())
		}
	}
	return fmt.Sprintf("open fails with %q, the open stream still echoes", refused), nil
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
