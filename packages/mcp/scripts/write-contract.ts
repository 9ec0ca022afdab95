// Rewrites the generated tools reference in contracts/mcp.md from the tools' zod schemas.
import { readFileSync, writeFileSync } from "node:fs";
import { renderToolsDoc, withToolsDoc } from "../src/contract/tools-doc";
import { STUDIO_TOOLS } from "../src/server";

const path = new URL("../../../contracts/mcp.md", import.meta.url);
writeFileSync(path, withToolsDoc(readFileSync(path, "utf8"), renderToolsDoc(STUDIO_TOOLS)));
console.log("contracts/mcp.md written");
