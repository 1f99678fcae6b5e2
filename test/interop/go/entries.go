// Proving one entry with Go's tlog: the lookup's entry text, a record proof built from tiles,
// the server's own proof and tlog-proof text, and the entry bundle (authenticated in full).
package main

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

type lookup struct {
	Index      int64    `json:"index"`
	Entry      string   `json:"entry"`
	TreeSize   int64    `json:"treeSize"`
	Checkpoint string   `json:"checkpoint"`
	Proof      []string `json:"proof"`
	TlogProof  string   `json:"tlogProof"`
}

// proveEntry proves `name@version[=sha256hex]` is in tree; bundles caches authenticated bundles.
func proveEntry(c *client, arg string, tree tlog.Tree, thr tlog.HashReader, verifiers note.Verifiers, keyName string, tr *tileReader, bundles map[int64][][]byte) {
	spec, wantSha := arg, ""
	if i := strings.Index(arg, "="); i >= 0 {
		spec, wantSha = arg[:i], arg[i+1:]
	}
	at := strings.LastIndex(spec, "@")
	name, version := spec[:max(at, 0)], spec[at+1:]
	if at <= 0 || !strings.HasPrefix(name, "@") || strings.Count(name, "/") != 1 || version == "" {
		fail("bad argument %q: want @scope/name@version[=sha256hex]", arg)
	}
	body, err := c.get("lookup/" + name + "/" + version)
	check(err, "lookup "+spec)
	var lk lookup
	check(json.Unmarshal(body, &lk), "parse lookup of "+spec)

	prefix := name + " " + version + " sha256:"
	hex := strings.TrimSuffix(strings.TrimPrefix(lk.Entry, prefix), "\n")
	if !strings.HasPrefix(lk.Entry, prefix) || !strings.HasSuffix(lk.Entry, "\n") || !sha256Hex.MatchString(hex) {
		fail("%s: entry %q is not `%s<hex>\\n`", spec, lk.Entry, prefix)
	}
	if wantSha != "" && hex != wantSha {
		fail("%s: the log records sha256:%s, expected sha256:%s", spec, hex, wantSha)
	}
	if lk.Index < 0 || lk.Index >= tree.N {
		fail("%s: index %d is not covered by the checkpoint of size %d", spec, lk.Index, tree.N)
	}
	entry := []byte(lk.Entry)
	leaf := tlog.RecordHash(entry)

	// 1. A proof computed by Go from our tiles, checked against the signed root.
	p, err := tlog.ProveRecord(tree.N, lk.Index, thr)
	check(err, spec+": tlog.ProveRecord via tiles")
	check(tlog.CheckRecord(p, tree.N, tree.Hash, lk.Index, leaf), spec+": tlog.CheckRecord (proof from tiles)")

	// 2. The server's proof, against the checkpoint the lookup came with.
	lt, _ := openCheckpoint([]byte(lk.Checkpoint), verifiers, keyName)
	if lt.N != lk.TreeSize {
		fail("%s: lookup says treeSize %d but its checkpoint has size %d", spec, lk.TreeSize, lt.N)
	}
	if lt.N == tree.N && lt.Hash != tree.Hash {
		fail("%s: two signed checkpoints of size %d with different roots (a fork)", spec, lt.N)
	}
	check(tlog.CheckRecord(decodeHashes(lk.Proof), lt.N, lt.Hash, lk.Index, leaf), spec+": tlog.CheckRecord (server's proof)")

	// 3. The same proof in C2SP tlog-proof text form.
	checkTlogProof(spec, lk.TlogProof, lk.Index, leaf, verifiers, keyName)

	// 4. The entry bundle holding the entry: every entry in it must hash to the tree's leaves.
	b := bundle(tr, thr, tree, lk.Index>>tileHeight, bundles)
	if got := b[lk.Index%(1<<tileHeight)]; !bytes.Equal(got, entry) {
		fail("%s: entry bundle holds %q at index %d, lookup says %q", spec, got, lk.Index, entry)
	}
}

// checkTlogProof parses c2sp.org/tlog-proof@v1 text and checks it with tlog.CheckRecord.
func checkTlogProof(spec, text string, index int64, leaf tlog.Hash, verifiers note.Verifiers, keyName string) {
	split := strings.Index(text, "\n\n")
	if split < 0 {
		fail("%s: tlog-proof has no blank line before its checkpoint", spec)
	}
	lines := strings.Split(text[:split], "\n")
	if lines[0] != "c2sp.org/tlog-proof@v1" {
		fail("%s: tlog-proof header is %q", spec, lines[0])
	}
	lines = lines[1:]
	if len(lines) > 0 && strings.HasPrefix(lines[0], "extra ") {
		lines = lines[1:]
	}
	if len(lines) == 0 || lines[0] != "index "+strconv.FormatInt(index, 10) {
		fail("%s: tlog-proof index line is not `index %d`", spec, index)
	}
	cp, _ := openCheckpoint([]byte(text[split+2:]), verifiers, keyName)
	check(tlog.CheckRecord(decodeHashes(lines[1:]), cp.N, cp.Hash, index, leaf), spec+": tlog.CheckRecord (tlog-proof text)")
}

// bundle reads entry bundle n at the width the tree gives it and proves every entry in it.
func bundle(tr *tileReader, thr tlog.HashReader, tree tlog.Tree, n int64, cache map[int64][][]byte) [][]byte {
	if b, ok := cache[n]; ok {
		return b
	}
	w := min(1<<tileHeight, tree.N-n<<tileHeight)
	t := tlog.Tile{H: tileHeight, L: -1, N: n, W: int(w)}
	data, err := tr.read(t)
	check(err, "read entry bundle "+ourPath(t))
	var entries [][]byte
	for len(data) > 0 && int64(len(entries)) < w {
		if len(data) < 2 || len(data) < 2+int(data[0])<<8|int(data[1]) {
			fail("entry bundle %s is truncated", ourPath(t))
		}
		l := 2 + (int(data[0])<<8 | int(data[1]))
		entries, data = append(entries, data[2:l]), data[l:]
	}
	if int64(len(entries)) != w || (len(data) > 0 && !tr.viaFull[ourPath(t)]) {
		fail("entry bundle %s holds %d entries (+%d stray bytes), want %d", ourPath(t), len(entries), len(data), w)
	}
	// Each entry gets its own record proof checked against the signed root: tlog's
	// TileHashReader can return hashes from a full tile it never authenticated (x/mod 0.7.0,
	// ReadHashes starts its parent check at len(stx), skipping tiles), so ReadHashes alone is not enough.
	for k, e := range entries {
		i := n<<tileHeight + int64(k)
		p, err := tlog.ProveRecord(tree.N, i, thr)
		check(err, "tlog.ProveRecord for entry bundle "+ourPath(t))
		if tlog.CheckRecord(p, tree.N, tree.Hash, i, tlog.RecordHash(e)) != nil {
			fail("entry bundle %s: entry %d (%q) is not the tree's record %d", ourPath(t), k, e, i)
		}
	}
	cache[n] = entries
	return entries
}

func max(a, b int) int {
	if a > b {
		return a
	}
	return b
}

func min(a, b int64) int64 {
	if a < b {
		return a
	}
	return b
}
