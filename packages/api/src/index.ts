export { type Api, createApi, OPENAPI_INFO, openApiDocument } from "./app";
export type { ApiConfig, ApiDeps, ApiEnv, Principal } from "./context";
export { resolvePrincipal } from "./middleware";
export { type Problem, problemOf } from "./problem";
