// The acceptor's side of the scenarios: one goroutine per accepted stream, behaving as its
// command line says, and a ledger of the outcomes for "status" and the exit code.

package main

import (
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/yamux"
)

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

	case "goaway":
		if err := sess.GoAway(); err != nil { // GO_AWAY(normal): no new inbound streams
			return fmt.Errorf("goaway: %w", err)
		}
		if _, err := io.WriteString(s, "ready\n"); err != nil {
			return err
		}
		if _, err := io.CopyBuffer(s, s, make([]byte, writeSize)); err != nil {
			return fmt.Errorf("goaway: echo after GO_AWAY: %w", err)
		}
		return s.Close()

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
		} else if e := logs.protocolErrors(); e != "" {
			reply = "FAIL " + e
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
