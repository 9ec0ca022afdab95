export { type Api, createApi, OPENAPI_INFO, openApiDocument } from "./app";
export type { ApiConfig, ApiDeps, Principal } from "./context";
export { type Problem, problemOf } from "./problem";
