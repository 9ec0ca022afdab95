import { z } from "zod";
import { Id } from "../ids";
import { Name, Stored } from "./common";

export const Workspace = z.object({
  id: Id,
  name: Name,
  slug: z.string().regex(/^[a-z0-9-]{1,63}$/),
  ...Stored,
});
export type Workspace = z.infer<typeof Workspace>;

/** Studio-wide preferences of a workspace. */
export const Settings = z.object({
  defaultModelId: Id.nullable().default(null).describe("Model preselected for new agents"),
  theme: z.enum(["system", "light", "dark"]).default("system"),
  runRetentionDays: z.number().int().min(1).max(3650).default(90),
  fileMaxBytes: z
    .number()
    .int()
    .min(1024)
    .max(1024 ** 3)
    .default(25 * 1024 * 1024),
});
export type Settings = z.infer<typeof Settings>;
export const SettingsUpdate = Settings.partial();
export type SettingsUpdate = z.input<typeof SettingsUpdate>;
