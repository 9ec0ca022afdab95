/**
 * Variables whose values are secrets: they come from a secret store (a Kubernetes Secret, an
 * sst.Secret, a compose .env file kept out of git), never from plain config (ConfigMap, image ENV,
 * compose.yaml, CloudFormation parameters).
 */
export const SECRET_VARIABLES = new Set([
  "AGENTOS_SECRET_KEY",
  "AGENTOS_PREVIOUS_SECRET_KEYS",
  "AGENTOS_AUTH_SECRET",
  "AGENTOS_ADMIN_PASSWORD",
  "AGENTOS_GITHUB_CLIENT_SECRET",
  "AGENTOS_GOOGLE_CLIENT_SECRET",
  "AGENTOS_OIDC_CLIENT_SECRET",
  "DATABASE_URL",
  "DATABASE_AUTH_TOKEN",
  "WORKER_TOKEN",
  "INNGEST_EVENT_KEY",
  "INNGEST_SIGNING_KEY",
  "METRICS_TOKEN",
]);

/** Names that look secret but are not (ids, switches): checked by a test so that new ones are classified. */
export const NOT_SECRET = new Set([
  "AGENTOS_GITHUB_CLIENT_ID",
  "AGENTOS_GOOGLE_CLIENT_ID",
  "AGENTOS_OIDC_CLIENT_ID",
  "AGENTOS_TOKEN_REQUESTS_PER_MINUTE",
]);

/** Whether a variable name looks like it holds a secret. */
export const looksSecret = (name: string) => /SECRET|TOKEN|PASSWORD|_KEY(S)?$/.test(name);
