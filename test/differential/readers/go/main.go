// Go's archive/tar as a differential reader: one archive path per stdin line, one JSON result
// per stdout line (paths as hex of their bytes, file data as sha256). Global pax headers are
// skipped, as Go's documentation tells callers to.
package main

import (
	"archive/tar"
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
)

type entry struct {
	Path   string `json:"path"`
	Type   string `json:"type"`
	Sha256 string `json:"sha256"`
}

type result struct {
	Ok      bool    `json:"ok"`
	Entries []entry `json:"entries"`
	Error   string  `json:"error,omitempty"`
}

func read(name string) ([]entry, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	tr := tar.NewReader(f)
	out := []entry{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		e := entry{Path: hex.EncodeToString([]byte(h.Name))}
		switch h.Typeflag {
		case tar.TypeXGlobalHeader:
			continue
		case tar.TypeReg, '\x00':
			sum := sha256.New()
			if _, err := io.Copy(sum, tr); err != nil {
				return nil, err
			}
			e.Type, e.Sha256 = "file", hex.EncodeToString(sum.Sum(nil))
		case tar.TypeDir:
			e.Type = "directory"
		default:
			e.Type = "other:" + string([]byte{h.Typeflag})
		}
		out = append(out, e)
	}
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		entries, err := read(in.Text())
		r := result{Ok: err == nil, Entries: entries}
		if err != nil {
			r.Error = err.Error()
		}
		if err := out.Encode(r); err != nil {
			panic(err)
		}
	}
}
