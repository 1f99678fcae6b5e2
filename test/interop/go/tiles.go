// HTTP access to the registry's /v1/log API, and a tlog.TileReader that maps Go's tile paths
// (tile/8/<L>/<N>, tile/8/data/<N>) onto ours (tile/<L>/<N>, tile/entries/<N>).
package main

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"
)

const tileHeight = 8

var errNotFound = errors.New("404 not found")

type client struct{ base string }

var httpClient = &http.Client{Timeout: 30 * time.Second}

func (c *client) get(path string) ([]byte, error) {
	req, err := http.NewRequest("GET", c.base+path, nil)
	if err != nil {
		return nil, err
	}
	if tok := os.Getenv("ORI_REGISTRY_TOKEN"); tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	res, err := httpClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	if res.StatusCode == http.StatusNotFound {
		return nil, fmt.Errorf("GET %s: %w", c.base+path, errNotFound)
	}
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: HTTP %d: %.300s", c.base+path, res.StatusCode, body)
	}
	return body, nil
}

// ourPath turns a Go tile into our tlog-tiles path: Go writes the height into its paths
// (tile/8/0/001) and calls entry bundles "data"; tlog-tiles has neither.
func ourPath(t tlog.Tile) string {
	if t.H != tileHeight {
		fail("tile height %d requested; the log has tiles of height %d", t.H, tileHeight)
	}
	rest := strings.TrimPrefix(t.Path(), fmt.Sprintf("tile/%d/", tileHeight))
	if t.L == -1 {
		rest = "entries/" + strings.TrimPrefix(rest, "data/")
	}
	return "tile/" + rest
}

// tileReader fetches tiles over HTTP. It keeps what it fetched for this run only: tlog's
// TileHashReader re-authenticates tiles against the signed tree hash on every read.
type tileReader struct {
	c                  *client
	cache              map[string][]byte
	viaFull            map[string]bool // paths answered with the full tile
	fetched, fallbacks int
}

func (r *tileReader) Height() int { return tileHeight }

func (r *tileReader) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		data, err := r.read(t)
		if err != nil {
			return nil, err
		}
		if len(data) > t.W*tlog.HashSize && len(data) == (1<<tileHeight)*tlog.HashSize {
			data = data[:t.W*tlog.HashSize] // a full tile served in place of a partial one
		}
		out[i] = data
	}
	return out, nil
}

func (r *tileReader) SaveTiles(tiles []tlog.Tile, data [][]byte) {}

// read fetches a tile; when a partial tile is gone (tlog-tiles lets a log delete partial tiles
// once the full tile exists) it falls back to the full tile, whose prefix is the same.
func (r *tileReader) read(t tlog.Tile) ([]byte, error) {
	path := ourPath(t)
	if data, ok := r.cache[path]; ok {
		return data, nil
	}
	data, err := r.c.get(path)
	if errors.Is(err, errNotFound) && t.W < 1<<tileHeight {
		full := t
		full.W = 1 << tileHeight
		if data, err = r.c.get(ourPath(full)); err == nil {
			r.fallbacks++
			r.viaFull[path] = true
		}
	}
	if err != nil {
		return nil, err
	}
	r.fetched++
	r.cache[path] = data
	return data, nil
}
