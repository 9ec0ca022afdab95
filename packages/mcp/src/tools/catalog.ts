import { type Tool, ToolKind } from "@agentos/core";
import { z } from "zod";
import type { Page } from "../api/page";
import { SearchInput } from "./inputs";
import { defineTool, ok } from "./tool";

export const catalogTools = [
  defineTool({
    name: "list_tools",
    title: "List tools",
    description:
      "Lists the tools agents of this workspace can be given (http, mcp, sandbox, builtin), with their input schemas. Give an agent a tool by adding its id to the agent's toolIds (update_agent).",
    input: z.object({ ...SearchInput, kind: ToolKind.optional() }),
    annotations: { readOnlyHint: true },
    async run(args, { api }) {
      const page = await api.get<Page<Tool>>("/api/tools", args);
      return ok(page, `${page.items.length} tool(s)${page.nextCursor ? "; more with cursor" : ""}.`);
    },
  }),
];
