// Reading and writing scenario streams: lines, pattern bytes, reading after our own Close.

package main

import (
	"encoding/binary"
	"fmt"
	"io"
	"time"

	"github.com/hashicorp/yamux"
)

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
