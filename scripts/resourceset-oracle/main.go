// Command resourceset-oracle renders ResourceSet templates the way flux-operator does
// (text/template, delimiters << >>, missingkey=error, slim-sprig's hermetic functions,
// slugify, toYaml/mustToYaml, the niladic inputs), for differential tests.
//
// Input on stdin: a JSON array of {"name", "template", "inputs"} cases ("inputs" null
// means no inputs). Output on stdout: a JSON array of {"name", "output"} or
// {"name", "error"}. Inputs are decoded as apimachinery decodes them (integers as int64).
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/template"

	sprig "github.com/go-task/slim-sprig/v3"
	"github.com/gosimple/slug"
	"sigs.k8s.io/yaml"
)

type tcase struct {
	Name     string          `json:"name"`
	Template string          `json:"template"`
	Inputs   json.RawMessage `json:"inputs"`
}

type result struct {
	Name   string  `json:"name"`
	Output *string `json:"output,omitempty"`
	Error  *string `json:"error,omitempty"`
}

func toYaml(v any) string {
	b, err := yaml.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

func mustToYaml(v any) (string, error) {
	b, err := yaml.Marshal(v)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// convert turns json.Number into int64 when it fits, else float64 (apimachinery's rule).
func convert(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case map[string]any:
		for k, e := range x {
			x[k] = convert(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = convert(e)
		}
		return x
	}
	return v
}

func render(c tcase) (string, error) {
	var inputs map[string]any
	if len(c.Inputs) > 0 && string(c.Inputs) != "null" {
		d := json.NewDecoder(bytes.NewReader(c.Inputs))
		d.UseNumber()
		if err := d.Decode(&inputs); err != nil {
			return "", err
		}
		convert(inputs)
	}
	tp, err := template.New("resourceset").
		Delims("<<", ">>").
		Funcs(sprig.HermeticTxtFuncMap()).
		Funcs(template.FuncMap{"slugify": slug.Make}).
		Funcs(template.FuncMap{"inputs": func() any { return inputs }}).
		Funcs(template.FuncMap{"toYaml": toYaml, "mustToYaml": mustToYaml}).
		Option("missingkey=error").
		Parse(c.Template)
	if err != nil {
		return "", err
	}
	b := &strings.Builder{}
	if err := tp.Execute(b, nil); err != nil {
		return "", err
	}
	return b.String(), nil
}

func main() {
	slug.MaxLength = 63
	slug.EnableSmartTruncate = true
	var cases []tcase
	if err := json.NewDecoder(os.Stdin).Decode(&cases); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	out := make([]result, 0, len(cases))
	for _, c := range cases {
		s, err := render(c)
		r := result{Name: c.Name}
		if err != nil {
			e := err.Error()
			r.Error = &e
		} else {
			r.Output = &s
		}
		out = append(out, r)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", " ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}
