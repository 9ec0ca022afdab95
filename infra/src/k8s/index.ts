export { K8S_DIR, type Manifest, renderKustomization, strategicMerge } from "./render";
export { validateManifest } from "./validate";
