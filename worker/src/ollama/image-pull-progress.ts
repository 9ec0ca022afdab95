import type { OllamaImagePull } from "@agentos/core";
import { z } from "zod";

/**
 * One JSON message of the Docker engine's image pull stream (`POST /images/create`, what
 * dockerode's `docker.pull` returns), in moby's pkg/jsonmessage shape.
 */
export const DockerPullEvent = z.object({
  status: z.string().optional(),
  id: z.string().optional(),
  progressDetail: z
    .object({ current: z.number().optional(), total: z.number().optional() })
    .partial()
    .optional(),
  error: z.string().optional(),
  errorDetail: z.object({ message: z.string().optional() }).optional(),
});
export type DockerPullEvent = z.infer<typeof DockerPullEvent>;

type LayerPhase = "waiting" | "downloading" | "extracting" | "done";

interface ImageLayer {
  phase: LayerPhase;
  downloaded: number;
  extracted: number;
  /** Compressed size; unknown until the layer starts downloading (and never for cached layers). */
  total: number | null;
}

export interface ImagePullTally {
  status: string;
  layers: Record<string, ImageLayer>;
  error: string | null;
}

export function startImagePull(): ImagePullTally {
  return { status: "starting", layers: {}, error: null };
}

/** The tally after one pull message. Pure. */
export function tallyImagePull(tally: ImagePullTally, event: DockerPullEvent): ImagePullTally {
  if (event.error || event.errorDetail?.message) {
    return { ...tally, error: event.errorDetail?.message ?? event.error ?? "unknown error" };
  }
  const status = event.status ?? "";
  const id = event.id;
  // Messages without a layer id (or with the tag as id) are about the whole image.
  if (!id || /^Pulling from /.test(status) || !/^[0-9a-f]{12}$/.test(id)) return { ...tally, status };
  const layer: ImageLayer = tally.layers[id] ?? {
    phase: "waiting",
    downloaded: 0,
    extracted: 0,
    total: null,
  };
  const current = event.progressDetail?.current;
  const total = event.progressDetail?.total;
  let next: ImageLayer = layer;
  switch (status) {
    case "Pulling fs layer":
    case "Waiting":
      next = { ...layer, phase: "waiting" };
      break;
    case "Downloading":
      next = {
        ...layer,
        phase: "downloading",
        downloaded: current ?? layer.downloaded,
        total: total ?? layer.total,
      };
      break;
    case "Verifying Checksum":
    case "Download complete":
      next = { ...layer, phase: "downloading", downloaded: layer.total ?? layer.downloaded };
      break;
    case "Extracting":
      next = {
        ...layer,
        phase: "extracting",
        downloaded: layer.total ?? total ?? layer.downloaded,
        extracted: current ?? layer.extracted,
        total: layer.total ?? total ?? null,
      };
      break;
    case "Pull complete":
    case "Already exists":
      next = {
        ...layer,
        phase: "done",
        downloaded: layer.total ?? layer.downloaded,
        extracted: layer.total ?? layer.extracted,
      };
      break;
    default:
      return tally;
  }
  return { ...tally, layers: { ...tally.layers, [id]: next } };
}

/** The summary clients see. */
export function imagePullProgressOf(tally: ImagePullTally): OllamaImagePull {
  const layers = Object.values(tally.layers);
  // Layers the engine already had ("Already exists" without a download) take no part in the estimate.
  const fetched = layers.filter((l) => l.total !== null || l.phase !== "done");
  const sized = fetched.filter((l) => l.total !== null && l.total > 0);
  const totalBytes = sized.reduce((sum, l) => sum + (l.total ?? 0), 0);
  const downloadedBytes = sized.reduce((sum, l) => sum + l.downloaded, 0);
  // A layer whose size is not known yet counts as big as the average known one.
  const typical = sized.length > 0 ? totalBytes / sized.length : 1;
  let weight = 0;
  let done = 0;
  for (const layer of fetched) {
    const size = layer.total && layer.total > 0 ? layer.total : typical;
    const share =
      layer.phase === "done"
        ? 1
        : (0.8 * Math.min(layer.downloaded, size) + 0.2 * Math.min(layer.extracted, size)) / size;
    weight += size;
    done += share * size;
  }
  const fraction = weight > 0 ? done / weight : layers.length > 0 ? 1 : 0;
  return {
    status: tally.status,
    layers: layers.length,
    layersDone: layers.filter((l) => l.phase === "done").length,
    downloadedBytes,
    totalBytes,
    percent: Math.min(100, Math.floor(fraction * 1000) / 10),
    error: tally.error,
  };
}
