import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseAllDocuments } from "yaml";

/** A Kubernetes object as plain data. */
export type Manifest = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
};

interface Kustomization {
  resources?: string[];
  namespace?: string;
  labels?: Array<{ pairs: Record<string, string>; includeSelectors?: boolean }>;
  images?: Array<{ name: string; newName?: string; newTag?: string }>;
  patches?: Array<{ path: string }>;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

function readYamlDocuments(path: string): Json[] {
  return parseAllDocuments(readFileSync(path, "utf8"))
    .map((doc) => doc.toJS() as Json | null)
    .filter((doc): doc is Json => doc !== null);
}

/**
 * A strategic merge patch as kustomize applies it for the fields these manifests use: maps merge,
 * `null` deletes a key, lists of objects with a `name` merge item by item, other lists are replaced.
 */
export function strategicMerge(base: unknown, patch: unknown): unknown {
  if (!isObject(base) || !isObject(patch)) return patch;
  const merged: Json = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else if (
      Array.isArray(value) &&
      Array.isArray(merged[key]) &&
      value.every((v) => isObject(v) && "name" in v)
    ) {
      const items = [...(merged[key] as Json[])];
      for (const item of value as Json[]) {
        const index = items.findIndex((existing) => existing.name === item.name);
        if (index < 0) items.push(item);
        else items[index] = strategicMerge(items[index], item) as Json;
      }
      merged[key] = items;
    } else merged[key] = strategicMerge(merged[key], value);
  }
  return merged;
}

const idOf = (m: Json) => `${m.kind}/${(m.metadata as Json | undefined)?.name}`;

function setImages(node: unknown, images: NonNullable<Kustomization["images"]>): void {
  if (Array.isArray(node)) for (const item of node) setImages(item, images);
  if (!isObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === "image" && typeof value === "string") {
      const name = value.replace(/[:@].*$/, "");
      const rule = images.find((i) => i.name === name);
      if (rule) node[key] = `${rule.newName ?? name}:${rule.newTag ?? value.split(":")[1] ?? "latest"}`;
    } else setImages(value, images);
  }
}

/**
 * Builds a kustomization directory: the subset of `kubectl kustomize` these manifests use
 * (resources, namespace, labels, images, strategic-merge patches with `$patch: delete`), so the
 * manifests render and validate where kubectl is not installed.
 */
export function renderKustomization(directory: string): Manifest[] {
  const dir = resolve(directory);
  const kustomization = readYamlDocuments(join(dir, "kustomization.yaml"))[0] as Kustomization;
  let manifests: Json[] = [];
  for (const resource of kustomization.resources ?? []) {
    const path = join(dir, resource);
    if (existsSync(path) && statSync(path).isDirectory()) manifests.push(...renderKustomization(path));
    else manifests.push(...readYamlDocuments(path));
  }
  for (const { path } of kustomization.patches ?? []) {
    for (const patch of readYamlDocuments(join(dir, path))) {
      const { $patch, ...body } = patch;
      const index = manifests.findIndex((m) => idOf(m) === idOf(body));
      if (index < 0) throw new Error(`${join(dir, path)}: no ${idOf(body)} to patch`);
      if ($patch === "delete") manifests.splice(index, 1);
      else manifests[index] = strategicMerge(manifests[index], body) as Json;
    }
  }
  manifests = manifests.map((m) => structuredClone(m));
  for (const manifest of manifests) {
    const metadata = manifest.metadata as Json;
    if (kustomization.namespace && manifest.kind !== "Namespace")
      metadata.namespace = kustomization.namespace;
    for (const { pairs } of kustomization.labels ?? []) {
      metadata.labels = { ...(metadata.labels as Json | undefined), ...pairs };
    }
    if (kustomization.images) setImages(manifest, kustomization.images);
  }
  return manifests as Manifest[];
}

/** The directory of the manifests, for scripts and tests. */
export const K8S_DIR = resolve(dirname(new URL(import.meta.url).pathname), "../../k8s");
