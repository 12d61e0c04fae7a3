// Command oracle prints what the real Go YAML stack makes of inputs, so that our Rust
// YAML layer can be compared with it differentially. It is a test tool only.
//
// Cases are read from stdin separated by NUL bytes; results are written to stdout
// separated by NUL bytes, in the same order. A result that is an error starts with "ERROR: ".
//
// Modes:
//
//	emit       JSON text -> sigs.k8s.io/yaml.JSONToYAML (go-yaml v2 Marshal), as kustomize prints
//	kyaml      YAML stream -> kyaml parse -> RNode.MarshalJSON -> JSONToYAML per document,
//	           joined by "---\n": kustomize build's output path with no transformer
//	tojson-v2  YAML document -> sigs.k8s.io/yaml.YAMLToJSON (what the API server reads)
//	tojson-v3  YAML document -> kyaml RNode.MarshalJSON (what kustomize reads)
package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"

	"sigs.k8s.io/kustomize/kyaml/kio"
	kyaml "sigs.k8s.io/kustomize/kyaml/yaml"
	"sigs.k8s.io/yaml"
)

func run(mode string, in []byte) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	switch mode {
	case "emit":
		return yaml.JSONToYAML(in)
	case "kyaml":
		nodes, err := (&kio.ByteReader{Reader: bytes.NewReader(in), OmitReaderAnnotations: true}).Read()
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		for i, n := range nodes {
			j, err := n.MarshalJSON()
			if err != nil {
				return nil, err
			}
			y, err := yaml.JSONToYAML(j)
			if err != nil {
				return nil, err
			}
			if i > 0 {
				buf.WriteString("---\n")
			}
			buf.Write(y)
		}
		return buf.Bytes(), nil
	case "tojson-v2":
		return yaml.YAMLToJSON(in)
	case "tojson-v3":
		n, err := kyaml.Parse(string(in))
		if err != nil {
			return nil, err
		}
		return n.MarshalJSON()
	}
	return nil, fmt.Errorf("unknown mode %q", mode)
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: oracle emit|kyaml|tojson-v2|tojson-v3 < cases")
		os.Exit(2)
	}
	data, err := io.ReadAll(os.Stdin)
	if err != nil {
		panic(err)
	}
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	for i, c := range bytes.Split(data, []byte{0}) {
		if i > 0 {
			w.WriteByte(0)
		}
		out, err := run(os.Args[1], c)
		if err != nil {
			fmt.Fprintf(w, "ERROR: %v", err)
			continue
		}
		w.Write(out)
	}
}
