// framedConn: the TCP connection under the session, able to slip in an RST frame and to trace frames.

package main

import (
	"encoding/binary"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
)

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
