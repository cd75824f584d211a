// k8s-validate decodes a multi-document Kubernetes YAML stream into the official typed API structs
// (k8s.io/api) with strict decoding: an unknown field, a wrong type or an unsupported kind fails.
// It is the schema check for the manifests mlship renders, using Kubernetes' own Go types.
//
//	k8s-validate manifest.yaml
package main

import (
	"bytes"
	"fmt"
	"os"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/yaml"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: k8s-validate manifest.yaml")
		os.Exit(2)
	}
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	failed := false
	for i, doc := range bytes.Split(data, []byte("\n---\n")) {
		if len(bytes.TrimSpace(doc)) == 0 {
			continue
		}
		var meta struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
		}
		if err := yaml.Unmarshal(doc, &meta); err != nil {
			fmt.Printf("document %d: %v\n", i+1, err)
			failed = true
			continue
		}
		var target interface{}
		switch meta.APIVersion + "/" + meta.Kind {
		case "apps/v1/Deployment":
			target = &appsv1.Deployment{}
		case "v1/Service":
			target = &corev1.Service{}
		case "autoscaling/v2/HorizontalPodAutoscaler":
			target = &autoscalingv2.HorizontalPodAutoscaler{}
		case "policy/v1/PodDisruptionBudget":
			target = &policyv1.PodDisruptionBudget{}
		default:
			fmt.Printf("document %d: unsupported kind %s %s\n", i+1, meta.APIVersion, meta.Kind)
			failed = true
			continue
		}
		if err := yaml.UnmarshalStrict(doc, target); err != nil {
			fmt.Printf("document %d (%s): %v\n", i+1, meta.Kind, err)
			failed = true
			continue
		}
		fmt.Printf("ok %s %s\n", meta.APIVersion, meta.Kind)
	}
	if failed {
		os.Exit(1)
	}
}
