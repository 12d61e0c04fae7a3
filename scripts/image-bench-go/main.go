// image-bench-go times, on the inputs `gitops-bench images --go` writes, what Flux's
// image-reflector-controller (policy selection) and image-automation-controller (setters)
// do, with the libraries they link: Masterminds/semver v3, Go regexp, sort, strconv, and
// kyaml (kio readers/writers, fieldmeta short-hand setter references, openapi.Resolve).
// It is a benchmark harness written for this repository; it reproduces the controllers'
// behaviour, not their code.
//
// Usage:
//
//	image-bench-go policy TAGS_FILE STEP RUNS
//	image-bench-go setters DIR MODE SETTER IMAGE     (MODE: dry | write; one run)
//
// Output: `result <value>` and `best_ns <nanoseconds>` lines (the in-process loop only:
// file reading / process start are outside it for `policy`; for `setters` the walk,
// read, screen, parse, set and (write mode) re-serialisation + write are inside it).
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/Masterminds/semver/v3"
	"k8s.io/kube-openapi/pkg/validation/spec"
	"sigs.k8s.io/kustomize/kyaml/fieldmeta"
	"sigs.k8s.io/kustomize/kyaml/kio"
	"sigs.k8s.io/kustomize/kyaml/kio/kioutil"
	"sigs.k8s.io/kustomize/kyaml/openapi"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

const shortHand = "$imagepolicy"

// The OpenAPI vendor extension carrying a setter's name and value.
const cliExtension = "x-k8s-cli"

func main() {
	fieldmeta.SetShortHandRef(shortHand)
	openapi.SuppressBuiltInSchemaUse()
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 4 && args[0] == "policy" {
		runs, err := strconv.Atoi(args[3])
		if err != nil || runs < 1 {
			return fmt.Errorf("bad RUNS %q", args[3])
		}
		return policyBench(args[1], args[2], runs)
	}
	if len(args) == 5 && args[0] == "setters" {
		return settersBench(args[1], args[2] == "write", args[3], args[4])
	}
	return fmt.Errorf("usage: image-bench-go policy TAGS_FILE STEP RUNS | setters DIR dry|write SETTER IMAGE")
}

// ---- policy selection (image-reflector-controller) ----

// parseVersion accepts what Flux's version helper accepts: a strict SemVer 2.0 version,
// optionally with a leading "v"; the result keeps the original text.
func parseVersion(s string) (*semver.Version, error) {
	if _, err := semver.StrictNewVersion(strings.TrimPrefix(s, "v")); err != nil {
		return nil, err
	}
	return semver.NewVersion(s)
}

func semverLatest(c *semver.Constraints, tags []string) (string, error) {
	var best *semver.Version
	for _, t := range tags {
		v, err := parseVersion(t)
		if err != nil {
			continue
		}
		if c.Check(v) && (best == nil || v.GreaterThan(best)) {
			best = v
		}
	}
	if best == nil {
		return "", fmt.Errorf("unable to determine latest version from provided list")
	}
	return best.Original(), nil
}

// filterTags keeps the tags the pattern matches, mapping the extracted value (or the tag
// itself when extract is empty) back to the original tag.
func filterTags(re *regexp.Regexp, extract string, tags []string) (items []string, orig map[string]string) {
	orig = map[string]string{}
	for _, t := range tags {
		m := re.FindStringSubmatchIndex(t)
		if len(m) == 0 {
			continue
		}
		key := t
		if extract != "" {
			key = string(re.ExpandString(nil, extract, t, m))
		}
		orig[key] = t
	}
	items = make([]string, 0, len(orig))
	for k := range orig {
		items = append(items, k)
	}
	return items, orig
}

func alphabeticalAscLatest(tags []string) string {
	s := append([]string(nil), tags...)
	sort.Sort(sort.Reverse(sort.StringSlice(s)))
	return s[0]
}

func numericalAscLatest(tags []string) (string, error) {
	var latest string
	var pv float64
	for i, t := range tags {
		cv, err := strconv.ParseFloat(t, 64)
		if err != nil {
			return "", fmt.Errorf("failed to parse invalid numeric value '%s'", t)
		}
		if i > 0 && cv < pv {
			continue
		}
		latest, pv = t, cv
	}
	return latest, nil
}

func policyBench(file, step string, runs int) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	tags := strings.Split(strings.TrimRight(string(data), "\n"), "\n")

	var f func() (string, error)
	switch step {
	case "exclude":
		// The ImageRepository's exclusionList, default `^.*\.sig$`, applied to the scan.
		f = func() (string, error) {
			res := []*regexp.Regexp{regexp.MustCompile(`^.*\.sig$`)}
			kept := make([]string, 0, len(tags))
		next:
			for _, t := range tags {
				for _, re := range res {
					if re.MatchString(t) {
						continue next
					}
				}
				kept = append(kept, t)
			}
			return strconv.Itoa(len(kept)), nil
		}
	case "semver-stable", "semver-pre":
		rng := ">=1.0.0"
		if step == "semver-pre" {
			rng = ">=0.0.0-0"
		}
		f = func() (string, error) {
			c, err := semver.NewConstraint(rng)
			if err != nil {
				return "", err
			}
			return semverLatest(c, tags)
		}
	case "semver-extract":
		f = func() (string, error) {
			re, err := regexp.Compile(`^v(?P<v>\d+\.\d+\.\d+)-rc\.[0-9a-f]+$`)
			if err != nil {
				return "", err
			}
			c, err := semver.NewConstraint("^3")
			if err != nil {
				return "", err
			}
			items, orig := filterTags(re, "$v", tags)
			l, err := semverLatest(c, items)
			if err != nil {
				return "", err
			}
			return orig[l], nil
		}
	case "alphabetical":
		f = func() (string, error) { return alphabeticalAscLatest(tags), nil }
	case "numerical-extract":
		f = func() (string, error) {
			re, err := regexp.Compile(`^main-[a-f0-9]+-(?P<ts>[0-9]+)$`)
			if err != nil {
				return "", err
			}
			items, orig := filterTags(re, "$ts", tags)
			l, err := numericalAscLatest(items)
			if err != nil {
				return "", err
			}
			return orig[l], nil
		}
	default:
		return fmt.Errorf("unknown step %q", step)
	}
	best := time.Duration(1<<63 - 1)
	var result string
	for i := 0; i < runs; i++ {
		t := time.Now()
		r, err := f()
		d := time.Since(t)
		if err != nil {
			return err
		}
		if d < best {
			best = d
		}
		result = r
	}
	fmt.Printf("result %s\nbest_ns %d\n", result, best.Nanoseconds())
	return nil
}

// ---- setters (image-automation-controller) ----

// screeningReader walks root, keeps the .yaml/.yml files that contain the token and parses
// them with kio.ByteReader, annotating each node with its path relative to root so that a
// kio.LocalPackageWriter writes it back in place. Files that fail to parse are skipped.
type screeningReader struct {
	root  string
	token []byte
}

func (r *screeningReader) Read() ([]*yaml.RNode, error) {
	var out []*yaml.RNode
	err := filepath.Walk(r.root, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if info.IsDir() {
			return nil
		}
		if ext := filepath.Ext(p); ext != ".yaml" && ext != ".yml" {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if !bytes.Contains(b, r.token) {
			return nil
		}
		rel, err := filepath.Rel(r.root, p)
		if err != nil {
			return err
		}
		nodes, err := (&kio.ByteReader{
			Reader:         bytes.NewReader(b),
			SetAnnotations: map[string]string{kioutil.PathAnnotation: rel},
		}).Read()
		if err != nil {
			return nil // a problem file: skipped, as Flux does
		}
		out = append(out, nodes...)
		return nil
	})
	return out, err
}

// setterValue reads the setter extension of a resolved per-field schema.
func setterValue(s *spec.Schema) (name, value string, ok bool) {
	ext, found := s.Extensions[cliExtension]
	if !found {
		return "", "", false
	}
	b, err := json.Marshal(ext)
	if err != nil {
		return "", "", false
	}
	var x struct {
		Setter *struct {
			Name  string `json:"name"`
			Value string `json:"value"`
		} `json:"setter"`
	}
	if json.Unmarshal(b, &x) != nil || x.Setter == nil {
		return "", "", false
	}
	return x.Setter.Name, x.Setter.Value, true
}

// visit walks a node and sets every scalar whose line comment references a known setter.
func visit(n *yaml.RNode, defs *spec.Schema, changed func()) error {
	switch n.YNode().Kind {
	case yaml.DocumentNode:
		return visit(yaml.NewRNode(n.YNode()), defs, changed)
	case yaml.MappingNode:
		return n.VisitFields(func(f *yaml.MapNode) error { return visit(f.Value, defs, changed) })
	case yaml.SequenceNode:
		return n.VisitElements(func(e *yaml.RNode) error { return visit(e, defs, changed) })
	case yaml.ScalarNode:
		fm := fieldmeta.FieldMeta{SettersSchema: defs}
		if err := fm.Read(n); err != nil || fm.IsEmpty() {
			return nil
		}
		sch := fm.Schema
		if sch.Ref.String() != "" {
			if s, err := openapi.Resolve(&sch.Ref, defs); err == nil && s != nil {
				sch = *s
			}
		}
		_, value, ok := setterValue(&sch)
		if !ok {
			return nil
		}
		old := n.YNode().Value
		n.YNode().Value = value
		if len(sch.Type) > 0 {
			yaml.FormatNonStringStyle(n.YNode(), sch)
		}
		if old != value {
			changed()
		}
	}
	return nil
}

func setterSchema(name, value string) spec.Schema {
	s := spec.StringProperty()
	s.Extensions = spec.Extensions{}
	s.Extensions.Add(cliExtension, map[string]interface{}{
		"setter": map[string]string{"name": name, "value": value},
	})
	return *s
}

func settersBench(dir string, write bool, setter, image string) error {
	root, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	t := time.Now()
	// Setter definitions for one policy: the image, its tag and its name.
	tag := image[strings.LastIndex(image, ":")+1:]
	name := image[:strings.LastIndex(image, ":")]
	defs := spec.Schema{}
	defs.Definitions = spec.Definitions{
		fieldmeta.SetterDefinitionPrefix + setter:           setterSchema(setter, image),
		fieldmeta.SetterDefinitionPrefix + setter + ":tag":  setterSchema(setter+":tag", tag),
		fieldmeta.SetterDefinitionPrefix + setter + ":name": setterSchema(setter+":name", name),
	}
	files := map[string]bool{}
	filter := kio.FilterFunc(func(nodes []*yaml.RNode) ([]*yaml.RNode, error) {
		for _, n := range nodes {
			path, _, err := kioutil.GetFileAnnotations(n)
			if err != nil {
				return nil, err
			}
			if err := visit(n, &defs, func() { files[path] = true }); err != nil {
				return nil, err
			}
		}
		var keep []*yaml.RNode
		for _, n := range nodes {
			if path, _, _ := kioutil.GetFileAnnotations(n); files[path] {
				keep = append(keep, n)
			}
		}
		return keep, nil
	})
	p := kio.Pipeline{
		Inputs:  []kio.Reader{&screeningReader{root: root, token: []byte(fmt.Sprintf("%q", shortHand))}},
		Filters: []kio.Filter{filter},
	}
	if write {
		p.Outputs = []kio.Writer{&kio.LocalPackageWriter{PackagePath: root}}
	}
	if err := p.Execute(); err != nil {
		return err
	}
	d := time.Since(t)
	fmt.Printf("result %d\nbest_ns %d\n", len(files), d.Nanoseconds())
	return nil
}
