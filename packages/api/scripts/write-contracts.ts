// Writes contracts/openapi.json, server-api.md and shared-types.md from the zod schemas.
import { writeFileSync } from "node:fs";
import { contractDocument, renderServerApi, renderSharedTypes } from "../src/contracts";

const dir = new URL("../../../contracts/", import.meta.url);
const document = contractDocument();
writeFileSync(new URL("openapi.json", dir), `${JSON.stringify(document, null, 2)}\n`);
writeFileSync(new URL("server-api.md", dir), renderServerApi(document));
writeFileSync(new URL("shared-types.md", dir), renderSharedTypes());
console.log("contracts/ written");
