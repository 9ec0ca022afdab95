// `pnpm -F @agentos/infra k8s [overlay]`: prints the rendered manifests of an overlay (default
// single), validated against the Kubernetes schemas — `kubectl kustomize` without kubectl.
import { join } from "node:path";
import { stringify } from "yaml";
import { K8S_DIR, renderKustomization, validateManifest } from "../src/k8s";

const overlay = process.argv[2] ?? "single";
const manifests = renderKustomization(join(K8S_DIR, "overlays", overlay));
for (const manifest of manifests) validateManifest(manifest);
console.log(manifests.map((m) => stringify(m)).join("---\n"));
