import { type FieldError, Invalid } from "@agentos/core";
import type { Repositories, ResourceRepository } from "@agentos/db";
import type { Principal } from "../context";
import type { ResourceService } from "../routes/resource";

type RepoName = {
  [K in keyof Repositories]: Repositories[K] extends ResourceRepository<infer _R, infer _E> ? K : never;
}[keyof Repositories];

/** A reference from a request field to another resource: [field path, repository, id]. */
export type Reference = [path: string, repo: RepoName, id: string | null | undefined];

/** 400 naming every referenced id that does not exist in the caller's workspace. */
export async function requireReferences(
  repos: Repositories,
  workspaceId: string,
  refs: Reference[],
): Promise<void> {
  const missing: FieldError[] = [];
  await Promise.all(
    refs.map(async ([path, repo, id]) => {
      if (id && !(await repos[repo].exists(workspaceId, id))) {
        missing.push({ path, message: `${repos[repo].spec.entity} ${id} does not exist in this workspace` });
      }
    }),
  );
  if (missing.length > 0) {
    throw new Invalid(missing.map((e) => `${e.path}: ${e.message}`).join("; "), { errors: missing });
  }
}

type RowOf<R> = R extends ResourceRepository<infer Row, infer _E> ? Row : never;
type EntityOf<R> = R extends ResourceRepository<infer _R, infer E> ? E : never;
type NewRow<R> = Omit<RowOf<R>, "id" | "workspaceId" | "createdAt" | "updatedAt">;

export interface ServiceMapping<R, Create, Update> {
  /** References the create input makes, checked before the insert. */
  createReferences?(input: Create): Reference[];
  updateReferences?(input: Update): Reference[];
  toRow(input: Create, principal: Principal): NewRow<R> | Promise<NewRow<R>>;
  toChanges?(input: Update, current: RowOf<R>): Partial<RowOf<R>> | Promise<Partial<RowOf<R>>>;
  /** Runs after a successful create, e.g. to seed dependants. */
  afterCreate?(principal: Principal, created: EntityOf<R>): Promise<void>;
  /** Runs before delete, e.g. to remove dependants. */
  beforeDelete?(principal: Principal, id: string): Promise<void>;
}

/** The standard service of a resource over its repository, scoped by the principal's workspace. */
export function repositoryService<
  R extends ResourceRepository<Record<string, unknown>, unknown>,
  Create,
  Update,
>(
  repos: Repositories,
  repo: R,
  mapping: ServiceMapping<R, Create, Update>,
): ResourceService<EntityOf<R>, Create, Update> {
  const typed = repo as unknown as ResourceRepository<RowOf<R>, EntityOf<R>>;
  return {
    list: (p, query) => typed.list(p.workspaceId, query),
    get: (p, id) => typed.get(p.workspaceId, id),
    async create(p, input) {
      await requireReferences(repos, p.workspaceId, mapping.createReferences?.(input) ?? []);
      const created = await typed.insert(p.workspaceId, await mapping.toRow(input, p));
      await mapping.afterCreate?.(p, created);
      return created;
    },
    async update(p, id, input) {
      const current = await typed.getRow(p.workspaceId, id);
      await requireReferences(repos, p.workspaceId, mapping.updateReferences?.(input) ?? []);
      const changes = mapping.toChanges
        ? await mapping.toChanges(input, current)
        : (input as unknown as Partial<RowOf<R>>);
      return typed.update(p.workspaceId, id, changes);
    },
    async delete(p, id) {
      await typed.getRow(p.workspaceId, id);
      await mapping.beforeDelete?.(p, id);
      await typed.delete(p.workspaceId, id);
    },
  };
}

/** Drops keys whose value is undefined, so a PATCH never writes them. */
export function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
