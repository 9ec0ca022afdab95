import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import type { Manifest } from "./render";

// biome-ignore lint/suspicious/noExplicitAny: each model class takes its own typed object.
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  "v1/Namespace": Namespace,
  "v1/ConfigMap": ConfigMap,
  "v1/PersistentVolumeClaim": PersistentVolumeClaim,
  "v1/Secret": Secret,
  "v1/Service": Service,
  "apps/v1/Deployment": Deployment,
  "networking.k8s.io/v1/Ingress": Ingress,
};

/**
 * Validates a manifest against the Kubernetes OpenAPI schemas (kubernetes-models, offline); throws
 * naming the object and the failing fields.
 */
export function validateManifest(manifest: Manifest): void {
  const Model = MODELS[`${manifest.apiVersion}/${manifest.kind}`];
  if (!Model) throw new Error(`No schema for ${manifest.apiVersion} ${manifest.kind}: add it to MODELS.`);
  try {
    new Model(manifest).validate();
  } catch (error) {
    throw new Error(`${manifest.kind}/${manifest.metadata.name}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
