// Interop check of the Ori transparency log against Go's reference packages
// (golang.org/x/mod/sumdb/{note,tlog}): verifies the checkpoint, reads the tiles, proves entries.
// Usage: ori-tlog-verify [-old checkpoint-file] <registry-url> <verifier-key> [name@version[=sha256hex] ...]
package main

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type summary struct {
	Origin            string `json:"origin"`
	TreeSize          int64  `json:"treeSize"`
	RootHash          string `json:"rootHash"`
	EntriesProven     int    `json:"entriesProven"`
	BundlesVerified   int    `json:"bundlesVerified"`
	OldTreeSize       *int64 `json:"oldTreeSize,omitempty"`
	TilesFetched      int    `json:"tilesFetched"`
	FullTileFallbacks int    `json:"partialTileFallbacks"`
}

func main() {
	oldFile := flag.String("old", "", "file holding an older signed checkpoint to prove consistency with")
	flag.Parse()
	if flag.NArg() < 2 {
		fail("usage: ori-tlog-verify [-old checkpoint-file] <registry-url> <verifier-key> [name@version[=sha256hex] ...]")
	}
	c := &client{base: strings.TrimRight(flag.Arg(0), "/") + "/v1/log/"}
	vkey := strings.TrimSpace(flag.Arg(1))
	verifier, err := note.NewVerifier(vkey)
	check(err, "parse verifier key")
	served, err := c.get("key")
	check(err, "fetch key")
	if strings.TrimSpace(string(served)) != vkey {
		fail("the registry serves verifier key %q, expected %q", strings.TrimSpace(string(served)), vkey)
	}
	verifiers := note.VerifierList(verifier)

	msg, err := c.get("checkpoint")
	check(err, "fetch checkpoint")
	tree, origin := openCheckpoint(msg, verifiers, verifier.Name())
	tr := &tileReader{c: c, cache: map[string][]byte{}, viaFull: map[string]bool{}}
	thr := tlog.TileHashReader(tree, tr)
	out := summary{Origin: origin, TreeSize: tree.N, RootHash: tree.Hash.String()}
	if tree.N == 0 { // RFC 6962: the empty tree's hash is SHA-256(""); Go's tlog.TreeHash(0) is all zeros
		if tree.Hash != tlog.Hash(sha256.Sum256(nil)) {
			fail("the empty tree's root is %v, want SHA-256(\"\")", tree.Hash)
		}
	} else if th, err := tlog.TreeHash(tree.N, thr); err != nil || th != tree.Hash {
		fail("tlog.TreeHash via tiles: %v (got %v, checkpoint says %v)", err, th, tree.Hash)
	}

	bundles := map[int64][][]byte{} // entry bundles by tile index, authenticated
	for _, arg := range flag.Args()[2:] {
		proveEntry(c, arg, tree, thr, verifiers, verifier.Name(), tr, bundles)
		out.EntriesProven++
	}
	out.BundlesVerified = len(bundles)

	if *oldFile != "" {
		oldSize := proveConsistency(c, *oldFile, tree, thr, verifiers, verifier.Name())
		out.OldTreeSize = &oldSize
	}
	out.TilesFetched, out.FullTileFallbacks = tr.fetched, tr.fallbacks
	js, _ := json.Marshal(out)
	fmt.Println(string(js))
}

// proveConsistency checks that the tree extends the one of the signed checkpoint in oldFile,
// with a proof Go builds from our tiles and with the server's consistency proof.
func proveConsistency(c *client, oldFile string, tree tlog.Tree, thr tlog.HashReader, verifiers note.Verifiers, keyName string) int64 {
	oldMsg, err := os.ReadFile(oldFile)
	check(err, "read old checkpoint")
	old, _ := openCheckpoint(oldMsg, verifiers, keyName)
	if old.N > tree.N {
		fail("old checkpoint (size %d) is newer than the latest (size %d): the log shrank", old.N, tree.N)
	}
	if old.N == 0 { // tlog.ProveTree/CheckTree reject size 0: every tree extends the empty one
		return 0
	}
	p, err := tlog.ProveTree(tree.N, old.N, thr)
	check(err, "tlog.ProveTree via tiles")
	check(tlog.CheckTree(p, tree.N, tree.Hash, old.N, old.Hash), "tlog.CheckTree (proof from tiles)")
	var cons struct {
		From, To int64
		Proof    []string
	}
	body, err := c.get(fmt.Sprintf("proof/consistency?from=%d&to=%d", old.N, tree.N))
	check(err, "fetch consistency proof")
	check(json.Unmarshal(body, &cons), "parse consistency proof")
	if cons.From != old.N || cons.To != tree.N {
		fail("consistency proof is for %d→%d, asked %d→%d", cons.From, cons.To, old.N, tree.N)
	}
	check(tlog.CheckTree(decodeHashes(cons.Proof), tree.N, tree.Hash, old.N, old.Hash), "tlog.CheckTree (server's consistency proof)")
	return old.N
}

// openCheckpoint verifies a signed checkpoint with note.Open and parses its body
// (<origin>\n<size>\n<base64 hash>\n[extension lines]); the origin must be the key name.
func openCheckpoint(msg []byte, verifiers note.Verifiers, keyName string) (tlog.Tree, string) {
	n, err := note.Open(msg, verifiers)
	check(err, "note.Open checkpoint")
	lines := strings.Split(strings.TrimSuffix(n.Text, "\n"), "\n")
	if len(lines) < 3 {
		fail("checkpoint body has %d lines, want at least 3: %q", len(lines), n.Text)
	}
	if lines[0] != keyName {
		fail("checkpoint origin %q is not the key name %q", lines[0], keyName)
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		fail("malformed checkpoint size %q", lines[1])
	}
	h, err := tlog.ParseHash(lines[2])
	check(err, "parse checkpoint root hash")
	return tlog.Tree{N: size, Hash: h}, lines[0]
}

func decodeHashes(b64 []string) []tlog.Hash {
	out := make([]tlog.Hash, len(b64))
	for i, s := range b64 {
		raw, err := base64.StdEncoding.DecodeString(s)
		if err != nil || len(raw) != tlog.HashSize {
			fail("malformed proof hash %q", s)
		}
		copy(out[i][:], raw)
	}
	return out
}

func check(err error, what string) {
	if err != nil {
		fail("%s: %v", what, err)
	}
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "ori-tlog-verify: FAIL: "+format+"\n", args...)
	os.Exit(1)
}
